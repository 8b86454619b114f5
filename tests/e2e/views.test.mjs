// Page views, fingerprints and copy events over HTTP on the real runtime: the attribution rules
// (arrival, depth, self-visit, counted once) and the snippet endpoints' errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, createSite, personAgent, statsToday } from '../support/harness.mjs';

const PAGE = 'http://localhost/article';

function view(site, who, body = {}) {
  return api('POST', '/api/views', {
    raw: JSON.stringify({ site: site.id, url: PAGE, referrer: '', title: 'Article', ...body }),
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': personAgent(who) },
  });
}

/** Every accepted view answers a fresh signed fingerprint. */
test('a view answers its own fingerprint', async () => {
  const site = await createSite();
  const res = await view(site, 'ann');
  assert.equal(res.status, 200, res.text);
  assert.match(res.json.fp, /^[0-9A-Za-z]{10,24}$/);
  const again = await view(site, 'ann');
  assert.notEqual(again.json.fp, res.json.fp);
  const stats = await statsToday(site);
  assert.equal(stats.totals.views, 2);
  assert.equal(stats.totals.clicks, 0);
  assert.deepEqual(stats.pages, [{ url: PAGE, views: 2, shares: 0, clicks: 0, k_factor: 0 }]);
});

/** A copied URL opened by someone else with no referrer is a dark click at depth 1; their reshare
 *  is depth 2; the original fingerprint becomes one share. */
test('arrivals through fingerprints form generations', async () => {
  const site = await createSite();
  const ann = (await view(site, 'ann')).json.fp;
  const ben = await view(site, 'ben', { parent: ann });
  assert.equal(ben.status, 200, ben.text);
  const cat = await view(site, 'cat', { parent: ben.json.fp });
  assert.equal(cat.status, 200);
  const dan = await view(site, 'dan', { parent: ann, referrer: 'https://mail.google.com/' });
  assert.equal(dan.status, 200);
  const stats = await statsToday(site);
  assert.equal(stats.totals.views, 4);
  assert.equal(stats.totals.clicks, 3);
  assert.equal(stats.totals.dark_clicks, 3, 'no referrer, or webmail (a private channel)');
  assert.equal(stats.totals.shares, 2, "ann's and ben's fingerprints each brought an arrival");
  assert.deepEqual(stats.generations, [{ depth: 1, clicks: 2 }, { depth: 2, clicks: 1 }]);
  assert.ok(stats.channels.some((c) => c.channel === 'email' && c.clicks === 1), JSON.stringify(stats.channels));
  assert.ok(stats.channels.some((c) => c.channel === 'dark' && c.clicks === 2), JSON.stringify(stats.channels));
});

/** Reloading one's own fingerprinted URL, or arriving twice the same day, is not a new click. */
test('self-visits and repeats are not clicks', async () => {
  const site = await createSite();
  const ann = (await view(site, 'ann')).json.fp;
  const reload = await view(site, 'ann', { parent: ann });
  assert.equal(reload.json.fp, ann, 'the visitor keeps their own fingerprint');
  const ben1 = await view(site, 'ben', { parent: ann });
  const ben2 = await view(site, 'ben', { parent: ann });
  await view(site, 'ben', { parent: ben1.json.fp });
  assert.equal(ben2.status, 200);
  const stats = await statsToday(site);
  assert.equal(stats.totals.clicks, 1);
  assert.equal(stats.totals.views, 5);
});

/** Navigation from another page of the same site carrying a fragment is not a share. */
test('a same-site referrer makes an internal navigation, not a click', async () => {
  const site = await createSite();
  const ann = (await view(site, 'ann')).json.fp;
  await view(site, 'ben', { parent: ann, referrer: 'http://localhost/home' });
  assert.equal((await statsToday(site)).totals.clicks, 0);
});

