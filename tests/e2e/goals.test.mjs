// Goals and conversions over HTTP on the real runtime (issue 21): POST /api/goals from the snippet
// (url) and from a site's server (stats bearer + the view's fp), page goals set on PATCH
// /api/sites/{id}, read back from GET /api/stats (`goals`, `cascades[].conversions`,
// `key_sharers[].conversions`) and the CSV. Every person is distinct (own user agent, own
// CF-Connecting-IP) except where one address with many user agents is the point. Every expected
// figure is known from what the test did; counting goes through the queue, so reads wait for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, api, assertError, createSite, day, drained, eventually, statsToday } from '../support/harness.mjs';

let people = 0;
/** A new simulated person: their own user agent and their own address. */
function person(name, ip) {
  people += 1;
  return {
    'user-agent': `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 goal-${name}-${people}`,
    'cf-connecting-ip': ip || `10.21.${Math.floor(people / 250)}.${(people % 250) + 1}`,
  };
}

const plain = { 'content-type': 'text/plain;charset=UTF-8' };

/** A page view by `who`; returns the view's fingerprint. */
async function view(site, who, url, { parent, referrer = '', hint } = {}) {
  const res = await api('POST', '/api/views', {
    raw: JSON.stringify({ site: site.id, url, referrer, ...(parent ? { parent } : {}), ...(hint ? { hint } : {}) }),
    headers: { ...plain, ...who },
  });
  assert.equal(res.status, 200, res.text);
  return res.json.fp;
}

/** A goal from the snippet. */
function goal(site, who, name, extra = {}) {
  return api('POST', '/api/goals', { raw: JSON.stringify({ site: site.id, name, url: 'https://example.com/cart', ...extra }), headers: { ...plain, ...who } });
}

/** A goal from the site's server, naming the converting visitor's view by its fingerprint. */
function serverGoal(site, fp, name, extra = {}, token = site.stats_token) {
  return api('POST', '/api/goals', { body: { site: site.id, name, fp, ...extra }, token, headers: { 'cf-connecting-ip': '192.0.2.10' } });
}

test('every refusal is a 4xx with the contract error, and none of them counts anything', async () => {
  const site = await createSite();
  const who = person('refused');
  const fp = await view(site, who, 'https://example.com/');
  const refusals = [
    [goal(site, who, 'sign/up'), 400, 'bad_field'],
    [goal(site, who, ''), 400, 'bad_field'],
    [goal(site, who, 'x'.repeat(65)), 400, 'bad_field'],
    [goal(site, who, 'buy', { value: 10 }), 400, 'bad_field'],
    [goal(site, who, 'buy', { currency: 'EUR' }), 400, 'bad_field'],
    [goal(site, who, 'buy', { value: 9.999, currency: 'EUR' }), 400, 'bad_field'],
    [goal(site, who, 'buy', { value: -1, currency: 'EUR' }), 400, 'bad_field'],
    [goal(site, who, 'buy', { value: 1e10, currency: 'EUR' }), 400, 'bad_field'],
    [goal(site, who, 'buy', { value: '10', currency: 'EUR' }), 400, 'bad_field'],
    [goal(site, who, 'buy', { value: 10, currency: 'eur' }), 400, 'bad_field'],
    [goal(site, who, 'buy', { url: 'https://evil.example.net/cart' }), 403, 'host_not_allowed'],
    [serverGoal(site, `${fp.slice(0, -2)}zz`, 'buy'), 400, 'bad_fingerprint'],
    [serverGoal(site, fp, 'buy', {}, null), 401, 'missing_token'],
    [serverGoal(site, fp, 'buy', {}, 'not-the-token'), 401, null],
    [api('POST', '/api/goals', { raw: JSON.stringify({ site: site.id, name: 'buy' }), headers: { ...plain, ...who } }), 400, 'bad_field'],
  ];
  for (const [pending, status, code] of refusals) assertError(await pending, status, code);
  const stats = await statsToday(site);
  assert.deepEqual(stats.goals, [], 'nothing refused was counted');
  assert.equal(stats.totals.views, 1);
});

