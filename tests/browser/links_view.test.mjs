// Browser test of the stats page's Links view (www/stats/links.js) against the worker at BASE
// (started by scripts/test), in Debian's chromium: a marketer creates a link, people click it and
// scan its QR code, the counts arrive (through the queue, so the test polls with Refresh), the QR
// code shows and downloads, the link is disabled (410) and enabled again, in English and German.
//
// Screenshots for a human to judge: .tmp/links-desktop.png, .tmp/links-phone-de.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, api, createSite, eventually, personAgent } from '../support/harness.mjs';
import { SHOTS, browserPerFile } from '../support/browser.mjs';

const shared = browserPerFile();

/** A person opening a short link: their own user agent and address. */
function visit(path, who, ip) {
  return api('GET', path, { headers: { 'user-agent': personAgent(who), 'cf-connecting-ip': ip } });
}

/** The row of `code` as {clicks, dark_clicks, scans, previews, state}, or null while it is not listed. */
async function rowOf(page, code) {
  return page.evaluate((c) => {
    const tr = document.querySelector(`#links-table tr[data-code="${c}"]`);
    if (!tr) return null;
    const out = { state: tr.querySelector('[data-state]').dataset.state };
    for (const td of tr.querySelectorAll('[data-count]')) out[td.dataset.count] = td.textContent;
    return out;
  }, code);
}

/** Clicks Refresh until `probe(row)` holds (counts are written by the queue consumer). */
async function refreshUntil(page, code, probe) {
  return eventually(async () => {
    await page.click('#links-refresh');
    await page.waitForTimeout(0);
    const row = await rowOf(page, code);
    return row && probe(row) ? row : null;
  }, { timeoutMs: 20000, everyMs: 300 });
}

test('create → click and scan → counts → QR → disable → enable, in the Links view', async () => {
  const site = await createSite();
  const slug = `launch-${site.id}`;
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  // The refused slug below is an expected 409, which Chromium logs as a failed resource.
  page.on('console', (m) => m.type() === 'error' && !/status of 409/.test(m.text()) && problems.push(m.text()));

  await page.goto(`${BASE}/stats?site=${site.id}`);
  await page.fill('#f-token', site.stats_token);
  await page.click('#login-form button[type=submit]');
  await page.click('[data-view=links]');
  await page.locator('#links-empty').waitFor();
  assert.equal(await page.isVisible('#report-view'), false);

  // Create: a page of the site, WhatsApp, a slug, a title.
  await page.fill('#l-url', 'https://example.com/launch?ref=poster');
  await page.selectOption('#l-channel', 'whatsapp');
  await page.fill('#l-slug', slug);
  await page.fill('#l-title', 'Launch <b>day</b>');
  await page.click('#link-form button[type=submit]');
  await page.locator('#link-created').waitFor();
  assert.equal(await page.textContent('#link-created-url'), `${BASE}/${slug}`);
  assert.ok(await refreshUntil(page, slug, () => true), 'the new link is listed');
  assert.equal(await page.textContent(`tr[data-code="${slug}"] .link-title`), 'Launch <b>day</b>', 'titles are text');

  // The same slug for another page is refused with its own sentence, and nothing else is listed.
  await page.fill('#l-url', 'https://example.com/other');
  await page.fill('#l-slug', slug);
  await page.click('#link-form button[type=submit]');
  await page.locator('#link-error').waitFor();
  assert.match(await page.textContent('#link-error'), /already taken/);
  assert.equal(await page.locator('#links-table tbody tr[data-code]').count(), 1);

  // Two people click, a third scans the QR code: 3 clicks, 1 scan.
  assert.equal((await visit(`/${slug}`, 'ann', '203.0.113.1')).status, 302);
  assert.equal((await visit(`/${slug}`, 'ben', '203.0.113.2')).status, 302);
  assert.equal((await visit(`/${slug}?qr=1`, 'cem', '203.0.113.3')).status, 302);
  const counted = await refreshUntil(page, slug, (r) => r.clicks === '3' && r.scans === '1');
  assert.deepEqual(counted, { state: 'active', clicks: '3', dark_clicks: '3', scans: '1', previews: '0' });

  // Copy and QR.
  await page.click(`tr[data-code="${slug}"] [data-action=copy]`);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${BASE}/${slug}`);
  await page.click(`tr[data-code="${slug}"] [data-action=qr]`);
  const img = page.locator('.qr-row img');
  await img.waitFor();
  assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth >= 256), 'the QR image loads');
  const download = page.waitForEvent('download');
  await page.click('.qr-row .download');
  assert.equal((await download).suggestedFilename(), `${slug}-qr.svg`);
  await page.screenshot({ path: new URL('links-desktop.png', SHOTS).pathname, fullPage: true });

  // Disable: the link answers 410; enable: 302 again.
  await page.click(`tr[data-code="${slug}"] [data-action=toggle]`);
  await eventually(async () => (await rowOf(page, slug)).state === 'disabled');
  assert.equal((await rowOf(page, slug)).state, 'disabled');
  assert.equal((await visit(`/${slug}`, 'dan', '203.0.113.4')).status, 410);
  await page.click(`tr[data-code="${slug}"] [data-action=toggle]`);
  await eventually(async () => (await rowOf(page, slug)).state === 'active');
  assert.equal((await visit(`/${slug}`, 'dan', '203.0.113.4')).status, 302);

  // German, on a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('[data-lang=de]');
  assert.equal(await page.textContent('#h-links'), 'Ihre Links');
  assert.equal(await page.textContent(`tr[data-code="${slug}"] [data-state]`), 'Aktiv');
  assert.match(await page.textContent('#link-error'), /schon vergeben/, 'errors are said again in the new language');
  assert.equal(await page.isVisible('#links-table thead'), false, 'rows are cards on a phone');
  await page.screenshot({ path: new URL('links-phone-de.png', SHOTS).pathname, fullPage: true });

  assert.deepEqual(problems, []);
  await context.close();
});
