// scripts/deploy without a Cloudflare account: a recording stand-in for wrangler
// (tests/deploy/fake-wrangler.mjs, through the shim in tests/deploy/bin/) is first on PATH and
// answers from a JSON account. Asserts the commands and their order, that a second run creates
// nothing, that a run failing midway says what it did and how to resume, and that the resumed run
// finishes. What only a real account proves is listed in docs/deploy.md.
// Run: node --test tests/deploy/deploy.test.mjs (scripts/test runs it in its fast section).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'tests', 'deploy', 'bin');

/** A fresh fake account and deploy dir. */
function account(initial) {
  const dir = mkdtempSync(join(tmpdir(), 'darkshare-deploy-'));
  const state = join(dir, 'account.json');
  if (initial) writeFileSync(state, JSON.stringify(initial));
  return { dir, state, log: join(dir, 'calls.jsonl'), deployDir: join(dir, 'deploy') };
}

/** Runs scripts/deploy against the fake; returns its output and the wrangler calls it made. */
function deploy(acct, { args = [], fail } = {}) {
  const before = existsSync(acct.log) ? readFileSync(acct.log, 'utf8').split('\n').filter(Boolean).length : 0;
  const env = {
    ...process.env,
    PATH: `${BIN}:${process.env.PATH}`,
    WRANGLER: 'wrangler',
    DEPLOY_DIR: acct.deployDir,
    DEPLOY_SKIP_BUILD: '1',
    FAKE_WRANGLER_STATE: acct.state,
    FAKE_WRANGLER_LOG: acct.log,
  };
  delete env.FAKE_WRANGLER_FAIL;
  if (fail) env.FAKE_WRANGLER_FAIL = fail;
  const run = spawnSync('bash', [join(ROOT, 'scripts', 'deploy'), ...args], { env, encoding: 'utf8', timeout: 120_000 });
  const calls = existsSync(acct.log)
    ? readFileSync(acct.log, 'utf8').split('\n').filter(Boolean).slice(before).map((l) => JSON.parse(l).argv)
    : [];
  return { status: run.status, out: run.stdout + run.stderr, calls };
}

const state = (acct) => JSON.parse(readFileSync(acct.state, 'utf8'));
/** A call as text without its -c/--outdir paths: "secret bulk <file> -c console". */
const show = (argv) => argv.map((a, i) => (['-c', '--outdir'].includes(argv[i - 1]) ? a.split('/').at(-2) : a.includes('/') ? '<file>' : a)).join(' ');
const changing = (calls) => calls.map(show).filter((c) => /^(kv namespace create|d1 create|queues create|secret (bulk|put)|d1 migrations apply|deploy)/.test(c));

