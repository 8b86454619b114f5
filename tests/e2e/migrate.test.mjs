// Moving an existing deployment (issue 20, docs/site-object.md): a D1 filled by the OLD code path
// (tests/fixtures/migrate/, made by scripts/gen-migrate-fixture from the build before the Site
// objects) is copied into each site's object by POST /api/admin/migrate, and the new build then
// answers exactly what the old one did. On a Miniflare instance of its own (the test writes D1
// directly and looks at the objects' files, which the shared wrangler dev does not allow).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN, call, sqlStatements, startOurs } from '../../benches/lib.mjs';

const CONSOLE_BUILD = fileURLToPath(new URL('../../build-console', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/migrate/', import.meta.url));
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8'));

const dayOffset = (iso, n) => new Date(Date.parse(iso) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * `value` cut to the shape of `old`: the fields an answer gained since the old build (goals,
 * conversions, …) are not the copy's business; every field the old build answered must be equal.
 */
const asOld = (value, old) => {
  if (Array.isArray(old) && Array.isArray(value)) return value.map((v, i) => asOld(v, old[i]));
  if (old && typeof old === 'object' && value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(old).filter((k) => k in value).map((k) => [k, asOld(value[k], old[k])]));
  }
  return value;
};

/** A CSV cut to the columns of `old`'s header, in their order. */
const csvAsOld = (text, old) => {
  const eol = old.includes('\r\n') ? '\r\n' : '\n';
  const rows = text.trimEnd().split(/\r?\n/).map((line) => line.split(','));
  const columns = old.split(/\r?\n/)[0].split(',').map((name) => rows[0].indexOf(name));
  return rows.map((row) => columns.map((i) => row[i]).join(',')).join(eol) + eol;
};

/** Every file under `dir`, recursively. */
const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

test('the one-time copy moves every site from D1 into its object, and every answer stays the same', async () => {
  const persist = mkdtempSync(join(tmpdir(), 'ds-migrate-'));
  const { mf, url } = await startOurs({ ratelimits: null, consoleDir: CONSOLE_BUILD, doPersist: join(persist, 'do') });
  try {
    const db = await mf.getD1Database('DB');
    for (const sql of sqlStatements(readFileSync(join(FIXTURE, 'd1.sql'), 'utf8'))) await db.prepare(sql).run();
    const get = async (site, path) => {
      const res = await call(`${url}${path}`, { token: expected.sites[site].stats_token });
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      return res;
    };
    const stats = async (site, from, to = expected.day) => (await get(site, `/api/stats?site=${site}&from=${from}&to=${to}`)).json;

    // Before the copy the new code reads only the objects: nothing there yet.
    assert.equal((await stats('mig-a', expected.day)).totals.views, 0, 'reports read no counts from D1');

    const migrate = (body, token = ADMIN_TOKEN) => call(`${url}/api/admin/migrate`, { method: 'POST', token, body });
    /** Calls until done, from `cursor` (or the start); the rows copied, and the calls it took. */
    const runAll = async (cursor = null) => {
      let answer = { done: false, cursor }, copied = 0, calls = 0;
      while (!answer.done) {
        const res = await migrate(answer.cursor ? { cursor: answer.cursor } : {});
        assert.equal(res.status, 200, res.text);
        answer = res.json;
        copied += answer.copied;
        calls += 1;
        assert.ok(calls < 100, 'the cursor moves on');
      }
      return copied;
    };
    assert.equal((await migrate({}, 'wrong')).status, 401);
    assert.equal((await migrate({ cursor: { site: 'mig-a', table: 99, chunk: 0 } })).status, 400);
    const rows = sqlStatements(readFileSync(join(FIXTURE, 'd1.sql'), 'utf8')).filter((s) => !/INTO (sites|site_alerts) /.test(s)).length;
    assert.equal(await runAll(), rows, 'every per-site row of D1 is copied');
    // Run again, resumed from a cursor in the middle and then from the start: every chunk is in
    // the objects' ledgers, nothing is added twice.
    assert.equal(await runAll({ site: 'mig-a', table: 3, chunk: 0 }), 0, 'a resumed run copies nothing twice');
    assert.equal(await runAll(), 0, 'a rerun copies nothing twice');

    for (const [site, old] of Object.entries(expected.sites)) {
      assert.deepEqual(asOld(await stats(site, expected.day), old.stats), old.stats, `${site}: the day's report`);
      assert.deepEqual(asOld(await stats(site, dayOffset(expected.day, -6)), old.week), old.week, `${site}: the week's report`);
      const csv = await get(site, `/api/stats.csv?site=${site}&from=${dayOffset(expected.day, -6)}&to=${expected.day}`);
      assert.equal(csvAsOld(csv.text, old.csv), old.csv, `${site}: the CSV`);
      for (const [id, tree] of Object.entries(old.trees)) {
        assert.deepEqual(asOld((await get(site, `/api/cascades/${id}?site=${site}`)).json, tree), tree, `${site}: cascade ${id}`);
      }
    }

    // New counts land in the object and add to the copied ones; D1 is not written any more.
    const d1Views = async () => (await db.prepare("SELECT COALESCE(SUM(views), 0) AS v FROM daily_channels WHERE site = 'mig-a'").first()).v;
    const before = await d1Views();
    const view = await call(`${url}/api/views`, { method: 'POST', body: { site: 'mig-a', url: 'http://localhost/story' }, headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 person-after-migration', 'cf-connecting-ip': '10.9.8.7' } });
    assert.equal(view.status, 200, view.text);
    const today = new Date().toISOString().slice(0, 10);
    const oldToday = today === expected.day ? expected.sites['mig-a'].stats.totals.views : 0;
    let now = 0;
    for (const until = Date.now() + 30_000; Date.now() < until && now !== oldToday + 1;) {
      now = (await stats('mig-a', today, today)).totals.views;
      if (now !== oldToday + 1) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(now, oldToday + 1, 'a view counted after the copy adds to the copied counts');
    assert.equal(await d1Views(), before, 'and is not in D1');
    const sqlite = files(join(persist, 'do')).filter((f) => f.endsWith('.sqlite') && statSync(f).size > 0);
    assert.ok(sqlite.length >= 2, `each site has its own SQLite file: ${sqlite.join(', ')}`);
  } finally {
    await mf.dispose();
    rmSync(persist, { recursive: true, force: true });
  }
});
