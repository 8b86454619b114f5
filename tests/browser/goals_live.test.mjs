// Goals from a real page through the real worker (BASE, started by scripts/test), in Debian's
// chromium: the snippet on a page (tests/fixtures/goals-page.html) with a `data-ds-goal` button, a
// `<form data-ds-goal>` and a `darkshare.goal(name, {value, currency})` call, plus a page goal set
// with PATCH /api/sites/{id}. Each visitor is a browser context of their own (own user agent, own
// CF-Connecting-IP); GET /api/stats must show exactly what they did, credited to where they came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { api, createSite, eventually, statsToday } from '../support/harness.mjs';
import { browserPerFile, openPage, personContext } from '../support/browser.mjs';

const FIXTURE = readFileSync(new URL('../fixtures/goals-page.html', import.meta.url), 'utf8');

const shared = browserPerFile({ fixture: FIXTURE });

/** One visitor: a context of their own, whose answers to /api/goals are collected. */
async function visitor(name) {
  const context = await personContext(shared.browser, name, shared.origin);
  context.goals = [];
  context.on('requestfinished', async (req) => {
    if (req.method() === 'POST' && req.url().endsWith('/api/goals')) context.goals.push((await req.response()).status());
  });
  return context;
}

/** Opens `url` and waits until its view is counted and tagged; the page and its fingerprint. */
async function visit(context, url, options) {
  const page = await openPage(context, url, options);
  await page.waitForFunction(() => window.darkshare && window.darkshare.ready);
  const fp = await page.evaluate(() => window.darkshare.ready);
  assert.match(fp || '', /^[0-9A-Za-z]{10,24}$/, `${url}: the view was counted`);
  return { page, fp };
}

/** A goal report reduced to what the visitors decide: figures, credit by source and by channel. */
function summary(stats) {
  const by = (list, key) => list.map((x) => [x[key], x.conversions, x.value]).sort((a, b) => a[0].localeCompare(b[0]));
  return Object.fromEntries(stats.goals.map((g) => [g.name, {
    conversions: g.conversions, events: g.events, value: g.value, sources: by(g.sources, 'source'), channels: by(g.channels, 'channel'),
  }]));
}

test('a button, a form, a call and a page goal: conversions, events and value as the visitors did them, credited to their source', async () => {
  const site = await createSite({ hosts: ['localhost'] });
  const shop = `${shared.origin}/live/${site.id}/shop`;
  const thanksPath = `/live/${site.id}/thanks`;
  // The page goal, set before the site's first view (the hot worker caches the site with it).
  const patched = await api('PATCH', `/api/sites/${site.id}`, { token: site.stats_token, body: { goals: [{ name: 'thanks', path: thanksPath }] } });
  assert.equal(patched.status, 200, patched.text);

  // Alice comes straight to the shop and signs up.
  const alice = await visitor('goals-live-alice');
  const { page: alicePage, fp: aliceFp } = await visit(alice, shop);
  await alicePage.click('#signup');
  // Bob opens the address Alice sent him in a messenger: her fingerprint, no referrer (dark
  // social). He asks for a quote (the form), buys (the call) and reaches the thank-you page.
  const bob = await visitor('goals-live-bob');
  const { page: bobPage } = await visit(bob, `${shop}#ds=${aliceFp}`);
  await bobPage.click('#send');
  await bobPage.evaluate(() => window.darkshare.goal('purchase', { value: 19.9, currency: 'EUR' }));
  await eventually(() => bob.goals.length === 2, { timeoutMs: 10000 });
  await bobPage.click('#thanks');
  await bobPage.waitForURL(`${shared.origin}${thanksPath}**`);
  await bobPage.waitForFunction(() => window.darkshare && window.darkshare.ready);
  assert.ok(await bobPage.evaluate(() => window.darkshare.ready), 'the thank-you view was counted');
  // Carol comes from a search engine, signs up twice (one conversion, two events) and buys.
  const carol = await visitor('goals-live-carol');
  const { page: carolPage } = await visit(carol, shop, { referer: 'https://www.google.com/' });
  await carolPage.click('#signup');
  await carolPage.click('#signup');
  await carolPage.evaluate(() => window.darkshare.goal('purchase', { value: 19.9, currency: 'EUR' }));
  // Dave opens the thank-you page directly.
  const dave = await visitor('goals-live-dave');
  await visit(dave, `${shared.origin}${thanksPath}`);

  // Every goal the pages sent was accepted before the report is read.
  const sent = { alice: 1, bob: 2, carol: 3, dave: 0 };
  const contexts = { alice, bob, carol, dave };
  for (const [name, n] of Object.entries(sent)) {
    const statuses = await eventually(() => contexts[name].goals.length >= n && contexts[name].goals, { timeoutMs: 10000 });
    assert.deepEqual(statuses, Array(n).fill(202), `${name}'s goals were accepted`);
  }

  const expected = {
    signup: { conversions: 2, events: 3, value: {}, sources: [['direct', 1, {}], ['search', 1, {}]], channels: [] },
    lead: { conversions: 1, events: 1, value: {}, sources: [['dark_social', 1, {}]], channels: [['dark', 1, {}]] },
    purchase: {
      conversions: 2, events: 2, value: { EUR: 39.8 },
      sources: [['dark_social', 1, { EUR: 19.9 }], ['search', 1, { EUR: 19.9 }]], channels: [['dark', 1, { EUR: 19.9 }]],
    },
    // Bob's thank-you view came from the shop (internal): the credit stays with his arrival.
    thanks: { conversions: 2, events: 2, value: {}, sources: [['dark_social', 1, {}], ['direct', 1, {}]], channels: [['dark', 1, {}]] },
  };
  let stats;
  const counted = await eventually(async () => {
    stats = await statsToday(site);
    return isDeepStrictEqual(summary(stats), expected);
  }, { timeoutMs: 30000, everyMs: 250 });
  assert.deepEqual(summary(stats), expected, counted ? '' : 'not counted so by the deadline');
  assert.equal(stats.totals.views, 5, 'five page views: Alice, Bob ×2, Carol, Dave');
  for (const page of [alicePage, bobPage, carolPage]) assert.deepEqual(page.errors, []);
  for (const context of Object.values(contexts)) await context.close();
});
