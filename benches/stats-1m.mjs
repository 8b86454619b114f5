// GET /api/stats over a big local D1: loads 1,000,000 click events (plus views, copies and shares)
// into Miniflare's D1 (persisted to a temporary directory), copies them into the site's Durable
// Object as an existing deployment would (POST /api/admin/migrate), then times a 90-day stats
// report through the worker. Run with `scripts/bench --stats` (or `node benches/stats-1m.mjs` after
// scripts/build); see docs/performance.md.
//
// How the data gets in (the fastest honest path): what the queue consumer writes for each event,
// generated in SQL instead of one HTTP request per event: its de-duplication key in `seen` and the
// same `INSERT … ON CONFLICT DO UPDATE` increments of `daily_channels` / `daily_pages` /
// `daily_texts`, one per event (the consumer sums them per batch). Everything is spread over 90
// days × 50 pages × 10 channels × depths 1–4 with a deterministic hash, in statements of 100,000
// rows (`WITH RECURSIVE` row generators). Sizes via STATS_CLICKS, STATS_VIEWS, STATS_COPIES,
// STATS_SHARES; STATS_REQUESTS (50) timed requests.
//
// Plus one big share cascade (issue 12, STATS_CASCADE nodes, default 100,000) grown one click at a
// time through the worker's own add-node statements (src/edge/site/cascade_add_node.sql, read from the
// file, 100 clicks per D1 exec): a viral tree with hubs and long reshare chains over the 90 days.
// It times GET /api/cascades/{id} for that tree (capped at 5,000 nodes) and shows how the cost of
// adding a node changes as the tree grows.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADMIN_TOKEN, ROOT, call, dayNumber, expectStatus, isoDay, snapshotBuild, startOurs, timeRequests,
} from './lib.mjs';

const N = {
  clicks: Number(process.env.STATS_CLICKS ?? 1_000_000),
  views: Number(process.env.STATS_VIEWS ?? 500_000),
  copies: Number(process.env.STATS_COPIES ?? 50_000),
  shares: Number(process.env.STATS_SHARES ?? 50_000),
};
const REQUESTS = Number(process.env.STATS_REQUESTS ?? 50);
const CASCADE_NODES = Number(process.env.STATS_CASCADE ?? 100_000);
const TARGET_TREE_P95_MS = 500;
const DAYS = 90;
const PAGES = 50;
const CHANNELS = ['whatsapp', 'telegram', 'signal', 'messenger', 'sms', 'email', 'slack', 'x', 'linkedin', 'copy'];
const CHUNK = 100_000;
const SITE = 'big';
const TARGET_P95_MS = 100;

const log = (...a) => console.error('[stats-1m]', ...a);
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const today = dayNumber(0);

// h: a well-mixed 0..2^31 hash of the row number i (Knuth multiplicative, kept in 63-bit integers).
const H = '((i * 2654435761) % 2147483648)';
const DAY = `(${today} - (${H} % ${DAYS}))`;
const PAGE = `('http://localhost/articles/post-' || ((${H} / ${DAYS}) % ${PAGES}))`;
const CHANNEL = `(CASE (${H} / ${DAYS * PAGES}) % ${CHANNELS.length} ${CHANNELS.map((c, k) => `WHEN ${k} THEN '${c}'`).join(' ')} END)`;
// Depth: 70% 1, 20% 2, 7% 3, 3% 4 (reshares of reshares are rarer).
const DEPTH = `(CASE WHEN (${H} / ${DAYS * PAGES * CHANNELS.length}) % 100 < 70 THEN 1 WHEN (${H} / ${DAYS * PAGES * CHANNELS.length}) % 100 < 90 THEN 2 WHEN (${H} / ${DAYS * PAGES * CHANNELS.length}) % 100 < 97 THEN 3 ELSE 4 END)`;
const seq = (from, count) => `WITH RECURSIVE seq(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM seq WHERE i < ${from + count - 1})`;

/** One statement per chunk of rows: [sql, rows]. */
function chunks(total, build) {
  const out = [];
  for (let from = 0; from < total; from += CHUNK) out.push([build(from, Math.min(CHUNK, total - from)), Math.min(CHUNK, total - from)]);
  return out;
}

