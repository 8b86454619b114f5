// Browser tests of the snippet, www/ds.js, in Debian's chromium (playwright-core).
//
// The fixture page (tests/fixtures/snippet-page.html) is served by a tiny node:http server on
// `localhost`; the snippet comes from another origin, so every request it makes is cross-origin,
// as on a real site.
//
// - "snippet, worker stubbed": the worker is replaced with page routes on http://worker.test, so these
//   tests pin down the snippet's own rules (what it sends, when it tags, what it copies) whatever
//   the worker does.
// - "snippet against the worker": the real worker at BASE (started by scripts/test), followed through
//   a chain of people: alice copies, bob opens her link (depth 1), carol opens bob's (depth 2).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { BASE, api, createSite, statsToday, eventually } from '../support/harness.mjs';
import { STUB, browserPerFile, openPage, personContext } from '../support/browser.mjs';

const ROOT = new URL('../../', import.meta.url);
const FIXTURE = readFileSync(new URL('tests/fixtures/snippet-page.html', ROOT), 'utf8');
const SNIPPET = () => readFileSync(new URL('www/ds.js', ROOT), 'utf8');
const SHARE_PART = () => readFileSync(new URL('www/ds-share.js', ROOT), 'utf8');
const OWN = 'OwnFingerprint01'; // what the stubbed worker answers as a view's fp
const PARENT = 'ParentPrint0001'; // a well-formed fingerprint in an arrived URL
const FP_AT_END = /#ds=([0-9A-Za-z]{10,24})$/;
const LONG = 'Most links are shared in private messages, where no referrer survives the trip, so analytics ' +
  'files them under direct traffic and the share itself stays invisible.';

const shared = browserPerFile({ fixture: FIXTURE });

/** A browser context for one person, allowed to read the clipboard of the fixture's origin. */
async function person(name, { gpc = false, dnt = false, telegram = false } = {}) {
  // Own user agent, own address (CF-Connecting-IP, added after the page's CORS checks).
  const context = await personContext(shared.browser, name, shared.origin);
  // Runs before any page script: note history's length, give the page some history.state (the
  // snippet must keep both), and set the browser's privacy signals.
  await context.addInitScript(({ gpc, dnt, telegram }) => {
    window.__historyLength = history.length;
    history.replaceState({ app: 'state' }, '');
    if (gpc) Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
    if (dnt) Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' });
    if (telegram) window.TelegramWebviewProxy = { postEvent() {} };
  }, { gpc, dnt, telegram });
  return context;
}

/** Opens a page and collects its uncaught errors: the snippet must never cause one. */
const open = (context, url) => openPage(context, url);

/** Waits until the snippet has done its view (counted or not). */
async function settled(page) {
  await page.waitForFunction(() => window.darkshare && window.darkshare.ready);
  return page.evaluate(() => window.darkshare.ready.then(() => ({
    fp: window.darkshare.fp(), reason: window.darkshare.reason, hash: location.hash,
    historyLength: history.length, initialHistoryLength: window.__historyLength, state: history.state,
  })));
}

/** Selects an element's text the way a visitor would, copies it (Ctrl+C) and reads the clipboard. */
async function copy(page, selector) {
  await page.evaluate((sel) => navigator.clipboard.writeText('(clipboard before copy)').then(() => {
    const el = document.querySelector(sel);
    if (el.select) { el.focus(); el.select(); return; }
    const range = document.createRange();
    range.selectNodeContents(el);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  }), selector);
  await page.keyboard.press('Control+C');
  return page.evaluate(async () => {
    const [item] = await navigator.clipboard.read();
    const html = item.types.includes('text/html') ? await (await item.getType('text/html')).text() : null;
    return { text: await navigator.clipboard.readText(), html };
  });
}

