// A Site object's own clean-up (its nightly alarm, src/edge/site/retention.rs; rules in
// src/site_retention.rs) on a Miniflare instance of its own, driven through the object's internal
// routes: rows past their retention go, and cascades go whole, only when no report can reach them,
// with their conversions and the share links standing for their nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN, HUMAN_UA, call, dayNumber, expectStatus, startOurs } from '../../benches/lib.mjs';

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

/** The Site object of `site` on `mf`: `send(method, path)` answers its JSON (200 expected). */
async function siteObject(mf, site) {
  const ns = await mf.getDurableObjectNamespace('SITE', 'darkshare-console');
  const object = ns.get(ns.idFromName(site));
  const fetchIt = (method, path) => object.fetch(`https://site.object${path}${path.includes('?') ? '&' : '?'}site=${site}`, { method });
  const send = async (method, path) => {
    const res = await fetchIt(method, path);
    const text = await res.text();
    assert.equal(res.status, 200, `${path}: ${text}`);
    return JSON.parse(text);
  };
  return { fetchIt, send };
}

/** Polls `read` until `ok(value)` or the deadline; the last value. */
async function until(read, ok, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

test('a cascade past the history takes its conversions and share links along: brought back, it starts from nothing', async () => {
  const { mf, url } = await startOurs({ ratelimits: null, consoleDir: CONSOLE_BUILD });
  try {
    const site = expectStatus(await call(`${url}/api/sites`, { method: 'POST', token: ADMIN_TOKEN, body: { id: 'goes', name: 'Goes', hosts: ['example.com'] } }), [201], 'POST /api/sites').json;
    let people = 0;
    /** A distinct person: own user agent, own address. */
    const person = () => {
      people += 1;
      return { 'user-agent': `${HUMAN_UA} retention-${people}`, 'cf-connecting-ip': `10.20.0.${people}` };
    };
    const plain = { 'content-type': 'text/plain;charset=UTF-8' };
    const view = async (who, parent, hint) => {
      const body = JSON.stringify({ site: 'goes', url: 'https://example.com/post', referrer: '', ...(parent ? { parent, hint } : {}) });
      const res = await fetch(`${url}/api/views`, { method: 'POST', headers: { ...plain, ...who }, body });
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()).fp;
    };
    const signup = async (who) => {
      const res = await fetch(`${url}/api/goals`, { method: 'POST', headers: { ...plain, ...who }, body: JSON.stringify({ site: 'goes', name: 'signup', url: 'https://example.com/thanks' }) });
      assert.equal(res.status, 202, await res.clone().text());
    };
    const link = async (parent) => expectStatus(await call(`${url}/api/links`, { method: 'POST', body: { site: 'goes', url: 'https://example.com/post', channel: 'whatsapp', ...(parent ? { parent } : {}) } }), [201, 200], 'POST /api/links').json.code;
    /** A click on a short link and its landing view. */
    const click = async (who, code) => {
      const hop = await call(`${url}/${code}`, { headers: { ...who, 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } });
      assert.equal(hop.status, 302, hop.text);
      await view(who, new URL(hop.headers.get('location')).hash.slice('#ds='.length));
    };

    // Ann's view; Bea arrives through her copied link and signs up; Cara clicks Ann's short
    // link (its cascade row: the link stands for Ann's view); Dan clicks a link shared without a
    // sharer (it stands for itself).
    const [ann, bea, cara, dan] = [person(), person(), person(), person()];
    const annFp = await view(ann);
    const ownLink = await link(annFp);
    const bareLink = await link(null);
    const activity = async () => {
      await view(bea, annFp, 'whatsapp');
      await signup(bea);
      await click(cara, ownLink);
      await click(dan, bareLink);
    };
    await activity();

    const { fetchIt, send } = await siteObject(mf, 'goes');
    const today = dayNumber();
    const report = () => send('GET', `/stats?from=${today}&to=${today}&format=json`);
    const shape = (r) => ({
      cascades: r.cascades.map((c) => [c.size, c.conversions]).sort(),
      sharers: r.key_sharers.filter((k) => k.conversions > 0).map((k) => k.conversions),
      conversions: r.goals.map((g) => g.conversions),
    });
    const before = await until(report, (r) => JSON.stringify(shape(r)) === JSON.stringify({ cascades: [[2, 0], [3, 1]], sharers: [1], conversions: [1] }), 'counted');
    const ids = before.cascades.map((c) => c.id);

    // The night 800 days on: every row of today is past its retention.
    await send('POST', `/clean?today=${today + HISTORY_DAYS}`);
    for (const id of ids) {
      const res = await fetchIt('GET', `/cascade?id=${id}`);
      assert.equal(res.status, 404, `cascade ${id} is gone, nodes and all (a node is kept while a conversion or a link of it is left): ${await res.text()}`);
    }
    assert.deepEqual(shape(await report()), { cascades: [], sharers: [], conversions: [] }, 'today is past the history');

    // The same people again: Ann's cascade starts anew with only its new conversion; Cara's click
    // on Ann's old link starts a cascade of its own, as any share of a deleted cascade does.
    await activity();
    const after = await until(report, (r) => r.cascades.length === 3 && r.goals.length === 1, 'counted again');
    assert.deepEqual(shape(after), { cascades: [[2, 0], [2, 0], [2, 1]], sharers: [1], conversions: [1] }, 'no conversion and no link of the old cascade came back');
  } finally {
    await mf.dispose();
  }
});
