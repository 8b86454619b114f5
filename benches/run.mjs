// darkshare benchmark: GET /{code} of ours vs a hand-written KV redirect vs a constant 302, the
// size budgets, and an ingest run whose accepted events must all show up in GET /api/stats.
// Run through `scripts/bench` (installs wrk, builds); see docs/performance.md.
//
// Every worker runs on Miniflare's own server (workerd, 127.0.0.1, a free port each, one workerd
// process per worker, fresh in-memory KV/D1), driven by wrk in turn, so they share the engine, the
// machine and the run. The rows are driven in interleaved rounds (every worker once per round) and
// each figure is the median over the rounds, because a shared 2-core machine drifts by ±25% within
// minutes. Environment knobs: BENCH_ROUNDS (3), BENCH_SECONDS (5 per round), BENCH_WARMUP (1),
// BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_LIGHT_SECONDS (2: the one-connection latency run
// after each saturated one), BENCH_JSON=<file> (also write the results as JSON),
// BENCH_BASELINE=<file> (a previous BENCH_JSON: print before/after), BENCH_BEFORE_BUILD=<dir> (an
// earlier build/ of ours, as `scripts/bench --before=<commit>` makes: measured in the same rounds
// as a "before" row).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import {
  ADMIN_TOKEN, BENCH_TARGET_URL as TARGET_URL, CRAWLER_UA, FULL_SCAN_UA, HUMAN_UA, ROOT, call, expectStatus, isoDay, median, parseWrk, peopleCounts, sleep, startJs,
  seedOurs, snapshotBuild, startOurs, wrk,
} from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const LIGHT_SECONDS = Number(process.env.BENCH_LIGHT_SECONDS ?? 2);
const INGEST_SECONDS = 10;
const CAPACITY_EVENTS = Number(process.env.BENCH_CAPACITY_EVENTS ?? 20_000);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const TARGETS = { throughputVsPlain: 2.0, p50VsFloor: 1.3, uploadGzipBytes: 250_000, statsP95Ms: 100 };

