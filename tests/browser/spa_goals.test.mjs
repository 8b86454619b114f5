// Browser tests of the snippet (www/ds.js) in a single-page app and of its goals, in Debian's
// chromium (playwright-core).
//
// The fixture (tests/fixtures/spa-page.html) is a tiny client-side router plus goal markup, served by
// a node:http server on `localhost`; the snippet comes from another origin, as on a real site.
// - "single-page app, worker stubbed" and "goals, worker stubbed": the worker is replaced by routes on
//   http://worker.test that record what the page sent (so /api/goals need not exist server-side);
//   these pin down the snippet's own rules.
// - "single-page app against the worker": the real worker at BASE (started by scripts/test) counts
//   exactly the route views.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, createSite, statsToday, eventually } from '../support/harness.mjs';
import { STUB, browserPerFile, openPage, personContext } from '../support/browser.mjs';

const ROOT = new URL('../../', import.meta.url);
const FIXTURE = readFileSync(new URL('tests/fixtures/spa-page.html', ROOT), 'utf8');
const SNIPPET = () => readFileSync(new URL('www/ds.js', ROOT), 'utf8');
const SHARE_PART = () => readFileSync(new URL('www/ds-share.js', ROOT), 'utf8');
const FP_AT_END = /#ds=([0-9A-Za-z]{10,24})$/;

const shared = browserPerFile({ fixture: FIXTURE });

/** A browser context for one person (own user agent and address), with its privacy signals. */
async function person(name, { gpc = false } = {}) {
  const context = await personContext(shared.browser, name, shared.origin);
  if (gpc) await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  return context;
}

/** Opens a page (its uncaught errors in `page.errors`) and waits for the snippet. */
async function open(context, url) {
  const page = await openPage(context, url);
  await page.waitForFunction(() => window.darkshare && window.darkshare.ready);
  return page;
}

/** The fingerprint of the current view once it is counted (darkshare.ready), and the address. */
async function settled(page) {
  return page.evaluate(() => window.darkshare.ready.then(() => ({ fp: window.darkshare.fp(), url: location.href })));
}

/**
 * Replaces the worker with routes on STUB; returns what it received, by path. Every view gets a
 * fingerprint of its own (RouteFprint01, RouteFprint02, …), so each route's tag can be told apart.
 */
async function stubWorker(context) {
  const got = { views: [], events: [], links: [], goals: [], other: [], shareParts: 0 };
  const cors = { 'access-control-allow-origin': shared.origin };
  await context.route(`${STUB}/**`, async (route) => {
    const req = route.request();
    const path = new URL(req.url()).pathname;
    if (path === '/ds.js') return route.fulfill({ contentType: 'text/javascript', body: SNIPPET() });
    if (path === '/ds-share.js') {
      got.shareParts += 1;
      return route.fulfill({ contentType: 'text/javascript', body: SHARE_PART() });
    }
    const body = JSON.parse(req.postData() || 'null');
    const json = (status, obj) => route.fulfill({ status, headers: cors, contentType: 'application/json', body: JSON.stringify(obj) });
    const rec = { body, contentType: req.headers()['content-type'] };
    if (path === '/api/views') {
      got.views.push(rec);
      return json(200, { fp: `RouteFprint${String(got.views.length).padStart(2, '0')}` });
    }
    if (path === '/api/events') { got.events.push(rec); return json(202, {}); }
    if (path === '/api/goals') { got.goals.push(rec); return json(202, {}); }
    if (path === '/api/links') {
      got.links.push(rec);
      return json(201, { code: 'Ab12Cd', short_url: `${STUB}/Ab12Cd`, url: body.url, channel: body.channel });
    }
    got.other.push(req.url());
    return json(404, { error: { code: 'not_found', message: 'stub' } });
  });
  return got;
}

/** Selects an element's text, copies it (Ctrl+C) and reads the clipboard's text. */
async function copy(page, selector) {
  await page.evaluate((sel) => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector(sel));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  }, selector);
  await page.keyboard.press('Control+C');
  return page.evaluate(() => navigator.clipboard.readText());
}

/**
 * Walks the fixture's routes: load, pushState ×2, replaceState with a new query, a fragment by
 * anchor and by pushState, then back twice (the first back only undoes a fragment). Returns the
 * expected views as [url, referrer] pairs and each view's tagged address as seen after it.
 */
