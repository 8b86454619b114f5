// Counting per site (issue 20): events/s counted through the queue with 1 site and with 8 sites,
// and isolation: while a backlog of events for site A is counted, how long a page view of site B
// takes to show in B's GET /api/live (p50/p95). For our build and, beside it, an earlier one (each
// with its own console worker; the earlier one counts every site in one D1).
//   node benches/sites.mjs [before-dir]     before-dir: a checkout with build/ and build-console/
// scripts/bench runs it after its other rows when given --before (BENCH_SITES=0 skips it).
import { join } from 'node:path';
import { ADMIN_TOKEN, HUMAN_UA, ROOT, call, expectStatus, median, startOurs } from './lib.mjs';

const EVENTS = Number(process.env.BENCH_SITES_EVENTS ?? 20_000);
const BACKLOG = Number(process.env.BENCH_SITES_BACKLOG ?? 20_000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (m) => console.error(`[sites] ${m}`);

async function site(url, id) {
  const created = expectStatus(await call(`${url}/api/sites`, { method: 'POST', token: ADMIN_TOKEN, body: { id, name: id, hosts: ['localhost'] } }), [201], `POST /api/sites (${id})`);
  const seed = expectStatus(await call(`${url}/api/views`, { method: 'POST', headers: { 'user-agent': `${HUMAN_UA} seed-${id}`, 'cf-connecting-ip': '192.0.2.9' }, body: { site: id, url: 'http://localhost/p' } }), [200], 'seed view');
  return { id, token: created.json.stats_token, fp: seed.json.fp };
}

const totals = async (url, s) => (await call(`${url}/api/stats?site=${s.id}`, { token: s.token })).json?.totals ?? {};

/** Queue lines (the wire format) of `n` events for `s`, a mix like the consumer-capacity row's. */
function lines(s, n, tag) {
  // Ids unique across sites: the before build keeps every site's keys in one table.
  tag = `${tag}-${s.id}-`;
  const minute = Math.floor(Date.now() / 60_000);
  const hex = (i, len) => i.toString(16).padStart(len, '0');
  return Array.from({ length: n }, (_, i) => [
    () => ['view', `${tag}${i}`, s.id, minute, 'http://localhost/p', 'direct'],
    () => ['view', `${tag}${i}`, s.id, minute, 'http://localhost/p', 'dark_social'],
    () => ['copy', `${tag}${i}`, s.id, minute, 'http://localhost/p', `copied text ${i % 20}`],
    () => ['click', s.id, minute, 'http://localhost/p', 'whatsapp', 1, 1, s.fp, 0, hex(i, 32), hex(i, 16), `${tag}n${i}`, '', 0],
  ][i % 4]().join('\t'));
}

/** Sends `all` (arrays of lines, one per site) interleaved, ten lines to a message. */
async function enqueue(mf, all) {
  const messages = [];
  for (const list of all) for (let i = 0; i < list.length; i += 10) messages.push({ body: `${list.slice(i, i + 10).join('\n')}\n` });
  // Interleave the sites' messages, as traffic of several sites would arrive.
  const per = all.map((list) => Math.ceil(list.length / 10));
  const order = [];
  for (let k = 0; k < Math.max(...per); k++) for (let s = 0, at = 0; s < all.length; at += per[s], s++) if (k < per[s]) order.push(messages[at + k]);
  const producer = await mf.getQueueProducer('EVENTS', 'darkshare');
  for (let i = 0; i < order.length; i += 100) await producer.sendBatch(order.slice(i, i + 100));
}

/** Events/s counted for EVENTS events spread over `count` sites. */
async function throughput(w, count, tag) {
  const sites = [];
  for (let i = 0; i < count; i++) sites.push(await site(w.url, `${tag}-${count}-${i}`));
  const per = EVENTS / count;
  const t0 = Date.now();
  await enqueue(w.mf, sites.map((s) => lines(s, per, `${tag}${count}`)));
  const done = (t) => t.views >= 1 + per / 2 && t.copies >= per / 4 && t.clicks >= per / 4;
  for (const until = Date.now() + 600_000; Date.now() < until;) {
    const all = await Promise.all(sites.map((s) => totals(w.url, s)));
    if (all.every(done)) break;
    if (process.env.BENCH_SITES_DEBUG) log(JSON.stringify(all.map((t) => t.views)));
    await sleep(250);
  }
  const seconds = (Date.now() - t0) / 1000;
  const counted = (await Promise.all(sites.map((s) => totals(w.url, s)))).reduce((a, t) => a + t.views + t.copies + t.clicks - 1, 0);
  log(`${w.url}: ${count} site(s), ${counted} of ${EVENTS} events counted in ${seconds.toFixed(1)} s`);
  return { sites: count, events: EVENTS, counted, seconds, perSec: EVENTS / seconds };
}

/** B's view latency to /api/live while A's backlog is counted: a view of B every 100 ms. */
async function isolation(w, tag) {
  const a = await site(w.url, `${tag}-a`);
  const b = await site(w.url, `${tag}-b`);
  const liveViews = async () => ((await call(`${w.url}/api/live?site=${b.id}`, { token: b.token })).json?.minutes ?? []).reduce((s, m) => s + m.views, 0);
  let seen = await liveViews();
  await enqueue(w.mf, [lines(a, BACKLOG, `${tag}iso`)]);
  const backlogDone = async () => (await totals(w.url, a)).views >= 1 + BACKLOG / 2;
  // Each probe's send time, oldest first; B's live count rises by one per probe counted.
  const pending = [], latencies = [];
  let sending = true;
  const poller = (async () => {
    for (const until = Date.now() + 600_000; (sending || pending.length) && Date.now() < until;) {
      const now = await liveViews();
      for (; now > seen && pending.length; seen++) latencies.push(Date.now() - pending.shift());
      await sleep(20);
    }
  })();
  for (let probe = 0; probe < 600 && (probe === 0 || !(await backlogDone())); probe++) {
    pending.push(Date.now());
    expectStatus(await call(`${w.url}/api/views`, { method: 'POST', headers: { 'user-agent': `${HUMAN_UA} probe-${tag}-${probe}`, 'cf-connecting-ip': `198.18.${probe >> 8}.${probe & 255}` }, body: { site: b.id, url: 'http://localhost/b' } }), [200], 'probe view');
    await sleep(100);
  }
  sending = false;
  await poller;
  log(`isolation: ${latencies.length} probes, latencies ${latencies.join(' ')}`);
  const sorted = [...latencies].sort((x, y) => x - y);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { backlog: BACKLOG, probes: latencies.length, p50: median(latencies), p95: pct(0.95) };
}

/** Both measures for one build. */
export async function measureSites(label, buildDir, consoleDir, migrations) {
  const w = await startOurs({ buildDir, consoleDir, ratelimits: null, migrations });
  try {
    const one = await throughput(w, 1, 't');
    const eight = await throughput(w, 8, 'u');
    const iso = await isolation(w, 'i');
    return { label, one, eight, iso };
  } finally {
    await w.mf.dispose();
  }
}

export function printSites(rows) {
  const p = (s = '') => console.log(s);
  p(`### Counting per site (${EVENTS} events through the queue; isolation: a backlog of ${BACKLOG} events for site A, a view of site B every 100 ms until the backlog is counted)`);
  p();
  p('| build | events/s, 1 site | events/s, 8 sites | B\'s view in /api/live, p50 | p95 | probes |');
  p('|---|---|---|---|---|---|');
  for (const r of rows) p(`| ${r.label} | ${r.one.perSec.toFixed(0)} (${r.one.seconds.toFixed(1)} s) | ${r.eight.perSec.toFixed(0)} (${r.eight.seconds.toFixed(1)} s) | ${r.iso.p50} ms | ${r.iso.p95} ms | ${r.iso.probes} |`);
  if (rows.length === 2) {
    const [now, then] = rows;
    p();
    p(`ours / before: 1 site ${(now.one.perSec / then.one.perSec).toFixed(2)}×, 8 sites ${(now.eight.perSec / then.eight.perSec).toFixed(2)}×; B's p50 ${(then.iso.p50 / now.iso.p50).toFixed(1)}× faster, p95 ${(then.iso.p95 / now.iso.p95).toFixed(1)}× faster`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = [await measureSites('ours', join(ROOT, 'build'), join(ROOT, 'build-console'))];
  const before = process.argv[2];
  if (before) rows.push(await measureSites(`before (${before.split('/').pop()})`, join(before, 'build'), join(before, 'build-console'), join(before, 'migrations')));
  printSites(rows);
}
