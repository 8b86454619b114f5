// A Site object's own clean-up (its nightly alarm, src/edge/site/retention.rs; rules in
// src/site_retention.rs) on a Miniflare instance of its own, driven through the object's internal
// routes: rows past their retention go, and cascades go whole, only when no report can reach them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startOurs } from '../../benches/lib.mjs';

const CONSOLE_BUILD = fileURLToPath(new URL('../../build-console', import.meta.url));
const HISTORY_DAYS = 800; // src/site_retention.rs

test('the object keeps two days of minutes, 800 of history, and every node of a cascade it keeps', async () => {
  const { mf } = await startOurs({ ratelimits: null, consoleDir: CONSOLE_BUILD });
  try {
    const ns = await mf.getDurableObjectNamespace('SITE', 'darkshare-console');
    const object = ns.get(ns.idFromName('keep'));
    const send = async (method, path, body) => {
      const res = await object.fetch(`https://site.object${path}${path.includes('?') ? '&' : '?'}site=keep`, { method, body: body && JSON.stringify(body) });
      const text = await res.text();
      assert.equal(res.status, 200, `${path}: ${text}`);
      return JSON.parse(text);
    };
    const today = 20_400;
    const old = today - HISTORY_DAYS; // the last day past the history
    const put = (table, chunk, rows) => send('POST', '/import', { table, chunk, rows });
    await put('minute_counts', 0, [['keep', (today - 2) * 1440 + 5, 1, 0, 0, 0, 0], ['keep', (today - 1) * 1440, 2, 0, 0, 0, 0]]);
    await put('daily_channels', 0, [['keep', old, '', 0, 5, 0, 0, 0, 0, 0], ['keep', old + 1, '', 0, 7, 0, 0, 0, 0, 0]]);
    await put('seen', 0, [['k:keep:x:y:1', today - 1], ['s:keep:z', today]]);
    // Two cascades: `gone` was last clicked past the history, `kept` inside it (its root and first
    // node are older than the history: they stay, or its figures would change).
    await put('cascades', 0, [
      ['keep', 'gone', 'http://localhost/a', 2, 1, 1, 1, old - 10, old, 1],
      ['keep', 'kept', 'http://localhost/b', 3, 4, 3, 2, old - 10, today, 2],
    ]);
    await put('cascade_nodes', 0, [
      ['keep', 'gone', null, 'gone', 0, null, old - 10, 'http://localhost/a', 2, 1],
      ['keep', 'gone-1', 'gone', 'gone', 1, 'dark', old, 'http://localhost/a', 1, 0],
      ['keep', 'kept', null, 'kept', 0, null, old - 10, 'http://localhost/b', 3, 1],
      ['keep', 'kept-1', 'kept', 'kept', 1, 'dark', old - 10, 'http://localhost/b', 2, 1],
      ['keep', 'kept-2', 'kept-1', 'kept', 2, 'dark', today, 'http://localhost/b', 1, 0],
    ]);
    await put('cascade_days', 0, [['keep', 'gone', old], ['keep', 'kept', old - 10], ['keep', 'kept', today]]);

    await send('POST', `/clean?today=${today}`);

    const report = await send('GET', `/stats?from=${old}&to=${today}&format=json`);
    assert.equal(report.totals.views, 7, 'the first day of the history stays, the day before it goes');
    assert.deepEqual(report.cascades.map((c) => [c.id, c.size]), [['kept', 3]], 'the cascade inside the history is whole');
    const tree = await send('GET', '/cascade?id=kept');
    assert.deepEqual(tree.nodes.map((n) => n.id).sort(), ['kept', 'kept-1', 'kept-2'], 'even its nodes older than the history');
    const gone = await object.fetch('https://site.object/cascade?site=keep&id=gone');
    assert.equal(gone.status, 404, 'the cascade past the history is gone, nodes and all');
    const viewsAround = async (minute) => (await send('GET', `/live?minute=${minute + 10}`)).minutes.reduce((a, m) => a + m.views, 0);
    assert.equal(await viewsAround((today - 1) * 1440), 2, 'the minutes of yesterday stay');
    assert.equal(await viewsAround((today - 2) * 1440), 0, 'the minutes of the day before go');
  } finally {
    await mf.dispose();
  }
});
