// The stats API over a known mix of views, copies, short links, previews, clicks and reshares
// generated through the public API: every number of the report is asserted, and the CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, createSite, day, drained, personAgent } from '../support/harness.mjs';

const A = 'http://localhost/a';
const B = 'http://localhost/b';

async function view(site, who, url, extra = {}) {
  const res = await api('POST', '/api/views', {
    raw: JSON.stringify({ site: site.id, url, referrer: '', title: 'T', ...extra }),
    headers: { 'user-agent': personAgent(who) },
  });
  assert.equal(res.status, 200, res.text);
  return res.json.fp;
}

async function copy(site, fp, text) {
  const res = await api('POST', '/api/events', { raw: JSON.stringify({ site: site.id, fp, type: 'copy', url: A, text, text_length: text.length }) });
  assert.equal(res.status, 202, res.text);
}

/** Builds: 5 views, 3 copies, 3 shares (a link + two fingerprints), 4 clicks (3 dark), 1 preview. */
async function knownMix() {
  const site = await createSite({ hosts: ['localhost'] });
  const ann = await view(site, 'ann', A);
  await view(site, 'ben', A);
  await view(site, 'cat', B);
  const dan = await view(site, 'dan', A, { parent: ann }); // dark click, depth 1
  await view(site, 'eve', A, { parent: dan, referrer: 'https://t.co/abc' }); // x, depth 2, not dark
  await copy(site, ann, 'a sentence that people copy often');
  await copy(site, ann, 'a sentence that people copy often');
  await copy(site, ann, 'another one');
  const link = await api('POST', '/api/links', { body: { site: site.id, url: A, channel: 'whatsapp', parent: ann } });
  assert.equal(link.status, 201);
  for (const who of ['fay', 'gus', 'fay']) {
    assert.equal((await api('GET', `/${link.json.code}`, { headers: { 'user-agent': personAgent(who) } })).status, 302);
  }
  const preview = await api('GET', `/${link.json.code}`, { headers: { 'user-agent': 'WhatsApp/2.23.20.0' } });
  assert.equal(preview.status, 200);
  // Everything is counted through the queue; clicks and previews are sent in waitUntil.
  await drained();
  return site;
}

test('the report counts a known mix exactly', async () => {
  const site = await knownMix();
  const today = day();
  const res = await api('GET', `/api/stats?site=${site.id}&from=${today}&to=${today}`, { token: site.stats_token });
  assert.equal(res.status, 200, res.text);
  const r = res.json;
  assert.equal(r.site, site.id);
  assert.equal(r.from, today);
  assert.equal(r.to, today);
  assert.deepEqual(r.totals, { views: 5, copies: 3, shares: 3, clicks: 4, dark_clicks: 3, previews: 1, share_to_click: 1.333, direct_dark_share: 0.25 });
  // ann, ben, cat: direct; dan: a dark arrival; eve: an arrival from t.co (public, not dark).
  assert.deepEqual(r.sources.map((s) => [s.source, s.views]),
    [['dark_social', 1], ['shared', 1], ['self', 0], ['internal', 0], ['search', 0], ['social', 0], ['referral', 0], ['direct', 3]]);
  assert.deepEqual(r.channels, [
    { channel: 'whatsapp', shares: 1, clicks: 2, previews: 1 },
    { channel: 'dark', shares: 1, clicks: 1, previews: 0 },
    { channel: 'x', shares: 1, clicks: 1, previews: 0 },
  ]);
  assert.deepEqual(r.timeseries, [{ date: today, views: 5, copies: 3, shares: 3, clicks: 4, dark_clicks: 3 }]);
  assert.deepEqual(r.pages, [
    { url: A, views: 4, shares: 3, clicks: 4, k_factor: 1 },
    { url: B, views: 1, shares: 0, clicks: 0, k_factor: 0 },
  ]);
  assert.deepEqual(r.copied_texts, [{ text: 'a sentence that people copy often', copies: 2 }, { text: 'another one', copies: 1 }]);
  assert.deepEqual(r.generations, [{ depth: 1, clicks: 3 }, { depth: 2, clicks: 1 }]);
  assert.equal(r.k_factor, 0.8);
});

test('a longer period is zero-filled around the data', async () => {
  const site = await createSite({ hosts: ['localhost'] });
  await view(site, 'ann', A);
  await drained();
  const res = await api('GET', `/api/stats?site=${site.id}&from=${day(-6)}&to=${day()}`, { token: site.stats_token });
  assert.equal(res.json.timeseries.length, 7);
  assert.deepEqual(res.json.timeseries.map((d) => d.views), [0, 0, 0, 0, 0, 0, 1]);
  const dflt = await api('GET', `/api/stats?site=${site.id}`, { token: site.stats_token });
  assert.equal(dflt.json.timeseries.length, 30, 'the default period is 30 days');
  assert.equal(dflt.json.to, day());
});

test('the csv has one row per day and channel', async () => {
  const site = await knownMix();
  const res = await api('GET', `/api/stats.csv?site=${site.id}&from=${day()}&to=${day()}`, { token: site.stats_token });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="darkshare-.*\.csv"/);
  const t = day();
  assert.equal(res.text, [
    'date,channel,views,copies,shares,clicks,dark_clicks,previews,conversions,goal_events',
    `${t},dark,0,0,1,1,1,0,0,0`,
    `${t},none,5,3,0,0,0,0,0,0`,
    `${t},whatsapp,0,0,1,2,2,1,0,0`,
    `${t},x,0,0,1,1,0,0,0,0`,
    '',
  ].join('\r\n'));
});

test('stats need the site token and a valid period', async () => {
  const site = await createSite();
  const other = await createSite();
  const q = `/api/stats?site=${site.id}`;
  assertError(await api('GET', q), 401, 'missing_token');
  assertError(await api('GET', q, { token: 'dst_nope' }), 401, 'bad_token');
  assertError(await api('GET', q, { token: other.stats_token }), 403, 'wrong_site');
  assertError(await api('GET', `/api/stats.csv?site=${site.id}`, { token: other.stats_token }), 403, 'wrong_site');
  assertError(await api('GET', '/api/stats', { token: site.stats_token }), 400, 'bad_field');
  assertError(await api('GET', '/api/stats?site=nope', { token: site.stats_token }), 404, 'unknown_site');
  for (const bad of ['&from=2026-02-30', '&from=yesterday', `&from=${day()}&to=${day(-1)}`, '&from=2000-01-01&to=2026-01-01']) {
    assertError(await api('GET', q + bad, { token: site.stats_token }), 400, 'bad_date');
  }
});
