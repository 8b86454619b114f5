// QR codes of short links (GET /{code}/qr.svg) on the real runtime: the served SVG, rendered to PNG
// by rsvg-convert and read back by a real decoder (zbarimg), holds the short URL opened as a scan;
// unknown and disabled links answer like the link itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, createSite, personAgent } from '../support/harness.mjs';

async function marketerLink(site, body = {}) {
  const res = await api('POST', '/api/links', {
    token: site.stats_token,
    body: { site: site.id, url: 'https://example.com/poster', channel: 'other', ...body },
  });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/** What a phone would read from the image: SVG → PNG (librsvg) → QR decoder (zbar). */
function decode(svg) {
  const dir = mkdtempSync(join(tmpdir(), 'ds-qr-'));
  try {
    writeFileSync(join(dir, 'code.svg'), svg);
    execFileSync('rsvg-convert', ['-o', join(dir, 'code.png'), join(dir, 'code.svg')]);
    // zbarimg's stderr carries D-Bus noise from its image library; its exit status says enough.
    return execFileSync('zbarimg', ['--raw', '-q', join(dir, 'code.png')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The image decodes to the link's short URL with ?qr=1, for a generated code and for a slug. */
test('the qr code of a link decodes to its short url opened as a scan', async () => {
  const site = await createSite();
  for (const link of [await marketerLink(site), await marketerLink(site, { slug: `poster-${site.id}` })]) {
    const res = await api('GET', `/${link.code}/qr.svg`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.match(res.text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(decode(res.text), `${link.short_url}?qr=1`);
  }
});

/** The decoded URL is a working short link: a scan redirects to the target like a click. */
test('the url in the qr code redirects to the target', async () => {
  const site = await createSite();
  const link = await marketerLink(site, { url: 'https://example.com/menu' });
  const scanned = decode((await api('GET', `/${link.code}/qr.svg`)).text);
  const hop = await api('GET', new URL(scanned).pathname + new URL(scanned).search, { headers: { 'user-agent': personAgent('scanner') } });
  assert.equal(hop.status, 302);
  assert.match(hop.headers.get('location'), /^https:\/\/example\.com\/menu\?/);
});

/** No image for a link that does not exist or no longer redirects: the link's own 404 and 410. */
test('unknown and disabled links have no qr code', async () => {
  const site = await createSite();
  for (const path of ['/nope404x/qr.svg', '/ab/qr.svg', '/%2e%2e/qr.svg']) {
    const res = await api('GET', path);
    assert.equal(res.status, 404, path);
    assert.match(res.headers.get('content-type'), /^text\/html/);
  }
  const link = await marketerLink(site);
  const off = await api('PATCH', `/api/links/${link.code}`, { token: site.stats_token, body: { disabled: true } });
  assert.equal(off.status, 200, off.text);
  const gone = await api('GET', `/${link.code}/qr.svg`);
  assert.equal(gone.status, 410);
  assert.match(gone.headers.get('content-type'), /^text\/html/);
  assert.equal((await api('POST', `/${link.code}/qr.svg`)).status, 405);
});
