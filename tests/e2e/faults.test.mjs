// The counting pipeline under storage failure, on workerd: events accepted while the consumer's
// store fails are counted after it recovers, exactly once; a batch delivered again after its write
// (a lost acknowledgement) changes nothing. `/api/_faults` exists only under scripts/test
// (TEST_FAULTS=on): it makes the consumer's store throw before or after its write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, api, createSite, drained, eventually, navigation, personAgent, statsToday } from '../support/harness.mjs';

const PAGE = 'http://localhost/story';

async function setFault(consumer) {
  const res = await api('PUT', '/api/_faults', { token: ADMIN, body: { consumer } });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

const failedBatches = async () => (await api('GET', '/api/_faults', { token: ADMIN })).json.failed_batches;

/**
 * Waits until the site's totals reach `expected`, then lets the queue drain and returns the
 * totals. A retried batch comes back after a delay, behind newer messages, so the queue barrier
 * alone cannot tell when it is done: the counts themselves are the condition.
 */
async function totalsOnceCounted(site, expected) {
  const reached = await eventually(async () => {
    const res = await api('GET', `/api/stats?site=${site.id}`, { token: site.stats_token });
    return res.json.totals.views >= expected.views && res.json.totals.clicks >= expected.clicks && res.json.totals.copies >= expected.copies;
  }, { timeoutMs: 90000, everyMs: 250 });
  assert.ok(reached, 'the retried events were counted after recovery');
  return (await statsToday(site)).totals;
}

/** A mix through every accepted write: 6 views (one an arrival), 2 copies, 1 link, 3 clicks on it. */
async function acceptMix(site, tag) {
  const person = (n) => ({ 'user-agent': personAgent(`${tag}-${n}`) });
  const view = async (n, extra = {}) => {
    const res = await api('POST', '/api/views', { raw: JSON.stringify({ site: site.id, url: PAGE, ...extra }), headers: person(n) });
    assert.equal(res.status, 200, res.text);
    return res.json.fp;
  };
  const first = await view('a');
  for (const n of ['b', 'c', 'd', 'e']) await view(n);
  await view('f', { parent: first }); // a dark click through a copied fingerprint
  for (const text of ['one sentence people copy', 'another sentence people copy']) {
    const res = await api('POST', '/api/events', { raw: JSON.stringify({ site: site.id, fp: first, type: 'copy', url: PAGE, text }) });
    assert.equal(res.status, 202, res.text);
  }
  const link = await api('POST', '/api/links', { body: { site: site.id, url: 'https://example.com/story', channel: 'telegram' } });
  assert.equal(link.status, 201, link.text);
  for (const n of ['g', 'h', 'i']) {
    const hop = await api('GET', `/${link.json.code}`, { headers: { ...person(n), ...navigation } });
    assert.equal(hop.status, 302);
  }
}

const EXPECTED = { views: 6, copies: 2, shares: 2, clicks: 4, dark_clicks: 4, previews: 0, share_to_click: 2, direct_dark_share: 0.167 };

/** Storage fails for a while: nothing is counted meanwhile, nothing is lost, nothing doubles. */
test('events accepted while storage fails are all counted, exactly once, after it recovers', async () => {
  const site = await createSite({ hosts: ['localhost', 'example.com'] });
  await drained();
  const before = await failedBatches();
  await setFault('fail');
  try {
    await acceptMix(site, 'outage');
    // The consumer has tried, failed, and been retried at least once.
    assert.ok(await eventually(async () => (await failedBatches()) >= before + 2, { timeoutMs: 30000, everyMs: 200 }), 'the consumer retried');
    const during = await api('GET', `/api/stats?site=${site.id}`, { token: site.stats_token });
    assert.equal(during.json.totals.views, 0, 'nothing is counted while storage is down');
  } finally {
    await setFault('none');
  }
  assert.deepEqual(await totalsOnceCounted(site, EXPECTED), EXPECTED);
});

/** A batch written but not acknowledged is delivered again: the de-duplication keys absorb it. */
test('a batch delivered again after its write changes nothing', async () => {
  const site = await createSite({ hosts: ['localhost', 'example.com'] });
  await drained();
  await setFault('fail_after_write');
  try {
    await acceptMix(site, 'redelivery');
    const totals = async () => (await api('GET', `/api/stats?site=${site.id}`, { token: site.stats_token })).json.totals;
    const written = await eventually(async () => { const t = await totals(); return t.views === 6 && t.clicks === 4 && t.copies === 2; }, { timeoutMs: 30000 });
    assert.ok(written, 'every first delivery was written');
    // From here on every batch the consumer sees is a redelivery of one already written.
    const after = await failedBatches();
    assert.ok(await eventually(async () => (await failedBatches()) >= after + 2, { timeoutMs: 60000, everyMs: 250 }), 'batches were delivered again');
    assert.deepEqual(await totals(), EXPECTED, 'redelivered batches counted nothing');
  } finally {
    await setFault('none');
  }
  assert.deepEqual(await totalsOnceCounted(site, EXPECTED), EXPECTED);
});

/**
 * A batch of page views and copies alone is written without reading its keys first; delivered
 * again, that write fails on its own keys and the batch is read and settled: still counted once.
 */
test('a batch of page views alone, delivered again after its write, changes nothing', async () => {
  const site = await createSite({ hosts: ['localhost'] });
  await drained();
  await setFault('fail_after_write');
  try {
    // Sent together, so that they leave in one message: a batch with no click in it.
    const views = await Promise.all([1, 2, 3, 4, 5].map((n) => api('POST', '/api/views', {
      raw: JSON.stringify({ site: site.id, url: PAGE }), headers: { 'user-agent': personAgent(`views-only-${n}`) },
    })));
    for (const res of views) assert.equal(res.status, 200, res.text);
    const viewsNow = async () => (await api('GET', `/api/stats?site=${site.id}`, { token: site.stats_token })).json.totals.views;
    assert.ok(await eventually(async () => (await viewsNow()) === 5, { timeoutMs: 30000 }), 'the first delivery was written');
    const after = await failedBatches();
    assert.ok(await eventually(async () => (await failedBatches()) >= after + 2, { timeoutMs: 60000, everyMs: 250 }), 'the batch was delivered again');
    assert.equal(await viewsNow(), 5, 'its redeliveries counted nothing');
  } finally {
    await setFault('none');
  }
  await drained();
  assert.equal((await statsToday(site)).totals.views, 5);
});

/**
 * The site's object dies (restarts) half-way through writing a batch: its transaction
 * rolls back whole, so nothing of the batch is visible; once the fault is off, the retried batch
 * counts exactly once.
 */
test('an object that restarts mid-batch leaves nothing half-written, and counts the batch once after', async () => {
  const site = await createSite({ hosts: ['localhost', 'example.com'] });
  await drained();
  const before = await failedBatches();
  await setFault('abort');
  try {
    await acceptMix(site, 'restart');
    assert.ok(await eventually(async () => (await failedBatches()) >= before + 2, { timeoutMs: 30000, everyMs: 200 }), 'the object was aborted mid-batch, more than once');
    const during = await api('GET', `/api/stats?site=${site.id}`, { token: site.stats_token });
    assert.equal(during.status, 200, during.text);
    // Every figure, not just views: a half-written batch would show some counters and not others.
    for (const figure of ['views', 'copies', 'shares', 'clicks', 'dark_clicks', 'previews']) {
      assert.equal(during.json.totals[figure], 0, `no ${figure} of an aborted batch are visible`);
    }
    assert.deepEqual(during.json.cascades, []);
    const links = await api('GET', `/api/links?site=${site.id}`, { token: site.stats_token });
    assert.deepEqual(links.json.links, [], 'not even the link index row');
  } finally {
    await setFault('none');
  }
  assert.deepEqual(await totalsOnceCounted(site, EXPECTED), EXPECTED);
});

/** One site's object fails: only that site's messages wait; another site counts meanwhile. */
test('a failing object retries only its own site, and the other sites count meanwhile', async () => {
  const down = await createSite({ hosts: ['localhost', 'example.com'] });
  const up = await createSite({ hosts: ['localhost', 'example.com'] });
  await drained();
  const before = await failedBatches();
  const res = await api('PUT', '/api/_faults', { token: ADMIN, body: { consumer: 'fail', site: down.id } });
  assert.equal(res.status, 200, res.text);
  try {
    await acceptMix(down, 'down');
    await acceptMix(up, 'up');
    // The other site (and the queue barrier's own site) count while `down` fails.
    assert.deepEqual((await totalsOnceCounted(up, EXPECTED)), EXPECTED);
    assert.ok(await eventually(async () => (await failedBatches()) >= before + 2, { timeoutMs: 30000, everyMs: 200 }), 'the failing site was retried');
    const during = await api('GET', `/api/stats?site=${down.id}`, { token: down.stats_token });
    assert.equal(during.json.totals.views, 0, 'nothing of the failing site is counted');
  } finally {
    await setFault('none');
  }
  assert.deepEqual(await totalsOnceCounted(down, EXPECTED), EXPECTED);
  assert.deepEqual((await statsToday(up)).totals, EXPECTED, 'the retried messages did not count the other site twice');
});