test('a population converts: conversions per visitor and day, events, values, credit by source, channel, cascade', async () => {
  const site = await createSite();
  // A page goal, set before the site's first view (the hot worker then caches the site with it).
  const patched = await api('PATCH', `/api/sites/${site.id}`, { token: site.stats_token, body: { goals: [{ name: 'thanks', path: '/thanks' }] } });
  assert.equal(patched.status, 200, patched.text);
  assert.deepEqual(patched.json.goals, [{ name: 'thanks', path: '/thanks' }]);
  assertError(await api('PATCH', `/api/sites/${site.id}`, { token: site.stats_token, body: { goals: [{ name: 'x', path: 'nope' }] } }), 400, 'bad_field');

  // Ann starts a cascade; ten people arrive through her share in WhatsApp (dark social).
  const ann = person('ann');
  const annFp = await view(site, ann, 'https://example.com/post');
  const arrivals = [];
  for (let i = 0; i < 10; i++) {
    const who = person(`arrival-${i}`);
    const fp = await view(site, who, 'https://example.com/post', { parent: annFp, hint: 'whatsapp' });
    arrivals.push({ who, fp });
  }
  // Two of them read on (internal views do not take the credit), then six sign up (two twice).
  for (const { who } of arrivals.slice(0, 2)) await view(site, who, 'https://example.com/pricing', { referrer: 'https://example.com/post' });
  for (const [i, { who }] of arrivals.slice(0, 6).entries()) {
    assert.equal((await goal(site, who, 'signup')).status, 202);
    if (i < 2) assert.equal((await goal(site, who, 'signup')).status, 202);
  }
  // Three buy, reported by the site's server with each buyer's view fingerprint.
  for (const { fp } of arrivals.slice(6, 9)) {
    const res = await serverGoal(site, fp, 'buy', { value: 19.99, currency: 'EUR' });
    assert.equal(res.status, 202, res.text);
  }
  // Five direct visitors sign up; four come from a search engine and two of those sign up.
  for (let i = 0; i < 5; i++) {
    const who = person(`direct-${i}`);
    await view(site, who, 'https://example.com/');
    assert.equal((await goal(site, who, 'signup', { value: 0.5, currency: 'USD' })).status, 202);
  }
  for (let i = 0; i < 4; i++) {
    const who = person(`search-${i}`);
    await view(site, who, 'https://example.com/', { referrer: 'https://www.google.com/' });
    if (i < 2) assert.equal((await goal(site, who, 'signup')).status, 202);
  }
  // Two arrivals reach the thank-you page: a page goal credited to their share.
  for (const { who } of arrivals.slice(0, 2)) await view(site, who, 'https://example.com/thanks', { referrer: 'https://example.com/cart' });

  const stats = await statsToday(site);
  const goals = Object.fromEntries(stats.goals.map((g) => [g.name, g]));
  assert.deepEqual(Object.keys(goals).sort(), ['buy', 'signup', 'thanks']);
  assert.deepEqual(
    { conversions: goals.signup.conversions, events: goals.signup.events, value: goals.signup.value },
    { conversions: 13, events: 15, value: { USD: 2.5 } },
  );
  assert.deepEqual(goals.signup.sources, [
    { source: 'dark_social', conversions: 6, value: {} },
    { source: 'direct', conversions: 5, value: { USD: 2.5 } },
    { source: 'search', conversions: 2, value: {} },
  ]);
  assert.deepEqual(goals.signup.channels, [{ channel: 'whatsapp', conversions: 6, value: {} }]);
  assert.deepEqual({ c: goals.buy.conversions, e: goals.buy.events, v: goals.buy.value }, { c: 3, e: 3, v: { EUR: 59.97 } });
  assert.deepEqual(goals.buy.channels, [{ channel: 'whatsapp', conversions: 3, value: { EUR: 59.97 } }]);
  assert.deepEqual({ c: goals.thanks.conversions, s: goals.thanks.sources.map((s) => s.source) }, { c: 2, s: ['dark_social'] });
  const rates = Object.fromEntries(goals.signup.rates.map((r) => [r.source, r]));
  assert.deepEqual(rates.dark_social, { source: 'dark_social', visitors: 10, conversions: 6, rate: 0.6 });
  assert.deepEqual(rates.direct, { source: 'direct', visitors: 6, conversions: 5, rate: 0.8333 }, 'Ann is a direct visitor too');
  assert.deepEqual(rates.search, { source: 'search', visitors: 4, conversions: 2, rate: 0.5 });
  // Ann's cascade: 6 + 3 + 2 conversions credited to its clicks, all in Ann's subtree.
  assert.equal(stats.cascades.length, 1);
  assert.equal(stats.cascades[0].conversions, 11);
  assert.equal(stats.key_sharers[0].conversions, 11);

  const csv = await api('GET', `/api/stats.csv?site=${site.id}&from=${day()}&to=${day()}`, { token: site.stats_token });
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines[0], 'date,channel,views,copies,shares,clicks,dark_clicks,previews,conversions,goal_events');
  assert.match(lines.find((l) => l.includes(',whatsapp,')), /,11,13$/, 'whatsapp: 11 conversions, 6 + 2 + 3 + 2 events');
  assert.match(lines.find((l) => l.includes(',none,')), /,7,7$/);
});

