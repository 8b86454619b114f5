// Shared by benches/run.mjs and benches/stats-1m.mjs: starting workers on Miniflare's own server
// (127.0.0.1, a free port each), applying the D1 schema, small HTTP helpers, wrk.
import { Miniflare } from 'miniflare';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ADMIN_TOKEN = 'bench-admin-token';
export const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
export const COMPAT_DATE = '2026-04-20';
/// A person's browser (classified Human: the click is counted in waitUntil).
export const HUMAN_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
/// The browser UA with a crawler-corpus token at its very end (crawler-user-agents' `WPUmbrella`):
/// classified Crawler only after the whole UA was scanned, i.e. the full work of a person's click
/// minus the click write.
export const FULL_SCAN_UA = `${HUMAN_UA} WPUmbrella`;
/// A non-preview tool (classified Crawler: redirected, never counted).
export const CRAWLER_UA = 'curl/8';
/**
 * What of wrangler.toml Miniflare needs, read from the file itself so a benchmark always runs the
 * deployed configuration: the abuse limits ([[ratelimits]]) and the counting queue with its
 * consumer settings ([[queues.producers]], [[queues.consumers]]).
 */
export function wranglerConfig(file = join(ROOT, 'wrangler.toml')) {
  const blocks = readFileSync(file, 'utf8').split(/^(?=\[)/m);
  const value = (block, key) => {
    const m = new RegExp(`^${key}\\s*=\\s*(.+)$`, 'm').exec(block);
    return m ? m[1].trim().replace(/^"(.*)"$/, '$1') : undefined;
  };
  const ratelimits = {};
  const queueProducers = {};
  const queueConsumers = {};
  for (const block of blocks) {
    if (block.startsWith('[[ratelimits]]')) {
      const m = /simple\s*=\s*\{\s*limit\s*=\s*(\d+)\s*,\s*period\s*=\s*(\d+)/.exec(block);
      ratelimits[value(block, 'name')] = { simple: { limit: Number(m[1]), period: Number(m[2]) } };
    } else if (block.startsWith('[[queues.producers]]')) {
      queueProducers[value(block, 'binding')] = value(block, 'queue');
    } else if (block.startsWith('[[queues.consumers]]')) {
      queueConsumers[value(block, 'queue')] = {
        maxBatchSize: Number(value(block, 'max_batch_size')),
        maxBatchTimeout: Number(value(block, 'max_batch_timeout')),
        maxRetries: Number(value(block, 'max_retries')),
        deadLetterQueue: value(block, 'dead_letter_queue'),
      };
    }
  }
  return { ratelimits, queueProducers, queueConsumers };
}

/// The abuse limits of wrangler.toml ([[ratelimits]]), as Miniflare simulates them.
export const WRANGLER_RATELIMITS = wranglerConfig().ratelimits;

/**
 * Starts darkshare on its own Miniflare server: the hot worker (`buildDir`: index.js +
 * index_bg.wasm) and, when `consoleDir` is given, the console worker behind its CONSOLE service
 * binding, as wrangler.toml and scripts/console.wrangler.toml declare them (shared KV, D1 and
 * queues). Without `consoleDir` one worker gets every binding (earlier builds, reference workers).
 */
export async function startOurs({ buildDir = join(ROOT, 'build'), consoleDir, ratelimits = WRANGLER_RATELIMITS, d1Persist = false, doPersist = false, onStdio, inspectorPort, migrations } = {}) {
  const hotConfig = wranglerConfig();
  const consoleConfig = wranglerConfig(join(ROOT, 'scripts/console.wrangler.toml'));
  // build/index.js does `import G from "./index_bg.wasm"`: with modulesRoot = the build directory
  // the two modules are named index.js and index_bg.wasm, so the relative import resolves.
  const worker = (name, dir) => ({
    name,
    modulesRoot: dir,
    modules: [
      { type: 'ESModule', path: join(dir, 'index.js') },
      { type: 'CompiledWasm', path: join(dir, 'index_bg.wasm') },
    ],
    compatibilityDate: COMPAT_DATE,
    kvNamespaces: ['LINKS'],
    d1Databases: ['DB'],
    bindings: { ADMIN_TOKEN, SIGNING_SECRET, PUBLIC_ORIGIN: '' },
  });
  const hot = { ...worker('darkshare', buildDir), queueProducers: hotConfig.queueProducers };
  if (ratelimits) hot.ratelimits = ratelimits;
  const workers = [hot];
  if (consoleDir) {
    hot.serviceBindings = { CONSOLE: 'darkshare-console' };
    // Each site's counts live in its own SQLite-backed Durable Object (scripts/console.wrangler.toml).
    // Builds from before that (benches' --before) have no such class, and get no binding.
    const hasSite = /\bas Site\b/.test(readFileSync(join(consoleDir, 'index.js'), 'utf8'));
    const durableObjects = hasSite ? { SITE: { className: 'Site', useSQLite: true } } : {};
    workers.push({ ...worker('darkshare-console', consoleDir), durableObjects, queueProducers: consoleConfig.queueProducers, queueConsumers: consoleConfig.queueConsumers });
  } else {
    Object.assign(hot.queueProducers, consoleConfig.queueProducers);
    hot.queueConsumers = consoleConfig.queueConsumers;
  }
  const options = { host: '127.0.0.1', port: 0, d1Persist, durableObjectsPersist: doPersist, unsafeTriggerHandlers: true, workers };
  if (onStdio) options.handleRuntimeStdio = onStdio;
  if (inspectorPort) options.inspectorPort = inspectorPort;
  const mf = new Miniflare(options);
  const url = String(await mf.ready).replace(/\/$/, '');
  await migrate(await mf.getD1Database('DB'), migrations);
  return { mf, url };
}

/** The link every benchmark resolves. */
export const BENCH_TARGET_URL = 'http://localhost/p?x=1';

/** Registers the site `bench` (host localhost) on ours and creates its one WhatsApp link. */
export async function seedOurs(url) {
  const site = expectStatus(await call(`${url}/api/sites`, {
    method: 'POST', token: ADMIN_TOKEN, body: { id: 'bench', name: 'Bench', hosts: ['localhost'] },
  }), [201], 'POST /api/sites');
  const link = expectStatus(await call(`${url}/api/links`, {
    method: 'POST', body: { site: 'bench', url: BENCH_TARGET_URL, channel: 'whatsapp' },
  }), [201], 'POST /api/links');
  return { statsToken: site.json.stats_token, code: link.json.code };
}

/** Starts a plain JS module worker from benches/. */
export async function startJs(file, { kvNamespaces = [], d1Databases = [] } = {}) {
  const mf = new Miniflare({
    name: file.replace(/\W/g, '-'),
    host: '127.0.0.1',
    port: 0,
    modules: true,
    scriptPath: join(ROOT, 'benches', file),
    compatibilityDate: COMPAT_DATE,
    kvNamespaces,
    d1Databases,
  });
  const url = String(await mf.ready).replace(/\/$/, '');
  if (d1Databases.includes('DB')) await migrate(await mf.getD1Database('DB'));
  return { mf, url };
}

/**
 * Copies both workers' index.js + index_bg.wasm (build/, build-console/) to a temporary directory
 * (the console's in `console/`), so that every phase of a run measures the same bundles even if
 * they are rebuilt meanwhile.
 */
export function snapshotBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'darkshare-bench-build-'));
  mkdirSync(join(dir, 'console'));
  for (const f of ['index.js', 'index_bg.wasm']) {
    copyFileSync(join(ROOT, 'build', f), join(dir, f));
    copyFileSync(join(ROOT, 'build-console', f), join(dir, 'console', f));
  }
  return dir;
}

