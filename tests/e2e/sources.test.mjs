// Where views came from, on workerd through the whole pipeline (view → EVENTS queue → consumer →
// D1): a known mix with one view of each of the eight sources, and the headline share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, createSite, eventually, personAgent, statsToday } from '../support/harness.mjs';

const A = 'http://localhost/a';

/** A page view by `who` (own user agent and own address). */
async function view(site, who, extra = {}) {
  const res = await api('POST', '/api/views', {
    raw: JSON.stringify({ site: site.id, url: A, referrer: '', title: 'A', ...extra }),
    headers: { 'user-agent': personAgent(who) }, // and their own address (harness)
  });
  assert.equal(res.status, 200, res.text);
  return res.json.fp;
}

test('one view of each source is counted as that source, and they sum to the views', async () => {
  const site = await createSite({ hosts: ['localhost'] });
  const ann = await view(site, 'ann'); // direct
  await view(site, 'bob', { referrer: 'https://www.google.de/' }); // search
  await view(site, 'cyd', { referrer: 'https://l.facebook.com/l.php?u=x' }); // social
  await view(site, 'dora', { referrer: 'https://example.org/blog/post' }); // referral
  await view(site, 'emil', { referrer: 'http://localhost/other-page' }); // internal
  await view(site, 'fritz', { parent: ann }); // dark_social: a copied URL with no referrer
  await view(site, 'gustav', { parent: ann, referrer: 'https://t.co/abc' }); // shared: public, not dark
  await view(site, 'ann', { parent: ann }); // self: ann reopens her own URL

  const stats = await eventually(async () => { const s = await statsToday(site); return s.totals.views === 8 && s; }, { timeoutMs: 15000 });
  assert.ok(stats, 'the views were counted');
  assert.deepEqual(
    Object.fromEntries(stats.sources.map((s) => [s.source, s.views])),
    { dark_social: 1, shared: 1, self: 1, internal: 1, search: 1, social: 1, referral: 1, direct: 1 },
  );
  assert.equal(stats.sources.reduce((a, s) => a + s.views, 0), stats.totals.views);
  assert.equal(stats.totals.direct_dark_share, 0.5, 'dark_social ÷ (dark_social + direct)');
  assert.equal(stats.totals.dark_clicks, 1);
  const today = stats.source_timeseries[stats.source_timeseries.length - 1];
  assert.equal(today.dark_social + today.direct + today.search, 3);
});