const started = Date.now();
const log = (...a) => console.error('[bench]', ...a);
const fmtMs = (ms) => (Number.isFinite(ms) ? (ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`) : 'n/a');
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const verdict = (ok) => (ok ? 'met' : '**NOT MET**');

function version(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.split('\n').find((l) => l.trim()) ?? '?';
}

const pkg = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
const gitRev = (() => {
  const r = spawnSync('git', ['-C', ROOT, 'describe', '--always', '--dirty'], { encoding: 'utf8' });
  return r.stdout.trim() || '?';
})();

// workerd's stdout/stderr for ours: background (waitUntil) failures are logged, not answered.
const runtimeLog = { backgroundFailures: 0, errors: [] };
function captureStdio(stdout, stderr) {
  for (const stream of [stdout, stderr]) {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.includes('background write failed')) runtimeLog.backgroundFailures++;
        if (/error/i.test(line) && runtimeLog.errors.length < 5) runtimeLog.errors.push(line.slice(0, 200));
      }
    });
  }
}

async function statsTotals(url, site, token) {
  const res = expectStatus(await call(`${url}/api/stats?site=${site}&from=${isoDay(-1)}&to=${isoDay(1)}`, { token }), [200], 'GET /api/stats');
  return res.json.totals;
}

/** An earlier build's console worker: builds since the console split (ee4f9e5 on) have one beside build/. */
const consoleOf = (buildDir) => (existsSync(join(dirname(buildDir), 'build-console', 'index.js')) ? join(dirname(buildDir), 'build-console') : undefined);

/** Every wrk run of benches/people.lua gets a seed of its own, so no two runs share a person. */
let peopleSeed = 0;
const PEOPLE = join(ROOT, 'benches/people.lua');

/**
 * One round of a step: warm-up, the saturated run, then the one-connection run. `beforeLight(n)`,
 * when given, is awaited between the two with the requests answered so far (the people rows wait
 * there until those clicks are counted, so the one-connection latency is a click's own, not the
 * saturated run's backlog being counted on the same workerd thread).
 */
async function drive(step, url, round, beforeLight) {
  const ua = step.ua ?? HUMAN_UA;
  const headers = step.script ? [] : [`User-Agent: ${ua}`];
  const opts = { threads: THREADS, connections: CONNECTIONS, headers, script: step.script };
  const envFor = () => (step.env ? { ...step.env, PEOPLE_SEED: String(++peopleSeed) } : {});
  const clicks = [];
  if (WARMUP > 0) clicks.push(peopleCounts(await wrk(url, { ...opts, env: envFor(), seconds: WARMUP, latency: false })));
  const runOut = await wrk(url, { ...opts, env: envFor(), seconds: SECONDS });
  const run = parseWrk(runOut);
  clicks.push(peopleCounts(runOut));
  if (beforeLight && clicks.every(Boolean)) await beforeLight(clicks.reduce((a, c) => a + c.clicks_ok, 0));
  // One connection, one request at a time: the latency of a click itself, not of a queue.
  const lightOut = await wrk(url, { ...opts, env: envFor(), threads: 1, connections: 1, seconds: LIGHT_SECONDS });
  const light = parseWrk(lightOut);
  clicks.push(peopleCounts(lightOut));
  log(`round ${round + 1}/${ROUNDS} ${step.key}: ${fmtInt(run.rps)} req/s, p50 ${fmtMs(run.p50)}; 1 connection: p50 ${fmtMs(light.p50)}`);
  const answered = clicks.every(Boolean) ? clicks.reduce((a, c) => a + c.clicks_ok, 0) : 0;
  return { ...run, lightP50: light.p50, lightP99: light.p99, lightNon2xx3xx: light.non2xx3xx, load: loadavg()[0], answered };
}

/**
 * Waits until the site's counts stop changing (the queue has drained, or the writes that were going
 * to land have landed) or reach `expected`, within `limitMs`. Returns the last totals.
 */
async function settledTotals(url, site, token, expected = {}, limitMs = 180_000) {
  const until = Date.now() + limitMs;
  let last;
  let stableSince = Date.now();
  for (;;) {
    const totals = await statsTotals(url, site, token);
    const same = last && ['views', 'copies', 'clicks'].every((k) => totals[k] === last[k]);
    if (!same) stableSince = Date.now();
    last = totals;
    const reached = Object.entries(expected).every(([k, v]) => totals[k] >= v);
    if ((reached && Object.keys(expected).length) || Date.now() - stableSince > 10_000 || Date.now() > until) return totals;
    await sleep(500);
  }
}

/** Registers `site` (host localhost) with one Telegram link; returns its token and code. */
async function seedSite(url, site) {
  const created = expectStatus(await call(`${url}/api/sites`, {
    method: 'POST', token: ADMIN_TOKEN, body: { id: site, name: site, hosts: ['localhost'] },
  }), [201], `POST /api/sites (${site})`);
  const link = expectStatus(await call(`${url}/api/links`, {
    method: 'POST', body: { site, url: 'http://localhost/p', channel: 'telegram' },
  }), [201], `POST /api/links (${site})`);
  return { token: created.json.stats_token, code: link.json.code };
}

/** One table row from a step's rounds: medians, the spread of req/s, and summed error counts. */
function summarize(step, runs) {
  const sum = (k) => runs.reduce((a, r) => a + r[k], 0);
  const rps = runs.map((r) => r.rps);
  return {
    key: step.key, label: step.label, what: step.what, ua: step.ua ?? HUMAN_UA,
    rps: median(rps), rpsMin: Math.min(...rps), rpsMax: Math.max(...rps),
    p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)),
    lightP50: median(runs.map((r) => r.lightP50)), lightP99: median(runs.map((r) => r.lightP99)),
    requests: sum('requests'), non2xx3xx: sum('non2xx3xx') + sum('lightNon2xx3xx'), socketErrors: sum('socketErrors'), timeouts: sum('timeouts'),
    socketDetail: runs.map((r) => r.socketDetail).filter(Boolean).join('; '),
    rounds: runs,
  };
}

/**
 * Ingest under load: views, copies and clicks mixed (2 : 1 : 1), every request a different person
 * (own user agent and CF-Connecting-IP), so every request is a real write. Then waits for the
 * counts to settle and compares them with what the worker accepted.
 */
async function ingest(label, url) {
  const site = 'ingest';
  const { token, code } = await seedSite(url, site);
  // One view first: its fingerprint is what the copy events carry (it is counted as a view too).
  const seed = expectStatus(await call(`${url}/api/views`, {
    method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': HUMAN_UA, 'cf-connecting-ip': '192.0.2.1' },
    body: { site, url: 'http://localhost/p', referrer: '' },
  }), [200], 'POST /api/views (seed)');
  const t0 = Date.now();
  const deadline = Math.ceil(t0 / 1000) + INGEST_SECONDS; // writes stop at this whole second
  log(`${label}: ingest ${((deadline * 1000 - t0) / 1000).toFixed(1)} s of writes + 3 s drain`);
  const out = await wrk(`${url}/`, {
    threads: THREADS, connections: CONNECTIONS, seconds: INGEST_SECONDS + 3, script: PEOPLE,
    env: { PEOPLE_MODE: 'mix', PEOPLE_SITE: site, PEOPLE_CODE: code, PEOPLE_FP: seed.json.fp, PEOPLE_SEED: String(++peopleSeed), PEOPLE_DEADLINE: String(deadline) },
  });
  const c = peopleCounts(out);
  if (!c) throw new Error(`ingest: no summary from wrk:\n${out}`);
  const writeSeconds = (deadline * 1000 - t0) / 1000;
  const expected = { views: 1 + c.views_ok, copies: c.copies_ok, clicks: c.clicks_ok };
  const settleStart = Date.now();
  const counted = await settledTotals(url, site, token, expected);
  const settleSeconds = (Date.now() - settleStart) / 1000;
  const unanswered = c.sent_views + c.sent_copies + c.sent_clicks - (c.responses - c.health_ok);
  const exact = (k) => (unanswered === 0 ? counted[k] === expected[k] : counted[k] >= expected[k] && counted[k] <= expected[k] + unanswered);
  const found = counted.views + counted.copies + counted.clicks;
  return {
    label, ...c, writeSeconds, unanswered, settleSeconds, expected, counted,
    acceptedPerSec: (c.views_ok + c.copies_ok + c.clicks_ok) / writeSeconds,
    foundPerSec: Math.min(found, expected.views + expected.copies + expected.clicks) / writeSeconds,
    lost: Math.max(0, expected.views - counted.views) + Math.max(0, expected.copies - counted.copies) + Math.max(0, expected.clicks - counted.clicks),
    pass: exact('views') && exact('copies') && exact('clicks') && c.s5xx === 0 && c.timeouts === 0,
  };
}

/**
 * What one consumer and one D1 database absorb: `CAPACITY_EVENTS` events (views : copies : clicks =
 * 2 : 1 : 1, every click a different person's, each click a new cascade node under one shared
 * page view) put straight into the queue in the wire format (src/event/wire.rs), ten to a message,
 * so no request handling competes with the consumer; timed until the stats show every one.
 */
async function consumerCapacity(w) {
  const site = 'capacity';
  const { token } = await seedSite(w.url, site);
  const seed = expectStatus(await call(`${w.url}/api/views`, {
    method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': HUMAN_UA, 'cf-connecting-ip': '192.0.2.2' },
    body: { site, url: 'http://localhost/p', referrer: '' },
  }), [200], 'POST /api/views (capacity seed)');
  await settledTotals(w.url, site, token, { views: 1 });
  const minute = Math.floor(Date.now() / 60_000);
  const page = 'http://localhost/p';
  const hex = (i, len) => i.toString(16).padStart(len, '0');
  const lines = [];
  for (let i = 0; i < CAPACITY_EVENTS; i++) {
    const fields = [
      () => ['view', `cap${i}`, site, minute, page, 'direct'],
      () => ['view', `cap${i}`, site, minute, page, 'dark_social'],
      () => ['copy', `cap${i}`, site, minute, page, `copied text ${i % 20}`],
      () => ['click', site, minute, page, 'whatsapp', 1, 1, seed.json.fp, 0, hex(i, 32), hex(i, 16), `n${i}`, '', 0],
    ][i % 4]();
    lines.push(fields.join('\t'));
  }
  const messages = [];
  for (let i = 0; i < lines.length; i += 10) messages.push({ body: `${lines.slice(i, i + 10).join('\n')}\n` });
  const expected = { views: 1 + CAPACITY_EVENTS / 2, copies: CAPACITY_EVENTS / 4, clicks: CAPACITY_EVENTS / 4 };
  const producer = await w.mf.getQueueProducer('EVENTS', 'darkshare');
  const t0 = Date.now();
  for (let i = 0; i < messages.length; i += 100) await producer.sendBatch(messages.slice(i, i + 100));
  const counted = await settledTotals(w.url, site, token, expected, 600_000);
  const seconds = (Date.now() - t0) / 1000;
  const exact = ['views', 'copies', 'clicks'].every((k) => counted[k] === expected[k]);
  log(`consumer capacity: ${CAPACITY_EVENTS} events counted in ${seconds.toFixed(1)} s`);
  return { events: CAPACITY_EVENTS, messages: messages.length, seconds, perSec: CAPACITY_EVENTS / seconds, exact, counted, expected };
}

/** The size budgets as scripts/budgets checks them (both workers' uploads, the snippet, the page). */
function budgets() {
  const r = spawnSync(join(ROOT, 'scripts/budgets'), [], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const lines = `${r.stdout}${r.stderr}`.trim().split('\n').filter((l) => /^(worker upload|snippet|stats page)/.test(l));
  return { lines, ok: r.status === 0 };
}

function ratio(a, b) { return b ? a / b : NaN; }

const UA_LABEL = { human: 'browser', crawler: '`curl/8`' };

function printReport(r, baseline) {
  const p = (s = '') => console.log(s);
  p('## darkshare benchmark');
  p();
  p(`${new Date(started).toISOString()} · ${gitRev} · ${cpus().length} CPUs (${cpus()[0]?.model?.trim() ?? '?'}) · node ${process.version} · miniflare ${r.env.miniflare} · ${r.env.wrk}`);
  p(`wrk -t${THREADS} -c${CONNECTIONS} -d${SECONDS}s --latency after a ${WARMUP} s warm-up, 127.0.0.1, one worker at a time, each on its own Miniflare server (workerd); wrk and workerd share the same ${cpus().length} cores. ${ROUNDS} interleaved rounds (every worker once per round); each figure is the median over the rounds, the range is req/s min–max.`);
  p();
  p('### GET /{code}');
  p();
  p(`| worker | request | req/s | range | p50 | p99 | p50, 1 conn. | p99, 1 conn. | non-2xx/3xx | socket errors |`);
  p('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of r.rows) {
    p(`| ${row.label} | ${row.what} | ${fmtInt(row.rps)} | ${fmtInt(row.rpsMin)}–${fmtInt(row.rpsMax)} | ${fmtMs(row.p50)} | ${fmtMs(row.p99)} | ${fmtMs(row.lightP50)} | ${fmtMs(row.lightP99)} | ${row.non2xx3xx} | ${row.socketErrors ? row.socketDetail : 0} |`);
  }
  p();
  const { ours, oursBefore, oursFullScan, oursCrawler, plain, plainD1, floor, rustFloor } = r.byName;
  const tput = ratio(ours.rps, plain.rps);
  const lat = ratio(ours.p50, floor.p50);
  p(`- throughput ours / plain: **${tput.toFixed(2)}×** (target ≥ ${TARGETS.throughputVsPlain.toFixed(1)}×): ${verdict(tput >= TARGETS.throughputVsPlain)}`);
  const lightLat = ratio(ours.lightP50, floor.lightP50);
  p(`- p50 ours / floor, one connection (the latency of a click): **${lightLat.toFixed(2)}×** (target ≤ ${TARGETS.p50VsFloor}×): ${verdict(lightLat <= TARGETS.p50VsFloor)}; +${fmtMs(ours.lightP50 - floor.lightP50)} per request`);
  p(`- p50 ours / floor at ${CONNECTIONS} connections (saturated: mostly time in the queue, so it tracks the throughput ratio): **${lat.toFixed(2)}×** (same target): ${verdict(lat <= TARGETS.p50VsFloor)}`);
  if (rustFloor) p(`- against the workers-rs floor (a constant 302 written the usual way, \`#[event(fetch)]\`, same engine): ours ${(ours.rps / rustFloor.rps * 100).toFixed(0)}% of its throughput, p50 ${ratio(ours.p50, rustFloor.p50).toFixed(2)}×; the Rust floor itself is ${ratio(rustFloor.p50, floor.p50).toFixed(2)}× the JS floor's p50 (${ratio(rustFloor.lightP50, floor.lightP50).toFixed(2)}× with one connection): the macro's promise and conversions per request, which ours does not pay for a cached link`);
  if (oursBefore) p(`- ours against the before build, same rounds: throughput ${ratio(ours.rps, oursBefore.rps).toFixed(2)}×, p50 ${ratio(ours.p50, oursBefore.p50).toFixed(2)}× (before: ${ratio(oursBefore.rps, plain.rps).toFixed(2)}× plain, p50 ${ratio(oursBefore.p50, floor.p50).toFixed(2)}× floor)`);
  p(`- ours without the click write: \`curl/8\` ${fmtInt(oursCrawler.rps)} req/s = ${ratio(oursCrawler.rps, plain.rps).toFixed(2)}× plain, p50 ${ratio(oursCrawler.p50, floor.p50).toFixed(2)}× floor; browser UA + crawler token (the whole UA is scanned, as for a person) ${fmtInt(oursFullScan.rps)} req/s = ${ratio(oursFullScan.rps, plain.rps).toFixed(2)}× plain, p50 ${ratio(oursFullScan.p50, floor.p50).toFixed(2)}× floor`);
  const change = (after, before) => `${after >= before ? '+' : '−'}${Math.abs((after / before - 1) * 100).toFixed(0)}%`;
  p(`- cost of one D1 statement per click on this engine: ours ${fmtInt(oursFullScan.rps)} → ${fmtInt(ours.rps)} req/s (${change(ours.rps, oursFullScan.rps)}; ours skips the write for a click this isolate already recorded); the same write added to the JS worker: plain ${fmtInt(plain.rps)} → plain + D1 ${fmtInt(plainD1.rps)} req/s (${change(plainD1.rps, plain.rps)})`);
  const c1 = r.clicksAfter_ours, c2 = r.clicksAfter_oursFullScan;
  p(`- clicks counted by ours after ${fmtInt(ours.requests)}+ browser requests from one IP + user agent: ${c1} (expected 1: one visitor, one day); after the crawler-token row: ${c2}${c2 === c1 ? ' (not counted, as intended)' : ' (**counted: that UA is no longer a crawler, the row is mislabelled**)'}; background write failures logged: ${r.backgroundFailures}`);
  p();
  p('### Budgets');
  p();
  for (const line of r.budgets.lines) p(`- ${line}`);
  p(`- all within budget: ${verdict(r.budgets.ok)}`);
  p();
  p('### Every request a different person (own user agent and CF-Connecting-IP): real writes');
  p();
  for (const [key, c] of Object.entries(r.people)) {
    const row = r.byName[key];
    // wrk's script sees only the answers it read: up to one request per connection and run was still
    // in flight when wrk stopped, answered by the worker (and counted) but not seen.
    const inFlight = CONNECTIONS * 2 * ROUNDS;
    const verdictText = c.counted < c.answered ? ` (**${fmtInt(c.answered - c.counted)} lost**)` : c.counted - c.answered <= inFlight ? ` (none lost; ${c.counted - c.answered} more counted than answered = requests in flight when wrk stopped, at most ${inFlight})` : ' (**more counted than requested**)';
    p(`- ${row.label}, GET /{code}: ${fmtInt(row.rps)} req/s, p50 ${fmtMs(row.p50)}; **${fmtInt(c.answered)} redirects answered, ${fmtInt(c.counted)} clicks counted**${verdictText}; against plain + D1 (one D1 write per click, same visitor): ${ratio(row.rps, plainD1.rps).toFixed(2)}×`);
  }
  p();
  p('| worker | POST /api/views, 1 connection, p50 | p99 | p50 / JS floor (GET), same round | p50 / JS POST floor, same round | accepted | refused |');
  p('|---|---:|---:|---:|---:|---:|---:|');
  const viewLabel = { floorPost: 'JS POST floor (reads the body, constant JSON)', ours: '**ours**' };
  for (const [key, v] of Object.entries(r.views)) {
    p(`| ${viewLabel[key] ?? `ours before (${process.env.BENCH_BEFORE_LABEL ?? '?'})`} | ${fmtMs(v.p50)} | ${fmtMs(v.p99)} | ${v.perFloor.toFixed(2)}×${key === 'ours' ? ` (target ≤ 1.5×: ${verdict(v.perFloor <= 1.5)})` : ''} | ${v.perPostFloor.toFixed(2)}× | ${key === 'floorPost' ? '' : fmtInt(v.ok)} | ${key === 'floorPost' ? '' : v.other} |`);
  }
  if (r.goals) p(`| **ours**, POST /api/goals (a goal from the snippet) | ${fmtMs(r.goals.p50)} | ${fmtMs(r.goals.p99)} | ${r.goals.perFloor.toFixed(2)}× (the view's, same round: ${r.goals.perView.toFixed(2)}×) | | ${fmtInt(r.goals.ok)} | ${r.goals.other} |`);
  p(`Each view run follows a ${WARMUP} s warm-up; each ratio is the median over the rounds of that round's p50 over the floor's, measured minutes apart at most (the JS floor's GET right before the view rows). Medians of the raw figures: JS floor GET ${fmtMs(r.floorGetP50)}, ours ${fmtMs(r.views.ours.p50)} (${ratio(r.views.ours.p50, r.floorGetP50).toFixed(2)}×).`);
  p();
  p(`### Ingest under load (${INGEST_SECONDS} s; views : copies : clicks = 2 : 1 : 1; every request a new person; ${CONNECTIONS} connections)`);
  p();
  p('| worker | accepted/s | found in stats/s | p50 | p99 | 429 | other 4xx | 5xx | timeouts | views (expected) | copies (expected) | clicks (expected) | lost | settled after | exact, no 5xx |');
  p('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const g of r.ingest) {
    p(`| ${g.label} | ${fmtInt(g.acceptedPerSec)} | ${fmtInt(g.foundPerSec)} | ${fmtMs(g.p50_us / 1000)} | ${fmtMs(g.p99_us / 1000)} | ${fmtInt(g.s429)} | ${g.s4xx} | ${g.s5xx} | ${g.timeouts} | ${fmtInt(g.counted.views)} (${fmtInt(g.expected.views)}) | ${fmtInt(g.counted.copies)} (${fmtInt(g.expected.copies)}) | ${fmtInt(g.counted.clicks)} (${fmtInt(g.expected.clicks)}) | ${fmtInt(g.lost)} | ${g.settleSeconds.toFixed(1)} s | ${g.pass ? 'yes' : '**NO**'} |`);
  }
  p();
  const cap = r.capacity;
  p(`- **one consumer, one D1 database** (events put straight into the queue, ten to a message, batches of ≤ 10 messages, no request handling competing): ${fmtInt(cap.events)} events (views : copies : clicks = 2 : 1 : 1, every click a new cascade node) counted in ${cap.seconds.toFixed(1)} s = **${fmtInt(cap.perSec)} events/s**; counts ${cap.exact ? 'exact' : `**not exact**: ${JSON.stringify(cap.counted)} vs ${JSON.stringify(cap.expected)}`}`);
  const row = (start, end) => r.ingest.find((g) => g.label.startsWith(start) && g.label.endsWith(end));
  for (const [what, end] of [['as deployed (each with its own wrangler.toml limits)', 'limits'], ['without limiter bindings (the pipelines alone)', 'bindings']]) {
    const now = row('ours,', end);
    const then = row('ours before', end);
    if (now && then) p(`- events found in stats per second, ours / before, ${what}: **${ratio(now.foundPerSec, then.foundPerSec).toFixed(2)}×** (target ≥ 3×): ${verdict(ratio(now.foundPerSec, then.foundPerSec) >= 3)}; lost: ours ${fmtInt(now.lost)}, before ${fmtInt(then.lost)}`);
  }
  p("Expected = what the worker accepted (views 200 + the one view that minted the copies' fingerprint, copies 202, clicks 302). Writes stop 2–3 s before wrk does; requests built but never answered: " + r.ingest.map((g) => g.unanswered).join(', ') + '. "Settled after": from the end of the load until the counts reached what was accepted (or stopped changing for 10 s).');
  if (baseline) {
    p();
    p(`### Before / after (before: ${baseline.meta?.rev ?? '?'} at ${baseline.meta?.at ?? '?'})`);
    p();
    p('| worker | request | req/s before | req/s after | p50 before | p50 after | p99 before | p99 after |');
    p('|---|---|---:|---:|---:|---:|---:|---:|');
    for (const row of r.rows) {
      const b = baseline.rows?.find((x) => x.key === row.key);
      if (b) p(`| ${row.label} | ${row.what} | ${fmtInt(b.rps)} | ${fmtInt(row.rps)} | ${fmtMs(b.p50)} | ${fmtMs(row.p50)} | ${fmtMs(b.p99)} | ${fmtMs(row.p99)} |`);
    }
  }
  p();
  p(`(run took ${((Date.now() - started) / 1000).toFixed(0)} s; load average before: ${r.loadBefore.toFixed(2)})`);
}

async function main() {
  const env = { miniflare: pkg('miniflare'), wrk: version('wrk', ['-v']).replace(/ \[.*$/, '') };
  const loadBefore = loadavg()[0];
  const buildDir = snapshotBuild();
  const stop = [];
  const result = { env, loadBefore, rows: [], ingest: [] };
  try {
    log('starting floor, plain, plain + D1, ours and the Rust floor on Miniflare');
    const floor = await startJs('floor.js');
    stop.push(floor.mf);
    const floorPost = await startJs('floor-post.js');
    stop.push(floorPost.mf);
    const plain = await startJs('plain-kv.js', { kvNamespaces: ['LINKS'] });
    stop.push(plain.mf);
    const plainD1 = await startJs('plain-kv-d1.js', { kvNamespaces: ['LINKS'], d1Databases: ['DB'] });
    stop.push(plainD1.mf);
    const ours = await startOurs({ buildDir, consoleDir: join(buildDir, 'console'), onStdio: captureStdio });
    stop.push(ours.mf);
    const rustFloor = await startOurs({ buildDir: join(ROOT, 'benches', 'rust-floor', 'build'), ratelimits: null });
    stop.push(rustFloor.mf);
    const beforeDir = process.env.BENCH_BEFORE_BUILD;
    // The before build runs on its own schema (its checkout's migrations/), not today's.
    const before = beforeDir ? await startOurs({ buildDir: beforeDir, consoleDir: consoleOf(beforeDir), migrations: join(dirname(beforeDir), 'migrations') }) : undefined;
    if (before) stop.push(before.mf);

    const { code, statsToken } = await seedOurs(ours.url);
    if (before) {
      const seeded = await seedOurs(before.url);
      if (seeded.code !== code) throw new Error(`the before build issued /${seeded.code}, not /${code}`);
    }
    for (const w of [plain, plainD1]) await (await w.mf.getKVNamespace('LINKS')).put(code, TARGET_URL);
    for (const [name, w] of [['floor', floor], ['plain', plain], ['plain + D1', plainD1], ['ours', ours]]) {
      const res = await call(`${w.url}/${code}`, { headers: { 'user-agent': CRAWLER_UA } });
      if (res.status !== 302) throw new Error(`${name}: GET /${code} answered ${res.status}, not 302`);
    }
    log(`seeded link /${code} → ${TARGET_URL}`);
    // The distinct-people rows click a link of a site of their own, so its clicks are theirs alone.
    const people = { ours: await seedSite(ours.url, 'people'), ...(before ? { oursBefore: await seedSite(before.url, 'people') } : {}) };
    const peopleStep = (worker, w) => ({ script: PEOPLE, env: { PEOPLE_MODE: 'click', PEOPLE_CODE: people[worker].code }, url: w.url, code: people[worker].code, worker });

    const plan = [
      { key: 'floor', label: 'floor (JS, constant 302)', what: 'GET, browser UA', url: floor.url },
      { key: 'rustFloor', label: 'floor (Rust, `#[event(fetch)]`, constant 302)', what: 'GET, browser UA', url: rustFloor.url },
      { key: 'plain', label: 'plain (JS, KV read + redirect)', what: 'GET, browser UA', url: plain.url },
      { key: 'ours', label: '**ours**', what: 'GET, browser UA (click counted)', url: ours.url },
      ...(before ? [{ key: 'oursBefore', label: `ours before (${process.env.BENCH_BEFORE_LABEL ?? beforeDir})`, what: 'GET, browser UA (click counted)', url: before.url }] : []),
      { key: 'oursCrawler', label: 'ours', what: 'GET, `curl/8` (crawler: not counted)', url: ours.url, ua: CRAWLER_UA },
      { key: 'oursFullScan', label: 'ours', what: 'GET, browser UA + crawler token at its end (not counted)', url: ours.url, ua: FULL_SCAN_UA },
      { key: 'plainD1', label: 'plain + D1 (JS, KV read + D1 click write)', what: 'GET, browser UA', url: plainD1.url },
      { key: 'oursPeople', label: '**ours**', what: 'GET, every request a new person (every click a write)', ...peopleStep('ours', ours) },
      ...(before ? [{ key: 'oursBeforePeople', label: `ours before (${process.env.BENCH_BEFORE_LABEL ?? beforeDir})`, what: 'GET, every request a new person', ...peopleStep('oursBefore', before) }] : []),
    ];
    log(`GET /{code}: ${ROUNDS} rounds of ${plan.length} workers, ${WARMUP} s warm-up + ${SECONDS} s each (wrk -t${THREADS} -c${CONNECTIONS})`);
    const runs = Object.fromEntries(plan.map((step) => [step.key, []]));
    const viewRuns = { floorPost: [], ours: [], ...(before ? { oursBefore: [] } : {}) };
    // A goal from the snippet (POST /api/goals, one connection, every request a new person), ours
    // only (a build before issue 21 has no such route), beside the view's and the floor's.
    const goalRuns = [];
    const floorGetP50s = [];
    // What each worker's `people` site has accepted so far; a run that leaves events in the queue
    // is followed by a wait until they are counted, so the next row is not measured against the
    // consumer's backlog (two cores: the consumer's work would be charged to whoever runs next).
    const accepted = { ours: { views: 0, clicks: 0 }, oursBefore: { views: 0, clicks: 0 } };
    const workerOf = { ours, oursBefore: before };
    const drain = (worker) => settledTotals(workerOf[worker].url, 'people', people[worker].token, accepted[worker]);
    for (let round = 0; round < ROUNDS; round++) {
      // The view rows' yardstick, measured beside them: the JS floor's one-connection GET latency
      // of this round (the machine drifts by ±25% within minutes, so a ratio is taken per round).
      const floorGet = parseWrk(await wrk(`${floor.url}/`, { threads: 1, connections: 1, seconds: LIGHT_SECONDS, headers: [`User-Agent: ${HUMAN_UA}`] }));
      floorGetP50s.push(floorGet.p50);
      for (const [worker, w] of Object.entries({ floorPost, ours, ...(before ? { oursBefore: before } : {}) })) {
        // POST /api/views with one connection, every request a new person: the latency of a view,
        // after a warm-up like every other row's.
        const viewRun = async (seconds) => peopleCounts(await wrk(`${w.url}/`, { threads: 1, connections: 1, seconds, script: PEOPLE, env: { PEOPLE_MODE: 'view', PEOPLE_SITE: 'people', PEOPLE_SEED: String(++peopleSeed) } }));
        const warm = WARMUP > 0 ? await viewRun(WARMUP) : { views_ok: 0 };
        const v = await viewRun(LIGHT_SECONDS);
        viewRuns[worker].push({ p50: v.p50_us / 1000, p99: v.p99_us / 1000, perFloor: v.p50_us / 1000 / floorGet.p50, ok: v.views_ok, other: v.s429 + v.s4xx + v.s5xx + v.s_other });
        if (worker !== 'floorPost') {
          accepted[worker].views += warm.views_ok + v.views_ok;
          await drain(worker);
        }
        log(`round ${round + 1}/${ROUNDS} ${worker} POST /api/views, 1 connection: p50 ${fmtMs(v.p50_us / 1000)} (JS floor GET this round: ${fmtMs(floorGet.p50)})`);
        if (worker === 'ours') {
          const goalRun = async (seconds) => peopleCounts(await wrk(`${w.url}/`, { threads: 1, connections: 1, seconds, script: PEOPLE, env: { PEOPLE_MODE: 'goal', PEOPLE_SITE: 'people', PEOPLE_SEED: String(++peopleSeed) } }));
          if (WARMUP > 0) await goalRun(WARMUP);
          const g = await goalRun(LIGHT_SECONDS);
          goalRuns.push({ p50: g.p50_us / 1000, p99: g.p99_us / 1000, perFloor: g.p50_us / 1000 / floorGet.p50, perView: g.p50_us / 1000 / v.p50_us * 1000, ok: g.goals_ok, other: g.s429 + g.s4xx + g.s5xx + g.s_other });
          await drain(worker);
          log(`round ${round + 1}/${ROUNDS} ours POST /api/goals, 1 connection: p50 ${fmtMs(g.p50_us / 1000)}`);
        }
      }
      for (const step of plan) {
        const counted = step.worker && ((n) => settledTotals(workerOf[step.worker].url, 'people', people[step.worker].token, { ...accepted[step.worker], clicks: accepted[step.worker].clicks + n }));
        runs[step.key].push(await drive(step, `${step.url}/${step.code ?? code}`, round, counted));
        if (step.worker) {
          accepted[step.worker].clicks += runs[step.key].at(-1).answered;
          await drain(step.worker);
        }
        if (step.key === 'ours' || step.key === 'oursFullScan') {
          result[`clicksAfter_${step.key}`] = (await settledTotals(ours.url, 'bench', statsToken, { clicks: 1 })).clicks;
        }
      }
    }
    result.rows = plan.map((step) => summarize(step, runs[step.key]));
    result.byName = Object.fromEntries(result.rows.map((row) => [row.key, row]));
    result.views = Object.fromEntries(Object.entries(viewRuns).map(([k, rs]) => [k, {
      p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), ok: rs.reduce((a, r) => a + r.ok, 0), other: rs.reduce((a, r) => a + r.other, 0),
      perFloor: median(rs.map((r) => r.perFloor)), perPostFloor: median(rs.map((r, i) => r.p50 / viewRuns.floorPost[i].p50)),
    }]));
    result.floorGetP50 = median(floorGetP50s);
    result.goals = {
      p50: median(goalRuns.map((r) => r.p50)), p99: median(goalRuns.map((r) => r.p99)), perFloor: median(goalRuns.map((r) => r.perFloor)),
      perView: median(goalRuns.map((r) => r.perView)), ok: goalRuns.reduce((a, r) => a + r.ok, 0), other: goalRuns.reduce((a, r) => a + r.other, 0),
    };
    // Redirects answered vs clicks counted, for the rows where every click is a new person's.
    result.people = {};
    for (const step of plan.filter((x) => x.worker)) {
      const answered = runs[step.key].reduce((a, r) => a + r.answered, 0);
      const totals = await drain(step.worker);
      result.people[step.key] = { answered, counted: totals.clicks };
      log(`${step.key}: ${answered} redirects answered, ${totals.clicks} clicks counted`);
    }
    result.backgroundFailures = runtimeLog.backgroundFailures;

    // Ingest: as deployed (wrangler.toml's rate limits, simulated by Miniflare), and with no
    // limiter bindings (the worker then lets every write through) to see D1's write capacity.
    result.capacity = await consumerCapacity(ours);
    result.ingest.push(await ingest('ours, wrangler.toml limits', ours.url));
    const unlimited = await startOurs({ buildDir, consoleDir: join(buildDir, 'console'), ratelimits: null });
    stop.push(unlimited.mf);
    result.ingest.push(await ingest('ours, no limiter bindings', unlimited.url));
    if (before) {
      result.ingest.push(await ingest(`ours before (${process.env.BENCH_BEFORE_LABEL ?? beforeDir}), its wrangler.toml limits`, before.url));
      const beforeUnlimited = await startOurs({ buildDir: beforeDir, consoleDir: consoleOf(beforeDir), migrations: join(dirname(beforeDir), 'migrations'), ratelimits: null });
      stop.push(beforeUnlimited.mf);
      result.ingest.push(await ingest(`ours before (${process.env.BENCH_BEFORE_LABEL ?? beforeDir}), no limiter bindings`, beforeUnlimited.url));
    }
  } finally {
    for (const mf of stop.reverse()) await mf.dispose().catch(() => {});
  }
  log('budgets: scripts/budgets');
  result.budgets = budgets();
  rmSync(buildDir, { recursive: true, force: true });

  const baselinePath = process.env.BENCH_BASELINE;
  const baseline = baselinePath && existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, 'utf8')) : undefined;
  printReport(result, baseline);
  if (process.env.BENCH_JSON) {
    const { byName, ...rest } = result;
    writeFileSync(process.env.BENCH_JSON, JSON.stringify({ meta: { rev: gitRev, at: new Date(started).toISOString() }, ...rest }, null, 2));
    log(`results written to ${process.env.BENCH_JSON}`);
  }
  if (runtimeLog.errors.length) log('runtime log lines mentioning errors:', runtimeLog.errors);
  // The before build is measured, not judged: it is expected to lose clicks.
  process.exitCode = result.ingest.some((g) => !g.pass && !g.label.startsWith('ours before')) || !result.capacity.exact ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