test('a first run provisions everything in order, sets the secrets on both workers, deploys console then hot', () => {
  const acct = account();
  const run = deploy(acct);
  assert.equal(run.status, 0, run.out);
  assert.deepEqual(changing(run.calls), [
    'kv namespace create darkshare-links -c hot',
    'd1 create darkshare -c hot',
    'queues create darkshare-events -c hot',
    'queues create darkshare-events-dlq -c hot',
    'queues create darkshare-alerts -c hot',
    'secret bulk <file> -c console',
    'secret bulk <file> -c hot',
    'd1 migrations apply DB --remote -c hot',
    'deploy -c console',
    'deploy -c hot',
  ]);
  assert.equal(show(run.calls[0]), 'whoami --json');
  const s = state(acct);
  // The same values on both workers, strong enough, never in a tracked file.
  const hot = s.workers.darkshare, cons = s.workers['darkshare-console'];
  assert.deepEqual(hot.values, cons.values);
  assert.match(hot.values.SIGNING_SECRET, /^[0-9a-f]{64}$/);
  assert.match(hot.values.ADMIN_TOKEN, /^dsa_[0-9a-f]{48}$/);
  // The admin token is printed once, with the URLs of the stats and admin pages.
  assert.equal(run.out.split(hot.values.ADMIN_TOKEN).length - 1, 1, run.out);
  assert.match(run.out, /stats page +https:\/\/darkshare\.example\.workers\.dev\/stats/);
  assert.match(run.out, /admin page +https:\/\/darkshare\.example\.workers\.dev\/admin/);
  // The ids are filled into the generated configs, not into the tracked ones.
  const generated = readFileSync(join(acct.deployDir, 'hot', 'wrangler.toml'), 'utf8');
  assert.ok(generated.includes(`id = "${s.kv[0].id}"`));
  assert.ok(generated.includes(`database_id = "${s.d1[0].uuid}"`));
  const consoleConfig = readFileSync(join(acct.deployDir, 'console', 'wrangler.toml'), 'utf8');
  assert.ok(consoleConfig.includes(`id = "${s.kv[0].id}"`) && consoleConfig.includes(`database_id = "${s.d1[0].uuid}"`));
  for (const tracked of ['wrangler.toml', 'scripts/console.wrangler.toml']) {
    const text = readFileSync(join(ROOT, tracked), 'utf8');
    assert.ok(!text.includes(s.kv[0].id) && !text.includes(s.d1[0].uuid), tracked);
    // No account-specific id at all in a tracked config, not even a placeholder to edit by hand.
    assert.doesNotMatch(text, /^(id|database_id)\s*=/m, tracked);
  }
  // Everything else of the tracked configs goes through: the site objects' class and its migration.
  assert.match(consoleConfig, /^\[\[migrations\]\]\ntag = "v1-site"\nnew_sqlite_classes = \["Site"\]/m);
  assert.match(consoleConfig, /^\[\[durable_objects\.bindings\]\]\nname = "SITE"/m);
  assert.doesNotMatch(consoleConfig + generated, /^\[build\]/m, 'scripts/deploy builds first; wrangler does not build again');
  assert.ok(!existsSync(join(acct.deployDir, 'secrets.json')), 'no secret left on disk after a complete run');
  rmSync(acct.dir, { recursive: true });
});

test('a second run creates nothing, deploys nothing unchanged, and says so', () => {
  const acct = account();
  assert.equal(deploy(acct).status, 0);
  const again = deploy(acct);
  assert.equal(again.status, 0, again.out);
  assert.deepEqual(changing(again.calls), ['d1 migrations apply DB --remote -c hot']);
  assert.match(again.out, /Nothing to do/);
  assert.doesNotMatch(again.out, /Admin token/);
  const s = state(acct);
  assert.equal(s.kv.length, 1);
  assert.equal(s.d1.length, 1);
  assert.equal(s.queues.length, 3);
  assert.equal(s.workers.darkshare.deploys, 1);
  // --force deploys both again, still creating nothing.
  const forced = deploy(acct, { args: ['--force'] });
  assert.equal(forced.status, 0, forced.out);
  assert.deepEqual(changing(forced.calls), ['d1 migrations apply DB --remote -c hot', 'deploy -c console', 'deploy -c hot']);
  assert.match(forced.out, /Created nothing/);
  rmSync(acct.dir, { recursive: true });
});

test('what exists is reused: an account with the storage and the queues only gets secrets and deploys', () => {
  const acct = account({
    loggedIn: true,
    kv: [{ id: 'a'.repeat(32), title: 'other' }, { id: 'b'.repeat(32), title: 'darkshare-links' }],
    d1: [{ uuid: '11111111-2222-3333-4444-555555555555', name: 'darkshare' }],
    queues: ['darkshare-events', 'darkshare-events-dlq', 'darkshare-alerts'].map((name, i) => ({ id: String(i).repeat(32), name })),
    workers: {},
    migrations: [],
  });
  const run = deploy(acct);
  assert.equal(run.status, 0, run.out);
  assert.deepEqual(changing(run.calls), ['secret bulk <file> -c console', 'secret bulk <file> -c hot', 'd1 migrations apply DB --remote -c hot', 'deploy -c console', 'deploy -c hot']);
  assert.ok(readFileSync(join(acct.deployDir, 'hot', 'wrangler.toml'), 'utf8').includes(`id = "${'b'.repeat(32)}"`));
  rmSync(acct.dir, { recursive: true });
});

