// The report of the stats page: renders one GET /api/stats response as cards, the charts (from
// charts.js), the channels and pages tables, the most copied texts, or the empty state with the
// snippet to embed.
import { $, h, clear, show } from '/stats/dom.js';
import { t, num, date, channelLabel, knownChannel } from '/stats/i18n.js';
import { renderTimeseries, renderGenerations } from '/stats/charts.js';

var METRICS = ['views', 'copies', 'shares', 'clicks', 'dark_clicks', 'share_to_click', 'k_factor'];
var RATIOS = { share_to_click: true, k_factor: true };

/** Renders `r` (a /api/stats response) for `site`, the id the report is shown under. */
export function renderReport(r, site) {
  $('range').textContent = t('reportFor', { site: site, from: date(r.from), to: date(r.to) });

  var totals = r.totals || {};
  METRICS.forEach(function (m) {
    var value = m === 'k_factor' ? r.k_factor : totals[m];
    var el = document.querySelector('[data-metric="' + m + '"]');
    el.textContent = num(value, RATIOS[m] ? 2 : 0);
    el.setAttribute('data-value', typeof value === 'number' ? String(value) : '');
  });

  var empty = !(totals.views || totals.copies || totals.shares || totals.clicks || totals.previews);
  show($('empty'), empty);
  show($('details'), !empty);
  if (empty) {
    $('snippet-code').textContent = '<script async src="' + location.origin + '/ds.js" data-site="' + site + '"></script>';
    return;
  }
  renderTimeseries(r.timeseries || []);
  renderChannels(r.channels || []);
  renderGenerations(r.generations || []);
  renderPages(r.pages || []);
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

/** A page URL shown without its scheme; a link only when it is http(s). */
function pageCell(url) {
  var text = String(url).replace(/^https?:\/\//, '');
  if (/^https?:\/\//i.test(url)) {
    return h('a', { href: url, title: url, target: '_blank', rel: 'noopener noreferrer', text: text });
  }
  return h('span', { title: url, text: text });
}

function renderPages(rows) {
  var tbody = clear($('pages').tBodies[0]);
  if (!rows.length) return emptyRow(tbody, 4, t('none'));
  rows.forEach(function (p) {
    tbody.appendChild(h('tr', null, [
      h('td', { class: 'url' }, pageCell(p.url)),
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
