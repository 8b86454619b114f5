// Browser tests of the stats page's sources headline and chart, Live panel and alert settings
// (www/stats/sources.js, live.js, alerts.js) in Debian's chromium, with the API mocked by page
// routes, so they pin down the page's own behaviour and need no worker.
//
// Screenshots for a human to judge: .tmp/insights-desktop.png, .tmp/insights-phone.png,
// .tmp/insights-de.png.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { day } from '../support/harness.mjs';
import { DESKTOP, PHONE, SHOTS, browserPerFile } from '../support/browser.mjs';

const SOURCES = ['dark_social', 'shared', 'self', 'internal', 'search', 'social', 'referral', 'direct'];

const shared = browserPerFile({ statsPage: true });

/** A report whose sources are known: per day i, dark_social 10+i, direct 5, search 3, social 1. */
function report(from, to) {
  const days = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86400000) days.push(new Date(t).toISOString().slice(0, 10));
  const source_timeseries = days.map((date, i) => {
    const row = { date };
    for (const s of SOURCES) row[s] = 0;
    Object.assign(row, { dark_social: 10 + i, direct: 5, search: 3, social: 1, shared: i % 2 });
    return row;
  });
  const total = (s) => source_timeseries.reduce((a, d) => a + d[s], 0);
  const sources = SOURCES.map((source) => ({ source, views: total(source) }));
  const views = sources.reduce((a, s) => a + s.views, 0);
  const dark = total('dark_social');
  return {
    site: 'demo', from, to,
    totals: { views, copies: 3, shares: 9, clicks: dark + total('shared'), dark_clicks: dark, previews: 1, share_to_click: 2,
      direct_dark_share: Math.round((dark / (dark + total('direct'))) * 1000) / 1000 },
    channels: [{ channel: 'whatsapp', shares: 9, clicks: dark, previews: 1 }],
    timeseries: days.map((date) => ({ date, views: 20, copies: 0, shares: 0, clicks: 10, dark_clicks: 10 })),
    pages: [{ url: 'https://example.com/a', views, shares: 9, clicks: dark, k_factor: 0.5 }],
    copied_texts: [], generations: [{ depth: 1, clicks: dark }], k_factor: 0.5,
    sources, source_timeseries,
  };
}

/** The live answer after `n` polls: the current minute holds n views and n clicks. */
function liveAnswer(n) {
  const now = Math.floor(Date.now() / 60000);
  const minutes = [];
  for (let m = now - 29; m <= now; m++) {
    const minute = new Date(m * 60000).toISOString().slice(0, 16) + 'Z';
    minutes.push({ minute, views: m === now ? n : (m % 3), clicks: m === now ? n : 0, dark_clicks: 0, shares: 0, previews: 0 });
  }
  return { site: 'demo', minutes, pages: [{ url: 'https://example.com/spreading-now', views: 12, clicks: 7 }], channels: [{ channel: 'whatsapp', clicks: 5 }, { channel: 'email', clicks: 2 }] };
}

/**
 * A signed-in page whose API is mocked. `page.calls` records every API request as
 * {method, path, body, auth}. `site` is the GET/PATCH state of /api/sites/demo.
 */
