// Launches Debian's chromium headless through playwright-core (no browser download is possible here).
import { chromium } from 'playwright-core';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';

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