/** Replaces the worker with routes on STUB; returns the JSON bodies it received, by path. */
async function stubWorker(context, { views, links } = {}) {
  const got = { views: [], events: [], links: [], other: [] };
  const cors = { 'access-control-allow-origin': shared.origin };
  await context.route(`${STUB}/**`, async (route) => {
    const req = route.request();
    const path = new URL(req.url()).pathname;
    if (path === '/ds.js') return route.fulfill({ contentType: 'text/javascript', body: SNIPPET() });
    if (path === '/ds-share.js') return route.fulfill({ contentType: 'text/javascript', body: SHARE_PART() });
    const body = JSON.parse(req.postData() || 'null');
    const json = (status, obj) => route.fulfill({ status, headers: cors, contentType: 'application/json', body: JSON.stringify(obj) });
    if (path === '/api/views') {
      got.views.push({ body, contentType: req.headers()['content-type'] });
      return views ? views(route, body, json) : json(200, { fp: OWN });
    }
    if (path === '/api/events') { got.events.push({ body, contentType: req.headers()['content-type'] }); return json(202, {}); }
    if (path === '/api/links') {
      got.links.push({ body });
      return links ? links(route, body, json)
        : json(201, { code: 'Ab12Cd', short_url: `${STUB}/Ab12Cd`, url: body.url, channel: body.channel });
    }
    got.other.push(req.url());
    return json(404, { error: { code: 'not_found', message: 'stub' } });
  });
  return got;
}


