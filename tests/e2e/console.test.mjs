// The console's API on the real runtime (both workers): the admin's site list, a site with its
// install check, name and hosts changed by the admin only, token rotation (the old token refused at
// once, in the hot worker too), and deletion of a site with everything stored for it. Every refusal
// is a 4xx that writes nothing, and a site's token never reaches another site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, api, assertError, createSite, day, drained, eventually, navigation, personAgent, statsToday } from '../support/harness.mjs';

/** A page view of `url` by a person of its own. */
async function view(site, url, who) {
  const res = await api('POST', '/api/views', { raw: JSON.stringify({ site: site.id, url }), headers: { 'user-agent': personAgent(who), 'content-type': 'text/plain;charset=UTF-8' } });
  return res;
}

/** A short link made by the site's marketer (stats token). */
async function marketerLink(site, token = site.stats_token) {
  return api('POST', '/api/links', { token, body: { site: site.id, url: 'https://example.com/launch', channel: 'email' } });
}

const show = (site, token) => api('GET', `/api/sites/${site.id}`, { token });
const statsOf = (site, token) => api('GET', `/api/stats?site=${site.id}&from=${day()}&to=${day()}`, { token });

/** No answer of the console carries a stats token, except registration and rotation. */
function noToken(res, ...tokens) {
  for (const t of tokens) assert.ok(!res.text.includes(t), `a token leaked: ${res.text}`);
  assert.ok(!/stats_token/.test(res.text), res.text);
}

test('GET /api/sites: the admin lists every site with created_at and last_view_at, never a token', async () => {
  const site = await createSite();
  const res = await api('GET', '/api/sites', { token: ADMIN });
  assert.equal(res.status, 200, res.text);
  const row = res.json.sites.find((s) => s.id === site.id);
  assert.deepEqual(Object.keys(row).sort(), ['created_at', 'hosts', 'id', 'last_view_at', 'name']);
  assert.equal(row.name, site.name);
  assert.deepEqual(row.hosts, site.hosts);
  assert.match(row.created_at, /^\d{4}-\d{2}-\d{2}T/);
  assert.equal(row.last_view_at, null);
  noToken(res, site.stats_token);
  assertError(await api('GET', '/api/sites', { token: site.stats_token }), 403, 'admin_only');
  assertError(await api('GET', '/api/sites'), 401, 'missing_token');
  assertError(await api('GET', '/api/sites', { token: 'dst_nope' }), 401, 'bad_token');
});

test('GET /api/sites/{id}: the install check shows the hosts views came from in the last 7 days', async () => {
  const site = await createSite({ hosts: ['localhost', 'example.com', 'www.example.com'] });
  const before = await show(site, site.stats_token);
  assert.equal(before.status, 200, before.text);
  assert.deepEqual([before.json.seen_hosts, before.json.last_view_at], [[], null]);
  noToken(before, site.stats_token);
  assert.equal((await view(site, 'https://example.com/a', 'install-1')).status, 200);
  assert.equal((await view(site, 'https://example.com/b', 'install-2')).status, 200);
  await drained();
  // Written just after the batch is counted.
  const after = await eventually(async () => {
    const res = await show(site, ADMIN); // the admin may read it too
    return res.status === 200 && res.json.seen_hosts.length > 0 && res;
  }, { timeoutMs: 10000, everyMs: 100 });
  assert.ok(after, 'the install check was written');
  assert.deepEqual(after.json.seen_hosts, ['example.com']);
  assert.ok(Date.now() - Date.parse(after.json.last_view_at) < 3600e3, after.json.last_view_at);
  const listed = (await api('GET', '/api/sites', { token: ADMIN })).json.sites.find((s) => s.id === site.id);
  assert.equal(listed.last_view_at, after.json.last_view_at);
  const other = await createSite();
  assertError(await show(site, other.stats_token), 403, 'wrong_site');
  assertError(await api('GET', '/api/sites/no-such-site', { token: ADMIN }), 404, 'unknown_site');
});

