// Where the period's views came from: the headline ("Of the visits your analytics call direct,
// X% came through private channels", from totals.direct_dark_share) and the eight sources as a
// stacked bar per day (source_timeseries), with a legend that carries each source's total.
import { $, h, svg, clear } from '/stats/dom.js';
import { t, num, date } from '/stats/i18n.js';

/** The contract's eight sources, in the order the API lists them (the stack's order, bottom up). */
export var SOURCES = ['dark_social', 'shared', 'self', 'internal', 'search', 'social', 'referral', 'direct'];

/** Renders the headline and the chart of `r` (a /api/stats response) into #sources. */
export function renderSources(r) {
  var box = clear($('sources'));
  var share = r.totals ? r.totals.direct_dark_share : null;
  var byName = {};
  (r.sources || []).forEach(function (s) { byName[s.source] = s.views || 0; });
  box.appendChild(h('h2', { id: 'h-sources', text: t('src_title') }));
  box.appendChild(headline(share, byName));
  box.appendChild(legend(byName));
  var chart = h('div', { class: 'chart', id: 'sources-chart' });
  box.appendChild(chart);
  stacked(chart, r.source_timeseries || []);
}

/** The sentence with the percentage set large; a plain note when there is nothing to divide. */
function headline(share, byName) {
  if (typeof share !== 'number') {
    return h('p', { class: 'headline', 'data-share': '', text: t('src_headline_none') });
  }
  // Split the translated sentence around its figure, so each language keeps its own word order.
  var parts = t('src_headline', { pct: '\u0000' }).split('\u0000');
  return h('div', null, [
    h('p', { class: 'headline', 'data-share': String(share) }, [
      parts[0], h('strong', { class: 'big', text: num(share * 100, 0) + ' %' }), parts[1] || '',
    ]),
    h('p', { class: 'muted small', text: t('src_headline_detail', {
      dark: num(byName.dark_social || 0), direct: num(byName.direct || 0) }) }),
  ]);
}

function legend(byName) {
  return h('ul', { class: 'src-legend' }, SOURCES.map(function (s) {
    return h('li', { 'data-source': s, 'data-value': String(byName[s] || 0) }, [
      h('span', { class: 'sw src-' + s, 'aria-hidden': 'true' }),
      h('span', { text: t('src_' + s) }),
      h('span', { class: 'count', text: num(byName[s] || 0) }),
    ]);
  }));
}

/** One stacked bar per day; each segment has data-date, data-source and data-value for tests. */
function stacked(box, days) {
  var W = Math.max(280, Math.round(box.clientWidth || 640));
  var H = W < 500 ? 180 : 220;
  var pad = { l: 36, r: 8, t: 8, b: 24 };
  var iw = W - pad.l - pad.r;
  var ih = H - pad.t - pad.b;
  var totals = days.map(function (d) { return SOURCES.reduce(function (a, s) { return a + (d[s] || 0); }, 0); });
  var max = Math.max.apply(null, [1].concat(totals));
  var step = Math.pow(10, Math.floor(Math.log10(max)));
  var top = Math.ceil(max / step) * step;
  var y = function (v) { return pad.t + ih - (v / top) * ih; };
  var slot = iw / Math.max(1, days.length);
  var bw = Math.max(1, Math.min(28, slot * 0.75));
  var all = totals.reduce(function (a, b) { return a + b; }, 0);
  var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', class: 'plot',
    'data-chart': 'sources', 'aria-label': t('src_chart', { days: days.length, views: num(all) }) });
  var grid = svg('g', { class: 'grid', 'aria-hidden': 'true' }, [
    svg('line', { x1: pad.l, x2: W - pad.r, y1: y(0), y2: y(0) }),
    svg('line', { x1: pad.l, x2: W - pad.r, y1: y(top), y2: y(top) }),
    svg('text', { x: pad.l - 6, y: y(top) + 4, 'text-anchor': 'end', text: num(top) }),
    svg('text', { x: pad.l - 6, y: y(0) + 4, 'text-anchor': 'end', text: '0' }),
  ]);
  if (days.length) {
    grid.appendChild(svg('text', { x: pad.l, y: H - 6, 'text-anchor': 'start', text: date(days[0].date, 'short') }));
    grid.appendChild(svg('text', { x: W - pad.r, y: H - 6, 'text-anchor': 'end', text: date(days[days.length - 1].date, 'short') }));
  }
  root.appendChild(grid);
  days.forEach(function (d, i) {
    var x = pad.l + slot * i + (slot - bw) / 2;
    var base = 0;
    SOURCES.forEach(function (s) {
      var v = d[s] || 0;
      if (!v) return;
      root.appendChild(svg('rect', { x: x.toFixed(1), y: y(base + v).toFixed(1), width: bw.toFixed(1),
        height: Math.max(0.5, y(base) - y(base + v)).toFixed(1), class: 'src-' + s,
        'data-date': d.date, 'data-source': s, 'data-value': v },
      svg('title', { text: date(d.date, 'long') + ': ' + num(v) + ' ' + t('src_' + s) })));
      base += v;
    });
  });
  box.appendChild(root);
}
