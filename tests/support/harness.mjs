// Shared helpers for the end-to-end tests. `scripts/test` starts the built worker on workerd
// (`wrangler dev --local`, fresh state) and passes its address in DARKSHARE_URL and the admin token
// in DARKSHARE_ADMIN_TOKEN. Every test creates its own site, so tests never see each other's numbers.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';

export const BASE = (process.env.DARKSHARE_URL || 'http://127.0.0.1:8787').replace(/\/$/, '');
export const ADMIN = process.env.DARKSHARE_ADMIN_TOKEN || 'dev-admin-token';

/** Calls the worker. Never follows redirects; returns status, headers, text and parsed JSON (or null). */
export async function api(method, path, { body, token, headers = {}, raw } = {}) {
  const h = { ...headers };
  // A simulated person (personAgent) also has an address of their own, unless the test sets one.
  const person = /person-(\S+)/.exec(h['user-agent'] || '');
  if (person && !h['cf-connecting-ip']) h['cf-connecting-ip'] = addressOf(person[1]);
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    if (!h['content-type']) h['content-type'] = 'application/json';
  }
  const res = await send(method, BASE + path, h, payload);
  let json = null;
  try { json = JSON.parse(res.text); } catch { /* not JSON */ }
  return { ...res, json };
}

/**
 * One HTTP request with exactly the given headers. Not `fetch`: undici adds `Sec-Fetch-Mode: cors`
 * to every request, which would make every simulated click a subresource (see attribution.rs).
 * Browsers' navigations are simulated by setting `sec-fetch-*` like a browser (see `navigation`).
 */
function send(method, url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: keepAlive }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode, headers: h, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
const keepAlive = new http.Agent({ keepAlive: true });

/** The headers a browser sends when a person opens a link (a top-level navigation). */
export const navigation = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate' };

/** A fresh site id, unique per call. */
export function uniqueSiteId(prefix = 't') {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Registers a new site through the admin API and returns the contract's 201 body. */
export async function createSite({ hosts = ['localhost', '127.0.0.1', 'example.com'], id = uniqueSiteId() } = {}) {
  const res = await api('POST', '/api/sites', { token: ADMIN, body: { id, name: `Test ${id}`, hosts } });
  assert.equal(res.status, 201, `create site: ${res.text}`);
  return res.json;
}

/** Asserts the contract's error shape and status, and returns the error code. */
export function assertError(res, status, code) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.ok(res.json && res.json.error, `error body expected: ${res.text}`);
  assert.equal(typeof res.json.error.message, 'string');
  if (code) assert.equal(res.json.error.code, code, res.text);
  return res.json.error.code;
}

/** UTC date as YYYY-MM-DD, `offsetDays` from today. */
export function day(offsetDays = 0) {
  return new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);
}

/** A stable IPv4 address in 10.0.0.0/8 for a named person. */
export function addressOf(name) {
  const [a, b, c] = createHash('sha256').update(name).digest();
  return `10.${a}.${b}.${c}`;
}

/** A distinct, realistic desktop user agent per simulated person (who also gets `addressOf(name)`). */
export function personAgent(name) {
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 person-${name}`;
}

let sentinel = null;
let sentinelViews = 0;

/**
 * Waits until every event accepted before the call has been counted. Counting goes through a queue
 * (one consumer, first in first out), so a marker view on a site of its own that has been counted
 * proves that everything queued before it has been too. Two rounds: a click's event is sent in
 * `waitUntil`, just after its redirect answered, and must be queued before the second marker.
 */
export async function drained({ timeoutMs = 30000 } = {}) {
  if (!sentinel) sentinel = await createSite({ hosts: ['localhost'], id: uniqueSiteId('sentinel') });
  for (let round = 0; round < 2; round++) {
    sentinelViews += 1;
    const marker = await api('POST', '/api/views', {
      raw: JSON.stringify({ site: sentinel.id, url: 'http://localhost/marker' }),
      headers: { 'user-agent': personAgent(`marker-${sentinelViews}`), 'cf-connecting-ip': `198.18.${sentinelViews >> 8 & 255}.${sentinelViews & 255}` },
    });
    assert.equal(marker.status, 200, `queue marker: ${marker.text}`);
    const counted = await eventually(async () => {
      const res = await api('GET', `/api/stats?site=${sentinel.id}`, { token: sentinel.stats_token });
      return res.status === 200 && res.json.totals.views >= sentinelViews;
    }, { timeoutMs, everyMs: 100 });
    assert.ok(counted, `the queue did not drain within ${timeoutMs} ms`);
  }
}

/** Reads stats for today for a site, once everything sent before has been counted. */
export async function statsToday(site) {
  await drained();
  const d = day();
  const res = await api('GET', `/api/stats?site=${site.id}&from=${d}&to=${d}`, { token: site.stats_token });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/** The rate limiter counts in fixed windows of its period (`periodSeconds`, aligned to the clock, as
 *  the runtime's are): waits until the current window has at least `seconds` left, so a burst lands
 *  in one window and is not counted half in each. */
export async function windowWithRoom(seconds, periodSeconds = 60) {
  const period = periodSeconds * 1000;
  const roomy = () => period - (Date.now() % period) >= seconds * 1000;
  assert.ok(await eventually(roomy, { timeoutMs: period + 1000, everyMs: 250 }), 'a fresh rate-limit window');
}

/** Waits until `probe()` returns a truthy value (work done in waitUntil lands just after the response). */
export async function eventually(probe, { timeoutMs = 5000, everyMs = 50 } = {}) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return last;
}
