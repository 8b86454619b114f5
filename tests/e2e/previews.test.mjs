// Honest numbers on the real runtime: link-preview fetchers get OpenGraph HTML and count as a
// preview in the channel they suggest, never as a click; crawlers are redirected and not counted;
// people inside messenger in-app browsers keep their clicks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, createSite, eventually, statsToday } from '../support/harness.mjs';

/** A marketer's link (only a stats token may set the title that previews show). */
async function linkFor(site, channel = 'other') {
  const res = await api('POST', '/api/links', { token: site.stats_token, body: { site: site.id, url: 'https://example.com/story', channel, title: 'A <story>' } });
  assert.equal(res.status, 201, res.text);
  return res.json.code;
}

/** Opens a short link as `ua` from `ip` (each service's preview fetcher has addresses of its own). */
const open = (code, ua, ip = '192.0.2.1') => api('GET', `/${code}`, { headers: { 'user-agent': ua, 'cf-connecting-ip': ip } });

test('a preview fetch gets opengraph html and counts as a preview, not a click', async () => {
  const site = await createSite();
  const code = await linkFor(site, 'whatsapp');
  const res = await open(code, 'WhatsApp/2.23.20.0');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.match(res.text, /<meta property="og:url" content="https:\/\/example\.com\/story">/);
  assert.match(res.text, /og:title" content="A &lt;story&gt;"/);
  const stats = await eventually(async () => { const s = await statsToday(site); return s.totals.previews === 1 && s; });
  assert.equal(stats.totals.previews, 1);
  assert.equal(stats.totals.clicks, 0);
});

test('the preview fetcher names the channel a link was pasted into', async () => {
  const site = await createSite();
  const code = await linkFor(site, 'copy');
  const fetchers = [
    ['Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)', 'discord'],
    ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'slack'],
    ['TelegramBot (like TwitterBot)', 'telegram'],
    ['LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)', 'linkedin'],
  ];
  for (const [i, [ua]] of fetchers.entries()) assert.equal((await open(code, ua, `192.0.2.${10 + i}`)).status, 200, ua);
  const stats = await eventually(async () => { const s = await statsToday(site); return s.totals.previews === 4 && s; });
  for (const [ua, channel] of fetchers) {
    assert.ok(stats.channels.some((c) => c.channel === channel && c.previews === 1), `${ua} → ${channel}: ${JSON.stringify(stats.channels)}`);
  }
  assert.equal(stats.totals.clicks, 0);
});

test('crawlers are redirected but never counted', async () => {
  const site = await createSite();
  const code = await linkFor(site);
  for (const ua of ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'curl/8.5.0', 'python-requests/2.31.0', '']) {
    const res = await open(code, ua);
    assert.equal(res.status, 302, ua);
  }
  const stats = await statsToday(site);
  assert.equal(stats.totals.clicks, 0);
  assert.equal(stats.totals.previews, 0);
});

test('people in messenger in-app browsers are clicks', async () => {
  const site = await createSite();
  const code = await linkFor(site, 'facebook');
  const inApp = [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/440.0.0.32.105;FBBV/123;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1;FBSS/3;FBLC/de_DE;FBOP/5]',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 Instagram 312.0.0.32.112 Android',
    'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64',
  ];
  for (const ua of inApp) assert.equal((await open(code, ua)).status, 302, ua);
  const stats = await eventually(async () => { const s = await statsToday(site); return s.totals.clicks === 3 && s; });
  assert.equal(stats.totals.clicks, 3);
  assert.equal(stats.totals.previews, 0);
});
