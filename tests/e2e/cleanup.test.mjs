// The daily clean-up (src/edge/pipeline/cleanup.rs) on the built console worker, on a Miniflare instance of its own
// (this test reads and writes D1 directly, which the shared wrangler dev does not allow): salts go
// first, whatever else fails, and a table of thousands of expired rows is worked off in chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startOurs } from '../../benches/lib.mjs';

const CONSOLE_BUILD = fileURLToPath(new URL('../../build-console', import.meta.url));

/** Seeds salts and expired rows, breaks one listed table, runs the cron handler once. */
test('the clean-up deletes old salts even when a later table fails, and expired rows in chunks', async () => {
  const { mf } = await startOurs({ ratelimits: null, consoleDir: CONSOLE_BUILD });
  try {
    const db = await mf.getD1Database('DB');
    const today = Math.floor(Date.now() / 86_400_000);
    await db.prepare('INSERT INTO salts (day, salt) VALUES (?1, ?2), (?3, ?4), (?5, ?6)')
      .bind(today - 2, 'day-before-yesterday', today - 1, 'yesterday', today, 'today').run();
    // 2,500 expired de-duplication keys: three chunks of at most 1,000.
    await db.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
      INSERT INTO seen (key, until) SELECT 'expired-' || i, ?1 FROM n`).bind(today - 1).run();
    await db.prepare('INSERT INTO seen (key, until) VALUES (?1, ?2)').bind('current', today).run();
    await db.prepare('INSERT INTO minute_counts (site, minute) VALUES (?1, ?2), (?1, ?3)').bind('demo', (today - 2) * 1440 + 5, today * 1440).run();
    // A table of the list that cannot be cleaned (here: gone; it used to share one transaction
    // with the salts' delete): its failure must not keep a salt, nor stop the other tables.
    await db.prepare('DROP TABLE capped').run();

    const worker = await mf.getWorker('darkshare-console');
    await worker.scheduled({ cron: '7 0 * * *', scheduledTime: new Date() });

    const salts = await db.prepare('SELECT salt FROM salts ORDER BY day').all();
    assert.deepEqual(salts.results.map((r) => r.salt), ['yesterday', 'today'], 'the salt older than 48 h is gone');
    const seen = await db.prepare('SELECT key FROM seen').all();
    assert.deepEqual(seen.results.map((r) => r.key), ['current']);
    const minutes = await db.prepare('SELECT minute FROM minute_counts').all();
    assert.deepEqual(minutes.results.map((r) => r.minute), [today * 1440]);
  } finally {
    await mf.dispose();
  }
});
