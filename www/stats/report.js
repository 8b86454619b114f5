// The report of the stats page: renders one GET /api/stats response as cards (each with its
// change against the previous period), the charts (from charts.js), the channels and pages tables
// (a page's name filters the report to it), the most copied texts, or the empty state with the
// snippet to embed.
import { $, h, clear, show } from '/stats/dom.js';
import { t, num, date, channelLabel, knownChannel } from '/stats/i18n.js';
import { renderTimeseries, renderGenerations } from '/stats/charts.js';

var METRICS = ['views', 'copies', 'shares', 'clicks', 'dark_clicks', 'share_to_click', 'k_factor'];
var RATIOS = { share_to_click: true, k_factor: true };

/**
 * Renders `r` (a /api/stats response) for `site`, the id the report is shown under. `filtered`:
 * whether `r` is restricted to one page (then no empty state: zeros are that page's answer);
 * `onPage(url)` is called when a page of the pages table is chosen.
 */
export function renderReport(r, site, filtered, onPage) {
  $('range').textContent = t('reportFor', { site: site, from: date(r.from), to: date(r.to) });

  var totals = r.totals || {};
  var prev = r.previous && r.previous.totals;
  METRICS.forEach(function (m) {
    var value = m === 'k_factor' ? r.k_factor : totals[m];
    var el = document.querySelector('[data-metric="' + m + '"]');
    el.textContent = num(value, RATIOS[m] ? 2 : 0);
    el.setAttribute('data-value', typeof value === 'number' ? String(value) : '');
    renderDelta(document.querySelector('[data-delta="' + m + '"]'), m, value,
      prev && (m === 'k_factor' ? (prev.views ? prev.clicks / prev.views : null) : prev[m]), r.previous);
  });

  var empty = !filtered && !(totals.views || totals.copies || totals.shares || totals.clicks || totals.previews);
  show($('empty'), empty);
  show($('details'), !empty);
  if (empty) {
    $('snippet-code').textContent = '<script async src="' + location.origin + '/ds.js" data-site="' + site + '"></script>';
    return;
  }
  renderTimeseries(r.timeseries || []);
  renderChannels(r.channels || []);
  renderGenerations(r.generations || []);
  renderPages(r.pages || [], onPage);
  renderCopied(r.copied_texts || []);
}

function emptyRow(tbody, cols, text) {
  tbody.appendChild(h('tr', null, h('td', { colspan: cols, class: 'muted', text: text })));
}

function renderChannels(rows) {
  var tbody = clear($('channels').tBodies[0]);
  if (!rows.length) return emptyRow(tbody, 4, t('none'));
  var total = rows.reduce(function (a, c) { return a + (c.clicks || 0); }, 0);
  var max = Math.max.apply(null, rows.map(function (c) { return c.clicks || 0; }));
  rows.forEach(function (c) {
    var known = knownChannel(c.channel);
    // The bar under the name: this channel's clicks against the busiest channel's.
    var bar = h('span', { class: 'inline-bar' });
    bar.style.width = (max ? ((c.clicks || 0) / max) * 100 : 0).toFixed(1) + '%';
    var share = total ? num(((c.clicks || 0) / total) * 100, 1) + ' %' : '';
    tbody.appendChild(h('tr', { 'data-channel': c.channel, class: c.channel === 'dark' ? 'is-dark' : null }, [
      h('th', { scope: 'row' }, [
        h('span', { class: 'ch-name' }, [h('span', { class: 'dot ch-' + (known ? c.channel : 'other') }), channelLabel(c.channel)]),
        h('span', { class: 'bar-track', title: share, 'aria-hidden': 'true' }, bar),
      ]),
      h('td', { class: 'num', text: num(c.shares) }),
      h('td', { class: 'num', text: num(c.clicks) }),
      h('td', { class: 'num', text: num(c.previews) }),
    ]));
  });
}

/**
 * The change of one total against the previous period: "+12 %" for counts (or "new" from zero),
 * "+0.15" for the two ratios; the previous value and period in the tooltip. Empty without one.
 */
function renderDelta(el, m, value, before, previous) {
  var text = '';
  var dir = 0;
  if (previous && typeof value === 'number' && typeof before === 'number') {
    var diff = value - before;
    dir = diff > 1e-9 ? 1 : diff < -1e-9 ? -1 : 0;
    var sign = dir > 0 ? '+' : dir < 0 ? '−' : '±';
    text = RATIOS[m] ? sign + num(Math.abs(diff), 2)
      : before ? sign + num(Math.abs(diff) / before * 100) + ' %' : dir ? t('dNew') : '±0 %';
    text = t('dVs', { delta: text });
  }
  el.textContent = text;
  el.className = 'delta' + (dir > 0 ? ' is-up' : dir < 0 ? ' is-down' : '');
  el.title = text ? t('dTip', { from: date(previous.from), to: date(previous.to), value: num(before, RATIOS[m] ? 2 : 0) }) : '';
}

/**
 * A page URL shown without its scheme: a button that filters the report to it, and, when it is
 * http(s), a small link that opens it.
 */
function pageCell(url, onPage) {
  var text = String(url).replace(/^https?:\/\//, '');
  var pick = h('button', { type: 'button', class: 'page-filter', 'data-page': url, title: t('filterBy') + ': ' + url, text: text });
  pick.addEventListener('click', function () { onPage(url); });
  return [pick, /^https?:\/\//i.test(url)
    ? h('a', { class: 'open', href: url, title: t('openPage'), 'aria-label': t('openPage'), target: '_blank', rel: 'noopener noreferrer', text: '↗' })
    : null];
}

function renderPages(rows, onPage) {
  var tbody = clear($('pages').tBodies[0]);
  if (!rows.length) return emptyRow(tbody, 4, t('none'));
  rows.forEach(function (p) {
    tbody.appendChild(h('tr', null, [
      h('td', { class: 'url' }, pageCell(p.url, onPage)),
      h('td', { class: 'num', text: num(p.views) }),
      h('td', { class: 'num', text: num(p.shares) }),
      h('td', { class: 'num', text: num(p.clicks) }),
    ]));
  });
}

function renderCopied(rows) {
  var list = clear($('copied'));
  if (!rows.length) {
    list.appendChild(h('li', { class: 'muted none', text: t('noCopies') }));
    return;
  }
  rows.forEach(function (c) {
    list.appendChild(h('li', null, [
      h('q', { class: 'copied-text', text: c.text }),
      h('span', { class: 'count', text: '× ' + num(c.copies) }),
    ]));
  });
}