async function walkRoutes(page, root) {
  const tagged = [];
  const waitTag = async (n) => {
    // The n-th view is counted and tagged: the address ends with its own fingerprint.
    await page.waitForFunction((fp) => location.hash === `#ds=${fp}`, `RouteFprint${String(n).padStart(2, '0')}`);
    tagged.push(await page.evaluate(() => location.href));
  };
  await waitTag(1);
  await page.evaluate(() => window.app.go('/a'));
  await waitTag(2);
  await page.evaluate(() => window.app.go('/b?x=1'));
  await waitTag(3);
  await page.evaluate(() => window.app.go('/b?x=2', true)); // replaceState: a new query
  await waitTag(4);
  await page.click('#to-section'); // fragment only (a history entry, and a popstate)
  await page.waitForFunction(() => location.hash === '#section');
  await page.evaluate(() => history.pushState(null, '', '#top')); // fragment only, through the hook
  await page.evaluate(() => history.back()); // back to #section: still no view
  await page.waitForFunction(() => location.hash === '#section');
  await page.evaluate(() => history.go(-2)); // back over #section and /b?x=2 to /a: a view
  await waitTag(5);
  return {
    expected: [
      [`${root}`, ''],
      [`${root}/a`, root],
      [`${root}/b?x=1`, `${root}/a`],
      [`${root}/b?x=2`, `${root}/b?x=1`],
      [`${root}/a`, `${root}/b?x=2`],
    ],
    tagged,
  };
}


describe('single-page app, worker stubbed', () => {
  it('counts one view per route (pushState, replaceState, popstate), none for a fragment, and tags each', async () => {
    const ctx = await person('spa-walker');
    const got = await stubWorker(ctx);
    const root = `${shared.origin}/stub/spa`;
    const page = await open(ctx, root);
    const lengthBefore = await page.evaluate(() => history.length);
    const { expected, tagged } = await walkRoutes(page, root);
    // Nothing else arrives late: the last view is tagged, then a route-free pause.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(got.views.map((v) => [v.body.url, v.body.referrer]), expected);
    assert.ok(got.views.every((v) => v.body.parent === undefined && v.body.site === 'stub'));
    assert.ok(got.views.every((v) => v.contentType === 'text/plain;charset=UTF-8'));
    assert.deepEqual(tagged, expected.map(([u], i) => `${u}#ds=RouteFprint${String(i + 1).padStart(2, '0')}`));
    assert.equal(await page.evaluate(() => window.darkshare.fp()), 'RouteFprint05');
    // Entries: the app's 2 pushStates + #section + #top; tagging added none.
    assert.equal(await page.evaluate(() => history.length), lengthBefore + 4);
    assert.deepEqual(await page.evaluate(() => history.state), { route: '/a' }, 'the app\'s history.state is kept');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });

  it('copying and share buttons on a later route use that route\'s address and fingerprint', async () => {
    const ctx = await person('spa-copier');
    const got = await stubWorker(ctx);
    const root = `${shared.origin}/stub/spa`;
    const page = await open(ctx, root);
    await settled(page);
    await page.evaluate(() => window.app.go('/post?id=7'));
    await page.waitForFunction(() => location.hash === '#ds=RouteFprint02');
    const text = await copy(page, '#long');
    assert.ok(text.endsWith(`\n\nSource: ${root}/post?id=7#ds=RouteFprint02`), text);
    await eventually(() => got.events.length);
    assert.equal(got.events[0].body.fp, 'RouteFprint02');
    assert.equal(got.events[0].body.url, `${root}/post?id=7`);
    await page.click('#copy-link');
    await eventually(() => got.links.length);
    assert.deepEqual(got.links[0].body, { site: 'stub', url: `${root}/post?id=7`, channel: 'copy', parent: 'RouteFprint02' });
    assert.equal(got.shareParts, 1, 'the share part loads on the first share');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });

  it('a page that never navigates sends its one view only', async () => {
    const ctx = await person('spa-still');
    const got = await stubWorker(ctx);
    const page = await open(ctx, `${shared.origin}/stub/spa`);
    assert.equal((await settled(page)).fp, 'RouteFprint01');
    await page.click('#to-section');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(got.views.length, 1);
    assert.deepEqual([got.events, got.links, got.goals, got.other], [[], [], [], []]);
    assert.equal(got.shareParts, 0, 'the share part is not loaded by a page nobody shares from');
    assert.doesNotMatch(await page.evaluate(() => String(history.pushState)), /\[native code\]/, 'the hooks are installed');
    await ctx.close();
  });

  it('GPC: no hooks, no view on any route, no goal', async () => {
    const ctx = await person('spa-private', { gpc: true });
    const got = await stubWorker(ctx);
    const page = await open(ctx, `${shared.origin}/stub/spa`);
    await settled(page);
    assert.equal(await page.evaluate(() => window.darkshare.reason), 'gpc');
    assert.match(await page.evaluate(() => String(history.pushState)), /\[native code\]/, 'history left alone');
    await page.evaluate(() => window.app.go('/a'));
    await page.click('#signup');
    await page.click('#subscribe');
    await page.evaluate(() => window.darkshare.goal('Purchase', { value: 1, currency: 'EUR' }));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await page.evaluate(() => location.href), `${shared.origin}/stub/spa/a`, 'untagged');
    assert.equal(await page.evaluate(() => window.darkshare.fp()), undefined);
    assert.deepEqual([got.views, got.goals, got.other], [[], [], []], 'no request at all');
    await ctx.close();
  });
});

