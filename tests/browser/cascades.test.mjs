// Browser tests of the stats page's "Cascades" section (www/stats/cascades.js) in Debian's chromium.
// The page is served from www/ by a tiny node:http server and /api/stats and /api/cascades/{id} are
// answered by page routes with known trees, so the drawing can be checked node by node: the count,
// the depth axis, parents above children, the root marked, colours by channel, the key sharers.
// No worker needed.
//
// Screenshots for a human to judge: .tmp/cascades-desktop.png, .tmp/cascades-phone.png and
// .tmp/cascades-big.png (a 5,000-node tree, truncated).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, SHOTS, browserPerFile, signInToMock } from '../support/browser.mjs';

const DESKTOP = { width: 1280, height: 1000 };
const today = new Date().toISOString().slice(0, 10);

/** A tree from [id, parent id, channel] rows (root first), with depths and days filled in. */
function tree(id, url, rows, { truncated = false, size } = {}) {
  const depth = {};
  const nodes = rows.map(([node, parent, channel]) => {
    depth[node] = parent === null ? 0 : depth[parent] + 1;
    return { id: node, parent, depth: depth[node], channel, day: today };
  });
  const maxDepth = Math.max(...nodes.map((n) => n.depth));
  return { id, url, size: size ?? nodes.length, depth: maxDepth, structural_virality: 0, nodes, truncated };
}

// A mixed tree: the root's copy-paste share (1 click, reshared twice over) and a short link of the
// root's on WhatsApp (3 clicks, one of them reshared by e-mail). 9 nodes, depth 3.
const MIXED = tree('Root1', 'https://example.com/post', [
  ['Root1', null, null],
  ['a', 'Root1', 'copy'], ['b', 'Root1', 'whatsapp'], ['c', 'Root1', 'whatsapp'], ['d', 'Root1', 'whatsapp'],
  ['e', 'a', 'signal'], ['f', 'b', 'email'],
  ['g', 'e', 'telegram'], ['h', 'e', 'telegram'],
]);
// A chain of 6: depth 5.
const CHAIN = tree('Chain1', 'https://example.com/chain', [
  ['Chain1', null, null], ['c1', 'Chain1', 'sms'], ['c2', 'c1', 'sms'], ['c3', 'c2', 'sms'], ['c4', 'c3', 'sms'], ['c5', 'c4', 'sms'],
]);
// 5,000 nodes shown of 100,000: a wide, deep random tree.
const BIG = (() => {
  const rows = [['Big1', null, null]];
  const channels = ['whatsapp', 'telegram', 'email', 'slack', 'copy', 'dark'];
  let seed = 7;
  for (let i = 1; i < 5000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const parent = i < 4 ? 0 : Math.floor(i / 4) + (seed % 3) - 1;
    rows.push([`n${i}`, rows[Math.max(0, Math.min(i - 1, parent))][0], channels[seed % channels.length]]);
  }
  return tree('Big1', 'https://example.com/viral', rows, { truncated: true, size: 100000 });
})();

const TREES = { Root1: MIXED, Chain1: CHAIN, Big1: BIG };
const summary = (t, virality) => ({ id: t.id, url: t.url, size: t.size, depth: t.depth, structural_virality: virality,
  clicks: t.size - 1, first_day: today, last_day: today });

function report(cascades) {
  return {
    site: 'demo', from: today, to: today,
    totals: { views: 40, copies: 2, shares: 5, clicks: 13, dark_clicks: 9, previews: 0, share_to_click: 2.6 },
    channels: [{ channel: 'whatsapp', shares: 1, clicks: 4, previews: 0 }],
    timeseries: [{ date: today, views: 40, copies: 2, shares: 5, clicks: 13, dark_clicks: 9 }],
    pages: [{ url: 'https://example.com/post', views: 40, shares: 5, clicks: 13, k_factor: 0.325 }],
    copied_texts: [], generations: [{ depth: 1, clicks: 6 }], k_factor: 0.325,
    cascades,
    key_sharers: [
      { id: 'Root1', url: 'https://example.com/post', depth: 0, clicks: 4, reach: 8 },
      { id: 'a', url: 'https://example.com/post', depth: 1, clicks: 1, reach: 3 },
      { id: 'e', url: 'https://example.com/post', depth: 2, clicks: 2, reach: 2 },
    ],
  };
}