/** A line without its `--` comment; a `--` inside a quoted string (`'xn--p1ai'`) is text. */
function withoutComment(line) {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "'") quoted = !quoted;
    else if (!quoted && line.startsWith('--', i)) return line.slice(0, i);
  }
  return line;
}

/**
 * The statements of an SQL file: `--` comments dropped, split at `;` line ends, except inside a
 * CREATE TRIGGER … END; block.
 */
export function sqlStatements(text) {
  const out = [];
  let current = [];
  let inTrigger = false;
  for (const raw of text.split('\n')) {
    const line = withoutComment(raw).trimEnd();
    if (!line.trim()) continue;
    if (!current.length && /^\s*CREATE\s+TRIGGER/i.test(line)) inTrigger = true;
    current.push(line);
    const ends = inTrigger ? /^\s*END\s*;\s*$/i.test(line) : /;\s*$/.test(line);
    if (ends) {
      out.push(current.join('\n'));
      current = [];
      inTrigger = false;
    }
  }
  if (current.length) out.push(current.join('\n'));
  return out;
}

/** Applies `dir`/*.sql (default: migrations/) in order, one statement at a time. */
export async function migrate(db, dir = join(ROOT, 'migrations')) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    for (const sql of sqlStatements(readFileSync(join(dir, file), 'utf8'))) {
      await db.prepare(sql).run();
    }
  }
}

