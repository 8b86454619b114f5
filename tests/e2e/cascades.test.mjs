// Share cascades over HTTP on the real runtime (issue 12): trees grown by distinct people (each with
// their own user agent and CF-Connecting-IP) through page-view fingerprints and short links, read
// back from GET /api/stats (`cascades`, `key_sharers`, per-page `k_factor`) and GET
// /api/cascades/{id}. Every expected figure is computed here from the tree the test built — sizes,
// depths, reaches by walking it, structural virality by a breadth-first search from every node — and
// the drawn tree is compared by shape (a canonical form), since node ids are anonymous.
// Counting goes through the queue, so each read polls with `eventually`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, createSite, day, eventually, navigation } from '../support/harness.mjs';

let people = 0;
/** A new simulated person: their own user agent and their own address. */
function person(name) {
  people += 1;
  return {
    'user-agent': `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 cascade-${name}-${people}`,
    'cf-connecting-ip': `10.12.${Math.floor(people / 250)}.${(people % 250) + 1}`,
  };
}

/** A page view by `who`; returns the view's own fingerprint. */
async function view(site, who, page, parent) {
  const res = await api('POST', '/api/views', {
    raw: JSON.stringify({ site: site.id, url: page, referrer: '', title: 'T', ...(parent ? { parent } : {}) }),
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...who },
  });
  assert.equal(res.status, 200, res.text);
  return res.json.fp;
}

/** A short link; `parent` is the creating view's fingerprint (none: a root of its own). */
async function link(site, page, channel, parent) {
  const res = await api('POST', '/api/links', { body: { site: site.id, url: page, channel, ...(parent ? { parent } : {}) } });
  assert.ok(res.status === 201 || res.status === 200, res.text);
  return res.json.code;
}

/** `who` opens a short link (the redirect) and lands (the view); returns their own fingerprint. */
async function clickLink(site, who, code) {
  const hop = await api('GET', `/${code}`, { headers: { ...who, ...navigation } });
  assert.equal(hop.status, 302, hop.text);
  const location = new URL(hop.headers.get('location'));
  const fp = location.hash.slice('#ds='.length);
  return view(site, who, `${location.origin}${location.pathname}`, fp);
}

// ------------------------------------------------------------------ the expected figures

/** Figures of a tree given as {node: parent|null}, computed from scratch. */
function figures(parents) {
  const ids = Object.keys(parents);
  const children = Object.fromEntries(ids.map((id) => [id, []]));
  for (const id of ids) if (parents[id] !== null) children[parents[id]].push(id);
  const root = ids.find((id) => parents[id] === null);
  const depth = { [root]: 0 };
  const order = [root];
  for (let i = 0; i < order.length; i++) for (const c of children[order[i]]) { depth[c] = depth[order[i]] + 1; order.push(c); }
  const reach = {};
  for (const id of [...order].reverse()) reach[id] = children[id].reduce((a, c) => a + 1 + reach[c], 0);
  // Wiener index by a BFS from every node over the undirected tree.
  let total = 0;
  for (const start of ids) {
    const dist = { [start]: 0 };
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      const u = queue[i];
      for (const v of [...children[u], ...(parents[u] === null ? [] : [parents[u]])]) {
        if (!(v in dist)) { dist[v] = dist[u] + 1; queue.push(v); }
      }
    }
    total += Object.values(dist).reduce((a, b) => a + b, 0);
  }
  const n = ids.length;
  const virality = n < 2 ? 0 : Math.round((total / 2 / (n * (n - 1) / 2)) * 1000) / 1000;
  return {
    size: n, depth: Math.max(...Object.values(depth)), virality,
    sharers: ids.filter((id) => children[id].length).map((id) => ({ depth: depth[id], clicks: children[id].length, reach: reach[id] })),
    shape: canonical(root, children),
  };
}

/** A rooted tree's canonical form: equal for isomorphic trees whatever the node ids. */
function canonical(node, children) {
  return `(${children[node].map((c) => canonical(c, children)).sort().join('')})`;
}

/** The figures of a tree as GET /api/cascades/{id} returned it. */
function figuresOfAnswer(tree) {
  return figures(Object.fromEntries(tree.nodes.map((n) => [n.id, n.parent])));
}

const byFigures = (a, b) => b.reach - a.reach || b.clicks - a.clicks || a.depth - b.depth;