test('a failure midway stops with what was done and how to resume; the rerun finishes with the same secrets', () => {
  const acct = account();
  const failed = deploy(acct, { fail: 'secret bulk' });
  assert.notEqual(failed.status, 0);
  assert.match(failed.out, /scripts\/deploy stopped: "secrets" failed/);
  assert.match(failed.out, /Done before it:\n(.*\n)*  - created KV namespace darkshare-links/);
  assert.match(failed.out, /created queue darkshare-alerts/);
  assert.match(failed.out, /run scripts\/deploy again/);
  assert.ok(!failed.calls.some((c) => c[0] === 'deploy'), 'nothing deployed after the failure');
  // Then at the hot worker's secrets only: the console has them, the values wait on disk.
  const half = deploy(acct, { fail: 'secret bulk darkshare' });
  assert.notEqual(half.status, 0);
  assert.match(half.out, /set SIGNING_SECRET ADMIN_TOKEN on darkshare-console/);
  assert.match(half.out, /kept in .*secrets\.json/);
  const resumed = deploy(acct);
  assert.equal(resumed.status, 0, resumed.out);
  assert.deepEqual(changing(resumed.calls), ['secret bulk <file> -c hot', 'd1 migrations apply DB --remote -c hot', 'deploy -c console', 'deploy -c hot']);
  assert.match(resumed.out, /Admin token/);
  const s = state(acct);
  assert.equal(s.kv.length, 1, 'the resumed run reused the namespace');
  assert.deepEqual(s.workers.darkshare.values, s.workers['darkshare-console'].values);
  rmSync(acct.dir, { recursive: true });
});

test('a failed console deploy: the rerun deploys both, creating nothing', () => {
  const acct = account();
  const failed = deploy(acct, { fail: 'deploy darkshare-console' });
  assert.notEqual(failed.status, 0);
  assert.match(failed.out, /"deploy the console worker" failed/);
  assert.match(failed.out, /set SIGNING_SECRET ADMIN_TOKEN on darkshare-console/);
  const token = state(acct).workers.darkshare.values.ADMIN_TOKEN;
  assert.ok(failed.out.includes(token), 'the admin token is shown by the run that set it, even one that fails later');
  const resumed = deploy(acct);
  assert.equal(resumed.status, 0, resumed.out);
  assert.deepEqual(changing(resumed.calls), ['d1 migrations apply DB --remote -c hot', 'deploy -c console', 'deploy -c hot']);
  assert.match(resumed.out, /Created nothing/);
  assert.ok(!resumed.out.includes(token), 'and never again');
  rmSync(acct.dir, { recursive: true });
});

test('a queue refused midway: the next run creates only what is still missing', () => {
  const acct = account();
  const failed = deploy(acct, { fail: 'queues create darkshare-events-dlq' });
  assert.notEqual(failed.status, 0);
  assert.match(failed.out, /"queues" failed/);
  assert.match(failed.out, /created queue darkshare-events\b/);
  const resumed = deploy(acct);
  assert.equal(resumed.status, 0, resumed.out);
  const creates = changing(resumed.calls).filter((c) => c.includes('create'));
  assert.deepEqual(creates, ['queues create darkshare-events-dlq -c hot', 'queues create darkshare-alerts -c hot']);
  rmSync(acct.dir, { recursive: true });
});

test('not logged in: stops before anything, and says how to log in', () => {
  const acct = account({ loggedIn: false, kv: [], d1: [], queues: [], workers: {}, migrations: [] });
  const run = deploy(acct);
  assert.notEqual(run.status, 0);
  assert.match(run.out, /wrangler login/);
  assert.match(run.out, /Nothing was changed/);
  assert.deepEqual(run.calls.map(show), ['whoami --json']);
  rmSync(acct.dir, { recursive: true });
});

test('--dry-run needs no account: validates both workers and lists what it would create', () => {
  const acct = account({ loggedIn: false, kv: [], d1: [], queues: [], workers: {}, migrations: [] });
  const run = deploy(acct, { args: ['--dry-run'] });
  assert.equal(run.status, 0, run.out);
  assert.deepEqual(run.calls.map(show), ['deploy --dry-run -c console --outdir dry-run', 'deploy --dry-run -c hot --outdir dry-run']);
  assert.match(run.out, /darkshare-links/);
  assert.match(run.out, /darkshare-events-dlq/);
  rmSync(acct.dir, { recursive: true });
});