test('PATCH name and hosts: the admin only, validated whole, and the new hosts rule at once', async () => {
  const site = await createSite({ hosts: ['example.com', 'old.example.org'] });
  const refused = await api('PATCH', `/api/sites/${site.id}`, { token: site.stats_token, body: { name: 'Renamed', hosts: ['evil.test'] } });
  assertError(refused, 403, 'admin_only');
  assertError(await api('PATCH', `/api/sites/${site.id}`, { token: site.stats_token, body: { name: 'Renamed' } }), 403, 'admin_only');
  assertError(await api('PATCH', `/api/sites/${site.id}`, { token: ADMIN, body: { name: 'Renamed', hosts: [] } }), 400, 'bad_field');
  assertError(await api('PATCH', `/api/sites/${site.id}`, { token: ADMIN, body: { name: 'x'.repeat(101) } }), 400, 'bad_field');
  assertError(await api('PATCH', `/api/sites/${site.id}`, { token: ADMIN, body: { hosts: ['https://x.com/'] } }), 400, 'bad_field');
  assertError(await api('PATCH', `/api/sites/${site.id}`, { token: ADMIN, body: { hosts: ['example.com'], alert_clicks_per_hour: 0 } }), 400, 'bad_field');
  let now = await show(site, site.stats_token);
  assert.deepEqual([now.json.name, now.json.hosts, now.json.alert_clicks_per_hour], [site.name, ['example.com', 'old.example.org'], 50], 'nothing written');
  // Accepted here before the change (the hot worker has the site in its cache now).
  assert.equal((await view(site, 'https://old.example.org/', 'patch-1')).status, 200);
  const ok = await api('PATCH', `/api/sites/${site.id}`, { token: ADMIN, body: { name: 'Renamed', hosts: ['example.com', 'new.example.org', 'example.com'] } });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual([ok.json.name, ok.json.hosts], ['Renamed', ['example.com', 'new.example.org']]);
  noToken(ok, site.stats_token);
  now = await show(site, site.stats_token);
  assert.deepEqual([now.json.name, now.json.hosts], ['Renamed', ['example.com', 'new.example.org']]);
  // The stats token keeps its own settings; the old host is refused at once, the new one accepted.
  assert.equal((await api('PATCH', `/api/sites/${site.id}`, { token: site.stats_token, body: { alert_clicks_per_hour: 7 } })).status, 200);
  assertError(await view(site, 'https://old.example.org/', 'patch-2'), 403, 'host_not_allowed');
  assert.equal((await view(site, 'https://new.example.org/', 'patch-3')).status, 200);
});

test('POST /api/sites/{id}/token: a new token; the old one is refused at once by both workers', async () => {
  const site = await createSite();
  const other = await createSite();
  assertError(await api('POST', `/api/sites/${site.id}/token`, { token: other.stats_token }), 403, 'wrong_site');
  assertError(await api('POST', `/api/sites/${site.id}/token`), 401, 'missing_token');
  // Used (and so cached) in both workers before the rotation.
  assert.equal((await statsOf(site, site.stats_token)).status, 200);
  assert.equal((await marketerLink(site)).status, 201);
  const res = await api('POST', `/api/sites/${site.id}/token`, { token: site.stats_token });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(Object.keys(res.json), ['stats_token']);
  const fresh = res.json.stats_token;
  assert.match(fresh, /^dst_[0-9A-Za-z]{20,}$/);
  assert.notEqual(fresh, site.stats_token);
  assertError(await statsOf(site, site.stats_token), 401, 'bad_token');
  assertError(await show(site, site.stats_token), 401, 'bad_token');
  assertError(await api('GET', `/api/links?site=${site.id}`, { token: site.stats_token }), 401, 'bad_token');
  assertError(await marketerLink(site), 401, 'bad_token'); // the hot worker
  assert.equal((await statsOf(site, fresh)).status, 200);
  assert.ok([200, 201].includes((await marketerLink(site, fresh)).status));
  // The admin may rotate it too; the other site's token is untouched.
  const byAdmin = await api('POST', `/api/sites/${site.id}/token`, { token: ADMIN });
  assert.equal(byAdmin.status, 200, byAdmin.text);
  assertError(await statsOf(site, fresh), 401, 'bad_token');
  assert.equal((await statsOf(other, other.stats_token)).status, 200);
  assertError(await statsOf(other, byAdmin.json.stats_token), 403, 'wrong_site');
});

