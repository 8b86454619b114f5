// Browser tests of the stats page (www/stats.html, stats.js, stats.css) in Debian's chromium.
//
// - "stats page, API mocked": the page is served from www/ by a tiny node:http server and
//   /api/stats* is answered by page routes with a rich fixture (every channel, long URLs, a copied
//   text that is markup). These pin down the page's own rules (rendering, escaping, storage,
//   languages, periods, error states, CSV) whatever the worker does; they need no worker.
// - "stats page against the worker": a known mix of links, clicks, a preview, views and copies
//   generated through the public API of the worker at BASE (started by scripts/test); the page at
//   `${BASE}/stats` must show exactly the figures `/api/stats` answers. Fails when the worker is down.
//
// Screenshots for a human to judge: .tmp/stats-desktop.png and .tmp/stats-phone.png (the real
// worker), .tmp/stats-mock-desktop.png and .tmp/stats-mock-phone.png (the rich fixture).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, api, createSite, day, personAgent, eventually } from '../support/harness.mjs';
import { DESKTOP, PHONE, SHOTS, browserPerFile, serveStatsPage } from '../support/browser.mjs';

const XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">';
const LONG_URL = 'https://www.example.com/blog/2025/11/why-most-of-your-sharing-happens-where-analytics-cannot-see-it-and-what-to-do?lang=en';

const shared = browserPerFile();

/** Fills the sign-in form (the site may already be there) and waits for the report or an error. */
async function signIn(page, site, token) {
  await page.locator('#login').waitFor();
  if (site !== undefined) await page.fill('#f-site', site);
  await page.fill('#f-token', token);
  await page.click('#login-form button[type=submit]');
}

/** The value elements of the headline cards: metric → {text, value}. */
async function cards(page) {
  return page.$$eval('[data-metric]', (els) => Object.fromEntries(els.map((e) => [
    e.dataset.metric, { text: e.textContent, value: e.dataset.value === '' ? null : Number(e.dataset.value) },
  ])));
}

/** The time-series chart's points as {series: {date: value}}. */
async function points(page) {
  return page.$$eval('svg[data-chart="timeseries"] circle[data-date]', (els) => {
    const out = {};
    for (const e of els) (out[e.dataset.series] ||= {})[e.dataset.date] = Number(e.dataset.value);
    return out;
  });
}

function fmt(locale, n, max = 0) {
  return n === null ? '–' : new Intl.NumberFormat(locale, { maximumFractionDigits: max }).format(n);
}

// ------------------------------------------------------------------------------------------------