/** fetch with a JSON body and a deadline; never follows redirects. */
export async function call(url, { method = 'GET', body, token, headers = {}, timeoutMs = 10_000 } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] ??= 'application/json';
  const res = await fetch(url, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

export function expectStatus(res, statuses, what) {
  if (!statuses.includes(res.status)) {
    throw new Error(`${what}: expected ${statuses.join('/')}, got ${res.status}: ${res.text.slice(0, 300)}`);
  }
  return res;
}

/** The UTC date `offset` days from today, YYYY-MM-DD. */
export function isoDay(offsetDays = 0) {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 (the worker's `Day`). */
export function dayNumber(offsetDays = 0) {
  return Math.floor(Date.now() / 86_400_000) + offsetDays;
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
function toMs(text) {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : NaN;
}

/** Parses wrk's text report (with --latency). */
export function parseWrk(out) {
  const num = (re) => { const m = re.exec(out); return m ? Number(m[1]) : 0; };
  const pct = (p) => { const m = new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out); return m ? toMs(m[1]) : NaN; };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    requests: num(/(\d+) requests in/),
    p50: pct(50),
    p99: pct(99),
    non2xx3xx: num(/Non-2xx or 3xx responses:\s+(\d+)/),
    socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    socketDetail: sock ? ['connect', 'read', 'write', 'timeout'].map((k, i) => (Number(sock[i + 1]) ? `${sock[i + 1]} ${k}` : '')).filter(Boolean).join(', ') : '',
    timeouts: sock ? Number(sock[4]) : 0,
  };
}

/**
 * Runs wrk (always bounded: -d plus a hard kill 20 s later) against a 127.0.0.1 URL.
 * Returns its stdout.
 */
export function wrk(url, { threads = 2, connections = 32, seconds = 10, headers = [], script, env = {}, latency = true } = {}) {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error(`wrk only against 127.0.0.1: ${url}`);
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '5s'];
  if (latency) args.push('--latency');
  for (const h of headers) args.push('-H', h);
  if (script) args.push('-s', script);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + 20) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      if (code !== 0) reject(new Error(`wrk exited ${code}: ${err || out}`));
      else resolve(out);
    });
  });
}

/** The median of the finite numbers in `xs` (NaN when there are none). */
export function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The counters benches/people.lua prints (`PEOPLE k=v …`), or undefined for other scripts. */
export function peopleCounts(out) {
  const line = out.split('\n').find((l) => l.startsWith('PEOPLE '));
  return line ? Object.fromEntries(line.slice(7).trim().split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])) : undefined;
}

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** `n` sequential GETs of `url` with the bearer `token` (200 expected), one at a time: their p50,
 *  p95 and slowest in ms, and the last answer. */
export async function timeRequests(url, token, n) {
  const times = [];
  let last;
  for (let k = 0; k < n; k++) {
    const t = performance.now();
    last = expectStatus(await call(url, { token, timeoutMs: 30_000 }), [200], 'GET stats');
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1], last };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