const LOADS = {
  // A counted click as the queue consumer writes it: its de-duplication key in `seen` (share ~21
  // chars, 32-hex visitor hash) and its increments of both rollups. ~2/3 dark, as private channels
  // dominate.
  clicks: chunks(N.clicks, (from, count) => `${seq(from, count)}
    INSERT OR IGNORE INTO seen (key, until)
    SELECT 'k:${SITE}:fp' || substr('0000000000000000000' || (i % 20000), -19) || ':' || lower(hex(randomblob(16))) || ':' || ${DAY}, ${DAY} + 2 FROM seq`),
  click_channels: chunks(N.clicks, (from, count) => `${seq(from, count)}
    INSERT INTO daily_channels (site, day, channel, depth, clicks, dark_clicks)
    SELECT '${SITE}', ${DAY}, ${CHANNEL}, ${DEPTH}, 1, (${H} / 7) % 3 <> 0 FROM seq WHERE true
    ON CONFLICT (site, day, channel, depth) DO UPDATE SET clicks = clicks + 1, dark_clicks = dark_clicks + excluded.dark_clicks`),
  click_pages: chunks(N.clicks, (from, count) => `${seq(from, count)}
    INSERT INTO daily_pages (site, day, page, clicks)
    SELECT '${SITE}', ${DAY}, ${PAGE}, 1 FROM seq WHERE true
    ON CONFLICT (site, day, page) DO UPDATE SET clicks = clicks + 1`),
  // A page view as the consumer writes it: the views upserts (per channel and per page rollup),
  // and one key in `seen` per queue message of ten (a message's views share their first one's key).
  views: chunks(N.views, (from, count) => `${seq(from, count)}
    INSERT INTO daily_channels (site, day, channel, depth, views)
    SELECT '${SITE}', ${DAY}, '', 0, 1 FROM seq WHERE true
    ON CONFLICT (site, day, channel, depth) DO UPDATE SET views = views + 1`),
  view_pages: chunks(N.views, (from, count) => `${seq(from, count)}
    INSERT INTO daily_pages (site, day, page, views)
    SELECT '${SITE}', ${DAY}, ${PAGE}, 1 FROM seq WHERE true
    ON CONFLICT (site, day, page) DO UPDATE SET views = views + 1`),
  view_keys: chunks(Math.ceil(N.views / 10), (from, count) => `${seq(from, count)}
    INSERT OR IGNORE INTO seen (key, until)
    SELECT 'v:' || i || substr(lower(hex(randomblob(10))), 1, 8), ${DAY} + 2 FROM seq`),
  // A copy as d1::record_copy writes it: the copies upsert + the copied text's upsert (300 texts).
  copies: chunks(N.copies, (from, count) => `${seq(from, count)}
    INSERT INTO daily_channels (site, day, channel, depth, copies)
    SELECT '${SITE}', ${DAY}, '', 0, 1 FROM seq WHERE true
    ON CONFLICT (site, day, channel, depth) DO UPDATE SET copies = copies + 1`),
  texts: chunks(N.copies, (from, count) => `${seq(from, count)}
    INSERT INTO daily_texts (site, day, text, copies)
    SELECT '${SITE}', ${DAY}, 'A sentence someone found worth copying, number ' || (${H} % 300), 1 FROM seq WHERE true
    ON CONFLICT (site, day, text) DO UPDATE SET copies = copies + 1`),
  // A fingerprint share (a page-view fingerprint that brought an arrival): its key (kept 400 days)
  // and the shares upserts.
  shares: chunks(N.shares, (from, count) => `${seq(from, count)}
    INSERT OR IGNORE INTO seen (key, until)
    SELECT 's:${SITE}:sf' || i || substr(lower(hex(randomblob(10))), 1, 18), ${DAY} + 400 FROM seq`),
  share_channels: chunks(N.shares, (from, count) => `${seq(from, count)}
    INSERT INTO daily_channels (site, day, channel, depth, shares)
    SELECT '${SITE}', ${DAY}, ${CHANNEL}, 0, 1 FROM seq WHERE true
    ON CONFLICT (site, day, channel, depth) DO UPDATE SET shares = shares + 1`),
  share_pages: chunks(N.shares, (from, count) => `${seq(from, count)}
    INSERT INTO daily_pages (site, day, page, shares)
    SELECT '${SITE}', ${DAY}, ${PAGE}, 1 FROM seq WHERE true
    ON CONFLICT (site, day, page) DO UPDATE SET shares = shares + 1`),
};

