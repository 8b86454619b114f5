#!/usr/bin/env node
// Makes docs/stats-page.png, the README's picture: registers a site on a running local darkshare,
// plays a small day of traffic into it (views from search, social, direct and private channels,
// short links clicked from WhatsApp, Telegram and e-mail, reshares two generations deep, copies),
// waits until it is counted, and screenshots the stats page in headless Chromium.
// Usage: scripts/dev (in another shell), then
//        DARKSHARE_URL=http://127.0.0.1:8787 DARKSHARE_ADMIN_TOKEN=dev-admin-token node scripts/stats-screenshot.mjs [out.png]
import { api, createSite, eventually, navigation, personAgent, BASE } from '../tests/support/harness.mjs';
import { launch } from '../tests/support/browser.mjs';

const out = process.argv[2] ?? new URL('../docs/stats-page.png', import.meta.url).pathname;
const site = await createSite({ hosts: ['localhost'], id: `shot-${Date.now().toString(36)}` });
const page = (p) => `http://localhost/${p}`;
const PAGES = ['guide/dark-social', 'blog/why-direct-is-not-direct', 'pricing', 'blog/share-buttons'];
let people = 0;
const person = () => `p${people++}`;

async function view(url, { referrer = '', parent, who = person() } = {}) {
  const res = await api('POST', '/api/views', {
    raw: JSON.stringify({ site: site.id, url, referrer, title: 'darkshare', ...(parent ? { parent } : {}) }),
    headers: { 'user-agent': personAgent(who) },
  });
  if (res.status !== 200) throw new Error(`view: ${res.status} ${res.text}`);
  return res.json.fp;
}
async function link(url, channel, parent) {
  const res = await api('POST', '/api/links', { body: { site: site.id, url, channel, ...(parent ? { parent } : {}) } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`link: ${res.status} ${res.text}`);
  return res.json.code;
}
async function click(code, referer) {
  const headers = { 'user-agent': personAgent(person()), ...navigation, ...(referer ? { referer } : {}) };
  const res = await api('GET', `/${code}`, { headers });
  if (res.status !== 302) throw new Error(`click: ${res.status}`);
}

// Organic traffic: search, social, referral, direct.
for (let i = 0; i < 14; i++) await view(page(PAGES[i % 4]), { referrer: 'https://www.google.com/' });
for (let i = 0; i < 6; i++) await view(page(PAGES[i % 3]), { referrer: 'https://news.ycombinator.com/' });
for (let i = 0; i < 5; i++) await view(page(PAGES[(i + 1) % 4]), { referrer: 'https://t.co/x' });
for (let i = 0; i < 4; i++) await view(page(PAGES[i % 4]), { referrer: 'https://example.org/blog/links' });
for (let i = 0; i < 9; i++) await view(page(PAGES[i % 2]));
// Copied links pasted into chats: arrivals without a referrer, some reshared again.
const sharers = [];
for (let i = 0; i < 4; i++) sharers.push(await view(page(PAGES[i % 2])));
for (const [i, fp] of sharers.entries()) {
  for (let j = 0; j < 3 + i; j++) {
    const child = await view(page(PAGES[i % 2]), { parent: fp });
    if (j === 0) for (let k = 0; k < 2; k++) await view(page(PAGES[i % 2]), { parent: child });
  }
}
// Share buttons: WhatsApp, Telegram, e-mail, Slack links, clicked from the apps.
const wa = await link(page(PAGES[0]), 'whatsapp', sharers[0]);
for (let i = 0; i < 9; i++) await click(wa, i % 3 === 0 ? 'android-app://com.whatsapp' : undefined);
const tg = await link(page(PAGES[1]), 'telegram');
for (let i = 0; i < 5; i++) await click(tg, 'android-app://org.telegram.messenger');
const mail = await link(page(PAGES[2]), 'email');
for (let i = 0; i < 3; i++) await click(mail, 'https://mail.google.com/');
const slack = await link(page(PAGES[3]), 'slack');
for (let i = 0; i < 2; i++) await click(slack);
// Public shares: LinkedIn and X links, opened from the networks (clicks, not dark).
const li = await link(page(PAGES[1]), 'linkedin');
for (let i = 0; i < 4; i++) await click(li, 'https://www.linkedin.com/');
const x = await link(page(PAGES[0]), 'x');
for (let i = 0; i < 3; i++) await click(x, 'https://t.co/abc');
// Copies.
for (const [text, n] of [['Most sharing happens where analytics cannot see it: in private chats.', 4], ['A click through a copied link counts once per person and day.', 2]]) {
  for (let i = 0; i < n; i++) {
    const res = await api('POST', '/api/events', { raw: JSON.stringify({ site: site.id, fp: sharers[i % 4], type: 'copy', url: page(PAGES[0]), text, text_length: text.length }) });
    if (res.status !== 202) throw new Error(`copy: ${res.status} ${res.text}`);
  }
}
const counted = await eventually(async () => {
  const res = await api('GET', `/api/stats?site=${site.id}`, { token: site.stats_token });
  return res.status === 200 && res.json.totals.copies === 6 && res.json.totals.clicks >= 26 ? res.json.totals : null;
}, { timeoutMs: 30000, everyMs: 250 });
if (!counted) throw new Error('the traffic was not counted within 30 s');
console.log('counted', counted);

const browser = await launch();
try {
  const tab = await browser.newPage({ viewport: { width: 1180, height: 830 }, deviceScaleFactor: 1, locale: 'en-US' });
  await tab.goto(`${BASE}/stats?site=${site.id}`);
  await tab.fill('#f-token', site.stats_token);
  await tab.press('#f-token', 'Enter');
  // The report is drawn: the daily chart and the sources chart hold their SVGs. Then the last 7
  // days, where one day of traffic is a bar that can be seen.
  const drawn = () => tab.waitForFunction(() => document.querySelector('#timeseries svg') && document.querySelector('#sources svg'), null, { timeout: 15000 });
  await drawn();
  const before = await tab.textContent('#range');
  await tab.click('button[data-period="7"]');
  await tab.waitForFunction((was) => document.querySelector('#range').textContent !== was, before, { timeout: 15000 });
  await drawn();
  await tab.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