describe('goals, worker stubbed', () => {
  let ctx; let got; let page; let root;
  before(async () => {
    ctx = await person('goal-getter');
    got = await stubWorker(ctx);
    root = `${shared.origin}/stub/spa`;
    page = await open(ctx, root);
    await settled(page);
  });
  after(async () => ctx?.close());

  it('data-ds-goal on an element fires on click, also from inside it', async () => {
    await page.click('#signup');
    await page.click('#inner'); // a child of the span[data-ds-goal="Download"]
    await eventually(() => got.goals.length >= 2);
    assert.deepEqual(got.goals.map((g) => g.body), [
      { site: 'stub', name: 'Signup', url: root },
      { site: 'stub', name: 'Download', url: root },
    ]);
    assert.ok(got.goals.every((g) => g.contentType === 'text/plain;charset=UTF-8'), 'no CORS preflight');
  });

  it('a form with data-ds-goal fires once when submitted, not on the click of its button', async () => {
    got.goals.length = 0;
    await page.click('#subscribe'); // click → submit (the app prevents the page load)
    await page.focus('input[name=email]');
    await page.keyboard.press('Enter'); // implicit submission
    await eventually(() => got.goals.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(got.goals.map((g) => g.body.name), ['Newsletter', 'Newsletter']);
  });

  it('darkshare.goal(name, {value, currency}) and darkshare.fp()', async () => {
    got.goals.length = 0;
    await page.evaluate(() => window.app.go('/checkout/done'));
    await page.waitForFunction(() => location.hash === '#ds=RouteFprint02');
    assert.equal(await page.evaluate(() => window.darkshare.fp()), 'RouteFprint02');
    await page.evaluate(() => {
      window.darkshare.goal('Purchase', { value: 59.9, currency: 'EUR' });
      window.darkshare.goal('Trial');
    });
    await eventually(() => got.goals.length >= 2);
    assert.deepEqual(got.goals.map((g) => g.body), [
      { site: 'stub', name: 'Purchase', url: `${root}/checkout/done`, value: 59.9, currency: 'EUR' },
      { site: 'stub', name: 'Trial', url: `${root}/checkout/done` },
    ]);
    assert.deepEqual(page.errors, []);
  });
});

describe('single-page app against the worker', () => {
  it('the worker counts exactly the route views, one per route, on their own pages', async () => {
    const site = await createSite({ hosts: ['localhost'] });
    const ctx = await person('spa-live');
    const views = [];
    ctx.on('requestfinished', async (req) => {
      if (req.method() === 'POST' && req.url() === `${BASE}/api/views`) views.push((await req.response()).status());
    });
    const root = `${shared.origin}/live/${site.id}/spa`;
    const page = await open(ctx, root);
    const fps = [];
    const nextTag = async () => {
      await page.waitForFunction((seen) => /#ds=[0-9A-Za-z]{10,24}$/.test(location.hash) && !seen.includes(location.hash.slice(4)), fps);
      fps.push((await page.evaluate(() => location.href)).match(FP_AT_END)[1]);
    };
    await nextTag();
    await page.evaluate(() => window.app.go('/a'));
    await nextTag();
    await page.evaluate(() => window.app.go('/b?x=1', true));
    await nextTag();
    await page.click('#to-section');
    await page.evaluate(() => history.go(-2)); // over #section and /b?x=1 (replaced /a): back to the root
    await nextTag();
    assert.equal(new Set(fps).size, 4, 'every route view has a fingerprint of its own');
    assert.deepEqual(await eventually(() => views.length === 4 && views), [200, 200, 200, 200]);
    const stats = await eventually(async () => { const s = await statsToday(site); return s.totals.views === 4 && s; }, { timeoutMs: 15000 });
    assert.ok(stats, 'views: 4');
    const pages = Object.fromEntries(stats.pages.map((p) => [p.url, p.views]));
    assert.deepEqual(pages, { [root]: 2, [`${root}/a`]: 1, [`${root}/b`]: 1 }, 'pages are counted without their query');
    assert.equal(stats.totals.clicks, 0, 'a route view is no arrival');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
});
