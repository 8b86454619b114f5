// Browser tests of the stats page's Goals panel and page-goal settings (www/stats/goals.js) in
// Debian's chromium. The page is served from www/ by a tiny node:http server; /api/stats and
// /api/sites/{id} are answered by page routes, so what is shown can be checked figure by figure and
// what the settings send can be read back. No worker needed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { browserPerFile, signInToMock } from '../support/browser.mjs';

const today = new Date().toISOString().slice(0, 10);

const GOALS = [
  {
    name: 'signup', conversions: 13, events: 15, value: { USD: 2.5 },
    sources: [{ source: 'dark_social', conversions: 6, value: {} }, { source: 'direct', conversions: 5, value: { USD: 2.5 } }, { source: 'search', conversions: 2, value: {} }],
    channels: [{ channel: 'whatsapp', conversions: 6, value: {} }],
    rates: [{ source: 'dark_social', visitors: 10, conversions: 6, rate: 0.6 }, { source: 'direct', visitors: 6, conversions: 5, rate: 0.8333 }, { source: 'search', visitors: 0, conversions: 0, rate: null }],
  },
];

function report(goals) {
  return {
    site: 'demo', from: today, to: today,
    totals: { views: 40, copies: 0, shares: 1, clicks: 10, dark_clicks: 10, previews: 0, share_to_click: 10 },
    channels: [{ channel: 'whatsapp', shares: 1, clicks: 10, previews: 0 }],
    timeseries: [{ date: today, views: 40, copies: 0, shares: 1, clicks: 10, dark_clicks: 10 }],
    pages: [], copied_texts: [], generations: [], k_factor: 0.25,
    cascades: [{ id: 'Root1', url: 'https://example.com/post', size: 11, depth: 1, structural_virality: 1.8, clicks: 10, first_day: today, last_day: today, conversions: 11 }],
    key_sharers: [{ id: 'Root1', url: 'https://example.com/post', depth: 0, clicks: 10, reach: 10, conversions: 11 }],
    sources: [], source_timeseries: [], goals,
  };
}

const shared = browserPerFile({ statsPage: true });

/** A signed-in page; PATCH bodies sent to /api/sites/demo are recorded in `page.patches`. */
async function open(goals, pageGoals = []) {
  const page = await (await shared.browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' })).newPage();
  page.errors = [];
  page.patches = [];
  page.on('pageerror', (e) => page.errors.push(e));
  await page.route(/\/api\/stats\?/, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(report(goals)) }));
  await page.route(/\/api\/cascades\//, (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"unknown_cascade","message":"x"}}' }));
  await page.route(/\/api\/sites\/demo$/, (route) => {
    const req = route.request();
    const site = { id: 'demo', name: 'Demo', hosts: ['example.com'], webhook: null, alert_clicks_per_hour: 50, goals: pageGoals };
    if (req.method() === 'PATCH') {
      const body = JSON.parse(req.postData());
      page.patches.push(body);
      if (body.goals) {
        if (body.goals.some((g) => !g.path.startsWith('/'))) return route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":{"code":"bad_field","message":"goals: a path starts with /"}}' });
        pageGoals = body.goals;
      }
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...site, goals: pageGoals }) });
    }
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(site) });
  });
  await signInToMock(page, shared.origin);
  return page;
}

describe('the Goals panel', () => {
  /** Per goal: conversions, events, value; by source and by channel; dark social against direct and search. */
  it('shows each goal by source and channel with the rates of dark social, direct and search', async () => {
    const page = await open(GOALS);
    await page.locator('#goals article[data-goal="signup"]').waitFor();
    const figures = await page.$$eval('#goals [data-goal="signup"] [data-figure]', (els) => els.map((e) => [e.dataset.figure, e.textContent]));
    assert.deepEqual(figures, [['conversions', '13'], ['events', '15'], ['value', '2.50 USD']]);
    const sources = await page.$$eval('#goals [data-table="sources"] tbody tr', (trs) => trs.map((tr) => [tr.dataset.source, ...[...tr.children].slice(1).map((c) => c.textContent)]));
    assert.deepEqual(sources, [['dark_social', '6', '–'], ['direct', '5', '2.50 USD'], ['search', '2', '–']]);
    const channels = await page.$$eval('#goals [data-table="channels"] tbody tr', (trs) => trs.map((tr) => tr.dataset.channel));
    assert.deepEqual(channels, ['whatsapp']);
    const rates = await page.$$eval('#goals .goal-rates li', (lis) => lis.map((li) => [li.dataset.source, li.querySelector('strong').textContent]));
    assert.deepEqual(rates, [['dark_social', '60 %'], ['direct', '83.3 %'], ['search', '–']]);
    assert.equal(await page.getAttribute('#cascade-list tr[data-cascade="Root1"] [data-conversions]', 'data-conversions'), '11', 'conversions beside the cascade');
    assert.equal(await page.getAttribute('#key-sharers tr[data-node="Root1"] [data-conversions]', 'data-conversions'), '11', 'and beside reach');
    assert.deepEqual(page.errors, []);
  });

  it('says how to start when no goal has an event', async () => {
    const page = await open([]);
    await page.locator('#goals-none').waitFor();
    assert.match(await page.textContent('#goals-none'), /No goal events/);
  });

  /** The settings send the page goals typed, show the API's refusal, and offer the lines to copy. */
  it('saves page goals with PATCH and shows the snippet lines for custom goals', async () => {
    const page = await open(GOALS, [{ name: 'thanks', path: '/thanks' }]);
    await page.locator('#goal-settings .pg-row').waitFor();
    assert.equal(await page.inputValue('#goal-settings .pg-row .pg-path'), '/thanks');
    await page.click('#pg-add');
    await page.fill('#goal-settings .pg-row:nth-child(2) .pg-name', 'docs');
    await page.fill('#goal-settings .pg-row:nth-child(2) .pg-path', 'docs/*');
    await page.click('#pg-save');
    await page.locator('#pg-message.alert').waitFor();
    assert.match(await page.textContent('#pg-message'), /path starts with/);
    assert.equal(await page.inputValue('#goal-settings .pg-row:nth-child(2) .pg-path'), 'docs/*', 'what was typed stays');
    await page.fill('#goal-settings .pg-row:nth-child(2) .pg-path', '/docs/*');
    await page.click('#pg-save');
    await page.locator('#pg-message.al-ok').waitFor();
    assert.deepEqual(page.patches.at(-1), { goals: [{ name: 'thanks', path: '/thanks' }, { name: 'docs', path: '/docs/*' }] });
    const snippet = await page.textContent('#goal-snippet');
    assert.match(snippet, /data-ds-goal="signup"/);
    assert.match(snippet, /darkshare\.goal\("purchase", \{ value: 59\.9, currency: "EUR" \}\)/);
    assert.match(snippet, /curl -X POST .*\/api\/goals/);
    assert.deepEqual(page.errors, []);
  });
});
