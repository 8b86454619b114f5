-- wrk script for benches/run.mjs: every request is a different person (own user agent and own
-- CF-Connecting-IP), so every click and every view is a real write, never a repeat the worker can
-- skip. Counts what the worker accepted, per type, for run.mjs to compare with GET /api/stats.
--
-- Input (environment, set by run.mjs):
--   PEOPLE_MODE      "click" (GET /{code} as a browser navigation), "view" (POST /api/views),
--                    "goal" (POST /api/goals from the snippet) or "mix" (views : copies : clicks = 2 : 1 : 1)
--   PEOPLE_SITE      site id (hosts ["localhost"]); PEOPLE_CODE the short code; PEOPLE_FP a valid
--                    page-view fingerprint of the site (what copies carry)
--   PEOPLE_SEED      distinguishes runs, so two runs never share a person
--   PEOPLE_DEADLINE  epoch seconds: from then on only GET /api/health, one per connection per
--                    second, so that no write is in flight when wrk stops (-d is longer)
-- wrk gives every thread its own Lua state: setup() keeps the thread objects and done() sums them.

local mode = os.getenv("PEOPLE_MODE") or "click"
local site = os.getenv("PEOPLE_SITE") or "bench"
local code = os.getenv("PEOPLE_CODE") or ""
local fp = os.getenv("PEOPLE_FP") or ""
local seed = tonumber(os.getenv("PEOPLE_SEED") or "0")
local deadline = tonumber(os.getenv("PEOPLE_DEADLINE") or "0")

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  draining = false
  sent_views, sent_copies, sent_clicks, sent_health, sent_goals = 0, 0, 0, 0, 0
  views_ok, copies_ok, clicks_ok, health_ok, goals_ok = 0, 0, 0, 0, 0
  s429, s4xx, s5xx, s_other = 0, 0, 0, 0
end

local view_fmt = '{"site":"%s","url":"http://localhost/p","referrer":""}'
local goal_fmt = '{"site":"%s","name":"signup","url":"http://localhost/p"}'
local copy_fmt = '{"site":"%s","fp":"%s","type":"copy","url":"http://localhost/p","text":"bench copied text %d"}'

-- Person number k of this thread: a user agent and an address nobody else in the run has.
local function person(k)
  local id = ((seed * 16 + tid) * 4194304 + k) % 4294967296
  local ip = string.format("%d.%d.%d.%d", 10 + math.floor(id / 16777216) % 100, math.floor(id / 65536) % 256,
    math.floor(id / 256) % 256, id % 256)
  local ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 person-" .. id
  return ua, ip
end

function request()
  n = n + 1
  if deadline > 0 and os.time() >= deadline then
    draining = true
    sent_health = sent_health + 1
    return wrk.format("GET", "/api/health")
  end
  local ua, ip = person(n)
  local kind = mode
  if mode == "mix" then
    local r = n % 4
    kind = (r == 0 and "copy") or (r == 1 and "click") or "view"
  end
  if kind == "click" then
    sent_clicks = sent_clicks + 1
    return wrk.format("GET", "/" .. code, { ["User-Agent"] = ua, ["CF-Connecting-IP"] = ip,
      ["Sec-Fetch-Dest"] = "document", ["Sec-Fetch-Mode"] = "navigate" })
  end
  local headers = { ["Content-Type"] = "text/plain;charset=UTF-8", ["User-Agent"] = ua, ["CF-Connecting-IP"] = ip }
  if kind == "goal" then
    sent_goals = sent_goals + 1
    return wrk.format("POST", "/api/goals", headers, string.format(goal_fmt, site))
  end
  if kind == "copy" then
    sent_copies = sent_copies + 1
    return wrk.format("POST", "/api/events", headers, string.format(copy_fmt, site, fp, n % 20))
  end
  sent_views = sent_views + 1
  return wrk.format("POST", "/api/views", headers, string.format(view_fmt, site))
end

function delay()
  if draining then return 1000 end
  return 0
end

function response(status, headers, body)
  if status == 302 then
    clicks_ok = clicks_ok + 1
  elseif status == 200 then
    if body and string.find(body, '"fp"', 1, true) then
      views_ok = views_ok + 1
    elseif body and string.find(body, '"ok"', 1, true) then
      health_ok = health_ok + 1
    else
      s_other = s_other + 1
    end
  elseif status == 202 and mode == "goal" then
    goals_ok = goals_ok + 1
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

local keys = { "sent_views", "sent_copies", "sent_clicks", "sent_health", "sent_goals", "views_ok", "copies_ok", "clicks_ok",
  "health_ok", "goals_ok", "s429", "s4xx", "s5xx", "s_other" }

function done(summary, latency, requests)
  local total = {}
  for _, k in ipairs(keys) do total[k] = 0 end
  for _, t in ipairs(threads) do
    for _, k in ipairs(keys) do total[k] = total[k] + (t:get(k) or 0) end
  end
  local parts = {}
  for _, k in ipairs(keys) do table.insert(parts, k .. "=" .. total[k]) end
  table.insert(parts, "responses=" .. summary.requests)
  table.insert(parts, "timeouts=" .. summary.errors.timeout)
  table.insert(parts, "p50_us=" .. latency:percentile(50))
  table.insert(parts, "p99_us=" .. latency:percentile(99))
  io.write("PEOPLE " .. table.concat(parts, " ") .. "\n")
end
