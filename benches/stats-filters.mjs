// GET /api/stats filtered to one page and with compare=previous (issue 22), beside the unfiltered
// report, over 90 days and 1,000 pages, read from the site's Durable Object (its own SQLite).
// Run with `scripts/bench --stats` / `--stats-only` (after stats-1m.mjs), or
// `node benches/stats-filters.mjs` after scripts/build. Figures: docs/performance-stats.md.
//
// How the data gets in: what the counting rules write for each event (the site-wide rollups and
// their per-page twins, src/counting/rules.rs `on_page`), generated in SQL by the row (`WITH
// RECURSIVE` generators, a deterministic hash spreads each event over days × pages × channels ×
// depths × sources) and written straight into the object's SQLite file with the sqlite3 CLI while
// Miniflare is stopped: the object is created first (one report: it migrates its schema), Miniflare
// is disposed, the rows are loaded, Miniflare is started again on the same files. Rollups only: the
// de-duplication keys a real site also keeps do not take part in a report (stats-1m.mjs measures
// them). Plus cascades (one per 50 clicks) and nodes (one per 10) spread over the pages, so the
// filtered cascade and key-sharer reads have rows of other pages to skip.
//
// The data covers 2 × 90 days, each 90 days holding STATS_CLICKS clicks (default 1,000,000), half as
// many views, a twentieth copies and shares, so the 90-day report and its previous period both read
// a full period. STATS_PAGES (1,000), STATS_REQUESTS (50) timed requests per row.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import {
  ADMIN_TOKEN, COMPAT_DATE, ROOT, SIGNING_SECRET, call, dayNumber, expectStatus, isoDay, migrate, snapshotBuild, timeRequests, wranglerConfig,
} from './lib.mjs';

const PERIOD = 90;
const DAYS = 2 * PERIOD;
const PER_PERIOD = Number(process.env.STATS_CLICKS ?? 1_000_000);
const N = { clicks: 2 * PER_PERIOD, views: PER_PERIOD, copies: PER_PERIOD / 10, shares: PER_PERIOD / 10 };
const PAGES = Number(process.env.STATS_PAGES ?? 1000);
const REQUESTS = Number(process.env.STATS_REQUESTS ?? 50);
const CHANNELS = ['whatsapp', 'telegram', 'signal', 'messenger', 'sms', 'email', 'slack', 'x', 'linkedin', 'copy'];
const SOURCES = ['dark_social', 'shared', 'self', 'internal', 'search', 'social', 'referral', 'direct'];
const SITE = 'big';
const TARGET_P95_MS = 100;

const log = (...a) => console.error('[stats-filters]', ...a);
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const today = dayNumber(0);
const isoDayNumber = (offset) => today + offset;

// The same spread as stats-1m.mjs, over more days and pages: h is a well-mixed hash of row i.
const H = '((i * 2654435761) % 2147483648)';
const DAY = `(${today} - (${H} % ${DAYS}))`;
const PAGE = `('http://localhost/articles/post-' || ((${H} / ${DAYS}) % ${PAGES}))`;
const CHANNEL = `(CASE (${H} / ${DAYS * PAGES}) % ${CHANNELS.length} ${CHANNELS.map((c, k) => `WHEN ${k} THEN '${c}'`).join(' ')} END)`;
const SOURCE = `(CASE (${H} / ${DAYS * PAGES}) % ${SOURCES.length} ${SOURCES.map((c, k) => `WHEN ${k} THEN '${c}'`).join(' ')} END)`;
const D = `((${H} / ${DAYS * PAGES * CHANNELS.length}) % 100)`;
const DEPTH = `(CASE WHEN ${D} < 70 THEN 1 WHEN ${D} < 90 THEN 2 WHEN ${D} < 97 THEN 3 ELSE 4 END)`;
const DARK = `((${H} / 7) % 3 <> 0)`;
const TEXT = `('A sentence someone found worth copying, number ' || (${H} % 300))`;
const seq = (count) => `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${count - 1})`;

