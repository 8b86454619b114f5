// Alert settings and deliveries on workerd: PATCH /api/sites/{id} (validation, who may, the secret
// shown once), the test send to a local receiver (a node http server on 127.0.0.1) with a valid
// signature, a receiver that fails; and real alerts through the pipeline: exactly one at the
// threshold, signed, none for a page below it, and a re-send after the receiver answered 500.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { ADMIN, api, assertError, createSite, eventually, personAgent } from '../support/harness.mjs';

/**
 * A webhook receiver: records every request; answers a path with the next status queued for it in
 * `receiver.script[path]`, else with `receiver.status` (200 by default).
 */
const receiver = { requests: [], status: 200, url: '', script: {} };
let server;
before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      receiver.requests.push({ path: req.url, headers: req.headers, body });
      const queued = receiver.script[req.url];
      res.writeHead((queued && queued.shift()) || receiver.status, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${server.address().port}`;
});
after(() => server && server.close());

const patch = (site, body, token = site.stats_token) => api('PATCH', `/api/sites/${site.id}`, { token, body });

/** The signature header is sha256=<hex HMAC-SHA-256 of the exact body with the secret>. */
function assertSigned(request, secret) {
  const want = 'sha256=' + createHmac('sha256', secret).update(request.body).digest('hex');
  assert.equal(request.headers['x-darkshare-signature'], want);
}

test('a new site has alerts off with the default threshold', async () => {
  const site = await createSite();
  const res = await api('GET', `/api/sites/${site.id}`, { token: site.stats_token });
  assert.equal(res.status, 200, res.text);
  assert.match(res.json.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  assert.deepEqual(res.json, {
    id: site.id, name: site.name, hosts: site.hosts, created_at: res.json.created_at, last_view_at: null, seen_hosts: [],
    webhook: null, alert_clicks_per_hour: 50, goals: [],
  });
  assert.equal('stats_token' in res.json, false);
});

test('the first webhook returns its secret once; later changes never show it again', async () => {
  const site = await createSite();
  const first = await patch(site, { webhook: 'https://hooks.example.com/a', alert_clicks_per_hour: 5 });
  assert.equal(first.status, 200, first.text);
  assert.match(first.json.webhook_secret, /^dsw_[0-9A-Za-z]{20,}$/);
  assert.equal(first.json.webhook, 'https://hooks.example.com/a');
  assert.equal(first.json.alert_clicks_per_hour, 5);
  const moved = await patch(site, { webhook: 'https://hooks.example.com/b' });
  assert.equal(moved.status, 200);
  assert.equal('webhook_secret' in moved.json, false);
  assert.equal(moved.json.alert_clicks_per_hour, 5, 'an absent field is unchanged');
  const shown = await api('GET', `/api/sites/${site.id}`, { token: site.stats_token });
  assert.equal('webhook_secret' in shown.json, false);
  const off = await patch(site, { webhook: null });
  assert.equal(off.json.webhook, null);
  const again = await patch(site, { webhook: 'https://hooks.example.com/c' });
  assert.ok(again.json.webhook_secret && again.json.webhook_secret !== first.json.webhook_secret, 'a new secret after alerts were off');
});

test('bad webhooks and thresholds are 400 and change nothing', async () => {
  const site = await createSite();
  const bad = [
    { webhook: 'http://example.com/hook' },
    { webhook: 'ftp://example.com/' },
    { webhook: 'https://user:pw@example.com/' },
    { webhook: 'https://me@example.com/' },
    { webhook: `https://example.com/${'a'.repeat(2048)}` },
    { webhook: 'not a url' },
    { alert_clicks_per_hour: 0 },
    { alert_clicks_per_hour: -1 },
    { webhook: 'https://example.com/', alert_clicks_per_hour: 2.5 },
    { alert_clicks_per_hour: '5' },
    { colour: 'x' },
  ];
  for (const body of bad) assertError(await patch(site, body), 400);
  // Name and hosts are the admin's (tests/e2e/console.test.mjs): a stats token asking is 403.
  assertError(await patch(site, { name: 'x' }), 403, 'admin_only');
  assertError(await api('PATCH', `/api/sites/${site.id}`, { token: site.stats_token, raw: '{', headers: { 'content-type': 'application/json' } }), 400, 'bad_json');
  const now = await api('GET', `/api/sites/${site.id}`, { token: site.stats_token });
  assert.deepEqual([now.json.webhook, now.json.alert_clicks_per_hour], [null, 50]);
  for (const ok of ['http://localhost:9/x', 'http://127.0.0.1:9/x']) assert.equal((await patch(site, { webhook: ok })).status, 200, ok);
});

test('only the site\'s stats token or the admin token may change it', async () => {
  const site = await createSite();
  const other = await createSite();
  assertError(await api('PATCH', `/api/sites/${site.id}`, { body: { alert_clicks_per_hour: 3 } }), 401, 'missing_token');
  assertError(await patch(site, { alert_clicks_per_hour: 3 }, 'dst_nonsense'), 401, 'bad_token');
  assertError(await patch(site, { alert_clicks_per_hour: 3 }, other.stats_token), 403, 'wrong_site');
  assertError(await api('PATCH', '/api/sites/no-such-site', { token: ADMIN, body: {} }), 404, 'unknown_site');
  const byAdmin = await patch(site, { alert_clicks_per_hour: 3 }, ADMIN);
  assert.equal(byAdmin.status, 200);
  assert.equal(byAdmin.json.alert_clicks_per_hour, 3);
});