/** A short link's landing view and its redirect are one click, in the link's channel. */
test('a short link click seen at the redirect and at the landing view counts once', async () => {
  const site = await createSite();
  const link = await api('POST', '/api/links', { body: { site: site.id, url: PAGE, channel: 'slack' } });
  const hop = await api('GET', `/${link.json.code}`, { headers: { 'user-agent': personAgent('eve') } });
  const fp = new URL(hop.headers.get('location')).hash.slice('#ds='.length);
  const landing = await view(site, 'eve', { parent: fp });
  assert.equal(landing.status, 200, landing.text);
  // Another visitor who opened the link through a client that skipped the redirect's count still
  // lands in the link's channel.
  await view(site, 'fay', { parent: fp });
  const stats = await statsToday(site);
  assert.equal(stats.totals.clicks, 2);
  assert.equal(stats.totals.shares, 1, 'the short link is the share; its fingerprint is not another');
  assert.deepEqual(stats.channels, [{ channel: 'slack', shares: 1, clicks: 2, previews: 0 }]);
});

/** Forged, truncated or other sites' fingerprints are refused before storage and count nothing. */
test('forged fingerprints are rejected and count nothing', async () => {
  const site = await createSite();
  const other = await createSite();
  const real = (await view(site, 'ann')).json.fp;
  const foreign = (await view(other, 'ann')).json.fp;
  const flipped = real.slice(0, -1) + (real.endsWith('a') ? 'b' : 'a');
  for (const parent of ['AAAAAAAAAAAAAAAAAAAAA', real.slice(0, 15), flipped, foreign, 'x'.repeat(200)]) {
    assertError(await view(site, 'mallory', { parent }), 400, 'bad_fingerprint');
  }
  const stats = await statsToday(site);
  assert.equal(stats.totals.views, 1);
  assert.equal(stats.totals.clicks, 0);
});

/** Copy events land as copies with their text; bad ones are refused. */
test('copy events are counted with their text', async () => {
  const site = await createSite();
  const fp = (await view(site, 'ann')).json.fp;
  const copy = (text, extra = {}) => api('POST', '/api/events', {
    raw: JSON.stringify({ site: site.id, fp, type: 'copy', url: PAGE, text, text_length: text.length, ...extra }),
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
  });
  assert.equal((await copy('the quick brown fox jumps over the lazy dog')).status, 202);
  assert.equal((await copy('the quick brown fox jumps over the lazy dog')).status, 202);
  assert.equal((await copy('x'.repeat(500))).status, 202);
  assertError(await copy('text', { fp: 'AAAAAAAAAAAAAAAAAAAAA' }), 400, 'bad_fingerprint');
  assertError(await copy('text', { type: 'paste' }), 400, 'bad_field');
  assertError(await copy('text', { url: 'https://evil.com/' }), 403, 'host_not_allowed');
  const stats = await statsToday(site);
  assert.equal(stats.totals.copies, 3);
  assert.deepEqual(stats.copied_texts[0], { text: 'the quick brown fox jumps over the lazy dog', copies: 2 });
  assert.equal(stats.copied_texts[1].text.length, 200, 'copied text is kept to 200 characters');
});

/** The snippet endpoints refuse what does not belong to the site. */
test('views are checked against the site hosts and origin', async () => {
  const site = await createSite({ hosts: ['localhost'] });
  assertError(await view(site, 'a', { url: 'https://evil.com/x' }), 403, 'host_not_allowed');
  const evil = await api('POST', '/api/views', { raw: JSON.stringify({ site: site.id, url: PAGE }), headers: { origin: 'https://evil.com' } });
  assertError(evil, 403, 'origin_not_allowed');
  const ok = await api('POST', '/api/views', { raw: JSON.stringify({ site: site.id, url: PAGE }), headers: { origin: 'http://localhost:5173' } });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), 'http://localhost:5173');
  assertError(await api('POST', '/api/views', { raw: 'not json' }), 400, 'bad_json');
  assertError(await api('POST', '/api/views', { raw: JSON.stringify({ site: 'nope', url: PAGE }) }), 404, 'unknown_site');
  const pre = await api('OPTIONS', '/api/views', { headers: { origin: 'http://localhost', 'access-control-request-method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.equal((await statsToday(site)).totals.views, 1);
});
