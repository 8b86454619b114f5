// Shared dashboards on the real runtime: a site's owner makes a read-only link; its secret reads the
// site's reports (stats, CSV, live, cascades) and is refused everything else with 403 read_only,
// writing nothing; the list never shows a secret; a revoked link's secret answers 401.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, api, assertError, createSite, day } from '../support/harness.mjs';

/** Creates a shared link of `site`; returns the answer and its secret (from the url's fragment). */
async function share(site, body = { label: 'For the client' }, token = site.stats_token) {
  const res = await api('POST', `/api/sites/${site.id}/shared-links`, { token, body });
  assert.equal(res.status, 201, res.text);
  const url = new URL(res.json.url);
  const params = new URLSearchParams(url.hash.slice(1));
  return { link: res.json, secret: params.get('share'), url, params };
}

const today = `from=${day()}&to=${day()}`;

test('a shared link: 201 with a url to the stats page carrying its secret in the fragment', async () => {
  const site = await createSite();
  const { link, secret, url, params } = await share(site);
  assert.deepEqual(Object.keys(link).sort(), ['created_at', 'id', 'label', 'url']);
  assert.equal(link.label, 'For the client');
  assert.match(link.created_at, /^\d{4}-\d{2}-\d{2}T/);
  assert.equal(`${url.origin}${url.pathname}${url.search}`, `${BASE}/stats`, 'the secret is in the fragment only');
  assert.equal(params.get('site'), site.id);
  assert.match(secret, /^dss_[0-9A-Za-z]{20,}$/);
  const unlabelled = await share(site, {}, ADMIN); // the admin may make one too
  assert.equal(unlabelled.link.label, null);
  const list = await api('GET', `/api/sites/${site.id}/shared-links`, { token: site.stats_token });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.shared_links.map((l) => l.id).sort(), [link.id, unlabelled.link.id].sort());
  assert.deepEqual(Object.keys(list.json.shared_links[0]).sort(), ['created_at', 'id', 'label']);
  assert.ok(!list.text.includes(secret) && !list.text.includes(unlabelled.secret), 'never a secret in the list');
});

test('its secret reads the site\'s reports: stats, CSV, live, cascades', async () => {
  const site = await createSite();
  const { secret } = await share(site);
  const stats = await api('GET', `/api/stats?site=${site.id}&${today}`, { token: secret });
  assert.equal(stats.status, 200, stats.text);
  assert.equal(stats.json.site, site.id);
  const csv = await api('GET', `/api/stats.csv?site=${site.id}&${today}`, { token: secret });
  assert.equal(csv.status, 200, csv.text);
  assert.equal((await api('GET', `/api/live?site=${site.id}`, { token: secret })).status, 200);
  // Authorized, then the cascade is looked up: an unknown one is the cascade's own 404.
  assertError(await api('GET', `/api/cascades/AAAAAAAAAAAA?site=${site.id}`, { token: secret }), 404, 'unknown_cascade');
});

test('its secret is refused everything else (403 read_only) and writes nothing', async () => {
  const site = await createSite();
  const other = await createSite();
  const { link: shared, secret } = await share(site);
  const made = await api('POST', '/api/links', { token: site.stats_token, body: { site: site.id, url: 'https://example.com/a', channel: 'email' } });
  assert.equal(made.status, 201, made.text);
  const code = made.json.code;
  const refused = [
    ['GET', `/api/links?site=${site.id}`],
    ['POST', '/api/links', { site: site.id, url: 'https://example.com/b', channel: 'email', slug: 'by-secret' }],
    ['PATCH', `/api/links/${code}`, { disabled: true }],
    ['DELETE', `/api/links/${code}`],
    ['GET', `/api/sites/${site.id}`],
    ['PATCH', `/api/sites/${site.id}`, { alert_clicks_per_hour: 3 }],
    ['POST', `/api/sites/${site.id}/webhook/test`],
    ['POST', `/api/sites/${site.id}/token`],
    ['GET', `/api/sites/${site.id}/shared-links`],
    ['POST', `/api/sites/${site.id}/shared-links`, {}],
    ['DELETE', `/api/sites/${site.id}/shared-links/${shared.id}`],
    ['GET', '/api/sites'],
    ['DELETE', `/api/sites/${site.id}`],
    ['GET', `/api/stats?site=${other.id}&${today}`],
    ['GET', `/api/live?site=${other.id}`],
  ];
  for (const [method, path, body] of refused) {
    assertError(await api(method, path, { token: secret, body }), 403, 'read_only');
  }
  // Nothing changed: the link redirects, the token works, the settings and the shared link stand.
  assert.equal((await api('GET', `/${code}`)).status, 302);
  assert.equal((await api('GET', '/by-secret')).status, 404);
  const site_ = await api('GET', `/api/sites/${site.id}`, { token: site.stats_token });
  assert.equal(site_.json.alert_clicks_per_hour, 50);
  const list = await api('GET', `/api/sites/${site.id}/shared-links`, { token: site.stats_token });
  assert.deepEqual(list.json.shared_links.map((l) => l.id), [shared.id]);
  assert.equal((await api('GET', `/api/stats?site=${site.id}&${today}`, { token: secret })).status, 200);
});

test('revoked: its secret answers 401; bad labels, other sites and unknown links are refused', async () => {
  const site = await createSite();
  const other = await createSite();
  const { link, secret } = await share(site);
  const keep = await share(site, { label: 'kept' });
  assertError(await api('POST', `/api/sites/${site.id}/shared-links`, { token: site.stats_token, body: { label: 'x'.repeat(101) } }), 400, 'bad_field');
  assertError(await api('POST', `/api/sites/${site.id}/shared-links`, { token: site.stats_token, body: { label: 'a', extra: 1 } }), 400, 'bad_json');
  assertError(await api('POST', `/api/sites/${site.id}/shared-links`, { body: {} }), 401, 'missing_token');
  assertError(await api('GET', `/api/sites/${site.id}/shared-links`, { token: other.stats_token }), 403, 'wrong_site');
  assertError(await api('DELETE', `/api/sites/${other.id}/shared-links/${link.id}`, { token: other.stats_token }), 404, 'unknown_shared_link');
  assertError(await api('DELETE', `/api/sites/${site.id}/shared-links/${link.id}`, { token: other.stats_token }), 403, 'wrong_site');
  assert.equal((await api('GET', `/api/sites/${site.id}/shared-links`, { token: site.stats_token })).json.shared_links.length, 2, 'nothing written by a refusal');
  const res = await api('DELETE', `/api/sites/${site.id}/shared-links/${link.id}`, { token: site.stats_token });
  assert.equal(res.status, 204, res.text);
  assertError(await api('GET', `/api/stats?site=${site.id}&${today}`, { token: secret }), 401, 'bad_token');
  assertError(await api('GET', `/api/live?site=${site.id}`, { token: secret }), 401, 'bad_token');
  assertError(await api('DELETE', `/api/sites/${site.id}/shared-links/${link.id}`, { token: site.stats_token }), 404, 'unknown_shared_link');
  assert.equal((await api('GET', `/api/stats?site=${site.id}&${today}`, { token: keep.secret })).status, 200, 'another shared link still reads');
});