async function mockedPage({ locale = 'en-US', viewport = DESKTOP, clock = false, testAnswer } = {}) {
  const context = await shared.browser.newContext({ locale, viewport });
  const page = await context.newPage();
  if (clock) await page.clock.install();
  page.calls = [];
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  let site = { id: 'demo', name: 'Demo', hosts: ['example.com'], webhook: null, alert_clicks_per_hour: 50 };
  let polls = 0;
  await page.route(/\/api\//, async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    page.calls.push({ method: req.method(), path: url.pathname, query: url.search, body: req.postData(), auth: req.headers().authorization });
    const ok = (body, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
    if (url.pathname === '/api/stats') return ok(report(url.searchParams.get('from'), url.searchParams.get('to')));
    if (url.pathname === '/api/live') return ok(liveAnswer(++polls));
    if (url.pathname === '/api/sites/demo' && req.method() === 'GET') return ok(site);
    if (url.pathname === '/api/sites/demo' && req.method() === 'PATCH') {
      const body = JSON.parse(req.postData());
      if (body.webhook && !body.webhook.startsWith('https://')) {
        return ok({ error: { code: 'bad_field', message: 'webhook: must be an https:// URL' } }, 400);
      }
      const first = body.webhook && !site.webhook;
      site = { ...site, webhook: body.webhook, alert_clicks_per_hour: body.alert_clicks_per_hour };
      return ok(first ? { ...site, webhook_secret: 'dsw_secret123' } : site);
    }
    if (url.pathname === '/api/sites/demo/webhook/test') {
      if (!site.webhook) return ok({ error: { code: 'no_webhook', message: 'no webhook' } }, 409);
      return ok(testAnswer || { delivered: true, status: 200 });
    }
    return route.fulfill({ status: 404, body: '{}' });
  });
  await page.goto(`${shared.origin}/stats?site=demo`);
  await page.fill('#f-token', 'dst_mock');
  await page.click('#login-form button[type=submit]');
  await page.locator('svg[data-chart="sources"]').waitFor();
  return page;
}

const count = (page, path) => page.calls.filter((c) => c.path === path).length;