test('DELETE /api/sites/{id}: the admin erases the site and everything stored for it; another site is untouched', async () => {
  const site = await createSite({ hosts: ['example.com'] });
  const other = await createSite({ hosts: ['example.com'] });
  const shared = await api('POST', `/api/sites/${site.id}/shared-links`, { token: site.stats_token, body: { label: 'client' } });
  assert.equal(shared.status, 201, shared.text);
  const secret = new URLSearchParams(new URL(shared.json.url).hash.slice(1)).get('share');
  const link = (await marketerLink(site)).json;
  const otherLink = (await marketerLink(other)).json;
  for (const [s, who] of [[site, 'del-1'], [site, 'del-2'], [other, 'del-3']]) {
    assert.equal((await view(s, 'https://example.com/post', who)).status, 200);
  }
  assert.equal((await api('GET', `/${link.code}`, { headers: { 'user-agent': personAgent('del-clicker'), ...navigation } })).status, 302);
  const otherBefore = await statsToday(other);
  assert.equal((await statsToday(site)).totals.views, 2);

  // Refusals first: each a 4xx that deletes nothing.
  assertError(await api('DELETE', `/api/sites/${site.id}`, { token: site.stats_token }), 403, 'admin_only');
  assertError(await api('DELETE', `/api/sites/${site.id}`, { token: secret }), 403, 'read_only');
  assertError(await api('DELETE', `/api/sites/${site.id}`), 401, 'missing_token');
  assertError(await api('DELETE', '/api/sites/no-such-site', { token: ADMIN }), 404, 'unknown_site');
  assertError(await api('DELETE', '/api/sites/Bad_Id', { token: ADMIN }), 400, 'bad_site_id');
  assert.equal((await statsOf(site, site.stats_token)).status, 200, 'still there');
  assert.equal((await api('GET', `/${link.code}`)).status, 302, 'its link still redirects');

  const res = await api('DELETE', `/api/sites/${site.id}`, { token: ADMIN });
  assert.equal(res.status, 204, res.text);
  assertError(await statsOf(site, site.stats_token), 401, 'bad_token');
  assertError(await statsOf(site, secret), 401, 'bad_token');
  assertError(await api('GET', `/api/sites/${site.id}`, { token: ADMIN }), 404, 'unknown_site');
  assertError(await api('DELETE', `/api/sites/${site.id}`, { token: ADMIN }), 404, 'unknown_site');
  assert.equal((await api('GET', `/${link.code}`)).status, 404, 'its links are gone');
  assertError(await view(site, 'https://example.com/post', 'del-4'), 404, 'unknown_site');
  assert.ok(!(await api('GET', '/api/sites', { token: ADMIN })).json.sites.some((s) => s.id === site.id));

  // Erased, not hidden: the same id registered again starts from nothing.
  const again = await createSite({ id: site.id, hosts: ['example.com'] });
  const fresh = await statsToday(again);
  assert.deepEqual(fresh.totals.views, 0);
  assert.deepEqual([fresh.totals.clicks, fresh.totals.shares, fresh.pages.length], [0, 0, 0]);
  assert.deepEqual((await api('GET', `/api/links?site=${site.id}`, { token: again.stats_token })).json.links, []);
  assert.deepEqual((await api('GET', `/api/sites/${site.id}/shared-links`, { token: again.stats_token })).json.shared_links, []);
  assert.deepEqual((await show(again, again.stats_token)).json.seen_hosts, []);

  // The other site: same counts, its link and token still work.
  assert.deepEqual((await statsToday(other)).totals, otherBefore.totals);
  assert.equal((await api('GET', `/${otherLink.code}`)).status, 302);
});

test("one site's stats token never reaches another site's console routes", async () => {
  const a = await createSite();
  const b = await createSite();
  const routes = [
    ['GET', `/api/sites/${b.id}`], ['PATCH', `/api/sites/${b.id}`, { alert_clicks_per_hour: 9 }],
    ['POST', `/api/sites/${b.id}/token`], ['POST', `/api/sites/${b.id}/shared-links`, {}],
    ['GET', `/api/sites/${b.id}/shared-links`], ['DELETE', `/api/sites/${b.id}/shared-links/x`],
  ];
  for (const [method, path, body] of routes) assertError(await api(method, path, { token: a.stats_token, body }), 403, 'wrong_site');
  assertError(await api('DELETE', `/api/sites/${b.id}`, { token: a.stats_token }), 403, 'admin_only');
  assert.equal((await show(b, b.stats_token)).json.alert_clicks_per_hour, 50, 'nothing written');
  assert.equal((await statsOf(b, b.stats_token)).status, 200, "b's token still works");
});

test('GET /admin: the console page, static, never framed by another site', async () => {
  const res = await api('GET', '/admin');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.match(res.headers.get('content-security-policy') || '', /frame-ancestors 'none'/);
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.match(res.text, /<script type="module" src="\/admin\/admin.js"><\/script>/);
  assert.doesNotMatch(res.text, /<script>(?!<)/, 'no inline script');
});
