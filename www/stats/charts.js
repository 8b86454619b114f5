// The stats page's two inline-SVG charts: the daily time series (shares, clicks, dark-social
// clicks) and the clicks by reshare depth. Each fills its box from scratch, sized to the box's
// width, with an aria-label that says what the chart shows.
import { $, h, svg, clear } from '/stats/dom.js';
import { t, num, date } from '/stats/i18n.js';

/** A round axis maximum at or above `max` and its tick step (1, 2 or 5 × 10^n, about 4 ticks). */
function niceScale(max) {
  if (!(max > 0)) return { max: 1, step: 1 };
  var raw = max / 4;
  var pow = Math.pow(10, Math.floor(Math.log10(raw)));
  var step = [1, 2, 5, 10].map(function (m) { return m * pow; }).filter(function (s) { return s >= raw; })[0];
  step = Math.max(1, step); // counts are whole numbers
  return { max: Math.ceil(max / step) * step, step: step };
}

var SERIES = [
  { key: 'shares', cls: 's-shares', label: 'm_shares' },
  { key: 'clicks', cls: 's-clicks', label: 'm_clicks' },
  { key: 'dark_clicks', cls: 's-dark', label: 'm_dark_clicks' },
];

export function renderTimeseries(days) {
  var box = clear($('timeseries'));
  var W = Math.max(280, Math.round(box.clientWidth || 640));
  var H = W < 500 ? 200 : 240;
  var pad = { l: 36, r: 12, t: 10, b: 26 };
  var iw = W - pad.l - pad.r;
  var ih = H - pad.t - pad.b;
  var n = days.length;
  var maxValue = 0;
  days.forEach(function (d) {
    SERIES.forEach(function (s) { maxValue = Math.max(maxValue, d[s.key] || 0); });
  });
  var scale = niceScale(maxValue);
  var x = function (i) { return pad.l + (n <= 1 ? iw / 2 : (i * iw) / (n - 1)); };
  var y = function (v) { return pad.t + ih - (v / scale.max) * ih; };

  var sum = function (k) { return days.reduce(function (a, d) { return a + (d[k] || 0); }, 0); };
  var peak = days.reduce(function (best, d) { return !best || d.clicks > best.clicks ? d : best; }, null);
  var summary = n && (sum('shares') || sum('clicks'))
    ? t('chartTime', { days: n, from: date(days[0].date), to: date(days[n - 1].date), shares: num(sum('shares')),
      clicks: num(sum('clicks')), dark: num(sum('dark_clicks')), peak: date(peak.date), peakClicks: num(peak.clicks) })
    : t('chartTimeEmpty', { days: n, from: n ? date(days[0].date) : '', to: n ? date(days[n - 1].date) : '' });

  var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img',
    'aria-label': summary, 'data-chart': 'timeseries', class: 'plot' });

  var grid = svg('g', { class: 'grid', 'aria-hidden': 'true' });
  for (var v = 0; v <= scale.max; v += scale.step) {
    grid.appendChild(svg('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v) }));
    grid.appendChild(svg('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', text: num(v) }));
  }
  // Date labels at least `gap` px apart, always the last day (the one a marketer looks for).
  var gap = 80;
  var lastX = -Infinity;
  days.forEach(function (d, i) {
    var xi = x(i);
    var last = i === n - 1;
    if (!last && (xi - lastX < gap || x(n - 1) - xi < gap)) return;
    lastX = xi;
    var anchor = n === 1 ? 'middle' : i === 0 ? 'start' : last ? 'end' : 'middle';
    grid.appendChild(svg('text', { x: xi, y: H - 6, 'text-anchor': anchor, text: date(d.date, 'short') }));
  });
  root.appendChild(grid);

  var r = n > 45 ? 1.6 : n > 20 ? 2.4 : 3.5;
  SERIES.forEach(function (s) {
    var g = svg('g', { class: 'series ' + s.cls, 'data-series': s.key });
    if (n > 1) {
      var pts = days.map(function (d, i) { return x(i).toFixed(1) + ',' + y(d[s.key] || 0).toFixed(1); });
      g.appendChild(svg('polyline', { points: pts.join(' '), fill: 'none' }));
    }
    days.forEach(function (d, i) {
      var value = d[s.key] || 0;
      g.appendChild(svg('circle', { cx: x(i).toFixed(1), cy: y(value).toFixed(1), r: r,
        'data-date': d.date, 'data-value': value, 'data-series': s.key },
      svg('title', { text: date(d.date, 'long') + ': ' + num(value) + ' ' + t(s.label) })));
    });
    root.appendChild(g);
  });
  box.appendChild(root);
}

export function renderGenerations(gens) {
  var box = clear($('generations'));
  if (!gens.length) {
    box.appendChild(h('p', { class: 'muted', text: t('none') }));
    return;
  }
  var W = Math.max(260, Math.round(box.clientWidth || 400));
  var H = 180;
  var pad = { l: 36, r: 8, t: 18, b: 26 };
  var iw = W - pad.l - pad.r;
  var ih = H - pad.t - pad.b;
  var maxValue = Math.max.apply(null, gens.map(function (g) { return g.clicks || 0; }));
  var scale = niceScale(maxValue);
  var slot = iw / gens.length;
  var bw = Math.max(2, Math.min(56, slot * 0.7));
  var y = function (v) { return pad.t + ih - (v / scale.max) * ih; };
  var list = gens.map(function (g) { return t('depth', { n: g.depth }) + ': ' + num(g.clicks); }).join(', ');

  var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img',
    'aria-label': t('chartGen', { list: list }), 'data-chart': 'generations', class: 'plot' });
  var grid = svg('g', { class: 'grid', 'aria-hidden': 'true' });
  for (var v = 0; v <= scale.max; v += scale.step) {
    grid.appendChild(svg('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v) }));
    grid.appendChild(svg('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', text: num(v) }));
  }
  root.appendChild(grid);
  var labelEvery = Math.ceil(gens.length / Math.max(1, Math.floor(iw / 28)));
  gens.forEach(function (g, i) {
    var cx = pad.l + slot * i + slot / 2;
    var value = g.clicks || 0;
    var top = y(value);
    root.appendChild(svg('rect', { x: (cx - bw / 2).toFixed(1), y: top.toFixed(1), width: bw.toFixed(1),
      height: Math.max(0, pad.t + ih - top).toFixed(1), rx: 3, class: 'bar', 'data-depth': g.depth, 'data-value': value },
    svg('title', { text: t('clicksOn', { value: num(value), n: g.depth }) })));
    if (i % labelEvery === 0) {
      root.appendChild(svg('text', { x: cx, y: H - 8, 'text-anchor': 'middle', class: 'axis', 'aria-hidden': 'true',
        text: t(slot >= 64 ? 'depth' : 'depthShort', { n: g.depth }) }));
      if (bw >= 18) {
        root.appendChild(svg('text', { x: cx, y: top - 5, 'text-anchor': 'middle', class: 'bar-value', 'aria-hidden': 'true',
          text: num(value) }));
      }
    }
  });
  box.appendChild(root);
}
