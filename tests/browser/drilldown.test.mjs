// Browser tests of the stats page's drill-down and comparison (issue 22, items 3 and 5): clicking a
// page filters the whole report to it (a chip shows the filter and removes it; the address keeps
// it across a reload; the CSV carries it), and every total shows its change against the previous
// period. In English and German.
//
// - "drill-down, API mocked": the page from www/ with /api/stats* answered by page routes, so the
//   page's own rules are pinned down whatever the worker does.
// - "drill-down against the worker": views and clicks by distinct people on two pages; the page's
//   cards must equal the API's filtered report, and the whole site's again once the filter is gone.
//
// Screenshots: .tmp/stats-filtered-desktop.png, .tmp/stats-filtered-phone-de.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, api, createSite, day, personAgent, navigation, eventually } from '../support/harness.mjs';
import { DESKTOP, PHONE, SHOTS, browserPerFile, serveStatsPage } from '../support/browser.mjs';

const ROOT = new URL('../../', import.meta.url);

const A = 'https://www.example.com/blog/dark-social';
const B = 'https://www.example.com/pricing';

const shared = browserPerFile();

async function signIn(page, token) {
  await page.locator('#login').waitFor();
  await page.fill('#f-token', token);
  await page.click('#login-form button[type=submit]');
}

/** The cards: metric → value as rendered (data-value) and the delta line's text and class. */
async function cards(page) {
  return page.$$eval('.card', (els) => Object.fromEntries(els.map((card) => {
    const v = card.querySelector('[data-metric]');
    const d = card.querySelector('[data-delta]');
    return [v.dataset.metric, { value: v.dataset.value === '' ? null : Number(v.dataset.value), delta: d.textContent, dir: d.className }];
  })));
}

/** The i18n dictionaries, read from the module's source (they are not exported). */
async function dictionaries() {
  const src = readFileSync(new URL('www/stats/i18n.js', ROOT), 'utf8').replace('const TEXT =', 'export const TEXT =');
  return (await import(`data:text/javascript,${encodeURIComponent(src)}`)).TEXT;
}

describe('i18n', () => {
  /** A string missing in one language would fall back to English in German (or vanish). */
  it('has every string of the stats page in English and in German', async () => {
    const { en, de } = await dictionaries();
    assert.deepEqual(Object.keys(de).filter((k) => !(k in en)), [], 'German keys without English');
    assert.deepEqual(Object.keys(en).filter((k) => !(k in de)), [], 'English keys without German');
    for (const k of ['filterPage', 'filterClear', 'filterBy', 'openPage', 'dVs', 'dNew', 'dTip']) {
      assert.ok(en[k] && de[k] && en[k] !== de[k], k);
    }
    const html = readFileSync(new URL('www/stats.html', ROOT), 'utf8');
    for (const [, key] of html.matchAll(/data-i18n(?:-label)?="([^"]+)"/g)) assert.ok(key in en && key in de, key);
  });
});

