// Links for marketers on the real runtime: GET /api/links (newest first, cursor paging, all-time
// counts per link) and PATCH /api/links/{code} (disable/enable, expiry, title), with every error
// path of the contract and the rule that a failed request writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, createSite, drained, eventually, navigation, personAgent, BASE } from '../support/harness.mjs';

async function marketerLink(site, body = {}) {
  const res = await api('POST', '/api/links', {
    token: site.stats_token,
    body: { site: site.id, url: 'https://example.com/spring', channel: 'email', ...body },
  });
  assert.ok(res.status === 201 || res.status === 200, res.text);
  return res.json;
}

function patch(site, code, body, token = site.stats_token) {
  return api('PATCH', `/api/links/${code}`, { token, body });
}

/** A person (own user agent and address) opening a short link, as a browser navigation. */
function hop(code, who = 'reader', query = '') {
  return api('GET', `/${code}${query}`, { headers: { 'user-agent': personAgent(who), ...navigation } });
}

async function list(site, query = '') {
  const res = await api('GET', `/api/links?site=${site.id}${query}`, { token: site.stats_token });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/** The listed link `code` once the queue has counted everything sent so far. */
async function listed(site, code) {
  await drained();
  return (await list(site, '&limit=100')).links.find((l) => l.code === code);
}

const LISTED_FIELDS = ['code', 'short_url', 'url', 'channel', 'title', 'created_at', 'expires_at', 'disabled', 'clicks', 'dark_clicks', 'previews', 'scans'];

/** A PATCH answers the link as the list shows it, with the contract's fields and nothing else. */
test('patching title and expiry answers the link as listed', async () => {
  const site = await createSite();
  const link = await marketerLink(site);
  const res = await patch(site, link.code, { title: 'Spring newsletter', expires_at: '2099-01-01T00:00:00Z' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(Object.keys(res.json).sort(), [...LISTED_FIELDS].sort());
  assert.equal(res.json.code, link.code);
  assert.equal(res.json.short_url, `${BASE}/${link.code}`);
  assert.equal(res.json.url, 'https://example.com/spring');
  assert.equal(res.json.channel, 'email');
  assert.equal(res.json.title, 'Spring newsletter');
  assert.equal(res.json.expires_at, '2099-01-01T00:00:00.000Z');
  assert.match(res.json.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  assert.equal(res.json.disabled, false);
  assert.deepEqual([res.json.clicks, res.json.dark_clicks, res.json.previews, res.json.scans], [0, 0, 0, 0]);
  const cleared = await patch(site, link.code, { title: null, expires_at: null });
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal(cleared.json.title, null);
  assert.equal(cleared.json.expires_at, null);
  assert.equal((await hop(link.code)).status, 302);
});

/**
 * The isolate that handles the PATCH forgets its cached copy at once: a link just answered (and so
 * cached) answers 410 on the very next request after being disabled, and 302 again once enabled.
 */
test('a disabled link answers 410 at once and an enabled one redirects again', async () => {
  const site = await createSite();
  const link = await marketerLink(site);
  assert.equal((await hop(link.code)).status, 302);
  assert.equal((await hop(link.code)).status, 302, 'now cached in this isolate');
  const off = await patch(site, link.code, { disabled: true });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.disabled, true);
  const gone = await hop(link.code);
  assert.equal(gone.status, 410);
  assert.match(gone.headers.get('content-type'), /^text\/html/);
  const on = await patch(site, link.code, { disabled: false });
  assert.equal(on.json.disabled, false);
  assert.equal((await hop(link.code)).status, 302);
});

/** Only the link's own site may change it; a refused PATCH changes nothing. */
test('patching needs the stats token of the link site and writes nothing otherwise', async () => {
  const site = await createSite();
  const other = await createSite();
  const link = await marketerLink(site);
  await patch(site, link.code, { title: 'Kept' });
  assertError(await api('PATCH', `/api/links/${link.code}`, { body: { disabled: true } }), 401, 'missing_token');
  assertError(await patch(site, link.code, { disabled: true }, 'dst_not_a_real_token'), 401, 'bad_token');
  assertError(await patch(site, link.code, { disabled: true, title: 'Hijacked' }, other.stats_token), 403, 'wrong_site');
  assertError(await patch(site, 'noSuchCode1', { disabled: true }), 404, 'unknown_link');
  assertError(await patch(site, 'a/b', { disabled: true }), 404);
  const now = await patch(site, link.code, {});
  assert.equal(now.json.disabled, false);
  assert.equal(now.json.title, 'Kept');
  assert.equal((await hop(link.code)).status, 302);
});

/** A bad field refuses the whole PATCH: the valid fields beside it are not applied either. */
test('a patch with one bad field changes nothing', async () => {
  const site = await createSite();
  const link = await marketerLink(site);
  await patch(site, link.code, { title: 'Before' });
  const bad = [
    [{ disabled: true, title: 'x'.repeat(201) }, 'bad_field'],
    [{ disabled: true, expires_at: '2001-01-01T00:00:00Z' }, 'bad_date'],
    [{ disabled: true, expires_at: 'next week' }, 'bad_date'],
    [{ disabled: true, url: 'https://evil.example/' }, 'bad_json'],
    [{ disabled: 'yes' }, 'bad_json'],
  ];
  for (const [body, code] of bad) assertError(await patch(site, link.code, body), 400, code);
  assertError(await api('PATCH', `/api/links/${link.code}`, { token: site.stats_token, raw: '{"disabled": tru' }), 400, 'bad_json');
  const now = await patch(site, link.code, {});
  assert.equal(now.json.disabled, false);
  assert.equal(now.json.title, 'Before');
  assert.equal(now.json.expires_at, null);
  assert.equal((await hop(link.code)).status, 302);
});

/** The list is behind the site's token, and its page size and cursor are checked before any read. */
test('listing needs the site token, a limit of 1 to 100 and a cursor the worker issued', async () => {
  const site = await createSite();
  const other = await createSite();
  const list = (query, token = site.stats_token) => api('GET', `/api/links?site=${site.id}${query}`, { token });
  assertError(await api('GET', `/api/links?site=${site.id}`), 401, 'missing_token');
  assertError(await list('', other.stats_token), 403, 'wrong_site');
  assertError(await api('GET', '/api/links', { token: site.stats_token }), 400, 'bad_field');
  assertError(await api('GET', '/api/links?site=no-such-site', { token: site.stats_token }), 404, 'unknown_site');
  for (const limit of ['0', '101', '-1', 'ten', '1.5', '']) assertError(await list(`&limit=${limit}`), 400, 'bad_field');
  for (const cursor of ['x', '', '1764043200000.aB3xY9q.00000000000000000000000000000000', '..']) {
    assertError(await list(`&cursor=${encodeURIComponent(cursor)}`), 400, 'bad_cursor');
  }
  const empty = await list('&limit=100');
  assert.equal(empty.status, 200, empty.text);
  assert.deepEqual(empty.json, { links: [], next_cursor: null });
});

/**
 * The stats page is served by the worker itself, on an origin that is none of the site's hosts:
 * its Links view may still create links (a same-origin request), while other origins stay refused.
 */
test('the stats page origin may create links for a site on other hosts', async () => {
  const site = await createSite({ hosts: ['example.com'] });
  const body = { site: site.id, url: 'https://example.com/from-stats', channel: 'sms' };
  const own = await api('POST', '/api/links', { token: site.stats_token, body, headers: { origin: BASE } });
  assert.equal(own.status, 201, own.text);
  const foreign = await api('POST', '/api/links', { token: site.stats_token, body: { ...body, channel: 'email' }, headers: { origin: 'https://evil.example' } });
  assertError(foreign, 403, 'origin_not_allowed');
});

/** Links appear newest first; pages of `limit` follow `next_cursor` to a last page with `null`. */
test('the list pages newest first through next_cursor', async () => {
  const site = await createSite();
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await marketerLink(site, { url: `https://example.com/p${i}` })).code);
  await drained();
  const seen = [];
  let cursor = null;
  let pages = 0;
  do {
    const page = await list(site, `&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.ok(page.links.length <= 2);
    seen.push(...page.links);
    cursor = page.next_cursor;
    pages += 1;
  } while (cursor && pages < 10);
  assert.equal(pages, 3);
  assert.deepEqual(seen.map((l) => l.code).sort(), [...codes].sort(), 'every link once');
  // Newest first; links created in the same millisecond are ordered by code, descending.
  const key = (l) => [Date.parse(l.created_at), l.code];
  for (let i = 1; i < seen.length; i++) {
    const [a, b] = [key(seen[i - 1]), key(seen[i])];
    assert.ok(a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]), `${seen[i - 1].code} before ${seen[i].code}`);
  }
  const first = await list(site, '&limit=5');
  assert.equal(first.next_cursor, null, 'exactly one full page: no next page');
  const all = await list(site);
  assert.deepEqual(Object.keys(all.links[0]).sort(), [...LISTED_FIELDS].sort());
  assert.equal(all.links[0].code, seen[0].code);
});

/** A cursor is bound to the site it was issued for. */
test('a cursor of another site is refused', async () => {
  const site = await createSite();
  const other = await createSite();
  for (let i = 0; i < 2; i++) await marketerLink(site, { url: `https://example.com/c${i}` });
  await drained();
  const { next_cursor: cursor } = await list(site, '&limit=1');
  assert.ok(cursor);
  const res = await api('GET', `/api/links?site=${other.id}&cursor=${encodeURIComponent(cursor)}`, { token: other.stats_token });
  assertError(res, 400, 'bad_cursor');
});

/**
 * Counts per link, all time: distinct people's clicks (each counted once per day, at the redirect
 * or the landing view), a scan of the QR code (a click too), a link preview; another link's and a
 * copy-paste fingerprint's clicks are not this link's.
 */
test('each link counts its own clicks, dark clicks, scans and previews', async () => {
  const site = await createSite();
  const link = await marketerLink(site, { channel: 'whatsapp' });
  const other = await marketerLink(site, { url: 'https://example.com/other', channel: 'sms' });
  for (const who of ['ann', 'ben', 'ann']) assert.equal((await hop(link.code, who)).status, 302);
  assert.equal((await hop(link.code, 'cem', '?qr=1')).status, 302);
  assert.equal((await hop(other.code, 'dan')).status, 302);
  const preview = await api('GET', `/${link.code}`, { headers: { 'user-agent': 'WhatsApp/2.23.20.0', 'cf-connecting-ip': '192.0.2.9' } });
  assert.equal(preview.status, 200);
  // The landing view of Ann's click carries the link's fingerprint: the same click, not a new one.
  const fp = new URL((await hop(link.code, 'ann')).headers.get('location')).hash.slice('#ds='.length);
  const view = await api('POST', '/api/views', { raw: JSON.stringify({ site: site.id, url: 'https://example.com/spring', referrer: '', parent: fp }), headers: { 'user-agent': personAgent('ann') } });
  assert.equal(view.status, 200, view.text);
  const mine = await eventually(async () => {
    const l = await listed(site, link.code);
    return l && l.clicks === 3 && l.previews === 1 && l;
  }, { timeoutMs: 20000 });
  assert.ok(mine, 'counts arrived');
  assert.deepEqual([mine.clicks, mine.dark_clicks, mine.scans, mine.previews], [3, 3, 1, 1]);
  const theirs = await listed(site, other.code);
  assert.deepEqual([theirs.clicks, theirs.scans, theirs.previews], [1, 0, 0]);
  const stats = await api('GET', `/api/stats?site=${site.id}`, { token: site.stats_token });
  assert.deepEqual(stats.json.channels.find((c) => c.channel === 'qr'), { channel: 'qr', shares: 0, clicks: 1, previews: 0 });
  const patched = await patch(site, link.code, {});
  assert.deepEqual([patched.json.clicks, patched.json.scans, patched.json.previews], [3, 1, 1], 'PATCH answers the counts too');
});

/** A slug that is taken is 409 and creates nothing: the list still holds the first link only. */
test('a taken slug is refused and nothing is listed for it', async () => {
  const site = await createSite();
  const slug = `sale-${site.id}`;
  const first = await marketerLink(site, { slug });
  const again = await api('POST', '/api/links', { token: site.stats_token, body: { site: site.id, url: 'https://example.com/elsewhere', channel: 'email', slug } });
  assertError(again, 409, 'slug_taken');
  await drained();
  const { links } = await list(site);
  assert.deepEqual(links.map((l) => [l.code, l.url]), [[first.code, 'https://example.com/spring']]);
});
