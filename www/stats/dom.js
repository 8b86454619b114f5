// DOM helpers for the stats page: `h()` and `svg()` build elements from a tag, attributes and
// children. Text only ever goes in through textContent or text nodes, never as markup.

export const $ = function (id) { return document.getElementById(id); };

/** An HTML element; `children` are nodes or strings (strings become text nodes, never markup). */
export function h(tag, attrs, children) {
  var el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

var SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs, children) {
  var el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (var k in attrs || {}) {
    if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) continue;
    if (k === 'text') el.textContent = attrs[k];
    else el.setAttribute(k, attrs[k]);
  }
}
function append(el, children) {
  [].concat(children === undefined ? [] : children).forEach(function (c) {
    if (c === null || c === undefined || c === false) return;
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  });
}
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}
export function show(el, visible) { el.hidden = !visible; }
