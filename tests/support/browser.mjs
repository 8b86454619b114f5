// Launches Debian's chromium headless through playwright-core (no browser download is possible
// here), and what the browser tests share: a fixture page served on `localhost` with the snippet
// from the worker (live) or from a stub, one browser context per simulated person.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { before, after } from 'node:test';
import { BASE, addressOf, personAgent } from './harness.mjs';

/** Where browser tests leave their screenshots for a human to judge (git-ignored). */
export const SHOTS = new URL('../../.tmp/', import.meta.url);
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** The stubbed worker's origin: tests route it to their own answers (never resolved). */
export const STUB = 'http://worker.test';

export const CHROMIUM = process.env.CHROMIUM_BIN || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

export async function launch() {
  if (!CHROMIUM) throw new Error('chromium not found: install Debian package "chromium" (scripts/setup does)');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * One headless browser for a test file: launched before its tests (and the screenshots folder
 * made), closed after them; with `statsPage`, the stats page is served too (`serveStatsPage`),
 * with `fixture`, that HTML page (`serveFixture`): `origin`, `server`. Call it at a file's top
 * level; tests use `.browser` (and `.origin`).
 */
export function browserPerFile({ statsPage = false, fixture } = {}) {
  const shared = {};
  before(async () => {
    shared.browser = await launch();
    mkdirSync(SHOTS, { recursive: true });
    if (statsPage) Object.assign(shared, await serveStatsPage());
    if (fixture !== undefined) Object.assign(shared, await serveFixture(fixture));
  });
  after(async () => {
    await shared.browser?.close();
    shared.server?.close();
  });
  return shared;
}

/** Opens the stats page at `origin` and signs in as the mocked APIs expect (site `demo`, token
 *  `dst_mock`). */
export async function signInToMock(page, origin) {
  await page.goto(`${origin}/stats`);
  await page.locator('#login').waitFor();
  await page.fill('#f-site', 'demo');
  await page.fill('#f-token', 'dst_mock');
  await page.click('#login-form button[type=submit]');
}

/**
 * Serves the stats page as the worker's static assets do (stats.html at /stats, its CSS and every ES
 * module under www/stats/) from 127.0.0.1 on a free port, for tests that drive it against a stub
 * API. Resolves to `{ server, origin }`.
 */
export async function serveStatsPage() {
  const www = new URL('../../www/', import.meta.url);
  const files = { '/stats': ['stats.html', 'text/html'], '/stats.js': ['stats.js', 'text/javascript'], '/stats.css': ['stats.css', 'text/css'] };
  for (const m of readdirSync(new URL('stats/', www))) files[`/stats/${m}`] = [`stats/${m}`, m.endsWith('.css') ? 'text/css' : 'text/javascript'];
  const server = http.createServer((req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    if (!f) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': `${f[1]}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(readFileSync(new URL(f[0], www)));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/**
 * Serves the HTML `fixture` at every path of http://localhost:<port>: `/live/<site>/…` with the
 * worker at BASE and that site, anything else with STUB and the site `stub` ({{BASE}}, {{SITE}}
 * replaced). The snippet then comes from another origin, as on a real site. Resolves to
 * `{ server, origin }`.
 */
export async function serveFixture(fixture) {
  const server = http.createServer((req, res) => {
    const [, mode, site] = req.url.split('/');
    const html = mode === 'live'
      ? fixture.replaceAll('{{BASE}}', BASE).replaceAll('{{SITE}}', site)
      : fixture.replaceAll('{{BASE}}', STUB).replaceAll('{{SITE}}', 'stub');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  });
  await new Promise((resolve) => server.listen(0, 'localhost', resolve));
  return { server, origin: `http://localhost:${server.address().port}` };
}

/**
 * A browser context for one simulated person: their own user agent (`personAgent(name)`) and
 * their own address as the worker sees it (`CF-Connecting-IP: addressOf(name)`, which Cloudflare's
 * edge sets). The header is added on the way out, after the page's CORS checks: set as a page
 * header (`extraHTTPHeaders`) it would make every snippet request need a preflight that real
 * visitors never send. The page at `origin` may use the clipboard.
 */
export async function personContext(browser, name, origin) {
  const context = await browser.newContext({ userAgent: personAgent(name) });
  await context.route(`${BASE}/**`, (route) => route.continue({ headers: { ...route.request().headers(), 'cf-connecting-ip': addressOf(name) } }));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  return context;
}

/** Opens `url` in a new page of `context` (`goto` options too) and collects its uncaught errors
 *  in `page.errors`: the snippet must never cause one. */
export async function openPage(context, url, options) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  await page.goto(url, options);
  return page;
}