describe('stats page: sources, live, alerts (API mocked)', () => {
  /** The headline shows direct_dark_share as a percentage; the chart and legend show every source. */
  it('shows the direct-vs-dark headline and the sources over the period', async () => {
    const page = await mockedPage();
    const r = report(day(-29), day());
    const share = await page.getAttribute('#sources .headline', 'data-share');
    assert.equal(Number(share), r.totals.direct_dark_share);
    const text = await page.textContent('#sources .headline');
    assert.match(text, /^Of the visits your analytics call direct, \d+ % came through private channels\.$/);
    assert.ok(text.includes(`${Math.round(r.totals.direct_dark_share * 100)} %`), text);

    const legend = await page.$$eval('.src-legend li', (els) => els.map((e) => [e.dataset.source, Number(e.dataset.value)]));
    assert.deepEqual(legend, r.sources.map((s) => [s.source, s.views]), 'all eight, zeros included, in order');

    const segs = await page.$$eval('svg[data-chart="sources"] rect[data-source]', (els) => els.map((e) => [e.dataset.date, e.dataset.source, Number(e.dataset.value)]));
    const want = r.source_timeseries.flatMap((d) => SOURCES.filter((s) => d[s]).map((s) => [d.date, s, d[s]]));
    assert.deepEqual(segs, want, 'one segment per day and non-zero source');
    assert.deepEqual(page.errors, []);
    await page.screenshot({ path: new URL('insights-desktop.png', SHOTS).pathname, fullPage: true });
    await page.context().close();
  });

  /** German: the same figure inside the German sentence, and German source names. */
  it('speaks German', async () => {
    const page = await mockedPage({ locale: 'de-DE', viewport: PHONE });
    const text = await page.textContent('#sources .headline');
    assert.match(text, /^Von den Besuchen, die Ihre Analytics „direkt“ nennt, kamen \d+ % über private Kanäle\.$/);
    assert.equal(await page.textContent('.src-legend li[data-source="direct"] span:nth-child(2)'), 'Direkt');
    assert.equal(await page.textContent('#h-alerts'), 'Viral-Alarme');
    await page.screenshot({ path: new URL('insights-de.png', SHOTS).pathname, fullPage: true });
    await page.context().close();
  });

  /** Live polls every 15 s without reloading, shows each answer, and pauses while the tab is hidden. */
  it('updates the live panel every 15 s and pauses while hidden', async () => {
    const page = await mockedPage({ clock: true, viewport: PHONE });
    await page.locator('#live[data-state="live"]').waitFor();
    assert.equal(count(page, '/api/live'), 1, 'one request when the page opens');
    const now = () => page.getAttribute('svg[data-chart="live"] g:last-of-type', 'data-clicks');
    assert.equal(await now(), '1');
    assert.equal(await page.$$eval('svg[data-chart="live"] g[data-minute]', (g) => g.length), 30);
    assert.deepEqual(await page.$$eval('[data-list="live_channels"] li', (els) => els.map((e) => e.textContent)), ['WhatsApp5', 'E-mail2']);

    await page.clock.runFor(14_000);
    assert.equal(count(page, '/api/live'), 1, 'not before 15 s');
    await page.clock.runFor(1_500);
    await page.waitForFunction(() => document.querySelector('svg[data-chart="live"] g:last-of-type').dataset.clicks === '2');
    assert.equal(count(page, '/api/live'), 2);
    assert.equal(count(page, '/api/stats'), 1, 'the report is not reloaded');

    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    assert.equal(await page.getAttribute('#live', 'data-state'), 'paused');
    await page.clock.runFor(120_000);
    assert.equal(count(page, '/api/live'), 2, 'no request while hidden');

    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForFunction(() => document.querySelector('svg[data-chart="live"] g:last-of-type').dataset.clicks === '3');
    assert.equal(count(page, '/api/live'), 3, 'refreshed at once when shown again');
    assert.ok(page.calls.every((c) => c.auth === 'Bearer dst_mock' && !c.query.includes('dst_mock')));
    await page.screenshot({ path: new URL('insights-phone.png', SHOTS).pathname, fullPage: true });
    await page.context().close();
  });

  /** The form saves with PATCH, shows the secret once, reports a refused URL and the test send. */
  it('saves webhook settings, shows the secret once and sends a test alert', async () => {
    const page = await mockedPage();
    await page.locator('#al-url').waitFor();
    assert.equal(await page.inputValue('#al-threshold'), '50');
    assert.equal(await page.isDisabled('#al-test'), true, 'nothing to test without a webhook');

    await page.fill('#al-url', 'http://example.com/hook');
    await page.click('#al-save');
    await page.locator('#al-message[data-kind="error"]').waitFor();
    assert.match(await page.textContent('#al-message'), /https/);

    await page.fill('#al-url', 'https://hooks.example.com/T1');
    await page.fill('#al-threshold', '7');
    await page.click('#al-save');
    await page.locator('#al-secret-value').waitFor();
    assert.equal(await page.textContent('#al-secret-value'), 'dsw_secret123');
    const patch = page.calls.filter((c) => c.method === 'PATCH').pop();
    assert.deepEqual(JSON.parse(patch.body), { webhook: 'https://hooks.example.com/T1', alert_clicks_per_hour: 7 });

    await page.click('#al-test');
    await page.waitForFunction(() => /HTTP 200/.test(document.getElementById('al-message').textContent));
    assert.equal(await page.getAttribute('#al-message', 'data-kind'), 'ok');
    assert.equal(count(page, '/api/sites/demo/webhook/test'), 1);

    await page.fill('#al-threshold', '0');
    await page.click('#al-save');
    await page.locator('#al-message[data-kind="error"]').waitFor();
    assert.equal(page.calls.filter((c) => c.method === 'PATCH').length, 2, 'a bad threshold is not sent');
    await page.context().close();
  });

  /** A receiver that answers 500 is reported as not delivered. */
  it('reports a failed test delivery', async () => {
    const page = await mockedPage({ testAnswer: { delivered: false, status: 500 } });
    await page.fill('#al-url', 'https://hooks.example.com/T1');
    await page.click('#al-save');
    await page.locator('#al-secret').waitFor();
    await page.click('#al-test');
    await page.waitForFunction(() => /HTTP 500/.test(document.getElementById('al-message').textContent));
    assert.equal(await page.getAttribute('#al-message', 'data-kind'), 'error');
    await page.context().close();
  });
});
