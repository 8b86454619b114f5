// The console page (www/admin.html, /admin) and a shared dashboard (/stats#share=…) in Debian's
// chromium against the real worker at BASE (started by scripts/test): a site's whole life driven
// through the page (register, the install check turning green, token rotation, shared links,
// deletion), checked through the API after each step.
//
// Screenshots for a human to judge: .tmp/admin-desktop.png, .tmp/admin-phone.png,
// .tmp/admin-de.png, .tmp/shared-desktop.png, .tmp/shared-phone.png.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, api, assertError, createSite, day, drained, eventually, navigation, personAgent, statsToday, uniqueSiteId } from '../support/harness.mjs';
import { DESKTOP, PHONE, SHOTS, browserPerFile } from '../support/browser.mjs';

const XSS = '<img src=x onerror="window.__xss = 1">';

const shared = browserPerFile();

const statsOf = (id, token) => api('GET', `/api/stats?site=${id}&from=${day()}&to=${day()}`, { token });

/** A page of the console, its uncaught errors and dialogs (confirmations are accepted). */
async function consolePage(viewport = DESKTOP) {
  const context = await shared.browser.newContext({ viewport, locale: 'en-GB' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  page.on('dialog', (d) => d.accept());
  await page.goto(`${BASE}/admin`);
  return page;
}

async function signIn(page) {
  await page.locator('#login').waitFor();
  await page.fill('#f-admin', ADMIN);
  await page.click('#login-form button[type=submit]');
  await page.locator('#sites tbody tr').first().waitFor();
}

describe('console page against the worker', () => {
  const id = uniqueSiteId('life');
  let page; let token; let other; let otherBefore; let sharedUrl; let secondSecret; let linkCode;

  it('asks for the admin token once and refuses a wrong one', async () => {
    page = await consolePage();
    await page.locator('#login').waitFor();
    await page.fill('#f-admin', 'not-the-admin-token');
    await page.click('#login-form button[type=submit]');
    await page.locator('#login-error[data-error="errToken"]').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('darkshare.admin')), null, 'a refused token is forgotten');
    await signIn(page);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('darkshare.admin')), ADMIN);
    assert.equal(await page.evaluate(() => document.cookie), '');
  });

  it('registers a site and shows its stats token once', async () => {
    await page.fill('#n-id', id);
    await page.fill('#n-name', `Life ${XSS}`);
    await page.fill('#n-hosts', 'localhost\nexample.com');
    await page.click('#new-site button[type=submit]');
    await page.locator('#new-token').waitFor();
    token = await page.textContent('#new-token');
    assert.match(token, /^dst_/);
    assert.equal((await statsOf(id, token)).status, 200);
    assert.ok(await page.locator(`#sites tr[data-site="${id}"]`).count(), 'listed');
    assert.match(await page.textContent('#h-site'), /<img src=x/, 'shown as text');
    assert.equal(await page.evaluate(() => window.__xss), undefined, 'never as markup');
    assert.equal(await page.textContent('#snippet-tag'), `<script async src="${BASE}/ds.js" data-site="${id}"></script>`);
    assert.deepEqual(await page.$$eval('#install li', (els) => els.map((e) => [e.dataset.host, e.dataset.seen])), [['localhost', 'false'], ['example.com', 'false']]);
  });

  it('the install check turns green after a page view from that host', async () => {
    other = await createSite({ hosts: ['example.com'] });
    const res = await api('POST', '/api/views', { raw: JSON.stringify({ site: id, url: 'https://example.com/welcome' }), headers: { 'user-agent': personAgent('life-visitor') } });
    assert.equal(res.status, 200, res.text);
    await api('POST', '/api/views', { raw: JSON.stringify({ site: other.id, url: 'https://example.com/other' }), headers: { 'user-agent': personAgent('life-other') } });
    linkCode = (await api('POST', '/api/links', { token, body: { site: id, url: 'https://example.com/welcome', channel: 'email' } })).json.code;
    await drained();
    otherBefore = await statsToday(other);
    // The install check is written just after the batch is counted: check again until it shows.
    const green = await eventually(async () => {
      const answered = page.waitForResponse((r) => r.url().endsWith(`/api/sites/${id}/shared-links`));
      await page.click('#check-again');
      await answered;
      await page.locator('#install').waitFor();
      return page.locator('#install li[data-host="example.com"][data-seen="true"]').count();
    }, { timeoutMs: 15000, everyMs: 300 });
    assert.ok(green, 'example.com turned green');
    assert.equal(await page.getAttribute('#install li[data-host="localhost"]', 'data-seen'), 'false');
    assert.match(await page.textContent('#install li[data-host="example.com"] .state'), /seen/);
    await page.screenshot({ path: new URL('admin-desktop.png', SHOTS).pathname, fullPage: true });
  });

  it('edits the name and hosts', async () => {
    await page.fill('#e-name', 'Life renamed');
    await page.fill('#e-hosts', 'example.com\nwww.example.com');
    await page.click('#edit-site button[type=submit]');
    await page.waitForFunction(() => /Life renamed/.test(document.querySelector('#h-site').textContent));
    const site = (await api('GET', `/api/sites/${id}`, { token })).json;
    assert.deepEqual([site.name, site.hosts], ['Life renamed', ['example.com', 'www.example.com']]);
  });

  it('rotates the token: the new one is shown once, the old one is refused', async () => {
    await page.click('#rotate');
    await page.waitForFunction((old) => document.querySelector('#new-token') && document.querySelector('#new-token').textContent !== old, token);
    const fresh = await page.textContent('#new-token');
    assertError(await statsOf(id, token), 401, 'bad_token');
    assert.equal((await statsOf(id, fresh)).status, 200);
    token = fresh;
  });

  it('makes shared dashboards, lists them without their secrets', async () => {
    await page.fill('#s-label', 'For the client');
    await page.click('#shared-form button[type=submit]');
    await page.locator('#shared-url').waitFor();
    sharedUrl = await page.textContent('#shared-url');
    assert.ok(sharedUrl.startsWith(`${BASE}/stats#share=dss_`), sharedUrl);
    await page.fill('#s-label', 'Second');
    await page.click('#shared-form button[type=submit]');
    await page.waitForFunction((first) => document.querySelector('#shared-url').textContent !== first, sharedUrl);
    secondSecret = new URLSearchParams(new URL(await page.textContent('#shared-url')).hash.slice(1)).get('share');
    assert.equal(await page.locator('#shared-list li').count(), 2);
    assert.ok(!(await page.textContent('#shared-list')).includes('dss_'), 'no secret in the list');
    const phone = await consolePage(PHONE);
    await phone.locator('#sites tbody tr').first().waitFor().catch(() => {});
    if (await phone.locator('#login').isVisible()) await signIn(phone);
    await phone.click(`[data-open="${id}"]`);
    await phone.locator('#install').waitFor();
    await phone.screenshot({ path: new URL('admin-phone.png', SHOTS).pathname, fullPage: true });
    await phone.click('[data-lang="de"]');
    await phone.waitForFunction(() => document.documentElement.lang === 'de');
    assert.match(await phone.textContent('#h-sites'), /Websites/);
    await phone.screenshot({ path: new URL('admin-de.png', SHOTS).pathname, fullPage: true });
    assert.deepEqual(phone.errors, []);
    await phone.context().close();
  });

  it('a shared dashboard renders without a prompt, hides what it may not do, and refuses writes', async () => {
    for (const [viewport, shot] of [[DESKTOP, 'shared-desktop.png'], [PHONE, 'shared-phone.png']]) {
      const context = await shared.browser.newContext({ viewport, locale: 'en-GB' });
      const viewer = await context.newPage();
      viewer.errors = [];
      viewer.on('pageerror', (e) => viewer.errors.push(e));
      const requests = [];
      viewer.on('request', (r) => requests.push(r.url()));
      await viewer.goto(sharedUrl);
      await viewer.waitForFunction(() => document.querySelector('[data-metric="views"]').textContent.trim() === '1');
      assert.equal(await viewer.isVisible('#login'), false, 'no token prompt');
      assert.equal(await viewer.isVisible('.views'), false, 'no Links view');
      assert.equal(await viewer.isVisible('#alerts'), false, 'no settings');
      assert.equal(await viewer.isVisible('#signout'), false);
      assert.match(await viewer.textContent('#shared-badge'), /read-only/);
      assert.ok(!requests.some((u) => u.includes('dss_')), 'the secret is never in a request URL');
      await viewer.screenshot({ path: new URL(shot, SHOTS).pathname, fullPage: true });
      assert.deepEqual(viewer.errors, []);
      await context.close();
    }
    const secret = new URLSearchParams(new URL(sharedUrl).hash.slice(1)).get('share');
    assertError(await api('PATCH', `/api/sites/${id}`, { token: secret, body: { alert_clicks_per_hour: 2 } }), 403, 'read_only');
    assertError(await api('POST', `/api/sites/${id}/token`, { token: secret }), 403, 'read_only');
    assertError(await api('GET', `/api/links?site=${id}`, { token: secret }), 403, 'read_only');
    assert.equal((await statsOf(id, token)).status, 200, 'the owner\'s token still works');
  });

  it('a revoked shared dashboard is refused', async () => {
    const first = await page.locator('#shared-list li', { hasText: 'For the client' }).getAttribute('data-shared');
    await page.click(`[data-revoke="${first}"]`);
    await page.waitForFunction(() => document.querySelectorAll('#shared-list li').length === 1);
    const secret = new URLSearchParams(new URL(sharedUrl).hash.slice(1)).get('share');
    assertError(await statsOf(id, secret), 401, 'bad_token');
    const viewer = await (await shared.browser.newContext()).newPage();
    await viewer.goto(sharedUrl);
    await viewer.locator('#shared-refused').waitFor();
    assert.equal(await viewer.isVisible('#app'), false);
    assert.equal(await viewer.isVisible('#login'), false);
    await viewer.context().close();
  });

  it('deletes the site after its id is typed: token, links, shared links and counts gone; another site untouched', async () => {
    assert.equal(await page.isDisabled('#delete'), true);
    await page.fill('#d-confirm', 'wrong-id');
    assert.equal(await page.isDisabled('#delete'), true);
    await page.fill('#d-confirm', id);
    await page.click('#delete');
    await page.waitForFunction(() => document.querySelector('#site').hidden);
    await page.waitForFunction((gone) => !document.querySelector(`#sites tr[data-site="${gone}"]`), id);
    assertError(await statsOf(id, token), 401, 'bad_token');
    assertError(await statsOf(id, secondSecret), 401, 'bad_token');
    assert.equal((await api('GET', `/${linkCode}`, { headers: { 'user-agent': personAgent('late'), ...navigation } })).status, 404);
    const again = await createSite({ id, hosts: ['example.com'] });
    const fresh = await statsToday(again);
    assert.deepEqual([fresh.totals.views, fresh.totals.shares, fresh.pages.length], [0, 0, 0], 'counts erased, not hidden');
    assert.deepEqual((await statsToday(other)).totals, otherBefore.totals, 'the other site is untouched');
    await api('DELETE', `/api/sites/${id}`, { token: ADMIN });
    assert.deepEqual(page.errors, []);
  });
});
