// The "Cascades" section of the stats page: the period's largest cascades (a table to pick one),
// the picked cascade drawn as a layered tree in inline SVG (depth on the vertical axis, nodes
// coloured by the channel of their click, the root marked), the one-sentence meaning of
// structural virality, and the key sharers (anonymous node ids with reach, direct clicks, depth).
//
// The report (GET /api/stats) lists cascades; a tree is fetched with GET /api/cascades/{id} through
// the `loadTree(id)` the entry module passes in, once per id and period, and re-drawn from memory on
// a language switch or a resize.
import { $, h, svg, clear } from '/stats/dom.js';
import { t, num, date, channelLabel, knownChannel } from '/stats/i18n.js';

var trees = {};      // id → the tree answer (or a promise of it) for the current report
var shownReport = null;
var picked = null;   // the id of the cascade being drawn

/** Renders the section for report `r`; `loadTree(id)` resolves with a /api/cascades/{id} body. */
export function renderCascades(r, loadTree) {
  if (r !== shownReport) {
    // A new period or site: trees fetched for the previous report may have changed.
    trees = {};
    shownReport = r;
    var ids = (r.cascades || []).map(function (c) { return c.id; });
    if (ids.indexOf(picked) < 0) picked = ids.length ? ids[0] : null;
  }
  var box = clear($('cascades'));
  box.appendChild(h('p', { class: 'muted small', text: t('viralityIntro') }));
  var list = r.cascades || [];
  if (!list.length) {
    box.appendChild(h('p', { class: 'muted', text: t('noCascades') }));
    return;
  }
  box.appendChild(cascadeTable(list, function (id) {
    picked = id;
    renderCascades(r, loadTree);
  }));
  var drawing = h('div', { class: 'chart cascade-drawing', id: 'cascade-drawing', 'aria-live': 'polite' });
  box.appendChild(drawing);
  box.appendChild(h('h3', { class: 'sub', text: t('keySharers') }));
  box.appendChild(h('p', { class: 'muted small', text: t('keySharersIntro') }));
  box.appendChild(sharerTable(r.key_sharers || []));
  drawPicked(list, drawing, loadTree);
}

function drawPicked(list, drawing, loadTree) {
  var id = picked;
  var summary = list.filter(function (c) { return c.id === id; })[0];
  if (!trees[id]) {
    trees[id] = loadTree(id).then(function (tree) { trees[id] = tree; return tree; }, function (e) { delete trees[id]; throw e; });
  }
  var ready = trees[id];
  if (typeof ready.then !== 'function') return drawTree(drawing, ready, summary);
  drawing.appendChild(h('p', { class: 'muted', text: t('loading') }));
  ready.then(function (tree) {
    if (picked === id && drawing.isConnected) drawTree(clear(drawing), tree, summary);
  }, function (e) {
    if (picked === id && drawing.isConnected) {
      clear(drawing).appendChild(h('p', { class: 'alert', text: t('errServer', { message: (e && e.message) || '' }) }));
    }
  });
}