test('one address with many user agents adds at most the cap of conversions to a goal', async () => {
  const site = await createSite();
  const ip = '10.99.21.7';
  for (let i = 0; i < 15; i++) {
    const who = person(`office-${i}`, ip);
    await view(site, who, 'https://example.com/');
    assert.equal((await goal(site, who, 'signup')).status, 202);
  }
  const stats = await statsToday(site);
  assert.deepEqual({ c: stats.goals[0].conversions, e: stats.goals[0].events }, { c: 10, e: 15 }, 'CONVERSIONS_PER_ADDRESS is 10');
});

test('the snippet may send a goal cross-origin as text/plain; the site is told it was accepted', async () => {
  const site = await createSite();
  const who = person('cors');
  await view(site, who, 'https://example.com/');
  const res = await api('POST', '/api/goals', { raw: JSON.stringify({ site: site.id, name: 'signup', url: 'https://example.com/a' }), headers: { ...plain, ...who, origin: 'https://example.com' } });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.headers.get('access-control-allow-origin'), 'https://example.com');
  assert.deepEqual(res.json, { accepted: true });
  await drained();
});

/** A goal batch written, then delivered again (its acknowledgement lost, through the test-only
 *  faults switch): every redelivery finds its keys and counts nothing. */
test('goal events delivered again after their write count once', async () => {
  const site = await createSite();
  const who = person('redelivered');
  const fp = await view(site, who, 'https://example.com/');
  await drained();
  const fault = async (consumer) => assert.equal((await api('PUT', '/api/_faults', { token: ADMIN, body: { consumer } })).status, 200);
  const failed = async () => (await api('GET', '/api/_faults', { token: ADMIN })).json.failed_batches;
  const figures = async () => {
    const res = await api('GET', `/api/stats?site=${site.id}`, { token: site.stats_token });
    return Object.fromEntries((res.json.goals || []).map((g) => [g.name, [g.conversions, g.events, g.value]]));
  };
  const expected = { signup: [1, 1, { EUR: 5 }], buy: [1, 1, { EUR: 10 }] };
  await fault('fail_after_write');
  try {
    assert.equal((await goal(site, who, 'signup', { value: 5, currency: 'EUR' })).status, 202);
    assert.equal((await serverGoal(site, fp, 'buy', { value: 10, currency: 'EUR' })).status, 202);
    const same = (got) => Object.keys(expected).every((k) => JSON.stringify(got[k]) === JSON.stringify(expected[k])) && Object.keys(got).length === 2;
    const written = await eventually(async () => same(await figures()), { timeoutMs: 30000, everyMs: 100 });
    assert.ok(written, 'the first delivery was written');
    const after = await failed();
    assert.ok(await eventually(async () => (await failed()) >= after + 2, { timeoutMs: 60000, everyMs: 250 }), 'the batches were delivered again');
    assert.deepEqual(await figures(), expected, 'their redeliveries counted nothing');
  } finally {
    await fault('none');
  }
  await drained();
  assert.deepEqual(await figures(), expected);
});
