// The Live panel: GET /api/live every 15 s without reloading the page, paused while the tab is
// hidden (no requests at all) and refreshed at once when it is shown again. Shows the last 30
// minutes as bars per minute (views behind, clicks in front), their sums, the top pages and channels.
import { $, h, svg, clear } from '/stats/dom.js';
import { t, num, channelLabel, currentLang } from '/stats/i18n.js';

export var POLL_MS = 15000;
var METRICS = ['views', 'clicks', 'dark_clicks', 'shares', 'previews'];

var live = { creds: null, timer: null, seq: 0, data: null, failed: false, updated: null };

/** Starts polling for the site `creds()` names ({site, token}); replaces any earlier poll. */
export function startLive(creds) {
  stopLive();
  live.creds = creds;
  document.addEventListener('visibilitychange', onVisibility);
  renderLive();
  if (!document.hidden) poll();
}

/** Stops polling and forgets the data (sign-out). */
export function stopLive() {
  clearTimeout(live.timer);
  document.removeEventListener('visibilitychange', onVisibility);
  live = { creds: null, timer: null, seq: live.seq + 1, data: null, failed: false, updated: null };
}

function onVisibility() {
  if (!live.creds) return;
  if (document.hidden) {
    clearTimeout(live.timer);
    live.timer = null;
    live.seq++; // a request still on its way must not schedule the next one
    renderLive();
  } else {
    poll();
  }
}

function poll() {
  clearTimeout(live.timer);
  var c = live.creds && live.creds();
  if (!c || !c.site || !c.token) return;
  var seq = ++live.seq;
  fetch('/api/live?site=' + encodeURIComponent(c.site), { headers: { Authorization: 'Bearer ' + c.token }, cache: 'no-store' })
    .then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
    .then(function (data) {
      if (seq !== live.seq) return;
      live.data = data;
      live.failed = false;
      live.updated = new Date();
      renderLive();
    }, function () {
      if (seq !== live.seq) return;
      live.failed = true;
      renderLive();
    })
    .then(function () {
      if (seq === live.seq && live.creds && !document.hidden) live.timer = setTimeout(poll, POLL_MS);
    });
}

function clock(d) {
  return d.toLocaleTimeString(currentLang() === 'de' ? 'de-DE' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Renders the panel from the last answer, in the current language. */
export function renderLive() {
  var box = $('live');
  if (!box) return;
  clear(box);
  var paused = document.hidden;
  box.setAttribute('data-state', paused ? 'paused' : live.failed ? 'failed' : live.data ? 'live' : 'loading');
  var status = paused ? t('live_paused') : live.failed ? t('live_failed')
    : live.updated ? t('live_updated', { time: clock(live.updated) }) : t('loading');
  box.appendChild(h('div', { class: 'panel-head' }, [
    h('h2', { id: 'h-live' }, [h('span', { class: 'pulse', 'aria-hidden': 'true' }), t('live_title')]),
    h('span', { class: 'muted small', id: 'live-status', role: 'status', text: status }),
  ]));
  var d = live.data;
  if (!d) return;
  var minutes = d.minutes || [];
  var sum = function (k) { return minutes.reduce(function (a, m) { return a + (m[k] || 0); }, 0); };
  box.appendChild(h('div', { class: 'live-metrics' }, METRICS.map(function (m) {
    return h('div', { class: 'live-metric' }, [
      h('span', { class: 'value', 'data-live-metric': m, 'data-value': String(sum(m)), text: num(sum(m)) }),
      h('span', { class: 'muted small', text: t(m === 'views' ? 'col_views' : m === 'previews' ? 'previews' : 'm_' + m) }),
    ]);
  })));
  var chart = h('div', { class: 'chart live-chart' });
  box.appendChild(chart);
  bars(chart, minutes);
  box.appendChild(h('div', { class: 'cols' }, [
    list('live_pages', (d.pages || []).map(function (p) {
      return [h('span', { class: 'url', title: p.url, text: String(p.url).replace(/^https?:\/\//, '') }),
        h('span', { class: 'count', text: t('live_page_counts', { views: num(p.views), clicks: num(p.clicks) }) })];
    })),
    list('live_channels', (d.channels || []).map(function (c) {
      return [h('span', { text: channelLabel(c.channel) }), h('span', { class: 'count', text: num(c.clicks) })];
    })),
  ]));
}

function list(titleKey, rows) {
  return h('div', { class: 'col' }, [
    h('h3', { class: 'live-h', text: t(titleKey) }),
    rows.length ? h('ol', { class: 'live-list', 'data-list': titleKey }, rows.map(function (r) { return h('li', null, r); }))
      : h('p', { class: 'muted small', text: t('live_quiet') }),
  ]);
}

/** 30 slots, the current minute last; views as a pale bar, clicks as a solid one in front. */
function bars(box, minutes) {
  var W = Math.max(280, Math.round(box.clientWidth || 640));
  var H = 120;
  var pad = { l: 4, r: 4, t: 6, b: 18 };
  var ih = H - pad.t - pad.b;
  var max = Math.max.apply(null, [1].concat(minutes.map(function (m) { return Math.max(m.views || 0, m.clicks || 0); })));
  var slot = (W - pad.l - pad.r) / Math.max(1, minutes.length);
  var bw = Math.max(2, slot * 0.7);
  var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', class: 'plot',
    'data-chart': 'live', 'aria-label': t('live_chart', { views: num(sumOf(minutes, 'views')), clicks: num(sumOf(minutes, 'clicks')) }) });
  minutes.forEach(function (m, i) {
    var x = pad.l + slot * i + (slot - bw) / 2;
    var g = svg('g', { 'data-minute': m.minute, 'data-views': m.views || 0, 'data-clicks': m.clicks || 0 }, [
      svg('title', { text: m.minute.slice(11, 16) + ' UTC: ' + num(m.views) + ' ' + t('col_views') + ', ' + num(m.clicks) + ' ' + t('m_clicks') }),
    ]);
    [['views', 'live-views'], ['clicks', 'live-clicks']].forEach(function (k) {
      var v = m[k[0]] || 0;
      var hgt = (v / max) * ih;
      g.appendChild(svg('rect', { x: x.toFixed(1), y: (pad.t + ih - hgt).toFixed(1), width: bw.toFixed(1), height: Math.max(v ? 1 : 0, hgt).toFixed(1), class: k[1] }));
    });
    root.appendChild(g);
  });
  if (minutes.length) {
    root.appendChild(svg('text', { x: pad.l, y: H - 4, 'text-anchor': 'start', text: minutes[0].minute.slice(11, 16) }));
    root.appendChild(svg('text', { x: W - pad.r, y: H - 4, 'text-anchor': 'end', text: t('live_now') }));
  }
  box.appendChild(root);
}

function sumOf(rows, k) {
  return rows.reduce(function (a, r) { return a + (r[k] || 0); }, 0);
}