describe('drill-down, API mocked', () => {
  let server;
  let ORIGIN;

  /** A report for the query: site-wide with two pages, or, with `page=`, that page alone. */
  function report(q) {
    const page = q.get('page');
    const t = page === B
      ? { views: 10, copies: 1, shares: 1, clicks: 2, dark_clicks: 1, previews: 0, share_to_click: 2, direct_dark_share: null }
      : { views: 100, copies: 4, shares: 8, clicks: 20, dark_clicks: 12, previews: 1, share_to_click: 2.5, direct_dark_share: 0.4 };
    const r = {
      site: 'demo', from: q.get('from'), to: q.get('to'), totals: t, channels: [{ channel: 'whatsapp', shares: t.shares, clicks: t.clicks, previews: 0 }],
      timeseries: [{ date: q.get('to'), views: t.views, copies: t.copies, shares: t.shares, clicks: t.clicks, dark_clicks: t.dark_clicks }],
      pages: page ? [{ url: page, views: t.views, shares: t.shares, clicks: t.clicks, k_factor: t.clicks / t.views }]
        : [{ url: A, views: 90, shares: 7, clicks: 18, k_factor: 0.2 }, { url: B, views: 10, shares: 1, clicks: 2, k_factor: 0.2 }],
      copied_texts: [], generations: [{ depth: 1, clicks: t.clicks }], k_factor: t.clicks / t.views, cascades: [], key_sharers: [],
      sources: [], source_timeseries: [],
    };
    if (q.get('compare') === 'previous') {
      // views 80 → +25 %, copies 4 → ±0 %, shares 0 → new, clicks 25 → −20 %; B: views 20 → −50 %.
      const p = page === B ? { views: 20, copies: 1, shares: 1, clicks: 2, dark_clicks: 1, previews: 0, share_to_click: 2, direct_dark_share: null }
        : { views: 80, copies: 4, shares: 0, clicks: 25, dark_clicks: 12, previews: 0, share_to_click: null, direct_dark_share: 0.5 };
      r.previous = { from: '2026-10-01', to: '2026-10-30', totals: p };
    }
    return r;
  }

  before(async () => {
    ({ server, origin: ORIGIN } = await serveStatsPage());
  });
  after(() => server && server.close());

  async function mockedPage({ locale = 'en-US', viewport = DESKTOP } = {}) {
    const context = await shared.browser.newContext({ locale, viewport });
    const page = await context.newPage();
    page.requests = [];
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e));
    await page.route(/\/api\/stats(\.csv)?\?/, (route) => {
      const url = new URL(route.request().url());
      page.requests.push(url);
      if (url.pathname.endsWith('.csv')) {
        return route.fulfill({ status: 200, contentType: 'text/csv; charset=utf-8', body: 'date,channel,views,copies,shares,clicks,dark_clicks,previews\r\n' });
      }
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(report(url.searchParams)) });
    });
    return page;
  }
  const lastStats = (page) => page.requests.filter((u) => u.pathname === '/api/stats').at(-1).searchParams;

  /** Each total shows its change: a percentage for counts, "new" from zero, a difference for ratios. */
  it('shows every total against the previous period', async () => {
    const page = await mockedPage();
    await page.goto(`${ORIGIN}/stats?site=demo`);
    await signIn(page, 'dst_mock');
    await page.locator('#pages button.page-filter').first().waitFor();
    assert.equal(lastStats(page).get('compare'), 'previous', 'the comparison is always asked for');
    const c = await cards(page);
    assert.deepEqual([c.views.delta, c.views.dir], ['+25 % vs. previous period', 'delta is-up']);
    assert.deepEqual([c.copies.delta, c.copies.dir], ['±0 % vs. previous period', 'delta']);
    assert.equal(c.shares.delta, 'new vs. previous period');
    assert.deepEqual([c.clicks.delta, c.clicks.dir], ['−20 % vs. previous period', 'delta is-down']);
    assert.equal(c.share_to_click.delta, '', 'no ratio before: no change');
    assert.equal(c.k_factor.delta, '−0.11 vs. previous period', '0.2 against 25/80');
    assert.match(await page.getAttribute('[data-delta="views"]', 'title'), /^Previous period \(Oct 1, 2026 – Oct 30, 2026\): 80$/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  /** Click a page: the whole report follows it; the chip removes it; the address keeps it. */
  it('filters the whole report to a clicked page, keeps it over a reload, and removes it', async () => {
    const page = await mockedPage();
    await page.goto(`${ORIGIN}/stats?site=demo`);
    await signIn(page, 'dst_mock');
    await page.locator('#pages button.page-filter').first().waitFor();
    assert.equal(await page.isVisible('#filter'), false, 'no filter, no chip');
    assert.equal(lastStats(page).get('page'), null);
    assert.equal(await page.getAttribute('#pages td.url a.open', 'href'), A, 'the page still opens from its own small link');

    await page.click(`#pages button.page-filter[data-page="${B}"]`);
    await page.waitForFunction(() => document.querySelector('[data-metric="views"]').dataset.value === '10');
    assert.equal(lastStats(page).get('page'), B, 'the report is asked for that page');
    assert.equal(await page.isVisible('#filter'), true);
    assert.equal(await page.textContent('#filter-page'), B);
    assert.equal(new URL(page.url()).searchParams.get('page'), B, 'the address keeps the filter');
    assert.equal(new URL(page.url()).searchParams.get('site'), 'demo');
    const c = await cards(page);
    assert.deepEqual([c.views.value, c.clicks.value, c.views.delta], [10, 2, '−50 % vs. previous period']);
    assert.deepEqual(await page.$$eval('#pages button.page-filter', (els) => els.map((e) => e.dataset.page)), [B]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    assert.ok(download);
    const csv = page.requests.filter((u) => u.pathname === '/api/stats.csv').at(-1).searchParams;
    assert.equal(csv.get('page'), B, 'the CSV carries the filter');

    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-metric="views"]').dataset.value === '10');
    assert.equal(lastStats(page).get('page'), B, 'a reload keeps the filter');
    assert.equal(await page.textContent('#filter-page'), B);

    await page.click('#filter-clear');
    await page.waitForFunction(() => document.querySelector('[data-metric="views"]').dataset.value === '100');
    assert.equal(lastStats(page).get('page'), null);
    assert.equal(await page.isVisible('#filter'), false);
    assert.equal(new URL(page.url()).searchParams.get('page'), null);

    await page.goBack();
    await page.waitForFunction(() => document.querySelector('[data-metric="views"]').dataset.value === '10');
    assert.equal(lastStats(page).get('page'), B, 'back brings the filter back');
    assert.deepEqual(page.errors, []);
    await page.screenshot({ path: new URL('stats-filtered-desktop.png', SHOTS).pathname, fullPage: true });
    await page.context().close();
  });

  /** A page URL that is markup is shown as text in the chip and the table. */
  it('shows a filtered page as text, never markup', async () => {
    const evil = 'https://www.example.com/<img src=x onerror="window.__xss=1">';
    const page = await mockedPage();
    await page.goto(`${ORIGIN}/stats?site=demo&page=${encodeURIComponent(evil)}`);
    await signIn(page, 'dst_mock');
    await page.locator('#filter:not([hidden])').waitFor();
    assert.equal(await page.textContent('#filter-page'), evil);
    assert.equal(lastStats(page).get('page'), evil);
    assert.equal(await page.locator('#filter img, #pages img').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await page.context().close();
  });

  /** A de-DE browser gets the chip, the changes and their tooltips in German. */
  it('speaks German with a de-DE locale', async () => {
    const page = await mockedPage({ locale: 'de-DE', viewport: PHONE });
    await page.goto(`${ORIGIN}/stats?site=demo&page=${encodeURIComponent(B)}`);
    await signIn(page, 'dst_mock');
    await page.waitForFunction(() => document.querySelector('[data-metric="views"]').dataset.value === '10');
    assert.equal(await page.textContent('#filter > span'), 'Gefiltert auf Seite');
    assert.equal(await page.textContent('#filter-clear'), 'Filter entfernen');
    const c = await cards(page);
    assert.equal(c.views.delta, '−50 % ggü. Vorzeitraum');
    assert.match(await page.getAttribute('[data-delta="views"]', 'title'), /^Vorzeitraum \(1\. Okt\.? 2026 – 30\. Okt\.? 2026\): 20$/);
    assert.equal(await page.getAttribute('#pages button.page-filter', 'title'), `Bericht nur für diese Seite zeigen: ${B}`);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: innerWidth }));
    assert.ok(widths.doc <= widths.view, `page is ${widths.doc}px wide in a ${widths.view}px viewport`);
    await page.screenshot({ path: new URL('stats-filtered-phone-de.png', SHOTS).pathname, fullPage: true });
    await page.click('[data-lang="en"]');
    assert.equal(await page.textContent('#filter-clear'), 'Remove filter');
    assert.equal((await cards(page)).views.delta, '−50 % vs. previous period');
    await page.context().close();
  });
});