test('a test send delivers one signed example; a failing receiver is reported, not retried', async () => {
  const site = await createSite();
  assertError(await api('POST', `/api/sites/${site.id}/webhook/test`, { token: site.stats_token }), 409, 'no_webhook');
  const set = await patch(site, { webhook: `${receiver.url}/hook-${site.id}` });
  const secret = set.json.webhook_secret;
  receiver.status = 200;
  const sent = await api('POST', `/api/sites/${site.id}/webhook/test`, { token: site.stats_token });
  assert.equal(sent.status, 200, sent.text);
  assert.deepEqual(sent.json, { delivered: true, status: 200 });
  const got = receiver.requests.filter((r) => r.path === `/hook-${site.id}`);
  assert.equal(got.length, 1);
  assertSigned(got[0], secret);
  assert.equal(got[0].headers['content-type'], 'application/json');
  const body = JSON.parse(got[0].body);
  assert.deepEqual(Object.keys(body).sort(), ['clicks_last_hour', 'dark_clicks_last_hour', 'k_factor_last_hour', 'site', 'text', 'top_channel', 'url']);
  assert.equal(body.site, site.id);
  assert.match(body.text, /^Test alert/);

  receiver.status = 500;
  const failed = await api('POST', `/api/sites/${site.id}/webhook/test`, { token: site.stats_token });
  assert.deepEqual(failed.json, { delivered: false, status: 500 });
  receiver.status = 200;
  assert.equal(receiver.requests.filter((r) => r.path === `/hook-${site.id}`).length, 2, 'a test send is never retried');
});

// ------------------------------------------------------------------------------------------------
// Real alerts, through views → EVENTS → consumer → alert check → ALERTS → delivery.

/** A page view by `who`, with their own user agent and (the harness's) own address. */
async function view(site, who, url, extra = {}) {
  const res = await api('POST', '/api/views', {
    raw: JSON.stringify({ site: site.id, url, referrer: '', ...extra }),
    headers: { 'user-agent': personAgent(who) },
  });
  assert.equal(res.status, 200, res.text);
  return res.json.fp;
}

/** A site with alerts at `threshold` to its own receiver path; returns [site, path, secret]. */
async function alertingSite(threshold) {
  const site = await createSite({ hosts: ['localhost'] });
  const path = `/alerts-${site.id}`;
  const set = await patch(site, { webhook: receiver.url + path, alert_clicks_per_hour: threshold });
  assert.equal(set.status, 200, set.text);
  return [site, path, set.json.webhook_secret];
}

const received = (path) => receiver.requests.filter((r) => r.path === path);

test('exactly one signed alert when a page reaches the threshold, none for a page below it', async () => {
  const [site, path, secret] = await alertingSite(3);
  const hot = 'http://localhost/hot';
  const cold = 'http://localhost/cold';
  const sharer = await view(site, `sharer-${site.id}`, hot);
  const coldSharer = await view(site, `cold-${site.id}`, cold);
  for (const n of [1, 2]) await view(site, `c${n}-${site.id}`, cold, { parent: coldSharer }); // 2 < 3
  for (const n of [1, 2, 3]) await view(site, `h${n}-${site.id}`, hot, { parent: sharer }); // reaches 3
  const alerts = await eventually(() => received(path).length >= 1 && received(path), { timeoutMs: 20000, everyMs: 200 });
  assert.ok(alerts, 'an alert arrived');
  assertSigned(alerts[0], secret);
  const body = JSON.parse(alerts[0].body);
  assert.equal(body.site, site.id);
  assert.equal(body.url, hot);
  assert.equal(body.clicks_last_hour, 3);
  assert.equal(body.dark_clicks_last_hour, 3);
  assert.equal(body.top_channel, 'dark');
  assert.equal(body.k_factor_last_hour, 0.75, '3 clicks over 4 views of the page in the hour');
  assert.match(body.text, /http:\/\/localhost\/hot/);

  // More clicks the same day send nothing more. A barrier proves the later batches were checked:
  // another site's alert, queued after them, arrives only after their checks ran.
  await view(site, `h4-${site.id}`, hot, { parent: sharer });
  const [barrier, barrierPath] = await alertingSite(1);
  const barrierSharer = await view(barrier, `b-${barrier.id}`, 'http://localhost/x');
  await view(barrier, `b1-${barrier.id}`, 'http://localhost/x', { parent: barrierSharer });
  assert.ok(await eventually(() => received(barrierPath).length === 1, { timeoutMs: 20000, everyMs: 200 }), 'barrier alert');
  const urls = received(path).map((r) => JSON.parse(r.body).url);
  assert.deepEqual(urls, [hot], 'one alert for the hot page that day, none for the cold one (2 < 3)');
});

test('an alert the receiver refused with 500 is delivered again, signed the same', async () => {
  const [site, path, secret] = await alertingSite(1);
  receiver.script[path] = [500];
  const sharer = await view(site, `s-${site.id}`, 'http://localhost/retry');
  await view(site, `r1-${site.id}`, 'http://localhost/retry', { parent: sharer });
  const both = await eventually(() => received(path).length >= 2 && received(path), { timeoutMs: 30000, everyMs: 250 });
  assert.ok(both, `a second attempt arrived (got ${received(path).length})`);
  assert.equal(both[0].body, both[1].body, 'the same alert');
  for (const r of both) assertSigned(r, secret);
  assert.equal(JSON.parse(both[1].body).url, 'http://localhost/retry');
});