/**
 * The key sharers equal `expected`: in the contract's order (reach, then direct clicks, both
 * descending), and as a set of (depth, clicks, reach) — the order among equal reach and clicks is
 * not fixed, since ids are random.
 */
function assertSharers(actual, expected) {
  const figuresOf = (list) => list.map(({ depth, clicks, reach }) => ({ depth, clicks, reach }));
  assert.deepEqual(actual.map((s) => [s.reach, s.clicks]), [...expected].sort(byFigures).map((s) => [s.reach, s.clicks]), 'ordered by reach, then clicks');
  assert.deepEqual(figuresOf(actual).sort(byFigures), figuresOf(expected).sort(byFigures));
}

async function statsOf(site) {
  const res = await api('GET', `/api/stats?site=${site.id}&from=${day(-1)}&to=${day()}`, { token: site.stats_token });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/** Waits until the report lists cascades of exactly these sizes, and returns it. */
async function settled(site, sizes) {
  const want = JSON.stringify([...sizes].sort((a, b) => b - a));
  let last;
  const report = await eventually(async () => {
    last = await statsOf(site);
    return JSON.stringify(last.cascades.map((c) => c.size)) === want ? last : null;
  }, { timeoutMs: 30_000, everyMs: 250 });
  assert.ok(report, `cascades of sizes ${want} expected, got ${JSON.stringify(last && last.cascades)}`);
  return report;
}

async function tree(site, id) {
  const res = await api('GET', `/api/cascades/${id}?site=${site.id}`, { token: site.stats_token });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/** The report's row, the tree answer and the key sharers all equal what the test built. */
async function assertCascade(site, report, url, parents) {
  const want = figures(parents);
  const row = report.cascades.find((c) => c.url === url);
  assert.ok(row, `a cascade for ${url}: ${JSON.stringify(report.cascades)}`);
  assert.deepEqual(
    { size: row.size, depth: row.depth, structural_virality: row.structural_virality, clicks: row.clicks, first_day: row.first_day, last_day: row.last_day },
    { size: want.size, depth: want.depth, structural_virality: want.virality, clicks: want.size - 1, first_day: day(), last_day: day() },
  );
  const answer = await tree(site, row.id);
  assert.equal(answer.id, row.id);
  assert.equal(answer.url, url);
  assert.equal(answer.truncated, false);
  assert.deepEqual([answer.size, answer.depth, answer.structural_virality], [want.size, want.depth, want.virality]);
  assert.equal(answer.nodes.length, want.size);
  assert.equal(answer.nodes[0].id, row.id, 'the root comes first');
  assert.equal(answer.nodes[0].parent, null);
  const depths = answer.nodes.map((n) => n.depth);
  assert.deepEqual(depths, [...depths].sort((a, b) => a - b), 'level by level');
  const seen = new Set();
  for (const n of answer.nodes) {
    assert.ok(n.parent === null || seen.has(n.parent), 'every parent comes before its children');
    seen.add(n.id);
    assert.match(n.id, /^[0-9A-Za-z]{1,11}$/);
    assert.equal(n.day, day());
  }
  const got = figuresOfAnswer(answer);
  assert.equal(got.shape, want.shape, 'the stored tree has the shape the test built');
  assert.equal(got.virality, want.virality, 'the answer\'s own nodes give the same virality');
  return { row, answer, want };
}

// ------------------------------------------------------------------ the trees

/** A chain of 6 nodes: each person opens the URL the one before shared. */
test('a chain: size, depth, reach and structural virality (n+1)/3', async () => {
  const site = await createSite();
  const url = 'http://localhost/chain';
  const parents = { p0: null };
  let fp = await view(site, person('root'), url);
  for (let k = 1; k < 6; k++) {
    fp = await view(site, person(`c${k}`), url, fp);
    parents[`p${k}`] = `p${k - 1}`;
  }
  const report = await settled(site, [6]);
  const { want } = await assertCascade(site, report, url, parents);
  assert.equal(want.virality, Math.round((7 / 3) * 1000) / 1000, '(n + 1) / 3 for n = 6');
  assertSharers(report.key_sharers, want.sharers);
  assert.ok(report.key_sharers.every((s) => s.url === url));
  assert.deepEqual(report.pages.map((p) => [p.url, p.views, p.clicks, p.k_factor]), [[url, 6, 5, Math.round((5 / 6) * 1000) / 1000]]);
});

/** A star: 7 people open the original share, nobody reshares. */
test('a star: virality 2k/(k+1), reach on the root only', async () => {
  const site = await createSite();
  const url = 'http://localhost/star';
  const root = await view(site, person('root'), url);
  const parents = { r: null };
  for (let k = 0; k < 7; k++) {
    await view(site, person(`s${k}`), url, root);
    parents[`s${k}`] = 'r';
  }
  const report = await settled(site, [8]);
  const { want } = await assertCascade(site, report, url, parents);
  assert.equal(want.virality, 1.75, '2k / (k + 1) for k = 7');
  assertSharers(report.key_sharers, [{ depth: 0, clicks: 7, reach: 7 }]);
});

/**
 * A mixed tree with short links: Ann's view is the root. Ben opens her copied URL; Ann makes a
 * WhatsApp link (one of her shares) that Cat and Dan open; Dan's copied URL brings Eve, and Eve's
 * e-mail link brings Fay. A marketer's link without a parent is a cascade of its own: Gus and Hal
 * open it, Hal's URL brings Ivy. Not nodes: a preview bot fetching the link, a repeat, a self-visit.
 */
test('a mixed tree with short links, and a parentless link as its own root', async () => {
  const site = await createSite();
  const url = 'http://localhost/mixed';
  const other = 'http://localhost/campaign';
  const ann = person('ann');
  const annFp = await view(site, ann, url);
  await view(site, person('ben'), url, annFp);
  const annLink = await link(site, url, 'whatsapp', annFp);
  await clickLink(site, person('cat'), annLink);
  const dan = person('dan');
  const danFp = await clickLink(site, dan, annLink);
  const eve = person('eve');
  const eveFp = await view(site, eve, url, danFp);
  const eveLink = await link(site, url, 'email', eveFp);
  await clickLink(site, person('fay'), eveLink);
  const campaign = await link(site, other, 'slack');
  await clickLink(site, person('gus'), campaign);
  const halFp = await clickLink(site, person('hal'), campaign);
  await view(site, person('ivy'), other, halFp);
  // What is not a node.
  await api('GET', `/${annLink}`, { headers: { 'user-agent': 'WhatsApp/2.23.20.0 A', 'cf-connecting-ip': '10.99.0.1' } });
  await view(site, dan, url, annFp); // Dan again through Ann's copied URL: a new click of Dan's…
  await view(site, dan, url, annFp); // …counted once (same share, same person, same day)
  await view(site, ann, url, annFp); // Ann reopening her own URL

  // Dan's second arrival came through another share (Ann's copied URL, not her link): a node of its own.
  const mixed = { ann: null, ben: 'ann', cat: 'ann', dan: 'ann', danAgain: 'ann', eve: 'dan', fay: 'eve' };
  const report = await settled(site, [7, 4]);
  await assertCascade(site, report, url, mixed);
  await assertCascade(site, report, other, { link: null, gus: 'link', hal: 'link', ivy: 'hal' });
  // Eve and Hal tie (reach 1, one click each): their order is the store's.
  assertSharers(report.key_sharers, [...figures(mixed).sharers, ...figures({ link: null, gus: 'link', hal: 'link', ivy: 'hal' }).sharers]);
  assert.equal(report.key_sharers[0].reach, 6, 'Ann: everyone in her tree');
});

/** A cascade id that is no cascade's root is a 404; another site's token is refused. */
test('unknown cascades are 404 and trees are private to their site', async () => {
  const site = await createSite();
  const other = await createSite();
  assertError(await api('GET', `/api/cascades/abc123?site=${site.id}`, { token: site.stats_token }), 404, 'unknown_cascade');
  assertError(await api('GET', `/api/cascades/not-an-id?site=${site.id}`, { token: site.stats_token }), 404, 'unknown_cascade');
  assertError(await api('GET', `/api/cascades/abc123?site=${site.id}`, { token: other.stats_token }), 403);
  assertError(await api('GET', `/api/cascades/abc123?site=${site.id}`), 401);
  assertError(await api('GET', '/api/cascades/abc123', { token: site.stats_token }), 400, 'bad_field');
  const root = await view(site, person('a'), 'http://localhost/x');
  await view(site, person('b'), 'http://localhost/x', root);
  const report = await settled(site, [2]);
  assertError(await api('GET', `/api/cascades/${report.cascades[0].id}?site=${other.id}`, { token: other.stats_token }), 404, 'unknown_cascade');
});
