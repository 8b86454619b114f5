// Alert settings and deliveries on workerd: PATCH /api/sites/{id} (validation, who may, the secret
// shown once), the test send to a local receiver (a node http server on 127.0.0.1) with a valid
// signature, and a receiver that fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { ADMIN, api, assertError, createSite } from '../support/harness.mjs';

/** A webhook receiver: records every request; answers with `receiver.status` (200 by default). */
const receiver = { requests: [], status: 200, url: '' };
let server;
before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      receiver.requests.push({ path: req.url, headers: req.headers, body });
      res.writeHead(receiver.status, { 'content-type': 'text/plain' });
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
  assert.deepEqual(res.json, { id: site.id, name: site.name, hosts: site.hosts, webhook: null, alert_clicks_per_hour: 50 });
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
    { name: 'x' },
  ];
  for (const body of bad) assertError(await patch(site, body), 400);
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