/**
 * The worker's add-node statements, split as src/edge/site/cascade_sql.rs splits them: parts end with
 * ";" at a line's end, comment lines dropped, the first part is every statement's prefix.
 */
function addNodeStatements() {
  const text = readFileSync(join(ROOT, 'src/edge/site/cascade_add_node.sql'), 'utf8');
  const parts = text.split(';\n').map((p) => p.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n'));
  const prefix = parts.shift();
  return parts.filter((p) => p.trim()).map((p) => `${prefix} ${p}`);
}

/**
 * Grows one cascade of `n` nodes: node i's parent is a node picked with a bias to the early ones
 * (hubs), or, one time in eight, the newest node (a reshare chain). Returns the tree's figures as
 * computed here (size, depth, Wiener index by subtree sizes) and the per-node cost as it grew.
 */
async function growCascade(db, n) {
  // Bound through Miniflare's proxy every statement costs a round trip from Node (~1 ms); so the
  // values are written into the statements as SQL literals (ids, channels and the page are plain
  // ASCII without quotes) and each batch of clicks goes to D1 as one exec, a line per statement.
  const statements = addNodeStatements();
  const literal = (v) => (typeof v === 'number' ? String(v) : `'${v}'`);
  const inline = (sql, args) => sql.replace(/\?(\d+)/g, (_, k) => literal(args[Number(k) - 1])).replace(/\s*\n\s*/g, ' ');
  const id = (i) => `c${i.toString(36)}`;
  const parent = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n);
  let seed = 12345;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const costs = [];
  const BATCH = 100;
  const REPORT_EVERY = Math.max(BATCH, Math.round(n / 10 / BATCH) * BATCH);
  let t = performance.now();
  let since = 0;
  for (let from = 1; from < n; from += BATCH) {
    const lines = [];
    for (let i = from; i < Math.min(n, from + BATCH); i++) {
      const p = random() < 0.125 ? i - 1 : Math.floor(i * random() ** 3);
      parent[i] = p;
      depth[i] = depth[p] + 1;
      const day = today - (DAYS - 1) + Math.floor((i * DAYS) / n);
      const args = [SITE, id(i), id(p), CHANNELS[i % CHANNELS.length], day, 'http://localhost/articles/viral', day * 1440 + (i % 1440)];
      for (const sql of statements) lines.push(`${inline(sql, args)};`);
    }
    await db.exec(lines.join('\n'));
    since += Math.min(n, from + BATCH) - from;
    if (since >= REPORT_EVERY || from + BATCH >= n) {
      const now = performance.now();
      costs.push({ nodes: Math.min(n, from + BATCH), msPerNode: (now - t) / since });
      t = now;
      since = 0;
    }
  }
  const size = new Float64Array(n).fill(1);
  for (let i = n - 1; i > 0; i--) size[parent[i]] += size[i];
  let wiener = 0;
  for (let i = 1; i < n; i++) wiener += size[i] * (n - size[i]);
  let maxDepth = 0;
  for (let i = 0; i < n; i++) maxDepth = Math.max(maxDepth, depth[i]);
  return { root: id(0), size: n, depth: maxDepth, virality: Math.round((wiener / (n * (n - 1) / 2)) * 1000) / 1000, costs };
}

function fileSizes(dir) {
  let total = 0;
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.sqlite(-wal|-shm)?$/.test(e.name)) { const s = statSync(p).size; total += s; files.push([p, s]); }
    }
  };
  walk(dir);
  return { total, files };
}

/** The database size as D1 reports it (`meta.size_after` of a query: page_count × page_size). */
async function dbSize(db) {
  const res = await db.prepare('SELECT 1').run();
  return res.meta?.size_after ?? NaN;
}

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;

