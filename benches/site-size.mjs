// How many bytes one event costs a Site object's SQLite (docs/capacity.md): N events of a
// realistic mix for one site through the whole pipeline (hot worker → queue → consumer → object),
// then the object's `database_size()` (GET /size on the object) before and after.
//   node benches/site-size.mjs [views=20000]
// The figure includes the rows that expire within two days (minute rollups, de-duplication keys),
// so it is an upper bound of what a day of traffic holds; the long-lived rows are listed beside it.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN, call, startOurs } from './lib.mjs';

const VIEWS = Number(process.argv[2] ?? 20000);
const CONSOLE_BUILD = fileURLToPath(new URL('../build-console', import.meta.url));
const { mf, url } = await startOurs({ ratelimits: null, consoleDir: CONSOLE_BUILD });
try {
  const site = (await call(`${url}/api/sites`, { method: 'POST', token: ADMIN_TOKEN, body: { id: 'size', name: 'Size', hosts: ['localhost'] } })).json;
  const ns = await mf.getDurableObjectNamespace('SITE', 'darkshare-console');
  const size = async () => (await (await ns.get(ns.idFromName('size')).fetch('https://site.object/size?site=size')).json()).bytes;
  const stats = async () => (await call(`${url}/api/stats?site=size`, { token: site.stats_token })).json.totals;
  const person = (i) => ({ 'user-agent': `Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 person-size-${i}`, 'cf-connecting-ip': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
  // One warm-up view creates the object and its schema: the empty database's size is the base.
  await call(`${url}/api/views`, { method: 'POST', body: { site: 'size', url: 'http://localhost/warm' }, headers: person(0) });
  while ((await stats()).views < 1) await new Promise((r) => setTimeout(r, 100));
  const empty = await size();
  // The mix: per 10 views, 2 arrivals through a copied fingerprint (a click each, cascades grow),
  // one copy; 50 pages; every 100 views one short link with a click.
  let fps = [], sent = 1;
  const phase = async (offset) => {
    let views = 0, clicks = 0, copies = 0, links = 0;
    for (let i = offset + 1; i <= offset + VIEWS; i += 50) {
      await Promise.all(Array.from({ length: 50 }, async (_, k) => {
        const n = i + k;
        const parent = n % 5 === 0 && fps.length ? fps[(n * 7919) % fps.length] : undefined;
        const res = await call(`${url}/api/views`, { method: 'POST', body: { site: 'size', url: `http://localhost/page-${n % 50}`, ...(parent ? { parent } : {}) }, headers: person(n) });
        if (res.status !== 200) return;
        views += 1;
        if (parent) clicks += 1;
        if (n % 7 === 0) fps.push(res.json.fp);
        if (n % 10 === 0) {
          const copy = await call(`${url}/api/events`, { method: 'POST', body: { site: 'size', fp: res.json.fp, type: 'copy', url: `http://localhost/page-${n % 50}`, text: `a sentence from page ${n % 50} worth copying` }, headers: person(n) });
          if (copy.status === 202) copies += 1;
        }
        if (n % 100 === 0) {
          const link = await call(`${url}/api/links`, { method: 'POST', body: { site: 'size', url: `http://localhost/page-${n % 50}`, channel: 'telegram', parent: res.json.fp }, headers: person(n) });
          if (link.status === 201) {
            links += 1;
            const hop = await call(`${url}/${link.json.code}`, { headers: { ...person(n + 5_000_000), 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } });
            if (hop.status === 302) clicks += 1;
          }
        }
      }));
    }
    sent += views;
    let totals = await stats();
    for (const until = Date.now() + 300_000; Date.now() < until && totals.views < sent;) {
      await new Promise((r) => setTimeout(r, 500));
      totals = await stats();
    }
    assert.equal(totals.views, sent, 'every view counted');
    return { views, clicks, copies, links, events: views + clicks + copies + links };
  };
  const started = Date.now();
  const first = await phase(0);
  const afterFirst = await size();
  // Three days on, the object's clean-up frees what expires (keys, caps, minutes); a second day of
  // the same traffic then reuses those pages, so its growth is what a day leaves for the long run.
  const today = Math.floor(Date.now() / 86_400_000);
  await (await ns.get(ns.idFromName('size')).fetch(`https://site.object/clean?site=size&today=${today + 3}`, { method: 'POST' })).text();
  const second = await phase(VIEWS);
  const afterSecond = await size();
  const perEvent = (afterFirst - empty) / first.events;
  const longLived = (afterSecond - afterFirst) / second.events;
  const year = (b) => Math.floor(10e9 / b);
  console.log(JSON.stringify({
    first, second, empty_bytes: empty, after_first: afterFirst, after_second: afterSecond,
    bytes_per_event_day_one: Number(perEvent.toFixed(1)),
    bytes_per_event_kept: Number(longLived.toFixed(1)),
    events_per_10gb_kept: year(longLived), events_per_second_for_a_year_kept: Number((year(longLived) / 31_536_000).toFixed(1)),
    events_per_10gb_day_one: year(perEvent), events_per_second_for_a_year_day_one: Number((year(perEvent) / 31_536_000).toFixed(1)),
    seconds: (Date.now() - started) / 1000,
  }, null, 2));
} finally {
  await mf.dispose();
}