/** `INSERT … SELECT … ON CONFLICT DO UPDATE` of one increment per generated row. */
function upsert(table, count, columns, values, keys, counters) {
  const sets = counters.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
  return `${seq(count)} INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM seq WHERE true ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${sets};`;
}

/** Every rollup row a site of this size holds, site-wide and per page, as the counting rules write them. */
function loadSql() {
  const s = `'${SITE}'`;
  const out = ['PRAGMA journal_mode = OFF;', 'PRAGMA synchronous = OFF;', 'BEGIN;'];
  const both = (what, count, channel, depth, counters, values) => {
    out.push(upsert('daily_channels', count, ['site', 'day', 'channel', 'depth', ...counters], [s, DAY, channel, depth, ...values], ['site', 'day', 'channel', 'depth'], counters));
    out.push(upsert('page_channels', count, ['site', 'page', 'day', 'channel', 'depth', ...counters], [s, PAGE, DAY, channel, depth, ...values], ['site', 'page', 'day', 'channel', 'depth'], counters));
    log(`${what}: ${fmtInt(count)} events`);
  };
  both('clicks', N.clicks, CHANNEL, DEPTH, ['clicks', 'dark_clicks'], ['1', DARK]);
  out.push(upsert('daily_pages', N.clicks, ['site', 'day', 'page', 'clicks'], [s, DAY, PAGE, '1'], ['site', 'day', 'page'], ['clicks']));
  both('views', N.views, "''", '0', ['views'], ['1']);
  out.push(upsert('daily_pages', N.views, ['site', 'day', 'page', 'views'], [s, DAY, PAGE, '1'], ['site', 'day', 'page'], ['views']));
  out.push(upsert('daily_sources', N.views, ['site', 'day', 'source', 'views'], [s, DAY, SOURCE, '1'], ['site', 'day', 'source'], ['views']));
  out.push(upsert('page_sources', N.views, ['site', 'page', 'day', 'source', 'views'], [s, PAGE, DAY, SOURCE, '1'], ['site', 'page', 'day', 'source'], ['views']));
  both('copies', N.copies, "''", '0', ['copies'], ['1']);
  out.push(upsert('daily_texts', N.copies, ['site', 'day', 'text', 'copies'], [s, DAY, TEXT, '1'], ['site', 'day', 'text'], ['copies']));
  out.push(upsert('page_texts', N.copies, ['site', 'page', 'day', 'text', 'copies'], [s, PAGE, DAY, TEXT, '1'], ['site', 'page', 'day', 'text'], ['copies']));
  both('shares', N.shares, CHANNEL, '0', ['shares'], ['1']);
  out.push(upsert('daily_pages', N.shares, ['site', 'day', 'page', 'shares'], [s, DAY, PAGE, '1'], ['site', 'day', 'page'], ['shares']));
  // Cascades and nodes spread over the pages and days (the figures are not checked here: the
  // cascade arithmetic is stats-1m's; this measures the filtered index walks).
  const cascades = N.clicks / 50;
  const nodes = N.clicks / 10;
  out.push(`${seq(cascades)} INSERT INTO cascades (site, root, page, size, wiener, depth_sum, depth, first_day, last_day, created) SELECT ${s}, 'r' || i, ${PAGE}, 2 + (${H} % 40), 1, 1, 1 + (${H} % 4), ${DAY}, ${DAY}, ${DAY} * 1440 FROM seq;`);
  out.push(`${seq(cascades)} INSERT INTO cascade_days (site, root, day) SELECT ${s}, 'r' || i, ${DAY} FROM seq WHERE true ON CONFLICT DO NOTHING;`);
  out.push(`${seq(nodes)} INSERT INTO cascade_nodes (site, id, parent, root, depth, channel, day, page, size, clicks) SELECT ${s}, 'n' || i, NULL, 'r' || (i % ${cascades}), 1, ${CHANNEL}, ${DAY}, ${PAGE}, 1 + (${H} % 30), ${H} % 3 FROM seq;`);
  out.push(`${seq(nodes)} INSERT INTO sharer_days (site, node, day) SELECT ${s}, 'n' || i, ${DAY} FROM seq WHERE ${H} % 3 > 0 ON CONFLICT DO NOTHING;`);
  log(`cascades: ${fmtInt(cascades)}, nodes: ${fmtInt(nodes)}`);
  out.push('COMMIT;');
  return out.join('\n');
}

