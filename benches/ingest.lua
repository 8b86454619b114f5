-- wrk script for benches/run.mjs: POST /api/views and POST /api/events (copy) against darkshare,
-- counting what the worker accepted, per type, so that run.mjs can compare with GET /api/stats.
--
-- Input (environment, set by run.mjs):
--   INGEST_SITE      site id (created with hosts ["localhost"])
--   INGEST_FP        a valid page-view fingerprint of that site (from one POST /api/views)
--   INGEST_DEADLINE  epoch seconds: from then on only GET /api/health is sent, one per connection
--                    per second, so that no write is in flight when wrk stops (-d is longer)
--   INGEST_COPY_EVERY  every Nth request is a copy event, the others are views (default 4)
--   INGEST_VISITORS  distinct user agents to rotate through, i.e. distinct visitors (default 5000)
--
-- The type of a response is read from its body: 200 {"fp"} is an accepted view, 202 an accepted
-- copy, 200 {"ok"} a health check. Errors (4xx/5xx) look alike for both types, so they are counted
-- per status only. wrk gives every thread its own Lua state: setup() keeps the thread objects and
-- done() sums their counters.

local site = os.getenv("INGEST_SITE") or "ingest"
local fp = os.getenv("INGEST_FP") or ""
local deadline = tonumber(os.getenv("INGEST_DEADLINE") or "0")
local copy_every = tonumber(os.getenv("INGEST_COPY_EVERY") or "4")
local visitors = tonumber(os.getenv("INGEST_VISITORS") or "5000")

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  draining = false
  sent_views, sent_copies, sent_health = 0, 0, 0
  views_ok, copies_ok, health_ok = 0, 0, 0
  s429, s4xx, s5xx, s_other = 0, 0, 0, 0
end

local view_fmt = '{"site":"%s","url":"http://localhost/p","referrer":""}'
local copy_fmt = '{"site":"%s","fp":"%s","type":"copy","url":"http://localhost/p","text":"bench copied text %d","text_length":%d}'

function request()
  n = n + 1
  if deadline > 0 and os.time() >= deadline then
    draining = true
    sent_health = sent_health + 1
    return wrk.format("GET", "/api/health")
  end
  local ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36 visitor-"
    .. ((tid * 7919 + n) % visitors)
  local headers = { ["Content-Type"] = "text/plain;charset=UTF-8", ["User-Agent"] = ua }
  if n % copy_every == 0 then
    sent_copies = sent_copies + 1
    local k = n % 20
    return wrk.format("POST", "/api/events", headers, string.format(copy_fmt, site, fp, k, 18 + #tostring(k)))
  end
  sent_views = sent_views + 1
  return wrk.format("POST", "/api/views", headers, string.format(view_fmt, site))
end

function delay()
  -- While draining, one health check per connection per second: keeps wrk alive without load.
  if draining then return 1000 end
  return 0
end

function response(status, headers, body)
  if status == 200 then
    if body and string.find(body, '"fp"', 1, true) then
      views_ok = views_ok + 1
    elseif body and string.find(body, '"ok"', 1, true) then
      health_ok = health_ok + 1
    else
      s_other = s_other + 1
    end
  elseif status == 202 then
    copies_ok = copies_ok + 1
  elseif status == 429 then
    s429 = s429 + 1
  elseif status >= 500 then
    s5xx = s5xx + 1
  elseif status >= 400 then
    s4xx = s4xx + 1
  else
    s_other = s_other + 1
  end
end

local keys = { "sent_views", "sent_copies", "sent_health", "views_ok", "copies_ok", "health_ok",
  "s429", "s4xx", "s5xx", "s_other" }

function done(summary, latency, requests)
  local total = {}
  for _, k in ipairs(keys) do total[k] = 0 end
  for _, t in ipairs(threads) do
    for _, k in ipairs(keys) do total[k] = total[k] + (t:get(k) or 0) end
  end
  local parts = {}
  for _, k in ipairs(keys) do table.insert(parts, k .. "=" .. total[k]) end
  table.insert(parts, "responses=" .. summary.requests)
  table.insert(parts, "duration_us=" .. summary.duration)
  table.insert(parts, "timeouts=" .. summary.errors.timeout)
  table.insert(parts, "connect_errors=" .. summary.errors.connect)
  table.insert(parts, "read_errors=" .. summary.errors.read)
  table.insert(parts, "write_errors=" .. summary.errors.write)
  table.insert(parts, "p50_us=" .. latency:percentile(50))
  table.insert(parts, "p99_us=" .. latency:percentile(99))
  io.write("INGEST " .. table.concat(parts, " ") .. "\n")
end
