#!/usr/bin/env node
// A recording stand-in for wrangler, for tests/deploy/deploy.test.mjs: it answers the commands
// scripts/deploy runs the way wrangler 4.86 does (same output shapes: JSON lists, the queue table,
// the missing worker's error), from an account kept in a JSON state file, and appends
// every call to a log. It checks what the real API would refuse: a config without the ids it
// needs, a consumer of a queue that does not exist, a service binding to a worker not deployed.
//   FAKE_WRANGLER_STATE  the account (JSON; created empty and logged in)
//   FAKE_WRANGLER_LOG    one JSON line per call: {argv}
//   FAKE_WRANGLER_FAIL   the call that fails: its words, then the worker of its -c config, or a
//                        prefix of them ("secret bulk", "secret bulk darkshare", "deploy darkshare")
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const statePath = process.env.FAKE_WRANGLER_STATE;
const state = existsSync(statePath)
  ? JSON.parse(readFileSync(statePath, 'utf8'))
  : { loggedIn: true, kv: [], d1: [], queues: [], workers: {}, migrations: [] };
const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));
appendFileSync(process.env.FAKE_WRANGLER_LOG, JSON.stringify({ argv: args }) + '\n');

const positional = args.filter((a, i) => !a.startsWith('-') && !(i > 0 && /^(-c|--config|--outdir|--page|--secrets-file)$/.test(args[i - 1])));
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const command = positional.join(' ');
const fail = (message, code = 1) => { process.stderr.write(`\n✘ [ERROR] ${message}\n\n`); process.exit(code); };
const banner = () => console.log(' ⛅️ wrangler 4.86.0\n───────────────────');
const id32 = () => [...Array(32)].map(() => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
const uuid = () => id32().replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');

// The call as FAKE_WRANGLER_FAIL names it: the command without file paths, then the worker its
// config names ("secret bulk darkshare-console", "queues create darkshare-alerts darkshare").
const failKey = () => {
  const file = option('-c');
  const worker = file && existsSync(file) ? /^name\s*=\s*"([^"]*)"/m.exec(readFileSync(file, 'utf8'))?.[1] : undefined;
  return [...positional.filter((p) => !p.includes('/')), worker].filter(Boolean).join(' ');
};
const wanted = process.env.FAKE_WRANGLER_FAIL;
if (wanted && (failKey() === wanted || failKey().startsWith(wanted + ' '))) {
  fail(`A request to the Cloudflare API failed (fake failure of "${failKey()}").`);
}

