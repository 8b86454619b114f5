// The latency of one page view, alone: POST /api/views with one connection, every request a new
// person (benches/people.lua), for ours and for any other builds given, beside the JS floors (GET
// and POST), in interleaved rounds on one machine; medians over the rounds. The quick loop for
// issue 10's target (b) while changing the view path: a full `scripts/bench` takes ten minutes.
//
// Usage (after scripts/build): node benches/views.mjs [label=buildDir …]
//   Each buildDir holds index.js + index_bg.wasm of the hot worker and console/ (or ../build-console)
//   for the console worker; without arguments: ours=build/. Knobs: VIEWS_ROUNDS (7),
//   VIEWS_SECONDS (2 per run), VIEWS_GOALS=1 (a goal's row too). Every worker gets a 1 s warm-up first.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HUMAN_UA, ROOT, call, expectStatus, median, parseWrk, peopleCounts, seedOurs, startJs, startOurs, wrk } from './lib.mjs';

const ROUNDS = Number(process.env.VIEWS_ROUNDS ?? 7);
const SECONDS = Number(process.env.VIEWS_SECONDS ?? 2);
const PEOPLE = join(ROOT, 'benches/people.lua');
const log = (...a) => console.error('[views]', ...a);

function consoleDirOf(dir) {
  const inside = join(dir, 'console');
  return existsSync(join(inside, 'index.js')) ? inside : join(dir, '..', 'build-console');
}

const builds = process.argv.slice(2).map((arg) => {
  const [label, dir] = arg.includes('=') ? arg.split('=') : [arg, arg];
  return { label, dir: resolve(dir) };
});
if (!builds.length) builds.push({ label: 'ours', dir: join(ROOT, 'build') });

const stop = [];
let seed = 1000;
try {
  const floor = await startJs('floor.js');
  stop.push(floor.mf);
  const floorPost = await startJs('floor-post.js');
  stop.push(floorPost.mf);
  const workers = [];
  for (const b of builds) {
    const w = await startOurs({ buildDir: b.dir, consoleDir: consoleDirOf(b.dir) });
    stop.push(w.mf);
    await seedOurs(w.url);
    expectStatus(await call(`${w.url}/api/views`, {
      method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': HUMAN_UA, 'cf-connecting-ip': '192.0.2.9' },
      body: { site: 'bench', url: 'http://localhost/p', referrer: '' },
    }), [200], `POST /api/views (${b.label})`);
    workers.push({ ...b, url: w.url });
  }
  const p50s = { 'JS floor (GET)': [], 'JS POST floor': [], ...Object.fromEntries(builds.map((b) => [b.label, []])) };
  // VIEWS_GOALS=1: also a goal from the snippet (POST /api/goals) per build and round.
  const goals = process.env.VIEWS_GOALS === '1';
  if (goals) for (const b of builds) p50s[`${b.label} goal`] = [];
  const goalRun = (url, seconds) => wrk(`${url}/`, { threads: 1, connections: 1, seconds, script: PEOPLE, env: { PEOPLE_MODE: 'goal', PEOPLE_SITE: 'bench', PEOPLE_SEED: String(++seed) } });
  const viewRun = (url, seconds) => wrk(`${url}/`, { threads: 1, connections: 1, seconds, script: PEOPLE, env: { PEOPLE_MODE: 'view', PEOPLE_SITE: 'bench', PEOPLE_SEED: String(++seed) } });
  // A warm-up per worker, so that no round measures a cold isolate.
  for (const url of [floorPost.url, ...workers.map((w) => w.url)]) await viewRun(url, 1);
  if (goals) for (const w of workers) await goalRun(w.url, 1);
  for (let round = 0; round < ROUNDS; round++) {
    const get = parseWrk(await wrk(`${floor.url}/`, { threads: 1, connections: 1, seconds: SECONDS, headers: [`User-Agent: ${HUMAN_UA}`] }));
    p50s['JS floor (GET)'].push(get.p50);
    for (const [label, url] of [['JS POST floor', floorPost.url], ...workers.map((w) => [w.label, w.url])]) {
      const counts = peopleCounts(await viewRun(url, SECONDS));
      if (label !== 'JS POST floor' && counts.views_ok !== counts.responses) throw new Error(`${label}: ${JSON.stringify(counts)}`);
      p50s[label].push(counts.p50_us / 1000);
    }
    for (const w of goals ? workers : []) {
      const counts = peopleCounts(await goalRun(w.url, SECONDS));
      if (counts.goals_ok !== counts.responses) throw new Error(`${w.label} goal: ${JSON.stringify(counts)}`);
      p50s[`${w.label} goal`].push(counts.p50_us / 1000);
    }
    log(`round ${round + 1}/${ROUNDS}: ${Object.entries(p50s).map(([k, v]) => `${k} ${v.at(-1).toFixed(3)}`).join(', ')}`);
  }
  const floorP50 = median(p50s['JS floor (GET)']);
  const postP50 = median(p50s['JS POST floor']);
  console.log(`POST /api/views, one connection, every request a new person: median p50 over ${ROUNDS} rounds of ${SECONDS} s`);
  console.log('| worker | p50 | / JS floor (GET) | / JS POST floor |');
  console.log('|---|---:|---:|---:|');
  for (const [label, xs] of Object.entries(p50s)) {
    const p50 = median(xs);
    console.log(`| ${label} | ${p50.toFixed(3)} ms | ${(p50 / floorP50).toFixed(2)}× | ${(p50 / postP50).toFixed(2)}× |`);
  }
} finally {
  for (const mf of stop.reverse()) await mf.dispose().catch(() => {});
}