function cascadeTable(list, pick) {
  var rows = list.map(function (c) {
    var button = h('button', { type: 'button', class: 'linklike', 'aria-pressed': String(c.id === picked),
      title: t('drawCascade'), text: String(c.url).replace(/^https?:\/\//, '') });
    button.addEventListener('click', function () { pick(c.id); });
    return h('tr', { 'data-cascade': c.id, class: c.id === picked ? 'is-picked' : null }, [
      h('td', { class: 'url' }, button),
      h('td', { class: 'num', text: num(c.size) }),
      h('td', { class: 'num', text: num(c.depth) }),
      h('td', { class: 'num', text: num(c.structural_virality, 2) }),
      h('td', { class: 'num', 'data-conversions': String(c.conversions || 0), text: num(c.conversions || 0) }),
      h('td', { class: 'days', text: c.first_day === c.last_day ? date(c.first_day, 'short') : date(c.first_day, 'short') + ' – ' + date(c.last_day, 'short') }),
    ]);
  });
  return h('div', { class: 'table-wrap' }, h('table', { id: 'cascade-list' }, [
    h('thead', null, h('tr', null, [
      h('th', { scope: 'col', text: t('page') }), h('th', { scope: 'col', class: 'num', text: t('size') }),
      h('th', { scope: 'col', class: 'num', text: t('depthCol') }), h('th', { scope: 'col', class: 'num', text: t('virality') }),
      h('th', { scope: 'col', class: 'num', text: t('g_conversions_col') }), h('th', { scope: 'col', text: t('days') }),
    ])),
    h('tbody', null, rows),
  ]));
}

function sharerTable(rows) {
  var body = rows.length ? rows.map(function (s) {
    return h('tr', { 'data-node': s.id }, [
      h('td', null, h('code', { class: 'node-id', text: s.id })),
      h('td', { class: 'url', text: String(s.url).replace(/^https?:\/\//, '') }),
      h('td', { class: 'num', text: num(s.reach) }),
      h('td', { class: 'num', 'data-conversions': String(s.conversions || 0), text: num(s.conversions || 0) }),
      h('td', { class: 'num', text: num(s.clicks) }),
      h('td', { class: 'num', text: num(s.depth) }),
    ]);
  }) : [h('tr', null, h('td', { colspan: 6, class: 'muted', text: t('none') }))];
  return h('div', { class: 'table-wrap' }, h('table', { id: 'key-sharers' }, [
    h('thead', null, h('tr', null, [
      h('th', { scope: 'col', text: t('sharer') }), h('th', { scope: 'col', text: t('page') }),
      h('th', { scope: 'col', class: 'num', text: t('reach') }), h('th', { scope: 'col', class: 'num', text: t('g_conversions_col') }),
      h('th', { scope: 'col', class: 'num', text: t('m_clicks') }),
      h('th', { scope: 'col', class: 'num', text: t('depthCol') }),
    ])),
    h('tbody', null, body),
  ]));
}

/**
 * A layered layout: every leaf gets the next slot from left to right in depth-first order, every
 * other node sits over the middle of its children. Returns {x: id → slot, leaves, depth}.
 */
export function layout(nodes) {
  var children = {};
  var root = null;
  nodes.forEach(function (n) {
    if (n.parent === null || n.parent === undefined) root = root || n;
    else (children[n.parent] = children[n.parent] || []).push(n);
  });
  var x = {};
  var leaves = 0;
  var depth = 0;
  if (!root) return { x: x, leaves: 0, depth: 0 };
  // Iterative post-order: a 127-deep chain must not cost 127 stack frames per node.
  var stack = [[root, 0]];
  while (stack.length) {
    var top = stack[stack.length - 1];
    var node = top[0];
    var kids = children[node.id] || [];
    depth = Math.max(depth, node.depth);
    if (top[1] < kids.length) {
      stack.push([kids[top[1]++], 0]);
      continue;
    }
    stack.pop();
    x[node.id] = kids.length ? (x[kids[0].id] + x[kids[kids.length - 1].id]) / 2 : leaves++;
  }
  return { x: x, leaves: leaves, depth: depth };
}

function drawTree(box, tree, summary) {
  var nodes = tree.nodes || [];
  var L = layout(nodes);
  var W = Math.max(280, Math.round(box.clientWidth || 640));
  var pad = { l: 44, r: 14, t: 22, b: 16 };
  var rowH = Math.max(6, Math.min(56, 420 / Math.max(1, L.depth)));
  var H = pad.t + pad.b + L.depth * rowH;
  var iw = W - pad.l - pad.r;
  var colW = iw / Math.max(1, L.leaves);
  var r = Math.max(1.5, Math.min(7, colW * 0.4, rowH * 0.3));
  var X = function (id) { return pad.l + (L.leaves <= 1 ? iw / 2 : (L.x[id] + 0.5) * colW); };
  var Y = function (d) { return pad.t + d * rowH; };
  var virality = summary ? summary.structural_virality : tree.structural_virality;
  var label = t('chartCascade', { url: tree.url, size: num(tree.size), depth: num(tree.depth), virality: num(virality, 2),
    shown: num(nodes.length) });

  var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': label,
    'data-chart': 'cascade', 'data-nodes': nodes.length, 'data-depth': L.depth, class: 'plot cascade' });

  // The depth axis: one line and label per generation, thinned so labels stay readable.
  var axis = svg('g', { class: 'grid', 'aria-hidden': 'true' });
  var every = Math.ceil(14 / rowH);
  for (var d = 0; d <= L.depth; d++) {
    if (d % every && d !== L.depth) continue;
    axis.appendChild(svg('line', { x1: pad.l - 4, x2: W - pad.r, y1: Y(d), y2: Y(d) }));
    axis.appendChild(svg('text', { x: pad.l - 8, y: Y(d) + 4, 'text-anchor': 'end', 'data-axis-depth': d, text: num(d) }));
  }
  axis.appendChild(svg('text', { x: 2, y: 12, class: 'axis-title', text: t('depthAxis') }));
  root.appendChild(axis);

  // All edges as one path: thousands of <line>s would cost far more to lay out.
  var byId = {};
  nodes.forEach(function (n) { byId[n.id] = n; });
  var edges = nodes.filter(function (n) { return byId[n.parent]; }).map(function (n) {
    return 'M' + X(n.parent).toFixed(1) + ' ' + Y(byId[n.parent].depth).toFixed(1) + 'L' + X(n.id).toFixed(1) + ' ' + Y(n.depth).toFixed(1);
  });
  root.appendChild(svg('path', { d: edges.join(''), class: 'edges', 'aria-hidden': 'true' }));

  var channels = {};
  var dots = svg('g', { class: 'nodes' });
  nodes.forEach(function (n) {
    var isRoot = n.parent === null || n.parent === undefined;
    var ch = isRoot ? 'root' : knownChannel(n.channel) ? n.channel : 'other';
    if (!isRoot) channels[ch] = true;
    var tip = isRoot ? t('rootTip', { id: n.id, day: date(n.day) })
      : t('nodeTip', { id: n.id, depth: n.depth, channel: channelLabel(n.channel), day: date(n.day) });
    dots.appendChild(svg('circle', { cx: X(n.id).toFixed(1), cy: Y(n.depth).toFixed(1), r: isRoot ? Math.max(r, 5) : r,
      class: 'n fill-' + ch + (isRoot ? ' is-root' : ''), 'data-node': n.id, 'data-depth': n.depth,
      'data-channel': n.channel || '', 'data-root': isRoot ? 'true' : null }, svg('title', { text: tip })));
  });
  root.appendChild(dots);
  var rootNode = nodes[0];
  if (rootNode) {
    root.appendChild(svg('text', { x: X(rootNode.id) + Math.max(r, 5) + 4, y: Y(0) - 6, class: 'root-label', text: t('root') }));
  }
  box.appendChild(root);

  var legend = h('ul', { class: 'legend cascade-legend' }, Object.keys(channels).sort().map(function (ch) {
    return h('li', null, [h('span', { class: 'dot ch-' + ch }), channelLabel(ch)]);
  }));
  box.appendChild(legend);
  box.appendChild(h('p', { class: 'muted small', 'data-cascade-summary': '' , text: t(tree.truncated ? 'cascadeTruncated' : 'cascadeSummary', {
    size: num(tree.size), depth: num(tree.depth), virality: num(virality, 2), shown: num(nodes.length) }) }));
}