/** The bits of a wrangler.toml the API would look at. */
function readConfig() {
  const file = option('-c') ?? option('--config');
  if (!file) fail('fake-wrangler: scripts/deploy always passes -c');
  const text = readFileSync(file, 'utf8');
  const blocks = text.split(/^(?=\[)/m);
  const value = (block, key) => new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm').exec(block)?.[1];
  return {
    name: value(blocks[0], 'name'),
    kvIds: blocks.filter((b) => b.startsWith('[[kv_namespaces]]')).map((b) => value(b, 'id')),
    d1Ids: blocks.filter((b) => b.startsWith('[[d1_databases]]')).map((b) => value(b, 'database_id')),
    queues: blocks.filter((b) => /^\[\[queues\.(producers|consumers)\]\]/.test(b)).flatMap((b) => [value(b, 'queue'), value(b, 'dead_letter_queue')]).filter(Boolean),
    services: blocks.filter((b) => b.startsWith('[[services]]')).map((b) => value(b, 'service')),
    workersDev: !/^workers_dev\s*=\s*false/m.test(text),
  };
}

switch (true) {
  case command === 'whoami':
    if (!args.includes('--json')) fail('fake-wrangler: only `whoami --json` is answered');
    if (!state.loggedIn) { console.log(JSON.stringify({ loggedIn: false })); process.exit(1); }
    console.log(JSON.stringify({ loggedIn: true, authType: 'OAuth Token', email: 'test@example.com', accounts: [{ id: id32(), name: 'Test' }] }));
    break;
  case command === 'kv namespace list':
    console.log(JSON.stringify(state.kv, null, 2));
    break;
  case command.startsWith('kv namespace create '): {
    const title = positional[3];
    if (state.kv.some((n) => n.title === title)) fail('A namespace with this account ID and title already exists. [code: 10014]');
    const id = id32();
    state.kv.push({ id, title, supports_url_encoding: true });
    save();
    banner();
    console.log(`Resource location: remote\n\n🌀 Creating namespace with title "${title}"\n✨ Success!\nTo access your new KV Namespace in your Worker, add the following snippet to your configuration file:\n[[kv_namespaces]]\nbinding = "${title.replace(/-/g, '_')}"\nid = "${id}"`);
    break;
  }
  case command === 'd1 list':
    if (!args.includes('--json')) fail('fake-wrangler: only `d1 list --json` is answered');
    console.log(JSON.stringify(state.d1.map((d) => ({ uuid: d.uuid, name: d.name, created_at: '2026-12-05T09:00:00.000Z', version: 'production', num_tables: 0, file_size: 12288 })), null, 2));
    break;
  case command.startsWith('d1 create '): {
    const name = positional[2];
    if (state.d1.some((d) => d.name === name)) fail(`A database with that name already exists [code: 7502]`);
    const id = uuid();
    state.d1.push({ uuid: id, name });
    save();
    banner();
    console.log(`Resource location: remote\n\n✅ Successfully created DB '${name}' in region WEUR\nCreated your new D1 database.\n\nTo access your new D1 Database in your Worker, add the following snippet to your configuration file:\n[[d1_databases]]\nbinding = "${name}"\ndatabase_name = "${name}"\ndatabase_id = "${id}"`);
    break;
  }
  case command === 'queues list': {
    const page = Number(option('--page') ?? 1);
    const rows = state.queues.slice((page - 1) * 100, page * 100);
    banner();
    if (rows.length === 0) break;
    const line = (cells) => '│ ' + cells.join(' │ ') + ' │';
    console.log('┌──┬──┬──┬──┬──┬──┐');
    console.log(line(['id', 'name', 'created_on', 'modified_on', 'producers', 'consumers']));
    for (const q of rows) console.log(line([q.id, q.name, '2026-12-05T09:00:00Z', '2026-12-05T09:00:00Z', '0', '0']));
    console.log('└──┴──┴──┴──┴──┴──┘');
    break;
  }
  case command.startsWith('queues create '): {
    const name = positional[2];
    if (state.queues.some((q) => q.name === name)) fail(`Queue name '${name}' is already taken [code: 11009]`);
    state.queues.push({ id: id32(), name });
    save();
    banner();
    console.log(`🌀 Creating queue '${name}'\n✅ Created queue '${name}'`);
    break;
  }
  case command === 'secret list': {
    const { name } = readConfig();
    const worker = state.workers[name];
    if (!worker) fail(`Worker "${name}" not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first to create it.\nOtherwise, check that the Worker name is correct and you're logged into the right account.`);
    console.log(JSON.stringify(worker.secrets.map((s) => ({ name: s, type: 'secret_text' })), null, 2));
    break;
  }
  case command.startsWith('secret bulk '): {
    const { name } = readConfig();
    const values = JSON.parse(readFileSync(positional[2], 'utf8'));
    state.workers[name] ??= { deployed: false, secrets: [], values: {} };
    const worker = state.workers[name];
    for (const [key, v] of Object.entries(values)) {
      if (typeof v !== 'string' || v.length < 16) fail(`The value for ${key} is not a usable string.`);
      if (!worker.secrets.includes(key)) worker.secrets.push(key);
      worker.values[key] = v;
    }
    save();
    banner();
    console.log(`🌀 Creating the secrets for the Worker "${name}" \n${Object.keys(values).map((k) => `✨ Successfully created secret for key: ${k}`).join('\n')}\n\nFinished processing secrets file:\n✨ ${Object.keys(values).length} secrets successfully uploaded`);
    break;
  }
  case command === 'd1 migrations apply DB': {
    if (!args.includes('--remote')) fail('fake-wrangler: expected --remote');
    const config = readConfig();
    if (!config.d1Ids.every((id) => state.d1.some((d) => d.uuid === id))) fail('Couldn\'t find a D1 DB with the name or binding \'DB\' in your wrangler.toml file.');
    const dir = /^migrations_dir\s*=\s*"([^"]*)"/m.exec(readFileSync(option('-c'), 'utf8'))?.[1];
    const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
    const fresh = files.filter((f) => !state.migrations.includes(f));
    banner();
    if (fresh.length === 0) console.log('✅ No migrations to apply!');
    else { state.migrations.push(...fresh); save(); console.log(`Migrations to be applied:\n${fresh.map((f) => '│ ' + f + ' │').join('\n')}\n🚣 Executed ${fresh.length} migrations`); }
    break;
  }
  case command === 'deploy': {
    const config = readConfig();
    if (args.includes('--dry-run')) {
      banner();
      console.log(`Total Upload: 900.00 KiB / gzip: 200.00 KiB\nYour Worker has access to the following bindings:\n--dry-run: exiting now.`);
      break;
    }
    for (const id of config.kvIds) if (!id || !state.kv.some((n) => n.id === id)) fail(`KV namespace '${id}' is not valid. [code: 10041]`);
    for (const id of config.d1Ids) if (!id || !state.d1.some((d) => d.uuid === id)) fail(`D1 database '${id}' not found. [code: 10181]`);
    for (const q of config.queues) if (!state.queues.some((x) => x.name === q)) fail(`Queue "${q}" does not exist. To create it, run: wrangler queues create ${q}`);
    for (const s of config.services) if (!state.workers[s]?.deployed) fail(`Could not resolve service binding 'CONSOLE'. Target script '${s}' not found. [code: 10143]`);
    state.workers[config.name] ??= { secrets: [], values: {} };
    state.workers[config.name].deployed = true;
    state.workers[config.name].deploys = (state.workers[config.name].deploys ?? 0) + 1;
    save();
    banner();
    // Real deploys often warn first, with a link to the docs: scripts/deploy must not take it for the URL.
    console.log('▲ [WARNING] Processing wrangler.toml: see https://developers.cloudflare.com/workers/wrangler/configuration/\n');
    console.log(`Total Upload: 900.00 KiB / gzip: 200.00 KiB\nUploaded ${config.name} (3.10 sec)`);
    if (config.workersDev) console.log(`Deployed ${config.name} triggers (0.50 sec)\n  https://${config.name}.example.workers.dev`);
    else console.log(`Deployed ${config.name} triggers (0.50 sec)\n  schedule: 7 0 * * *`);
    console.log('Current Version ID: 00000000-0000-0000-0000-000000000000');
    break;
  }
  default:
    fail(`fake-wrangler does not know "${args.join(' ')}"`);
}
