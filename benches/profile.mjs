// Where the time of GET /{code} goes: a CPU profile of ours under wrk load, taken from workerd's
// own V8 inspector (Chrome DevTools protocol, Profiler domain). Run through `scripts/profile`,
// which builds a copy of the worker with function names kept (no strip, no wasm-opt).
//
// Prints the top functions by self time and by inclusive time, as shares of the isolate's
// samples ("(idle)" is time the isolate waited for requests; "(program)" is workerd's own native
// work), and writes the raw profile to target/profiling/get-code.cpuprofile for Chrome DevTools.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { HUMAN_UA, ROOT, seedOurs, startOurs, wrk } from './lib.mjs';

const [buildDir = join(ROOT, 'target/profiling/build'), seconds = '6'] = process.argv.slice(2);
const TOP = Number(process.env.PROFILE_TOP ?? 30);
const INSPECTOR_PORT = Number(process.env.PROFILE_INSPECTOR_PORT ?? 9231);

async function devtools(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const target = targets.find((t) => /core:user:darkshare/.test(t.title ?? ''));
  if (!target) throw new Error(`no darkshare isolate among ${targets.map((t) => t.title).join(', ')}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  let next = 0;
  const pending = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(data);
    pending.get(msg.id)?.(msg);
    pending.delete(msg.id);
  });
  const send = (method, params = {}) => new Promise((resolve) => {
    const id = ++next;
    pending.set(id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });
  return { send, close: () => ws.close() };
}

/** Self and inclusive time per function name, as fractions of all samples. */
function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const selfByName = new Map();
  const inclusive = new Map();
  const name = (n) => n.callFrame.functionName || '(anonymous)';
  for (const [id, t] of self) {
    const own = name(byId.get(id));
    selfByName.set(own, (selfByName.get(own) ?? 0) + t);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(byId.get(cur));
      if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + t);
      seen.add(k);
    }
  }
  const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([k, t]) => [k, t / total]);
  return { self: top(selfByName), inclusive: top(inclusive) };
}

// The console worker (site registration, the queue consumer) beside the hot one being profiled.
const { mf, url } = await startOurs({ buildDir, consoleDir: join(buildDir, '..', 'build-console'), inspectorPort: INSPECTOR_PORT });
try {
  const { code } = await seedOurs(url);
  // PROFILE_PATH=view: POST /api/views, every request a new person (benches/people.lua), one
  // connection; otherwise GET /{code} of one visitor whose click is already recorded.
  const views = process.env.PROFILE_PATH === 'view';
  const target = views ? `${url}/` : `${url}/${code}`;
  const headers = views ? [] : [`User-Agent: ${HUMAN_UA}`];
  const load = views ? { script: join(ROOT, 'benches/people.lua'), env: { PROFILE: '1', PEOPLE_MODE: 'view', PEOPLE_SITE: 'bench' }, threads: 1, connections: 1 } : {};
  await wrk(target, { seconds: 2, latency: false, headers, ...load, env: { ...load.env, PEOPLE_SEED: '1' } }); // warm
  const inspector = await devtools(INSPECTOR_PORT);
  await inspector.send('Profiler.enable');
  await inspector.send('Profiler.setSamplingInterval', { interval: 100 });
  await inspector.send('Profiler.start');
  const out = await wrk(target, { seconds: Number(seconds), headers, ...load, env: { ...load.env, PEOPLE_SEED: '2' } });
  const { result } = await inspector.send('Profiler.stop');
  inspector.close();
  const file = join(ROOT, `target/profiling/${views ? 'post-views' : 'get-code'}.cpuprofile`);
  writeFileSync(file, JSON.stringify(result.profile));
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)?.[1];
  const { self, inclusive } = summarize(result.profile);
  const pct = (f) => `${(f * 100).toFixed(1).padStart(5)}%`;
  console.log(`## CPU profile of ${views ? 'POST /api/views (a new person each, one connection)' : 'GET /{code} (browser UA, click already recorded)'}, ${seconds} s under wrk: ${rps} req/s while profiled`);
  console.log('\n### self time');
  for (const [k, f] of self) console.log(pct(f), k.slice(0, 140));
  console.log('\n### inclusive time');
  for (const [k, f] of inclusive) console.log(pct(f), k.slice(0, 140));
  console.log(`\n(raw profile: ${file})`);
} finally {
  await mf.dispose();
}