async function main() {
  const t0 = Date.now();
  const persist = mkdtempSync(join(tmpdir(), 'darkshare-stats-1m-'));
  const buildDir = snapshotBuild();
  const { mf, url } = await startOurs({ buildDir, consoleDir: join(buildDir, 'console'), d1Persist: join(persist, 'd1') });
  const p = (s = '') => console.log(s);
  try {
    const site = expectStatus(await call(`${url}/api/sites`, {
      method: 'POST', token: ADMIN_TOKEN, body: { id: SITE, name: 'Big', hosts: ['localhost'] },
    }), [201], 'POST /api/sites');
    const token = site.json.stats_token;
    const db = await mf.getD1Database('DB');

    const loadStart = Date.now();
    for (const [name, statements] of Object.entries(LOADS)) {
      const t = Date.now();
      for (const [sql] of statements) await db.prepare(sql).run();
      log(`${name}: ${fmtInt(statements.reduce((a, [, r]) => a + r, 0))} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const loadSeconds = (Date.now() - loadStart) / 1000;
    const cascadeStart = Date.now();
    const big = await growCascade(db, CASCADE_NODES);
    const cascadeSeconds = (Date.now() - cascadeStart) / 1000;
    log(`cascade: ${fmtInt(CASCADE_NODES)} nodes (depth ${big.depth}) in ${cascadeSeconds.toFixed(1)} s`);
    const count = async (sql) => Object.values(await db.prepare(sql).first())[0];
    const channelRows = await count(`SELECT COUNT(*) FROM daily_channels WHERE site = '${SITE}'`);
    const pageRows = await count(`SELECT COUNT(*) FROM daily_pages WHERE site = '${SITE}'`);
    const textRows = await count(`SELECT COUNT(*) FROM daily_texts WHERE site = '${SITE}'`);
    const sizeLoaded = await dbSize(db);
    const fileLoaded = fileSizes(persist).total;
    // Since issue 20 reports read each site's own Durable Object: the loaded D1 is moved there by
    // the one-time copy an existing deployment runs (POST /api/admin/migrate, docs/site-object.md).
    const copyStart = Date.now();
    let copy = { done: false, cursor: null }, copied = 0;
    while (!copy.done) {
      copy = expectStatus(await call(`${url}/api/admin/migrate`, { method: 'POST', token: ADMIN_TOKEN, body: copy.cursor ? { cursor: copy.cursor } : {}, timeoutMs: 120_000 }), [200], 'POST /api/admin/migrate').json;
      copied += copy.copied;
    }
    const copySeconds = (Date.now() - copyStart) / 1000;
    log(`copied into the site's object: ${fmtInt(copied)} rows in ${copySeconds.toFixed(1)} s`);

    const from = isoDay(-(DAYS - 1));
    const to = isoDay(0);
    const statsUrl = `${url}/api/stats?site=${SITE}&from=${from}&to=${to}`;
    const csvUrl = `${url}/api/stats.csv?site=${SITE}&from=${from}&to=${to}`;
    const t = performance.now();
    const first = expectStatus(await call(statsUrl, { token, timeoutMs: 30_000 }), [200], 'GET /api/stats');
    const firstMs = performance.now() - t;
    const json = await timeRequests(statsUrl, token, REQUESTS);
    const csv = await timeRequests(csvUrl, token, REQUESTS);
    const treeUrl = `${url}/api/cascades/${big.root}?site=${SITE}`;
    const treeTimes = await timeRequests(treeUrl, token, REQUESTS);
    const treeAnswer = treeTimes.last.json;
    const listed = first.json.cascades[0] || {};
    const cascadeOk = listed.id === big.root && listed.size === big.size && listed.depth === big.depth
      && listed.structural_virality === big.virality && treeAnswer.size === big.size && treeAnswer.truncated === big.size > 5000
      && treeAnswer.nodes.length === Math.min(big.size, 5000) && treeAnswer.structural_virality === big.virality;
    const totals = first.json.totals;
    const expected = { views: N.views, copies: N.copies, shares: N.shares, clicks: N.clicks };
    const totalsOk = Object.entries(expected).every(([k, v]) => totals[k] === v);

    // The four statements of d1::rollups, each timed inside SQLite (D1's meta.duration), and their
    // plans: which of them the report's time goes to.
    const range = `site = '${SITE}' AND day BETWEEN ${today - DAYS + 1} AND ${today}`;
    const QUERIES = {
      'by day × channel': `SELECT day, channel, SUM(views) AS views, SUM(copies) AS copies, SUM(shares) AS shares, SUM(clicks) AS clicks, SUM(dark_clicks) AS dark_clicks, SUM(previews) AS previews FROM daily_channels WHERE ${range} GROUP BY day, channel`,
      'top pages': `SELECT page, SUM(views) AS views, SUM(shares) AS shares, SUM(clicks) AS clicks FROM daily_pages WHERE ${range} GROUP BY page ORDER BY SUM(clicks) DESC, SUM(shares) DESC, SUM(views) DESC LIMIT 20`,
      'top texts': `SELECT text, SUM(copies) AS copies FROM daily_texts WHERE ${range} GROUP BY text ORDER BY SUM(copies) DESC LIMIT 20`,
      'generations': `SELECT depth, SUM(clicks) AS clicks FROM daily_channels WHERE ${range} AND depth > 0 GROUP BY depth`,
      'top cascades': `SELECT root, size FROM cascades c INDEXED BY cascades_by_size WHERE c.site = '${SITE}' AND EXISTS (SELECT 1 FROM cascade_days d WHERE d.site = '${SITE}' AND d.root = c.root AND d.day BETWEEN ${today - DAYS + 1} AND ${today}) ORDER BY c.size DESC, c.created DESC LIMIT 10`,
      'key sharers': `SELECT id, size FROM cascade_nodes n INDEXED BY cascade_nodes_by_reach WHERE n.site = '${SITE}' AND n.clicks > 0 AND EXISTS (SELECT 1 FROM sharer_days d WHERE d.site = '${SITE}' AND d.node = n.id AND d.day BETWEEN ${today - DAYS + 1} AND ${today}) ORDER BY n.size DESC, n.clicks DESC LIMIT 10`,
    };
    const sqlTimes = {};
    for (const [name, sql] of Object.entries(QUERIES)) {
      const ms = [];
      for (let k = 0; k < 5; k++) ms.push((await db.prepare(sql).all()).meta.duration);
      sqlTimes[name] = ms.sort((a, b) => a - b)[2];
    }
    const plans = [];
    for (const name of ['by day × channel', 'top pages']) {
      const rows = (await db.prepare(`EXPLAIN QUERY PLAN ${QUERIES[name]}`).all()).results;
      plans.push(rows.map((r) => r.detail).join('; '));
    }
    // What production keeps: the daily clean-up (the worker's cron handler) deletes raw rows older
    // than 2 days; rollups stay. Run it through the worker, then measure what is left.
    // The cron is the console worker's (the hot worker has none).
    const cron = { status: (await (await mf.getWorker('darkshare-console')).scheduled({ cron: '7 0 * * *', scheduledTime: new Date() })).outcome };
    const rawLeft = await count(`SELECT COUNT(*) FROM seen WHERE key LIKE 'k:%'`);
    let vacuumed = true;
    try { await db.prepare('VACUUM').run(); } catch { vacuumed = false; } // D1 runs it in a transaction: refused
    const sizeClean = await dbSize(db);
    const after = await timeRequests(statsUrl, token, Math.min(REQUESTS, 20));

    p('### GET /api/stats over 1M events (loaded into a local D1, copied into the site\'s Durable Object)');
    p();
    p(`Loaded into Miniflare's D1 (SQLite file in a temp dir) in ${loadSeconds.toFixed(1)} s: ${fmtInt(N.clicks)} clicks (de-duplication keys + rollup increments, as the queue consumer writes them), ${fmtInt(N.views)} views, ${fmtInt(N.copies)} copies, ${fmtInt(N.shares)} fingerprint shares = ${fmtInt(N.clicks + N.views + N.copies + N.shares)} events over ${DAYS} days × ${PAGES} pages × ${CHANNELS.length} channels × depths 1–4 → ${fmtInt(channelRows)} \`daily_channels\` rows, ${fmtInt(pageRows)} \`daily_pages\` rows, ${fmtInt(textRows)} \`daily_texts\` rows. Then moved into the site's Durable Object by the one-time copy (POST /api/admin/migrate, as an existing deployment does): ${fmtInt(copied)} rows in ${copySeconds.toFixed(1)} s; reports read the object.`);
    p();
    p('| request (90-day period, sequential, loopback) | first | p50 | p95 | max | target |');
    p('|---|---:|---:|---:|---:|---|');
    p(`| GET /api/stats (JSON), ${REQUESTS} requests | ${firstMs.toFixed(1)} ms | ${json.p50.toFixed(1)} ms | **${json.p95.toFixed(1)} ms** | ${json.max.toFixed(1)} ms | p95 < ${TARGET_P95_MS} ms: ${json.p95 < TARGET_P95_MS ? 'met' : '**NOT MET**'} |`);
    p(`| GET /api/stats.csv, ${REQUESTS} requests | | ${csv.p50.toFixed(1)} ms | ${csv.p95.toFixed(1)} ms | ${csv.max.toFixed(1)} ms | |`);
    p(`| GET /api/cascades/{id}, the ${fmtInt(CASCADE_NODES)}-node tree (${fmtInt(treeAnswer.nodes.length)} nodes, ${fmtInt(treeTimes.last.text.length)} B), ${REQUESTS} requests | | ${treeTimes.p50.toFixed(1)} ms | **${treeTimes.p95.toFixed(1)} ms** | ${treeTimes.max.toFixed(1)} ms | p95 < ${TARGET_TREE_P95_MS} ms: ${treeTimes.p95 < TARGET_TREE_P95_MS ? 'met' : '**NOT MET**'} |`);
    p(`| GET /api/stats (JSON) after the daily clean-up, ${Math.min(REQUESTS, 20)} requests | | ${after.p50.toFixed(1)} ms | ${after.p95.toFixed(1)} ms | ${after.max.toFixed(1)} ms | |`);
    p();
    p(`- totals returned: clicks ${fmtInt(totals.clicks)}, views ${fmtInt(totals.views)}, copies ${fmtInt(totals.copies)}, shares ${fmtInt(totals.shares)}, dark_clicks ${fmtInt(totals.dark_clicks)}: ${totalsOk ? 'equal to what was loaded' : '**differ from what was loaded**'}; response ${fmtInt(first.text.length)} B`);
    p(`- cascade: ${fmtInt(CASCADE_NODES)} nodes grown through the worker's add-node statements in ${cascadeSeconds.toFixed(1)} s, depth ${big.depth}, structural virality ${big.virality}: report and tree ${cascadeOk ? 'equal to the figures computed from the generated tree' : '**differ from the generated tree**'}`);
    p(`- cost of adding a node as the tree grows (ms per node, 100 clicks per exec, by tree size): ${big.costs.map((c) => `${fmtInt(c.nodes)}: ${c.msPerNode.toFixed(3)}`).join(', ')}`);
    p(`- D1 size after loading: ${mb(sizeLoaded)} (D1's size_after, i.e. page_count × page_size; SQLite files on disk incl. WAL: ${mb(fileLoaded)}), most of it de-duplication keys (${fmtInt(N.clicks)} clicks, ${fmtInt(N.views)} views) that production keeps for 2 days only`);
    p(`- after the worker's daily clean-up (cron handler: ${cron.status}, click keys left: ${fmtInt(rawLeft)})${vacuumed ? ' and VACUUM' : ''}: ${mb(sizeClean)} as D1 reports it${vacuumed ? ' (after VACUUM)' : ''}: 90 days of rollups for one busy site`);
    p(`- time inside SQLite per statement of the report (median of 5): ${Object.entries(sqlTimes).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}; sum ${Object.values(sqlTimes).reduce((a, b) => a + b, 0).toFixed(1)} ms`);
    p(`- query plans: by day × channel: \`${plans[0]}\`; top pages: \`${plans[1]}\``);
    p();
    p(`(stats-1m took ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    process.exitCode = totalsOk && cascadeOk ? 0 : 1; // a missed latency target is reported, not a failure
  } finally {
    await mf.dispose().catch(() => {});
    rmSync(persist, { recursive: true, force: true });
    rmSync(buildDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