describe('snippet, worker stubbed', () => {
  it('reports the view as text/plain JSON and tags the address bar without a history entry', async () => {
    const ctx = await person('tagger');
    const got = await stubWorker(ctx);
    const page = await open(ctx, `${shared.origin}/stub/article?x=1`);
    const s = await settled(page);
    assert.equal(got.views.length, 1);
    assert.deepEqual(got.views[0].body, {
      site: 'stub', url: `${shared.origin}/stub/article?x=1`, referrer: '', title: 'The quiet power of private sharing',
    });
    assert.equal(got.views[0].contentType, 'text/plain;charset=UTF-8', 'no CORS preflight');
    assert.equal(s.fp, OWN);
    assert.equal(s.reason, '');
    assert.equal(page.url(), `${shared.origin}/stub/article?x=1#ds=${OWN}`);
    assert.equal(s.historyLength, s.initialHistoryLength, 'replaceState only: no new history entry');
    assert.deepEqual(s.state, { app: 'state' }, 'history.state is kept');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });

  for (const fragment of ['#section', '#/route/1']) {
    it(`keeps a page's own fragment (${fragment}) and still counts the view`, async () => {
      const ctx = await person('anchors');
      const got = await stubWorker(ctx);
      const page = await open(ctx, `${shared.origin}/stub/article${fragment}`);
      const s = await settled(page);
      assert.equal(got.views.length, 1);
      assert.equal(got.views[0].body.parent, undefined);
      assert.equal(s.fp, OWN);
      assert.equal(s.hash, fragment);
      // Copying still attributes: the copied URL carries the fingerprint instead.
      const { text } = await copy(page, '#long');
      assert.ok(text.endsWith(`${shared.origin}/stub/article#ds=${OWN}`), text);
      await ctx.close();
    });
  }

  it('reports the arrived fingerprint as parent, then swaps in its own', async () => {
    const ctx = await person('arriver');
    const got = await stubWorker(ctx);
    const page = await open(ctx, `${shared.origin}/stub/article#ds=${PARENT}`);
    const s = await settled(page);
    assert.equal(got.views.length, 1);
    assert.equal(got.views[0].body.parent, PARENT);
    assert.equal(got.views[0].body.url, `${shared.origin}/stub/article`, 'the reported url has no fragment');
    assert.equal(s.hash, `#ds=${OWN}`);
    assert.equal(s.historyLength, s.initialHistoryLength);
    await ctx.close();
  });

  it('sends the view again without a parent the worker refused (400 bad_fingerprint)', async () => {
    const ctx = await person('forger');
    const got = await stubWorker(ctx, {
      views: (route, body, json) => (body.parent
        ? json(400, { error: { code: 'bad_fingerprint', message: 'invalid fingerprint' } })
        : json(200, { fp: OWN })),
    });
    const page = await open(ctx, `${shared.origin}/stub/article#ds=AAAAAAAAAAAAAAAAAAAAA`);
    const s = await settled(page);
    assert.deepEqual(got.views.map((v) => v.body.parent), ['AAAAAAAAAAAAAAAAAAAAA', undefined]);
    assert.equal(s.hash, `#ds=${OWN}`, 'the forged fingerprint is replaced by a genuine one');
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });

  /** A view refused for any other reason (rate limited, storage down, network) is not sent again
   *  without its parent: that would count a real arrival as an organic view. */
  it('does not drop the parent after a 429 or 503 (only after bad_fingerprint)', async () => {
    for (const [status, code] of [[429, 'rate_limited'], [503, 'storage_unavailable']]) {
      const ctx = await person(`arrival-${status}`);
      const got = await stubWorker(ctx, { views: (route, body, json) => json(status, { error: { code, message: 'no' } }) });
      const page = await open(ctx, `${shared.origin}/stub/article#ds=${PARENT}`);
      const s = await settled(page);
      assert.deepEqual(got.views.map((v) => v.body.parent), [PARENT], `${status}: sent once, with its parent`);
      assert.equal(s.fp, undefined);
      assert.equal(s.hash, `#ds=${PARENT}`, `${status}: the arrived URL is left as it was`);
      assert.deepEqual(page.errors, []);
      await ctx.close();
    }
  });

  for (const [signal, reason] of [['gpc', 'gpc'], ['dnt', 'dnt']]) {
    it(`${signal.toUpperCase()}: sends nothing, tags nothing, changes no copy`, async () => {
      const ctx = await person(`private-${signal}`, { [signal]: true });
      const got = await stubWorker(ctx);
      const page = await open(ctx, `${shared.origin}/stub/article#ds=${PARENT}`);
      const s = await settled(page);
      assert.equal(s.reason, reason);
      assert.equal(s.fp, undefined);
      assert.equal(page.url(), `${shared.origin}/stub/article#ds=${PARENT}`, 'URL untouched');
      const { text } = await copy(page, '#long');
      assert.equal(text, LONG);
      // Share buttons still work, without a short link: the plain page URL is shared.
      assert.equal(await page.evaluate(() => window.darkshare.link('whatsapp')), `${shared.origin}/stub/article`);
      assert.deepEqual([got.views, got.events, got.links, got.other], [[], [], [], []], 'no request at all');
      await ctx.close();
    });
  }

  it('hints a Telegram in-app browser', async () => {
    const ctx = await person('telegram-user', { telegram: true });
    const got = await stubWorker(ctx);
    await settled(await open(ctx, `${shared.origin}/stub/article`));
    assert.equal(got.views[0].body.hint, 'telegram');
    await ctx.close();
  });

  it('copy of >= 7 words: appends the fingerprinted URL (text and HTML) and beacons a copy event', async () => {
    const ctx = await person('copier');
    const got = await stubWorker(ctx);
    const page = await open(ctx, `${shared.origin}/stub/article`);
    await settled(page);
    const { text, html } = await copy(page, '#long');
    const url = `${shared.origin}/stub/article#ds=${OWN}`;
    assert.equal(text, `${LONG}\n\nSource: ${url}`);
    assert.match(html, new RegExp(`<a href="${url}">${url}</a>`));
    assert.match(html, /Most links are shared in private messages/);
    await eventually(() => got.events.length);
    assert.equal(got.events.length, 1);
    assert.equal(got.events[0].contentType, 'text/plain;charset=UTF-8');
    assert.deepEqual(got.events[0].body, {
      site: 'stub', fp: OWN, type: 'copy', url: `${shared.origin}/stub/article`, text: LONG.slice(0, 200), text_length: LONG.length,
    });
    mkdirSync(new URL('.tmp/', ROOT), { recursive: true });
    await page.screenshot({ path: new URL('.tmp/snippet.png', ROOT).pathname, fullPage: true });
    await ctx.close();
  });

  it('leaves short selections, form fields and editors alone, and does not count them', async () => {
    const ctx = await person('short-copier');
    const got = await stubWorker(ctx);
    const page = await open(ctx, `${shared.origin}/stub/article`);
    await settled(page);
    assert.equal((await copy(page, '#short')).text, 'Dark social matters.');
    assert.equal((await copy(page, '#field')).text,
      'Text typed into a form field by the visitor is theirs and stays untouched when copied.');
    assert.equal((await copy(page, '#editor')).text,
      'An editor on the page copies its own way and keeps every single word intact.');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(got.events.length, 0);
    await ctx.close();
  });

  it('link(channel) makes a short link with the own fingerprint as parent', async () => {
    const ctx = await person('linker');
    const got = await stubWorker(ctx);
    const page = await open(ctx, `${shared.origin}/stub/article#section`);
    await settled(page);
    assert.equal(await page.evaluate(() => window.darkshare.link('whatsapp')), `${STUB}/Ab12Cd`);
    assert.deepEqual(got.links[0].body, { site: 'stub', url: `${shared.origin}/stub/article`, channel: 'whatsapp', parent: OWN });
    // A refusal reaches the caller as the worker's error.
    await stubWorker(ctx, { links: (route, body, json) => json(403, { error: { code: 'host_not_allowed', message: 'no' } }) });
    assert.equal(await page.evaluate(() => window.darkshare.link('x').catch((e) => e.code)), 'host_not_allowed');
    await ctx.close();
  });

  it('data-darkshare buttons: a share target opens with the short link; "copy" copies it', async () => {
    const ctx = await person('sharer');
    await stubWorker(ctx);
    await ctx.route('https://wa.me/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>wa</title>' }));
    const page = await open(ctx, `${shared.origin}/stub/article`);
    await settled(page);
    const [popup] = await Promise.all([ctx.waitForEvent('page'), page.click('text=WhatsApp')]);
    await popup.waitForURL(/^https:\/\/wa\.me\//);
    assert.equal(popup.url(), `https://wa.me/?text=${encodeURIComponent('The quiet power of private sharing')}%20${encodeURIComponent(`${STUB}/Ab12Cd`)}`);
    assert.equal(await popup.evaluate(() => window.opener), null, 'the share target cannot reach back');
    await page.click('#copy-link');
    assert.equal(await eventually(async () => {
      const t = await page.evaluate(() => navigator.clipboard.readText());
      return t === `${STUB}/Ab12Cd` && t;
    }), `${STUB}/Ab12Cd`);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });

  it('worker unreachable: no error in the page, no tag, copying unchanged', async () => {
    const ctx = await person('offline');
    await stubWorker(ctx, { views: (route) => route.abort('connectionrefused') });
    const page = await open(ctx, `${shared.origin}/stub/article`);
    const s = await settled(page);
    assert.equal(s.fp, undefined);
    assert.equal(s.hash, '');
    assert.equal((await copy(page, '#long')).text, LONG);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
});

describe('snippet against the worker', () => {
  let site;
  const posts = []; // {path, body, status} of every POST a page sent to the worker
  const contexts = [];

  /** A person's context whose POSTs to the worker are recorded (with the worker's answer). */
  async function livePerson(name, opts) {
    const ctx = await person(name, opts);
    contexts.push(ctx);
    ctx.on('requestfinished', async (req) => {
      if (req.method() !== 'POST' || !req.url().startsWith(BASE)) return;
      const res = await req.response().catch(() => null);
      posts.push({ who: name, path: new URL(req.url()).pathname, body: JSON.parse(req.postData()), status: res && res.status() });
    });
    ctx.on('requestfailed', (req) => {
      if (req.url().startsWith(BASE)) posts.push({ who: name, path: new URL(req.url()).pathname, failed: req.failure() });
    });
    return ctx;
  }
  const postsOf = (who, path) => posts.filter((p) => p.who === who && p.path === path);
  /** Waits until `who` sent `n` POSTs to `path` and they were answered. */
  const waitPosts = (who, path, n) => eventually(() => postsOf(who, path).length >= n, { timeoutMs: 8000 });

  let alice; let aliceFp; let copiedUrl;
  let bob; let bobUrl;

  before(async () => {
    site = await createSite({ hosts: ['localhost', '127.0.0.1'] });
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
  });

  it('serves the snippet at /ds.js, and its share part at /ds-share.js', async () => {
    const res = await api('GET', '/ds.js');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /javascript/);
    assert.equal(res.text, SNIPPET());
    const part = await api('GET', '/ds-share.js');
    assert.equal(part.status, 200);
    assert.match(part.headers.get('content-type'), /javascript/);
    assert.equal(part.text, SHARE_PART());
  });

  it('alice: her view is counted and her address bar carries her fingerprint', async () => {
    alice = await open(await livePerson('alice'), `${shared.origin}/live/${site.id}/article`);
    const s = await settled(alice);
    assert.match(alice.url(), FP_AT_END);
    aliceFp = alice.url().match(FP_AT_END)[1];
    assert.equal(s.fp, aliceFp);
    assert.equal(s.historyLength, s.initialHistoryLength);
    await waitPosts('alice', '/api/views', 1);
    assert.deepEqual(postsOf('alice', '/api/views').map((p) => [p.status, p.body.parent]), [[200, undefined]]);
    assert.deepEqual(alice.errors, []);
  });

  it('alice copies a paragraph: the copy carries her fingerprinted URL and is counted', async () => {
    const { text } = await copy(alice, '#long');
    copiedUrl = `${shared.origin}/live/${site.id}/article#ds=${aliceFp}`;
    assert.equal(text, `${LONG}\n\nSource: ${copiedUrl}`);
    await waitPosts('alice', '/api/events', 1);
    const [ev] = postsOf('alice', '/api/events');
    assert.deepEqual(ev.body, { site: site.id, fp: aliceFp, type: 'copy', url: `${shared.origin}/live/${site.id}/article`, text: LONG.slice(0, 200), text_length: LONG.length });
    const stats = await eventually(async () => { const s = await statsToday(site); return s.totals.copies === 1 && s; });
    assert.ok(stats, 'copies: 1');
    await alice.screenshot({ path: new URL('.tmp/snippet.png', ROOT).pathname, fullPage: true });
  });

  it('bob opens the copied URL (no referrer): one dark click at depth 1', async () => {
    bob = await open(await livePerson('bob'), copiedUrl);
    await settled(bob);
    bobUrl = bob.url();
    assert.match(bobUrl, FP_AT_END);
    assert.notEqual(bobUrl.match(FP_AT_END)[1], aliceFp, 'bob gets his own fingerprint');
    assert.equal(postsOf('bob', '/api/views')[0].body.parent, aliceFp);
    const stats = await eventually(async () => { const s = await statsToday(site); return s.totals.clicks === 1 && s; });
    assert.ok(stats, 'clicks: 1');
    assert.equal(stats.totals.dark_clicks, 1);
    assert.deepEqual(stats.generations, [{ depth: 1, clicks: 1 }]);
  });

  it("carol opens bob's reshared URL: a click at depth 2", async () => {
    const carol = await open(await livePerson('carol'), bobUrl);
    await settled(carol);
    const stats = await eventually(async () => { const s = await statsToday(site); return s.totals.clicks === 2 && s; });
    assert.ok(stats, 'clicks: 2');
    assert.equal(stats.totals.dark_clicks, 2);
    assert.deepEqual(stats.generations, [{ depth: 1, clicks: 1 }, { depth: 2, clicks: 1 }]);
  });

  it('bob reloads: no new click', async () => {
    await bob.reload();
    await settled(bob);
    await waitPosts('bob', '/api/views', 2);
    assert.equal(postsOf('bob', '/api/views')[1].status, 200);
    assert.equal((await statsToday(site)).totals.clicks, 2);
  });

  it('dave arrives with a forged fingerprint: refused, the view is sent again without it, no click', async () => {
    const dave = await open(await livePerson('dave'), `${shared.origin}/live/${site.id}/article#ds=AAAAAAAAAAAAAAAAAAAAA`);
    await settled(dave);
    await waitPosts('dave', '/api/views', 2);
    assert.deepEqual(postsOf('dave', '/api/views').map((p) => [p.status, p.body.parent]),
      [[400, 'AAAAAAAAAAAAAAAAAAAAA'], [200, undefined]]);
    assert.match(dave.url(), FP_AT_END);
    assert.notEqual(dave.url().match(FP_AT_END)[1], 'AAAAAAAAAAAAAAAAAAAAA');
    assert.equal((await statsToday(site)).totals.clicks, 2);
  });

  it('erin has Global Privacy Control: no request, URL untouched', async () => {
    const ctx = await livePerson('erin', { gpc: true });
    const requests = [];
    ctx.on('request', (r) => { if (r.url().startsWith(BASE) && !r.url().endsWith('/ds.js')) requests.push(r.url()); });
    const erin = await open(ctx, bobUrl);
    const s = await settled(erin);
    assert.equal(s.reason, 'gpc');
    assert.equal(erin.url(), bobUrl);
    await copy(erin, '#long');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(requests, []);
    assert.equal((await statsToday(site)).totals.clicks, 2);
  });

  it('darkshare.link() returns a short link of the worker, which redirects to the page', async () => {
    const shortUrl = await alice.evaluate(() => window.darkshare.link('whatsapp'));
    assert.ok(shortUrl.startsWith(`${BASE}/`), shortUrl);
    await waitPosts('alice', '/api/links', 1);
    const [link] = postsOf('alice', '/api/links');
    assert.deepEqual(link.body, { site: site.id, url: `${shared.origin}/live/${site.id}/article`, channel: 'whatsapp', parent: aliceFp });
    assert.ok([200, 201].includes(link.status));
    const res = await api('GET', shortUrl.slice(BASE.length));
    assert.equal(res.status, 302);
    assert.ok(res.headers.get('location').startsWith(`${shared.origin}/live/${site.id}/article`), res.headers.get('location'));
    assert.match(res.headers.get('location'), /#ds=[0-9A-Za-z]{10,24}$/);
  });
});
