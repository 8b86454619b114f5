// Filters and comparison (issue 22, API.md "Filters and comparison") on workerd through the whole
// pipeline (view → EVENTS queue → consumer → per-page rollups): known traffic by distinct people
// on three pages; a page filter's figures must equal that page's own row of the unfiltered report,
// the three pages' filtered totals must add up to the site's, and every filtered part (totals,
// channels, sources, timeseries, generations, copied texts, cascades, goals) must be exactly the page's.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, createSite, day, drained, navigation, personAgent } from '../support/harness.mjs';

const P1 = 'http://localhost/one';
const P2 = 'http://localhost/two';
const P3 = 'http://localhost/three';
const COUNTERS = ['views', 'copies', 'shares', 'clicks', 'dark_clicks', 'previews'];

describe('page filter and compare=previous', () => {
  let site;
  const q = (extra = '') => `site=${site.id}&from=${day(-6)}&to=${day()}${extra}`;
  const page = (url) => `&page=${encodeURIComponent(url)}`;
  async function stats(extra = '') {
    const res = await api('GET', `/api/stats?${q(extra)}`, { token: site.stats_token });
    assert.equal(res.status, 200, res.text);
    return res.json;
  }
  async function view(who, url, extra = {}) {
    const res = await api('POST', '/api/views', {
      raw: JSON.stringify({ site: site.id, url, referrer: '', title: 'T', ...extra }),
      headers: { 'user-agent': personAgent(who) }, // and their own address (harness)
    });
    assert.equal(res.status, 200, res.text);
    return res.json.fp;
  }
  async function copy(who, fp, url, text) {
    const res = await api('POST', '/api/events', {
      raw: JSON.stringify({ site: site.id, fp, type: 'copy', url, text, text_length: text.length }),
      headers: { 'user-agent': personAgent(who) },
    });
    assert.equal(res.status, 202, res.text);
  }

  /**
   * One: ann (direct) copies "alpha text" twice; bob arrives from Google; cat arrives through
   * ann's copied URL (dark, depth 1), dan through cat's (dark, depth 2).
   * Two: eve (direct) copies "beta text"; a WhatsApp short link to it, previewed by WhatsApp's bot
   * and clicked by fay. Three: gus from another website.
   * Goals: ann signs up on one; eve buys for 10 EUR on two.
   */
  before(async () => {
    site = await createSite({ hosts: ['localhost'] });
    const ann = await view('f-ann', P1);
    await view('f-bob', P1, { referrer: 'https://www.google.de/' });
    const cat = await view('f-cat', P1, { parent: ann });
    await view('f-dan', P1, { parent: cat });
    await copy('f-ann', ann, P1, 'alpha text');
    await copy('f-ann', ann, P1, 'alpha text');
    const eve = await view('f-eve', P2);
    await copy('f-eve', eve, P2, 'beta text');
    const link = await api('POST', '/api/links', { body: { site: site.id, url: P2, channel: 'whatsapp' } });
    assert.equal(link.status, 201, link.text);
    const preview = await api('GET', `/${link.json.code}`, { headers: { 'user-agent': 'WhatsApp/2.23.20.0', 'cf-connecting-ip': '10.99.0.1' } });
    assert.equal(preview.status, 200);
    const click = await api('GET', `/${link.json.code}`, { headers: { 'user-agent': personAgent('f-fay'), ...navigation } });
    assert.equal(click.status, 302);
    await view('f-gus', P3, { referrer: 'https://example.org/blog' });
    for (const [who, body] of [['f-ann', { name: 'signup', url: P1 }], ['f-eve', { name: 'buy', url: P2, value: 10, currency: 'EUR' }]]) {
      const res = await api('POST', '/api/goals', { raw: JSON.stringify({ site: site.id, ...body }), headers: { 'user-agent': personAgent(who), 'content-type': 'text/plain;charset=UTF-8' } });
      assert.equal(res.status, 202, res.text);
    }
    await drained();
  });

  /** The filtered report is the page's own row of the unfiltered one, and the pages sum to the site. */
  it('gives each page the figures of its own row, and the pages add up to the site', async () => {
    const whole = await stats();
    assert.deepEqual(
      Object.fromEntries(COUNTERS.map((k) => [k, whole.totals[k]])),
      { views: 6, copies: 3, shares: 3, clicks: 3, dark_clicks: whole.totals.dark_clicks, previews: 1 },
    );
    const sum = Object.fromEntries(COUNTERS.map((k) => [k, 0]));
    for (const url of [P1, P2, P3]) {
      const f = await stats(page(url));
      const row = whole.pages.find((p) => p.url === url);
      assert.ok(row, `${url} is listed unfiltered`);
      assert.deepEqual(f.pages, [row], `${url}: pages lists that page alone, as the unfiltered report does`);
      assert.deepEqual([f.totals.views, f.totals.shares, f.totals.clicks], [row.views, row.shares, row.clicks], url);
      assert.equal(f.k_factor, row.k_factor, `${url}: k_factor`);
      for (const k of COUNTERS) sum[k] += f.totals[k];
      // Every series is the page's: the days add up to its totals, the sources to its views.
      for (const k of ['views', 'copies', 'shares', 'clicks', 'dark_clicks']) assert.equal(f.timeseries.reduce((a, d) => a + d[k], 0), f.totals[k], `${url}: ${k} by day`);
      assert.equal(f.sources.reduce((a, s) => a + s.views, 0), f.totals.views, `${url}: sources`);
      assert.equal(f.generations.reduce((a, g) => a + g.clicks, 0), f.totals.clicks, `${url}: generations`);
      assert.equal(f.channels.reduce((a, c) => a + c.clicks, 0), f.totals.clicks, `${url}: channels`);
      for (const c of f.cascades) assert.equal(c.url, url, `${url}: cascades rooted on it`);
      for (const s of f.key_sharers) assert.equal(s.url, url, `${url}: key sharers on it`);
    }
    assert.deepEqual(sum, Object.fromEntries(COUNTERS.map((k) => [k, whole.totals[k]])), 'the three pages add up to the site');
  });

  /** Page one's report, figure by figure, against the traffic sent. */
  it('restricts every part of the report to the page, exactly', async () => {
    const f = await stats(page(P1));
    assert.deepEqual(f.totals, { views: 4, copies: 2, shares: 2, clicks: 2, dark_clicks: 2, previews: 0, share_to_click: 1, direct_dark_share: 0.667 });
    assert.equal(f.k_factor, 0.5);
    assert.deepEqual(f.channels, [{ channel: 'dark', shares: 2, clicks: 2, previews: 0 }]);
    assert.deepEqual(f.generations, [{ depth: 1, clicks: 1 }, { depth: 2, clicks: 1 }]);
    assert.deepEqual(f.copied_texts, [{ text: 'alpha text', copies: 2 }]);
    assert.deepEqual(Object.fromEntries(f.sources.filter((s) => s.views).map((s) => [s.source, s.views])), { direct: 1, search: 1, dark_social: 2 });
    assert.equal(f.timeseries.length, 7);
    assert.deepEqual(f.timeseries.at(-1), { date: day(), views: 4, copies: 2, shares: 2, clicks: 2, dark_clicks: 2 });
    assert.ok(f.timeseries.slice(0, -1).every((d) => d.views + d.copies + d.shares + d.clicks === 0));
    assert.deepEqual(f.cascades.map((c) => [c.url, c.size, c.depth]), [[P1, 3, 2]], "ann's cascade: ann, cat, dan");

    const two = await stats(page(P2));
    assert.deepEqual(two.channels, [{ channel: 'whatsapp', shares: 1, clicks: 1, previews: 1 }]);
    assert.deepEqual(two.copied_texts, [{ text: 'beta text', copies: 1 }]);
    assert.deepEqual([two.totals.views, two.totals.previews, two.totals.shares, two.totals.clicks], [1, 1, 1, 1]);
    assert.deepEqual(two.cascades.map((c) => [c.url, c.size]), [[P2, 2]], 'the link and its click');

    const three = await stats(page(P3));
    assert.deepEqual(Object.fromEntries(three.sources.filter((s) => s.views).map((s) => [s.source, s.views])), { referral: 1 });
    assert.deepEqual([three.channels, three.generations, three.copied_texts, three.cascades, three.goals], [[], [], [], [], []]);
  });

  /** Goals reached on a page are that page's; the site's are all of them. */
  it('restricts goals to the page they were reached on', async () => {
    const brief = (r) => r.goals.map((g) => [g.name, g.conversions, g.events, g.value]);
    assert.deepEqual(brief(await stats()).sort(), [['buy', 1, 1, { EUR: 10 }], ['signup', 1, 1, {}]]);
    assert.deepEqual(brief(await stats(page(P1))), [['signup', 1, 1, {}]]);
    assert.deepEqual(brief(await stats(page(P2))), [['buy', 1, 1, { EUR: 10 }]]);
    const one = await stats(page(P1));
    assert.deepEqual(one.goals[0].sources, [{ source: 'direct', conversions: 1, value: {} }], "ann's credit: her direct view");
  });

  /** A page is a URL as listed: normalized like one; anything else is refused; an unknown one is zeros. */
  it('refuses a page that is not a URL as listed, and answers zeros for a quiet one', async () => {
    const upper = await stats(page('http://LOCALHOST/one'));
    assert.equal(upper.totals.views, 4, 'the host is compared as listed (lower case)');
    for (const bad of ['one', 'ftp://localhost/one', `${P1}?x=1`, `${P1}#ds=abc`, '']) {
      assertError(await api('GET', `/api/stats?${q(page(bad))}`, { token: site.stats_token }), 400, 'bad_field');
      assertError(await api('GET', `/api/stats.csv?${q(page(bad))}`, { token: site.stats_token }), 400, 'bad_field');
    }
    assertError(await api('GET', `/api/stats?${q('&compare=next')}`, { token: site.stats_token }), 400, 'bad_field');
    const quiet = await stats(page('http://localhost/never-seen'));
    assert.deepEqual(quiet.pages, [{ url: 'http://localhost/never-seen', views: 0, shares: 0, clicks: 0, k_factor: null }]);
    assert.equal(quiet.totals.views + quiet.totals.clicks + quiet.cascades.length, 0);
  });

  /** compare=previous: the equal-length period that ends the day before `from`, and its totals. */
  it('adds the previous period with its totals, filtered like the rest', async () => {
    const plain = await stats();
    assert.equal('previous' in plain, false, 'only when asked for');
    const week = await stats('&compare=previous');
    assert.deepEqual([week.previous.from, week.previous.to], [day(-13), day(-7)]);
    assert.deepEqual(week.previous.totals, { views: 0, copies: 0, shares: 0, clicks: 0, dark_clicks: 0, previews: 0, share_to_click: null, direct_dark_share: null });
    // Two days from tomorrow: the previous period is yesterday and today, all of the traffic.
    const ahead = await api('GET', `/api/stats?site=${site.id}&from=${day(1)}&to=${day(2)}&compare=previous`, { token: site.stats_token });
    assert.equal(ahead.status, 200, ahead.text);
    assert.deepEqual([ahead.json.previous.from, ahead.json.previous.to], [day(-1), day()]);
    assert.deepEqual(ahead.json.previous.totals, plain.totals);
    assert.equal(ahead.json.totals.views, 0);
    const onPage = await api('GET', `/api/stats?site=${site.id}&from=${day(1)}&to=${day(2)}&compare=previous${page(P1)}`, { token: site.stats_token });
    assert.deepEqual(onPage.json.previous.totals, (await stats(page(P1))).totals, 'the page filter applies to the previous period');
  });

  /** The CSV of a filtered report has that page's rows only. */
  it('puts the page filter into the CSV', async () => {
    const res = await api('GET', `/api/stats.csv?${q(page(P1))}`, { token: site.stats_token });
    assert.equal(res.status, 200, res.text);
    // ann's sign-up on page one is its one conversion (credited to her direct view: channel none).
    assert.equal(res.text, `date,channel,views,copies,shares,clicks,dark_clicks,previews,conversions,goal_events\r\n${day()},dark,0,0,2,2,2,0,0,0\r\n${day()},none,4,2,0,0,0,0,1,1\r\n`);
    const whole = await api('GET', `/api/stats.csv?${q()}`, { token: site.stats_token });
    assert.match(whole.text, new RegExp(`${day()},whatsapp,0,0,1,1,\\d,1,`), 'the unfiltered CSV has page two too');
    assert.doesNotMatch(res.text, /whatsapp/);
  });
});
