// Abuse limits on the real runtime's rate-limiting binding: one visitor hammering the write API is
// told to slow down with 429 + Retry-After; short-link clicks are never limited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, createSite, drained, personAgent, windowWithRoom } from '../support/harness.mjs';

/** More than 60 writes in 10 s from one visitor are refused, and nothing is written for them. */
test('a visitor over the write limit gets 429 with retry-after', async () => {
  const site = await createSite();
  const send = () => api('POST', '/api/views', {
    raw: JSON.stringify({ site: site.id, url: 'http://localhost/p', referrer: '' }),
    headers: { 'user-agent': personAgent('flood') },
  });
  await windowWithRoom(5, 10); // VISITOR_LIMIT's window is 10 s
  const results = await Promise.all(Array.from({ length: 75 }, send));
  const limited = results.filter((r) => r.status === 429);
  const accepted = results.filter((r) => r.status === 200);
  assert.ok(limited.length >= 1, `expected some 429s, got ${results.map((r) => r.status)}`);
  assert.ok(accepted.length <= 60 && accepted.length >= 50, `accepted ${accepted.length}`);
  assertError(limited[0], 429, 'rate_limited');
  assert.equal(limited[0].headers.get('retry-after'), '10');
  // Another visitor of the same site is not affected.
  const other = await api('POST', '/api/views', {
    raw: JSON.stringify({ site: site.id, url: 'http://localhost/p' }),
    headers: { 'user-agent': personAgent('calm') },
  });
  assert.equal(other.status, 200);
  await drained();
  const stats = await api('GET', `/api/stats?site=${site.id}`, { token: site.stats_token });
  assert.equal(stats.json.totals.views, accepted.length + 1, 'refused views wrote nothing');
});

/** Clicks are the product: the same visitor may open a short link as often as they like. */
test('short-link clicks are never rate limited', async () => {
  const site = await createSite();
  const link = await api('POST', '/api/links', { body: { site: site.id, url: 'https://example.com/x', channel: 'sms' } });
  const hops = await Promise.all(Array.from({ length: 120 }, () => api('GET', `/${link.json.code}`, { headers: { 'user-agent': personAgent('clicker') } })));
  assert.deepEqual([...new Set(hops.map((h) => h.status))], [302]);
});