/** Both workers as the two wrangler configs declare them, with the console's Site object persisted. */
async function start(buildDir, persist) {
  const hotConfig = wranglerConfig();
  const consoleConfig = wranglerConfig(join(ROOT, 'scripts/console.wrangler.toml'));
  const worker = (name, dir) => ({
    name,
    modulesRoot: dir,
    modules: [{ type: 'ESModule', path: join(dir, 'index.js') }, { type: 'CompiledWasm', path: join(dir, 'index_bg.wasm') }],
    compatibilityDate: COMPAT_DATE,
    kvNamespaces: ['LINKS'],
    d1Databases: ['DB'],
    bindings: { ADMIN_TOKEN, SIGNING_SECRET, PUBLIC_ORIGIN: '' },
  });
  const hot = { ...worker('darkshare', buildDir), queueProducers: hotConfig.queueProducers, ratelimits: hotConfig.ratelimits, serviceBindings: { CONSOLE: 'darkshare-console' } };
  const console_ = {
    ...worker('darkshare-console', join(buildDir, 'console')),
    queueProducers: consoleConfig.queueProducers,
    queueConsumers: consoleConfig.queueConsumers,
    durableObjects: { SITE: { className: 'Site', useSQLite: true } },
  };
  const mf = new Miniflare({
    host: '127.0.0.1', port: 0, workers: [hot, console_],
    d1Persist: join(persist, 'd1'), kvPersist: join(persist, 'kv'), durableObjectsPersist: join(persist, 'do'),
  });
  const url = String(await mf.ready).replace(/\/$/, '');
  return { mf, url };
}

function sqliteFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sqlite') && e.name !== 'metadata.sqlite') out.push(p); // Miniflare's own index of objects
    }
  };
  walk(dir);
  return out;
}

