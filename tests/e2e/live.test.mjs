// GET /api/live on workerd: the contract's shape (30 UTC minutes, oldest first, zeros included, the
// current minute last), its token rules, an event showing up within 15 s, and the stats report's
// sources (all eight, zeros included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, createSite, eventually, personAgent, statsToday } from '../support/harness.mjs';

const SOURCES = ['dark_social', 'shared', 'self', 'internal', 'search', 'social', 'referral', 'direct'];

test('a quiet site has 30 zero minutes ending with the current one', async () => {
  const site = await createSite();
  const before = Math.floor(Date.now() / 60000);
  const res = await api('GET', `/api/live?site=${site.id}`, { token: site.stats_token });
  const after = Math.floor(Date.now() / 60000);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.deepEqual(Object.keys(res.json).sort(), ['channels', 'minutes', 'pages', 'site']);
  assert.equal(res.json.site, site.id);
  const minutes = res.json.minutes;
  assert.equal(minutes.length, 30);
  for (const m of minutes) {
    assert.match(m.minute, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/);
    assert.deepEqual({ ...m, minute: 0 }, { minute: 0, views: 0, clicks: 0, dark_clicks: 0, shares: 0, previews: 0 });
  }
  const last = Date.parse(minutes[29].minute.replace('Z', ':00Z')) / 60000;
  assert.ok(last >= before && last <= after, 'the current minute is last');
  assert.equal(Date.parse(minutes[0].minute.replace('Z', ':00Z')) / 60000, last - 29, 'oldest first, one per minute');
  assert.deepEqual([res.json.pages, res.json.channels], [[], []]);
});

test('live needs the site\'s stats token', async () => {
  const site = await createSite();
  const other = await createSite();
  assertError(await api('GET', `/api/live?site=${site.id}`), 401, 'missing_token');
  assertError(await api('GET', `/api/live?site=${site.id}`, { token: other.stats_token }), 403, 'wrong_site');
  assertError(await api('GET', '/api/live', { token: site.stats_token }), 400, 'bad_field');
  assertError(await api('GET', '/api/live?site=Bad_Id', { token: site.stats_token }), 400, 'bad_site_id');
  assertError(await api('POST', `/api/live?site=${site.id}`, { token: site.stats_token }), 405);
});

test('a report lists all eight sources, zeros included, and no share without visits', async () => {
  const site = await createSite();
  const r = await statsToday(site);
  assert.deepEqual(r.sources.map((s) => s.source), SOURCES);
  assert.ok(r.sources.every((s) => s.views === 0));
  assert.equal(r.totals.direct_dark_share, null);
  assert.equal(r.source_timeseries.length, 1);
});

/** A view and a dark click are in the current minute, the page and the channel within 15 seconds. */
test('an event appears in live within 15 seconds', async () => {
  const site = await createSite({ hosts: ['localhost'] });
  const page = 'http://localhost/breaking';
  const post = (who, extra) => api('POST', '/api/views', {
    raw: JSON.stringify({ site: site.id, url: page, referrer: '', ...extra }),
    headers: { 'user-agent': personAgent(who) },
  });
  const ann = (await post('ann', {})).json.fp;
  const sent = Date.now();
  assert.equal((await post('ben', { parent: ann })).status, 200);
  const live = await eventually(async () => {
    const res = await api('GET', `/api/live?site=${site.id}`, { token: site.stats_token });
    const sum = (k) => res.json.minutes.reduce((a, m) => a + m[k], 0);
    return sum('views') === 2 && sum('clicks') === 1 && res.json;
  }, { timeoutMs: 15000, everyMs: 250 });
  assert.ok(live, 'seen within 15 s');
  assert.ok(Date.now() - sent < 15000);
  const sum = (k) => live.minutes.reduce((a, m) => a + m[k], 0);
  assert.deepEqual([sum('dark_clicks'), sum('shares'), sum('previews')], [1, 1, 0]);
  assert.deepEqual(live.pages, [{ url: page, views: 2, clicks: 1 }]);
  assert.deepEqual(live.channels, [{ channel: 'dark', clicks: 1 }]);
  assert.equal(live.minutes.length, 30);
});