describe('stats page, API mocked', () => {
  let server;
  let ORIGIN;

  /** A report for the given period with a known, rich content. */
  function richReport(from, to) {
    const days = [];
    for (let t = Date.parse(from); t <= Date.parse(to); t += 86400000) days.push(new Date(t).toISOString().slice(0, 10));
    const timeseries = days.map((date, i) => ({
      date, views: 300 + ((i * 37) % 120), copies: 20 + (i % 7), shares: 12 + ((i * 5) % 9),
      clicks: 30 + ((i * 13) % 25), dark_clicks: 18 + ((i * 7) % 15),
    }));
    const sum = (k) => timeseries.reduce((a, d) => a + d[k], 0);
    const channels = ['dark', 'whatsapp', 'email', 'slack', 'telegram', 'linkedin', 'x', 'signal', 'teams',
      'messenger', 'sms', 'copy', 'native', 'web', 'facebook', 'reddit', 'discord', 'line', 'wechat', 'other']
      .map((channel, i) => ({ channel, shares: Math.max(1, 90 - i * 5), clicks: Math.max(0, 400 - i * 22), previews: i % 3 ? 0 : 40 - i }));
    return {
      site: 'demo', from, to,
      totals: { views: sum('views'), copies: sum('copies'), shares: sum('shares'), clicks: sum('clicks'),
        dark_clicks: sum('dark_clicks'), previews: 123, share_to_click: 2.479, k_factor: 0.134 },
      channels,
      timeseries,
      pages: [
        { url: LONG_URL, views: 5120, shares: 230, clicks: 610 },
        { url: 'https://www.example.com/pricing', views: 2200, shares: 41, clicks: 95 },
        { url: 'javascript:alert(1)', views: 3, shares: 0, clicks: 0 },
        { url: 'https://www.example.com/<b>bold</b>', views: 2, shares: 0, clicks: 0 },
      ],
      copied_texts: [
        { text: 'Most links are shared in private messages, where no referrer survives the trip.', copies: 88 },
        { text: XSS, copies: 5 },
        { text: 'Dark social matters.', copies: 2 },
      ],
      generations: [{ depth: 1, clicks: 612 }, { depth: 2, clicks: 140 }, { depth: 3, clicks: 31 }, { depth: 4, clicks: 4 }],
      k_factor: 0.134,
    };
  }
  const emptyReport = (from, to) => {
    const r = richReport(from, to);
    r.timeseries = r.timeseries.map((d) => ({ date: d.date, views: 0, copies: 0, shares: 0, clicks: 0, dark_clicks: 0 }));
    return { ...r, totals: { views: 0, copies: 0, shares: 0, clicks: 0, dark_clicks: 0, previews: 0, share_to_click: null },
      channels: [], pages: [], copied_texts: [], generations: [], k_factor: null };
  };

  before(async () => {
    ({ server, origin: ORIGIN } = await serveStatsPage());
  });
  after(() => server && server.close());

  /**
   * A page whose /api/stats and /api/stats.csv are answered by `answer(url, request)` (default: the
   * rich report for the requested period, 200). Every request is recorded in `page.requests`.
   */
  async function mockedPage({ locale = 'en-US', viewport = DESKTOP, answer } = {}) {
    const context = await shared.browser.newContext({ locale, viewport });
    const page = await context.newPage();
    page.requests = [];
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e));
    await page.route(/\/api\/stats(\.csv)?\?/, async (route) => {
      const url = new URL(route.request().url());
      page.requests.push({ url, auth: route.request().headers().authorization });
      const custom = answer && (await answer(url, route));
      if (custom === 'handled') return;
      if (custom) return route.fulfill(custom);
      const from = url.searchParams.get('from');
      const to = url.searchParams.get('to');
      if (url.pathname.endsWith('.csv')) {
        return route.fulfill({ status: 200, contentType: 'text/csv; charset=utf-8',
          body: `date,channel,views,copies,shares,clicks,dark_clicks,previews\r\n${to},whatsapp,0,0,1,2,2,1\r\n` });
      }
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(richReport(from, to)) });
    });
    return page;
  }
  const json = (status, code, message) => ({ status, contentType: 'application/json', body: JSON.stringify({ error: { code, message } }) });

  /** The rich report renders every part; what came from the API is text, never markup. */
  it('renders a rich report: cards, chart points, channels, pages, copied texts, depth', async () => {
    const page = await mockedPage();
    await page.goto(`${ORIGIN}/stats?site=demo`);
    assert.equal(await page.inputValue('#f-site'), 'demo', '?site= prefills the form');
    await signIn(page, undefined, 'dst_mock');
    await page.locator('svg[data-chart="timeseries"]').waitFor();

    const req = page.requests[0];
    assert.equal(req.auth, 'Bearer dst_mock');
    assert.equal(req.url.searchParams.get('site'), 'demo');
    assert.equal(req.url.searchParams.get('from'), day(-29), 'the default period is 30 days ending today (UTC)');
    assert.equal(req.url.searchParams.get('to'), day());
    assert.equal(req.url.search.includes('dst_mock'), false, 'the token never goes in a URL');

    const r = richReport(day(-29), day());
    const c = await cards(page);
    for (const m of ['views', 'copies', 'shares', 'clicks', 'dark_clicks']) {
      assert.equal(c[m].value, r.totals[m], m);
      assert.equal(c[m].text, fmt('en-GB', r.totals[m]), m);
    }
    assert.deepEqual(c.share_to_click, { value: 2.479, text: '2.48' });
    assert.deepEqual(c.k_factor, { value: 0.134, text: '0.13' });

    const p = await points(page);
    for (const [series, key] of [['shares', 'shares'], ['clicks', 'clicks'], ['dark_clicks', 'dark_clicks']]) {
      assert.equal(Object.keys(p[series]).length, 30, `one ${series} point per day`);
      for (const d of r.timeseries) assert.equal(p[series][d.date], d[key], `${series} on ${d.date}`);
    }
    const label = await page.getAttribute('svg[data-chart="timeseries"]', 'aria-label');
    assert.match(label, new RegExp(`30 days .*${fmt('en-GB', r.totals.clicks)} clicks`));
    assert.equal(await page.getAttribute('svg[data-chart="timeseries"]', 'role'), 'img');

    const gens = await page.$$eval('svg[data-chart="generations"] [data-depth]', (els) => els.map((e) => [Number(e.dataset.depth), Number(e.dataset.value)]));
    assert.deepEqual(gens, [[1, 612], [2, 140], [3, 31], [4, 4]]);
    assert.match(await page.getAttribute('svg[data-chart="generations"]', 'aria-label'), /Depth 1: 612/);

    const channels = await page.$$eval('#channels tbody tr', (rows) => rows.map((tr) => [tr.dataset.channel, tr.querySelector('th').textContent]));
    assert.equal(channels.length, 20);
    assert.deepEqual(channels.slice(0, 3), [['dark', 'Dark social (unknown)'], ['whatsapp', 'WhatsApp'], ['email', 'E-mail']]);
    assert.ok(channels.some(([id, name]) => id === 'web' && name === 'Public web'));

    // Each page: a button that filters the report to it (drilldown.test.mjs), and a link to open it.
    const pages = await page.$$eval('#pages tbody td.url', (tds) => tds.map((td) => [...td.children].map((e) => [e.tagName, e.getAttribute('href'), e.textContent])));
    assert.deepEqual(pages[0], [['BUTTON', null, LONG_URL.replace('https://', '')], ['A', LONG_URL, '↗']]);
    assert.deepEqual(pages[2], [['BUTTON', null, 'javascript:alert(1)']], 'only http(s) URLs become links');
    assert.equal(pages[3][0][2], 'www.example.com/<b>bold</b>');

    const copied = await page.$$eval('#copied .copied-text', (els) => els.map((e) => e.textContent));
    assert.equal(copied[1], XSS, 'a copied text that is markup is shown as text');
    assert.equal(await page.evaluate(() => window.__xss), undefined, 'no script from the API ran');
    assert.equal(await page.locator('#report script, #report img, #report b').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.screenshot({ path: new URL('stats-mock-desktop.png', SHOTS).pathname, fullPage: true });
    await page.context().close();
  });

  /** On a phone the cards wrap and wide tables scroll inside their box, not the page. */
  it('fits a phone: no horizontal scrolling of the page', async () => {
    const page = await mockedPage({ viewport: PHONE });
    await page.goto(`${ORIGIN}/stats?site=demo`);
    await signIn(page, undefined, 'dst_mock');
    await page.locator('svg[data-chart="timeseries"]').waitFor();
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: innerWidth }));
    assert.ok(widths.doc <= widths.view, `page is ${widths.doc}px wide in a ${widths.view}px viewport`);
    const svgWidth = await page.$eval('svg[data-chart="timeseries"]', (s) => s.getBoundingClientRect().width);
    assert.ok(svgWidth <= PHONE.width, 'the chart fits');
    const cardTops = await page.$$eval('.card', (els) => new Set(els.map((e) => Math.round(e.getBoundingClientRect().top))).size);
    assert.ok(cardTops >= 3, 'the cards wrap onto several rows');
    await page.screenshot({ path: new URL('stats-mock-phone.png', SHOTS).pathname, fullPage: true });
    await page.context().close();
  });

  /** Credentials live in sessionStorage only; signing out forgets them. */
  it('keeps site and token in sessionStorage only, and signs out', async () => {
    const page = await mockedPage();
    await page.goto(`${ORIGIN}/stats`);
    await signIn(page, 'demo', 'dst_mock');
    await page.locator('svg[data-chart="timeseries"]').waitFor();
    const storage = await page.evaluate(() => ({
      session: { ...sessionStorage }, local: localStorage.length, cookie: document.cookie,
    }));
    assert.equal(storage.session['darkshare.token'], 'dst_mock');
    assert.equal(storage.session['darkshare.site'], 'demo');
    assert.equal(storage.local, 0);
    assert.equal(storage.cookie, '');

    await page.reload();
    await page.locator('svg[data-chart="timeseries"]').waitFor();
    assert.equal(await page.isVisible('#login'), false, 'a reload in the same tab stays signed in');

    await page.click('#signout');
    await page.locator('#login').waitFor();
    const after = await page.evaluate(() => ({ token: sessionStorage.getItem('darkshare.token'), site: sessionStorage.getItem('darkshare.site') }));
    assert.deepEqual(after, { token: null, site: null });
    assert.equal(await page.isVisible('#app'), false);
    await page.context().close();
  });

  /** German comes from navigator.language, the toggle switches and is remembered for the tab. */
  it('speaks German to de-* browsers, with an EN/DE toggle', async () => {
    const page = await mockedPage({ locale: 'de-DE' });
    await page.goto(`${ORIGIN}/stats?site=demo`);
    assert.equal(await page.textContent('#login h1'), 'Anmelden zu Ihren Statistiken');
    await signIn(page, undefined, 'dst_mock');
    await page.locator('svg[data-chart="timeseries"]').waitFor();
    const r = richReport(day(-29), day());
    assert.equal(await page.textContent('[data-card="dark_clicks"] h3'), 'Dark-Social-Klicks');
    assert.equal(await page.textContent('[data-metric="views"]'), fmt('de-DE', r.totals.views));
    assert.equal(await page.textContent('[data-metric="share_to_click"]'), '2,48');
    assert.equal(await page.textContent('#channels tbody tr[data-channel="dark"] th'), 'Dark Social (unbekannt)');
    assert.equal(await page.getAttribute('html', 'lang'), 'de');

    await page.click('[data-lang="en"]');
    assert.equal(await page.textContent('[data-card="dark_clicks"] h3'), 'Dark-social clicks');
    assert.equal(await page.textContent('[data-metric="share_to_click"]'), '2.48');
    assert.equal(await page.getAttribute('[data-lang="en"]', 'aria-pressed'), 'true');
    await page.reload();
    await page.locator('svg[data-chart="timeseries"]').waitFor();
    assert.equal(await page.textContent('[data-card="clicks"] h3'), 'Clicks', 'the choice is remembered in the tab');
    await page.context().close();
  });

  /** "7 days" is today and the 6 days before (UTC); a custom period asks for exactly its dates. */
  it('asks for the chosen period', async () => {
    const page = await mockedPage();
    await page.goto(`${ORIGIN}/stats?site=demo`);
    await signIn(page, undefined, 'dst_mock');
    await page.locator('svg[data-chart="timeseries"]').waitFor();

    await page.click('[data-period="7"]');
    await page.waitForFunction(() => document.querySelectorAll('svg[data-chart="timeseries"] [data-series="clicks"][data-date]').length === 7);
    let last = page.requests.at(-1).url.searchParams;
    assert.deepEqual([last.get('from'), last.get('to')], [day(-6), day()]);

    await page.click('[data-period="90"]');
    await page.waitForFunction(() => document.querySelectorAll('svg[data-chart="timeseries"] [data-series="clicks"][data-date]').length === 90);
    last = page.requests.at(-1).url.searchParams;
    assert.deepEqual([last.get('from'), last.get('to')], [day(-89), day()]);

    await page.click('[data-period="custom"]');
    await page.fill('#f-from', day(-15));
    await page.fill('#f-to', day(-10));
    await page.waitForFunction(() => document.querySelectorAll('svg[data-chart="timeseries"] [data-series="clicks"][data-date]').length === 6);
    last = page.requests.at(-1).url.searchParams;
    assert.deepEqual([last.get('from'), last.get('to')], [day(-15), day(-10)]);

    const before = page.requests.length;
    await page.fill('#f-from', day(-5));
    assert.equal(await page.getAttribute('#error', 'data-error'), 'dates', 'from after to is refused in the page');
    assert.equal(page.requests.length, before);
    await page.context().close();
  });

  /** 401 and 403 go back to the form with their own message; a network error offers a retry. */
  it('shows the error states: bad token, token of another site, network down', async () => {
    let mode = '401';
    const page = await mockedPage({
      answer: (url, route) => {
        if (mode === '401') return json(401, 'bad_token', 'bad token');
        if (mode === '403') return json(403, 'wrong_site', 'wrong site');
        if (mode === 'down') return route.abort('connectionrefused').then(() => 'handled');
        return null;
      },
    });
    await page.goto(`${ORIGIN}/stats?site=demo`);
    await signIn(page, undefined, 'dst_wrong');
    await page.locator('#login-error').waitFor();
    assert.equal(await page.getAttribute('#login-error', 'data-error'), 'errToken');
    assert.match(await page.textContent('#login-error'), /token is not valid/);
    assert.equal(await page.inputValue('#f-site'), 'demo', 'the site stays filled in');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('darkshare.token')), null, 'a rejected token is forgotten');

    mode = '403';
    await signIn(page, undefined, 'dst_other');
    await page.waitForFunction(() => document.querySelector('#login-error').dataset.error === 'errWrongSite');
    assert.match(await page.textContent('#login-error'), /belongs to another site/);

    mode = 'down';
    await signIn(page, undefined, 'dst_mock');
    await page.locator('#error #retry').waitFor();
    assert.equal(await page.getAttribute('#error', 'data-error'), 'network');
    assert.match(await page.textContent('#error-text'), /not reachable/);
    mode = 'ok';
    await page.click('#retry');
    await page.locator('svg[data-chart="timeseries"]').waitFor();
    assert.equal(await page.isVisible('#error'), false);
    await page.context().close();
  });

  /** A period with no data explains how to embed the snippet, with this site's id. */
  it('explains the snippet when the period is empty', async () => {
    const page = await mockedPage({
      answer: (url) => url.pathname.endsWith('.csv') ? null
        : { status: 200, contentType: 'application/json', body: JSON.stringify(emptyReport(url.searchParams.get('from'), url.searchParams.get('to'))) },
    });
    await page.goto(`${ORIGIN}/stats?site=demo`);
    await signIn(page, undefined, 'dst_mock');
    await page.locator('#empty').waitFor();
    assert.equal(await page.textContent('#snippet-code'), `<script async src="${ORIGIN}/ds.js" data-site="demo"></script>`);
    assert.equal(await page.isVisible('#details'), false);
    assert.equal(await page.textContent('[data-metric="share_to_click"]'), '–', 'no shares: no ratio');
    assert.equal(await page.getAttribute('[data-metric="k_factor"]', 'data-value'), '');
    await page.context().close();
  });

  /** The CSV is fetched with the token (a plain link could not carry it) and saved under a useful name. */
  it('downloads the CSV with the token', async () => {
    const page = await mockedPage();
    await page.goto(`${ORIGIN}/stats?site=demo`);
    await signIn(page, undefined, 'dst_mock');
    await page.locator('svg[data-chart="timeseries"]').waitFor();
    await page.click('[data-period="7"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    assert.equal(download.suggestedFilename(), `darkshare-demo-${day(-6)}-${day()}.csv`);
    const csvReq = page.requests.find((r) => r.url.pathname === '/api/stats.csv');
    assert.equal(csvReq.auth, 'Bearer dst_mock');
    assert.match(readFileSync(await download.path(), 'utf8'), /^date,channel,views/);
    await page.context().close();
  });
});