async function main() {
  const t0 = Date.now();
  const startedAt = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const persist = mkdtempSync(join(tmpdir(), 'darkshare-stats-filters-'));
  const buildDir = snapshotBuild();
  let mf;
  try {
    ({ mf } = await (async () => {
      const first = await start(buildDir, persist);
      await migrate(await first.mf.getD1Database('DB'));
      const site = expectStatus(await call(`${first.url}/api/sites`, { method: 'POST', token: ADMIN_TOKEN, body: { id: SITE, name: 'Big', hosts: ['localhost'] } }), [201], 'POST /api/sites');
      process.env.STATS_FILTERS_TOKEN = site.json.stats_token;
      // The first report creates the site's object and migrates its schema.
      expectStatus(await call(`${first.url}/api/stats?site=${SITE}`, { token: site.json.stats_token }), [200], 'GET /api/stats (create the object)');
      return first;
    })());
    await mf.dispose();
    mf = undefined;
    const files = sqliteFiles(join(persist, 'do'));
    if (files.length !== 1) throw new Error(`expected the one Site object's SQLite file, found ${files.join(', ')}`);
    const loadStart = Date.now();
    const sqlFile = join(persist, 'load.sql');
    writeFileSync(sqlFile, loadSql());
    execFileSync('sqlite3', [files[0], `.read ${sqlFile}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    const loadSeconds = (Date.now() - loadStart) / 1000;
    const rows = (table) => Number(execFileSync('sqlite3', [files[0], `SELECT COUNT(*) FROM ${table}`]).toString().trim());
    const counts = Object.fromEntries(['daily_channels', 'page_channels', 'daily_pages', 'daily_sources', 'page_sources', 'daily_texts', 'page_texts'].map((t) => [t, rows(t)]));
    const bytes = statSync(files[0]).size;
    log(`loaded in ${loadSeconds.toFixed(1)} s: ${Object.entries(counts).map(([k, v]) => `${k} ${fmtInt(v)}`).join(', ')}; ${(bytes / 1e6).toFixed(1)} MB`);

    const again = await start(buildDir, persist);
    mf = again.mf;
    const token = process.env.STATS_FILTERS_TOKEN;
    const base = `${again.url}/api/stats?site=${SITE}&from=${isoDay(1 - PERIOD)}&to=${isoDay(0)}`;
    const whole = expectStatus(await call(base, { token, timeoutMs: 60_000 }), [200], 'GET /api/stats').json;
    const top = whole.pages[0];
    const page = `&page=${encodeURIComponent(top.url)}`;
    const csvBase = base.replace('/api/stats?', '/api/stats.csv?');
    const ROWS = [
      ['unfiltered', base],
      ['unfiltered, compare=previous', `${base}&compare=previous`],
      ['page-filtered', `${base}${page}`],
      ['page-filtered, compare=previous', `${base}${page}&compare=previous`],
      ['CSV, page-filtered', `${csvBase}${page}`],
    ];
    // Warm-up: the object has just opened a file of a few hundred MB; the first reads of each kind
    // fill SQLite's page cache (the first row would otherwise pay for all of them).
    for (const [, url] of ROWS) await timeRequests(url, token, 10);
    const results = [];
    for (const [name, url] of ROWS) results.push([name, await timeRequests(url, token, REQUESTS)]);

    // Checks: the filtered report is the top page's row; the previous period holds as much as the period.
    const filtered = results[3][1].last.json;
    const pageOk = filtered.pages.length === 1 && filtered.pages[0].url === top.url
      && ['views', 'shares', 'clicks'].every((k) => filtered.totals[k] === top[k]) && filtered.k_factor === top.k_factor;
    const unfilteredCompare = results[1][1].last.json;
    const prevOk = unfilteredCompare.previous.from === isoDay(1 - 2 * PERIOD) && unfilteredCompare.previous.to === isoDay(-PERIOD)
      && unfilteredCompare.previous.totals.clicks + whole.totals.clicks === N.clicks
      && filtered.previous.totals.clicks > 0;

    // Where the time goes: the heaviest statements of each report, run by the sqlite3 CLI on the
    // object's file once Miniflare is stopped (the same SQLite engine, without workerd around it;
    // median of 5).
    await mf.dispose();
    mf = undefined;
    const first = isoDayNumber(1 - PERIOD);
    const range = (prevOffset = 0) => `site = '${SITE}' AND day BETWEEN ${first - prevOffset} AND ${today - prevOffset}`;
    const onPage = ` AND page = '${top.url}'`;
    const STATEMENTS = {
      'top pages (unfiltered only)': `SELECT page, SUM(views), SUM(shares), SUM(clicks) FROM daily_pages WHERE ${range()} GROUP BY page ORDER BY SUM(clicks) DESC, SUM(shares) DESC, SUM(views) DESC LIMIT 20`,
      'by day × channel, unfiltered': `SELECT day, channel, SUM(views), SUM(copies), SUM(shares), SUM(clicks), SUM(dark_clicks), SUM(previews) FROM daily_channels WHERE ${range()} GROUP BY day, channel`,
      'by day × channel, page': `SELECT day, channel, SUM(views), SUM(copies), SUM(shares), SUM(clicks), SUM(dark_clicks), SUM(previews) FROM page_channels WHERE ${range()}${onPage} GROUP BY day, channel`,
      'previous sums, unfiltered': `SELECT SUM(views), SUM(clicks) FROM daily_channels WHERE ${range(PERIOD)}; SELECT source, SUM(views) FROM daily_sources WHERE ${range(PERIOD)} GROUP BY source`,
      'previous sums, page': `SELECT SUM(views), SUM(clicks) FROM page_channels WHERE ${range(PERIOD)}${onPage}; SELECT source, SUM(views) FROM page_sources WHERE ${range(PERIOD)}${onPage} GROUP BY source`,
      'cascades rooted on the page': `SELECT root FROM cascades c INDEXED BY cascades_by_page WHERE c.site = '${SITE}'${onPage.replace('page', 'c.page')} AND EXISTS (SELECT 1 FROM cascade_days d WHERE d.site = c.site AND d.root = c.root AND d.day BETWEEN ${first} AND ${today}) ORDER BY c.size DESC, c.created DESC LIMIT 10`,
    };
    const sqlMs = {};
    for (const [name, statement] of Object.entries(STATEMENTS)) {
      const runs = [];
      for (let k = 0; k < 5; k++) {
        const out = execFileSync('sqlite3', [files[0]], { input: `.timer on\n${statement};\n` }).toString();
        runs.push([...out.matchAll(/Run Time: real ([\d.]+)/g)].reduce((a, m) => a + Number(m[1]) * 1000, 0));
      }
      sqlMs[name] = runs.sort((a, b) => a - b)[2];
    }

    const p = (s = '') => console.log(s);
    p(`### GET /api/stats filtered to a page and with compare=previous (${PERIOD} days, ${fmtInt(PAGES)} pages, Site object)`);
    p();
    p(`Run at ${startedAt} UTC. Loaded into the site object's SQLite (sqlite3, Miniflare stopped) in ${loadSeconds.toFixed(1)} s: ${fmtInt(N.clicks)} clicks, ${fmtInt(N.views)} views, ${fmtInt(N.copies)} copies, ${fmtInt(N.shares)} shares over ${DAYS} days × ${fmtInt(PAGES)} pages × ${CHANNELS.length} channels × depths 1–4 (each ${PERIOD}-day half: ${fmtInt(PER_PERIOD)} clicks) → ${Object.entries(counts).map(([k, v]) => `${fmtInt(v)} \`${k}\``).join(', ')} rows; ${(bytes / 1e6).toFixed(1)} MB (rollups and cascades only).`);
    p();
    p(`| request (${PERIOD}-day period, ${REQUESTS} sequential requests after 10 of each to warm up, loopback) | p50 | p95 | max | target |`);
    p('|---|---:|---:|---:|---|');
    for (const [name, r] of results) {
      const target = name.startsWith('CSV') ? '' : `p95 < ${TARGET_P95_MS} ms: ${r.p95 < TARGET_P95_MS ? 'met' : '**NOT MET**'}`;
      p(`| ${name} | ${r.p50.toFixed(1)} ms | **${r.p95.toFixed(1)} ms** | ${r.max.toFixed(1)} ms | ${target} |`);
    }
    p();
    p(`- the filtered page (the unfiltered report's top page, ${top.url}): ${pageOk ? 'its filtered totals equal its row of the unfiltered report' : '**differ from its row of the unfiltered report**'} (views ${fmtInt(top.views)}, shares ${fmtInt(top.shares)}, clicks ${fmtInt(top.clicks)})`);
    p(`- time inside SQLite (sqlite3 CLI on the object's file, median of 5): ${Object.entries(sqlMs).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`);
    p(`- compare=previous: ${prevOk ? 'the previous period is the 90 days before, and the two periods\' clicks add up to all loaded' : '**wrong previous period or totals**'} (${fmtInt(unfilteredCompare.previous.totals.clicks)} + ${fmtInt(whole.totals.clicks)})`);
    p();
    p(`(stats-filters took ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    process.exitCode = pageOk && prevOk ? 0 : 1;
  } finally {
    if (mf) await mf.dispose().catch(() => {});
    rmSync(persist, { recursive: true, force: true });
    rmSync(buildDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
