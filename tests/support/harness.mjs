// Shared helpers for the end-to-end tests. `scripts/test` starts the built worker on workerd
// (`wrangler dev --local`, fresh state) and passes its address in DARKSHARE_URL and the admin token
// in DARKSHARE_ADMIN_TOKEN. Every test creates its own site, so tests never see each other's numbers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

export const BASE = (process.env.DARKSHARE_URL || 'http://127.0.0.1:8787').replace(/\/$/, '');
export const ADMIN = process.env.DARKSHARE_ADMIN_TOKEN || 'dev-admin-token';

/** Calls the worker. Never follows redirects; returns status, headers, text and parsed JSON (or null). */
export async function api(method, path, { body, token, headers = {}, raw } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    if (!h['content-type']) h['content-type'] = 'application/json';
  }
  const res = await fetch(BASE + path, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}

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

/** A distinct, realistic desktop user agent per simulated person (same IP on one machine). */
export function personAgent(name) {
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 person-${name}`;
}

/** Reads stats for today for a site. */
export async function statsToday(site) {
  const d = day();
  const res = await api('GET', `/api/stats?site=${site.id}&from=${d}&to=${d}`, { token: site.stats_token });
  assert.equal(res.status, 200, res.text);
  return res.json;
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