const shared = browserPerFile({ statsPage: true });

/** A signed-in page whose API answers `stats` and the trees above; tree requests are recorded. */
async function open({ cascades, viewport = DESKTOP, locale = 'en-US' }) {
  const context = await shared.browser.newContext({ viewport, locale });
  const page = await context.newPage();
  page.treeRequests = [];
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  await page.route(/\/api\/stats\?/, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(report(cascades)) }));
  await page.route(/\/api\/cascades\//, (route) => {
    const url = new URL(route.request().url());
    const id = decodeURIComponent(url.pathname.split('/').pop());
    page.treeRequests.push({ id, site: url.searchParams.get('site'), auth: route.request().headers().authorization });
    const t = TREES[id];
    if (!t) return route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"unknown_cascade","message":"no cascade with this id"}}' });
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(t) });
  });
  await signInToMock(page, shared.origin);
  return page;
}

/** What the drawing shows: node circles with their position, depth, channel and root mark. */
async function drawing(page) {
  return page.$eval('svg[data-chart="cascade"]', (el) => ({
    nodes: Number(el.dataset.nodes),
    depth: Number(el.dataset.depth),
    axis: [...el.querySelectorAll('[data-axis-depth]')].map((t) => Number(t.dataset.axisDepth)),
    circles: [...el.querySelectorAll('circle[data-node]')].map((c) => ({
      id: c.dataset.node, depth: Number(c.dataset.depth), channel: c.dataset.channel, root: c.dataset.root === 'true',
      x: Number(c.getAttribute('cx')), y: Number(c.getAttribute('cy')), fill: getComputedStyle(c).fill,
    })),
  }));
}