describe('drill-down against the worker', () => {
  const PA = 'http://localhost/story';
  const PB = 'http://localhost/other';
  let site;

  async function view(who, url, extra = {}) {
    const res = await api('POST', '/api/views', {
      raw: JSON.stringify({ site: site.id, url, referrer: '', title: 'T', ...extra }),
      headers: { 'user-agent': personAgent(who) },
    });
    assert.equal(res.status, 200, res.text);
    return res.json.fp;
  }

  /** Story: 3 views, one a dark click through ann's copied link, plus a WhatsApp link clicked once; other: 2 views. */
  before(async () => {
    site = await createSite({ hosts: ['localhost'] });
    const ann = await view('dd-ann', PA);
    await view('dd-ben', PA, { parent: ann });
    await view('dd-cat', PB);
    await view('dd-dan', PB);
    const link = await api('POST', '/api/links', { body: { site: site.id, url: PA, channel: 'whatsapp' } });
    assert.equal(link.status, 201, link.text);
    const click = await api('GET', `/${link.json.code}`, { headers: { 'user-agent': personAgent('dd-eve'), ...navigation } });
    assert.equal(click.status, 302);
    await view('dd-eve', PA, { parent: new URL(click.headers.get('location')).hash.slice(4), referrer: '' });
    const ready = await eventually(async () => {
      const res = await api('GET', `/api/stats?site=${site.id}`, { token: site.stats_token });
      return res.status === 200 && res.json.totals.views === 5 && res.json.totals.clicks === 2;
    }, { timeoutMs: 20000, everyMs: 200 });
    assert.ok(ready, 'the traffic was counted');
  });

  it('shows the filtered figures the API answers, then the whole site again', async () => {
    const q = `site=${site.id}&from=${day(-29)}&to=${day()}`;
    const whole = (await api('GET', `/api/stats?${q}`, { token: site.stats_token })).json;
    const story = (await api('GET', `/api/stats?${q}&page=${encodeURIComponent(PA)}`, { token: site.stats_token })).json;
    assert.deepEqual([story.totals.views, story.totals.clicks], [3, 2]);

    const context = await shared.browser.newContext({ locale: 'en-US', viewport: DESKTOP });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(`${BASE}/stats?site=${site.id}`);
    await signIn(page, site.stats_token);
    await page.locator(`#pages button.page-filter[data-page="${PA}"]`).waitFor();
    await page.click(`#pages button.page-filter[data-page="${PA}"]`);
    await page.waitForFunction((v) => document.querySelector('[data-metric="views"]').dataset.value === String(v), story.totals.views);
    const c = await cards(page);
    for (const m of ['views', 'copies', 'shares', 'clicks', 'dark_clicks', 'share_to_click']) assert.equal(c[m].value, story.totals[m], m);
    assert.equal(c.k_factor.value, story.k_factor);
    assert.equal(await page.textContent('#filter-page'), PA);
    assert.deepEqual(await page.$$eval('#channels tbody tr', (rows) => rows.map((tr) => tr.dataset.channel)), story.channels.map((ch) => ch.channel));

    await page.click('#filter-clear');
    await page.waitForFunction((v) => document.querySelector('[data-metric="views"]').dataset.value === String(v), whole.totals.views);
    assert.equal(await page.isVisible('#filter'), false);
    assert.equal((await cards(page)).clicks.value, whole.totals.clicks);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