// ------------------------------------------------------------------------------------------------

describe('stats page against the worker', () => {
  const POST = 'http://localhost/post-1';
  const POST2 = 'http://localhost/post-2';
  let site;
  let other;
  let expected; // the API's report for the page's default period (30 days)

  async function view(who, url, extra = {}) {
    const res = await api('POST', '/api/views', {
      raw: JSON.stringify({ site: site.id, url, referrer: '', title: 'Post', ...extra }),
      headers: { 'user-agent': personAgent(who) },
    });
    assert.equal(res.status, 200, res.text);
    return res.json.fp;
  }
  async function link(url, channel) {
    const res = await api('POST', '/api/links', { body: { site: site.id, url, channel } });
    assert.equal(res.status, 201, res.text);
    return res.json.code;
  }

  /**
   * The mix: 5 page views (one an arrival through ann's copied link: a dark click), 3 short links
   * (2 WhatsApp, 1 Telegram), the first WhatsApp link clicked by 2 people and previewed once by
   * WhatsApp's bot, the Telegram link clicked once, one text copied twice.
   */
  before(async () => {
    site = await createSite({ hosts: ['localhost'] });
    other = await createSite({ hosts: ['localhost'] });
    const ann = await view('ann', POST);
    await view('ben', POST);
    await view('cat', POST2);
    await view('dan', POST, { parent: ann });
    await view('eve', POST2);
    const wa1 = await link(POST, 'whatsapp');
    await link(POST2, 'whatsapp');
    const tg = await link(POST, 'telegram');
    for (const [code, who] of [[wa1, 'a'], [wa1, 'b'], [tg, 'c']]) {
      assert.equal((await api('GET', `/${code}`, { headers: { 'user-agent': personAgent(who) } })).status, 302);
    }
    assert.equal((await api('GET', `/${wa1}`, { headers: { 'user-agent': 'WhatsApp/2.23.20.0' } })).status, 200);
    for (let i = 0; i < 2; i++) {
      const text = 'Dark social is <b>most</b> of sharing';
      const res = await api('POST', '/api/events', { raw: JSON.stringify({ site: site.id, fp: ann, type: 'copy', url: POST, text, text_length: text.length }) });
      assert.equal(res.status, 202, res.text);
    }
    // Clicks and previews are written in waitUntil, just after their responses.
    expected = await eventually(async () => {
      const res = await api('GET', `/api/stats?site=${site.id}&from=${day(-29)}&to=${day()}`, { token: site.stats_token });
      assert.equal(res.status, 200, res.text);
      return res.json.totals.clicks === 4 && res.json.totals.previews === 1 ? res.json : null;
    });
    assert.ok(expected, 'the clicks and the preview arrive in the report');
  });

  /** The API's own figures for the mix, so a wrong page is not blamed on the worker. */
  it('the API reports the known mix', () => {
    assert.deepEqual(expected.totals, { views: 5, copies: 2, shares: 4, clicks: 4, dark_clicks: 4, previews: 1, share_to_click: 1, direct_dark_share: 0.2 });
    assert.equal(expected.k_factor, 0.8);
    assert.equal(expected.timeseries.length, 30);
    assert.deepEqual(expected.timeseries.at(-1), { date: day(), views: 5, copies: 2, shares: 4, clicks: 4, dark_clicks: 4 });
    assert.deepEqual(expected.generations, [{ depth: 1, clicks: 4 }]);
    assert.deepEqual(expected.channels.map((c) => c.channel).sort(), ['dark', 'telegram', 'whatsapp']);
  });

  /** The page at /stats shows what /api/stats answers: cards, every chart point, channels, CSV. */
  it('shows the same figures as the API, and downloads the CSV', async () => {
    const context = await shared.browser.newContext({ locale: 'en-US', viewport: DESKTOP });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(`${BASE}/stats?site=${site.id}`);
    assert.equal(await page.inputValue('#f-site'), site.id);
    await signIn(page, undefined, site.stats_token);
    await page.locator('svg[data-chart="timeseries"]').waitFor();

    const c = await cards(page);
    for (const m of ['views', 'copies', 'shares', 'clicks', 'dark_clicks', 'share_to_click']) {
      assert.equal(c[m].value, expected.totals[m], m);
      assert.equal(c[m].text, fmt('en-GB', expected.totals[m], 2), m);
    }
    assert.deepEqual(c.k_factor, { value: 0.8, text: '0.8' });

    const p = await points(page);
    for (const d of expected.timeseries) {
      assert.equal(p.shares[d.date], d.shares, `shares on ${d.date}`);
      assert.equal(p.clicks[d.date], d.clicks, `clicks on ${d.date}`);
      assert.equal(p.dark_clicks[d.date], d.dark_clicks, `dark clicks on ${d.date}`);
    }
    const gens = await page.$$eval('svg[data-chart="generations"] [data-depth]', (els) => els.map((e) => ({ depth: Number(e.dataset.depth), clicks: Number(e.dataset.value) })));
    assert.deepEqual(gens, expected.generations);
    const channels = await page.$$eval('#channels tbody tr', (rows) => rows.map((tr) => tr.dataset.channel));
    assert.deepEqual(channels, expected.channels.map((ch) => ch.channel));
    assert.equal(await page.textContent('#channels tr[data-channel="whatsapp"] th'), 'WhatsApp');
    assert.equal(await page.textContent('#copied .copied-text'), 'Dark social is <b>most</b> of sharing');

    const [download, response] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForResponse((r) => r.url().includes('/api/stats.csv?')),
      page.click('#csv'),
    ]);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^text\/csv/);
    assert.equal(download.suggestedFilename(), `darkshare-${site.id}-${day(-29)}-${day()}.csv`);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.match(csv, /^date,channel,views,copies,shares,clicks,dark_clicks,previews,conversions,goal_events\r\n/);
    assert.match(csv, new RegExp(`${day()},whatsapp,0,0,2,2,2,1`));
    assert.deepEqual(errors, []);
    await page.screenshot({ path: new URL('stats-desktop.png', SHOTS).pathname, fullPage: true });
    await context.close();
  });

  /** The German page shows the same figures in German formats. */
  it('switches to German', async () => {
    const context = await shared.browser.newContext({ locale: 'en-US', viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${BASE}/stats?site=${site.id}`);
    await signIn(page, undefined, site.stats_token);
    await page.locator('svg[data-chart="timeseries"]').waitFor();
    await page.click('[data-lang="de"]');
    assert.equal(await page.textContent('[data-card="clicks"] h3'), 'Klicks');
    assert.equal(await page.textContent('[data-metric="k_factor"]'), '0,8');
    assert.equal(await page.textContent('#channels tr[data-channel="dark"] th'), 'Dark Social (unbekannt)');
    assert.match(await page.getAttribute('svg[data-chart="timeseries"]', 'aria-label'), /^30 Tage/);
    await page.screenshot({ path: new URL('stats-phone.png', SHOTS).pathname, fullPage: true });
    await context.close();
  });

  /** A wrong token and another site's token both send the marketer back to the form, each with its message. */
  it('refuses a wrong token and a token of another site', async () => {
    const context = await shared.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${BASE}/stats?site=${site.id}`);
    await signIn(page, undefined, 'dst_not_a_real_token');
    await page.waitForFunction(() => document.querySelector('#login-error').dataset.error === 'errToken');
    assert.match(await page.textContent('#login-error'), /token is not valid/);
    await signIn(page, undefined, other.stats_token);
    await page.waitForFunction(() => document.querySelector('#login-error').dataset.error === 'errWrongSite');
    assert.match(await page.textContent('#login-error'), /belongs to another site/);
    await context.close();
  });
});