describe('stats page, cascades section', () => {
  /** The largest cascade is drawn as the known tree: every node once, depths on the axis. */
  it('draws the largest cascade node for node, with the root marked and parents above children', async () => {
    const page = await open({ cascades: [summary(MIXED, 1.889), summary(CHAIN, 2.333)] });
    await page.locator('svg[data-chart="cascade"]').waitFor();
    assert.deepEqual(page.treeRequests, [{ id: 'Root1', site: 'demo', auth: 'Bearer dst_mock' }]);
    const d = await drawing(page);
    assert.equal(d.nodes, 9);
    assert.equal(d.circles.length, 9, 'one circle per node');
    assert.equal(d.depth, 3);
    assert.deepEqual(d.axis, [0, 1, 2, 3], 'the depth axis names every generation');
    assert.deepEqual(d.circles.filter((c) => c.root).map((c) => c.id), ['Root1'], 'exactly the root is marked');
    const byId = Object.fromEntries(d.circles.map((c) => [c.id, c]));
    for (const n of MIXED.nodes) {
      assert.equal(byId[n.id].depth, n.depth, n.id);
      if (n.parent) assert.ok(byId[n.id].y > byId[n.parent].y, `${n.id} is drawn below its parent`);
    }
    // Same depth → same row; colours follow the channel.
    assert.equal(byId.b.y, byId.a.y);
    assert.equal(byId.b.fill, byId.c.fill, 'two WhatsApp clicks share a colour');
    assert.notEqual(byId.b.fill, byId.f.fill, 'WhatsApp and e-mail differ');
    assert.equal(byId.b.fill, 'rgb(37, 211, 102)', 'WhatsApp green');
    const label = await page.getAttribute('svg[data-chart="cascade"]', 'aria-label');
    assert.match(label, /9 people, depth 3, structural virality 1\.89/);
    assert.match(await page.textContent('#cascades'), /1 ≈ a broadcast/, 'structural virality is explained');
    assert.deepEqual(page.errors, []);
  });

  /** Picking another cascade fetches and draws that tree; going back uses the one already fetched. */
  it('draws the cascade a marketer picks, fetching each tree once', async () => {
    const page = await open({ cascades: [summary(MIXED, 1.889), summary(CHAIN, 2.333)] });
    await page.locator('svg[data-chart="cascade"][data-nodes="9"]').waitFor();
    await page.click('#cascade-list tr[data-cascade="Chain1"] button');
    await page.locator('svg[data-chart="cascade"][data-nodes="6"]').waitFor();
    const d = await drawing(page);
    assert.equal(d.depth, 5);
    assert.equal(new Set(d.circles.map((c) => c.x)).size, 1, 'a chain is one vertical line');
    assert.equal(await page.getAttribute('#cascade-list tr[data-cascade="Chain1"] button', 'aria-pressed'), 'true');
    await page.click('#cascade-list tr[data-cascade="Root1"] button');
    await page.locator('svg[data-chart="cascade"][data-nodes="9"]').waitFor();
    assert.deepEqual(page.treeRequests.map((r) => r.id), ['Root1', 'Chain1']);
    await page.screenshot({ path: new URL('cascades-desktop.png', SHOTS).pathname, fullPage: true });
  });

  /** The key sharers table lists anonymous ids with reach, direct clicks and depth. */
  it('lists the key sharers with reach, clicks and depth, and speaks German', async () => {
    const page = await open({ cascades: [summary(MIXED, 1.889)], locale: 'de-DE' });
    await page.locator('svg[data-chart="cascade"]').waitFor();
    const rows = await page.$$eval('#key-sharers tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    assert.deepEqual(rows, [
      ['Root1', 'example.com/post', '8', '0', '4', '0'],
      ['a', 'example.com/post', '3', '0', '1', '1'],
      ['e', 'example.com/post', '2', '0', '2', '2'],
    ]);
    assert.equal(await page.textContent('#h-cascades'), 'Kaskaden');
    assert.match(await page.textContent('#cascades'), /1 ≈ Rundruf/);
    assert.match(await page.getAttribute('svg[data-chart="cascade"]', 'aria-label'), /strukturelle Viralität 1,89/);
  });

  /** A period without cascades says so and fetches nothing. */
  it('says when no cascade had a click in the period', async () => {
    const page = await open({ cascades: [] });
    await page.locator('#cascades p.muted >> nth=1').waitFor();
    assert.match(await page.textContent('#cascades'), /No cascade had a click/);
    assert.equal(await page.locator('svg[data-chart="cascade"]').count(), 0);
    assert.deepEqual(page.treeRequests, []);
  });

  /** 5,000 of 100,000 nodes: drawn in full, said to be truncated, readable on a phone. */
  it('draws a truncated 5,000-node tree and says so', async () => {
    const page = await open({ cascades: [summary(BIG, 7.412)] });
    await page.locator('svg[data-chart="cascade"]').waitFor();
    const d = await drawing(page);
    assert.equal(d.circles.length, 5000);
    assert.equal(d.depth, BIG.depth);
    assert.match(await page.textContent('[data-cascade-summary]'), /100,000 people.*first 5,000/);
    await page.locator('#h-cascades').scrollIntoViewIfNeeded();
    await page.screenshot({ path: new URL('cascades-big.png', SHOTS).pathname, fullPage: true });
    const phone = await open({ cascades: [summary(MIXED, 1.889), summary(BIG, 7.412)], viewport: PHONE });
    await phone.locator('svg[data-chart="cascade"]').waitFor();
    const width = await phone.$eval('svg[data-chart="cascade"]', (el) => el.getBoundingClientRect().width);
    assert.ok(width <= PHONE.width, `the drawing fits a phone (${width}px)`);
    await phone.screenshot({ path: new URL('cascades-phone.png', SHOTS).pathname, fullPage: true });
  });
});
