// The Links view of the stats page: a marketer creates short links (a page of the site, a channel,
// an optional slug, expiry and title, UTM on or off), sees every link of the site newest first
// with its all-time counts (GET /api/links; "More" follows next_cursor), copies a short URL,
// shows or downloads its QR code as SVG, and disables or enables it (PATCH /api/links/{code}).
//
// stats.js mounts it with the credentials and its handler for 401/403/404; the view switch, the
// re-rendering on a language switch and the reset on sign-in are wired here. Text from the API
// goes in through h() as text only, and only http(s) URLs become links.
import { $, h, clear, show } from '/stats/dom.js';
import { t, num, channelLabel } from '/stats/i18n.js';

var CHANNELS = ['email', 'whatsapp', 'telegram', 'signal', 'messenger', 'sms', 'slack', 'discord', 'teams',
  'line', 'wechat', 'linkedin', 'x', 'facebook', 'reddit', 'copy', 'native', 'other'];
var PAGE = 50;

var ctx = null; // {credentials(): {site, token}, onAuthError(e): bool}
var state = { links: [], next: null, loaded: false, seq: 0, qr: null, errors: {} };

/** Wires the view; `options.credentials()` gives {site, token}, `options.onAuthError` the sign-in. */
export function mountLinks(options) {
  ctx = options;
  [].forEach.call(document.querySelectorAll('[data-view]'), function (b) {
    b.addEventListener('click', function () { selectView(b.getAttribute('data-view')); });
  });
  $('link-form').addEventListener('submit', create);
  $('links-more').addEventListener('click', function () { load(state.next); });
  $('links-refresh').addEventListener('click', function () { load(null); });
  $('login-form').addEventListener('submit', function () { state.loaded = false; selectView('report'); });
  // After stats.js has switched the language (its listeners run first): the rows' texts.
  [].forEach.call(document.querySelectorAll('[data-lang]'), function (b) {
    b.addEventListener('click', function () { fillChannels(); render(); showErrors(); });
  });
  fillChannels();
}

function selectView(view) {
  [].forEach.call(document.querySelectorAll('[data-view]'), function (b) {
    b.setAttribute('aria-selected', String(b.getAttribute('data-view') === view));
  });
  show($('report-view'), view === 'report');
  show($('links-view'), view === 'links');
  if (view === 'links' && !state.loaded) load(null);
}

function fillChannels() {
  var select = $('l-channel');
  var chosen = select.value || 'email';
  clear(select);
  CHANNELS.forEach(function (c) { select.appendChild(h('option', { value: c, text: channelLabel(c) })); });
  select.value = chosen;
}

// ---------------------------------------------------------------- api

/** Calls the API with the stats token; resolves with the JSON body, rejects with {status, code, message}. */
function call(method, path, body) {
  var c = ctx.credentials();
  var init = { method: method, headers: { Authorization: 'Bearer ' + c.token }, cache: 'no-store' };
  if (body) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(path, init).then(function (res) {
    return res.json().catch(function () { return null; }).then(function (data) {
      if (res.ok) return data;
      var err = (data && data.error) || {};
      throw { status: res.status, code: err.code || '', message: err.message || 'HTTP ' + res.status };
    });
  }, function () { throw { status: 0, code: 'network', message: '' }; });
}

/** Sends the page to sign-in for a bad token, another site's token or an unknown site. */
function authError(e) {
  var kind = e.status === 401 ? 'token' : e.code === 'wrong_site' ? 'wrong_site' : e.code === 'unknown_site' ? 'unknown_site' : '';
  return kind ? ctx.onAuthError({ kind: kind }) : false;
}

/** Shows `e` in the alert `id` (null hides it); kept so a language switch can say it again. */
function showError(id, e) {
  state.errors[id] = e;
  if (e) $(id).textContent = explain(e);
  show($(id), !!e);
}

function showErrors() {
  Object.keys(state.errors).forEach(function (id) { showError(id, state.errors[id]); });
}

/** A sentence for an error the marketer can act on. */
function explain(e) {
  var known = { slug_taken: 'lErrSlugTaken', bad_slug: 'lErrSlug', bad_url: 'lErrUrl', host_not_allowed: 'lErrUrl',
    bad_date: 'lErrDate', network: 'errNetwork' };
  return known[e.code] ? t(known[e.code]) : t('lErrOther', { message: e.message });
}

// ---------------------------------------------------------------- list

function load(cursor) {
  var site = ctx.credentials().site;
  var seq = ++state.seq;
  var q = '/api/links?site=' + encodeURIComponent(site) + '&limit=' + PAGE + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
  showError('links-error', null);
  $('links-more').disabled = true;
  call('GET', q).then(function (page) {
    if (seq !== state.seq) return;
    state.links = cursor ? state.links.concat(page.links) : page.links;
    state.next = page.next_cursor;
    state.loaded = true;
    render();
  }, function (e) {
    if (seq !== state.seq || authError(e)) return;
    showError('links-error', e);
  }).then(function () { $('links-more').disabled = false; });
}

function status(link) {
  if (link.disabled) return 'disabled';
  if (link.expires_at && Date.parse(link.expires_at) <= Date.now()) return 'expired';
  return 'active';
}

function when(iso) {
  var d = new Date(iso);
  return isNaN(d) ? '' : new Intl.DateTimeFormat(document.documentElement.lang === 'de' ? 'de-DE' : 'en-GB',
    { day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

function render() {
  if (!ctx) return;
  var tbody = clear($('links-table').tBodies[0]);
  show($('links-empty'), state.loaded && !state.links.length);
  show($('links-more'), !!state.next);
  state.links.forEach(function (link) {
    tbody.appendChild(row(link));
    if (state.qr === link.code) tbody.appendChild(qrRow(link));
  });
}

function row(link) {
  var s = status(link);
  var target = /^https?:\/\//i.test(link.url) ? h('a', { href: link.url, target: '_blank', rel: 'noopener noreferrer', text: link.url }) : link.url;
  return h('tr', { 'data-code': link.code, class: s === 'active' ? null : 'is-off' }, [
    h('th', { scope: 'row', class: 'link-cell' }, [
      h('span', { class: 'short', text: link.short_url }),
      link.title ? h('span', { class: 'link-title', text: link.title }) : null,
      h('span', { class: 'target muted small' }, target),
    ]),
    // data-label: the column's name, shown above the value where rows stack as cards (phones).
    h('td', { 'data-label': t('channel'), text: channelLabel(link.channel) }),
    count(link, 'clicks', 'm_clicks'),
    count(link, 'dark_clicks', 'lDark'),
    count(link, 'scans', 'lScans'),
    count(link, 'previews', 'previews'),
    h('td', { class: 'small', 'data-label': t('lCreatedCol') }, [when(link.created_at), link.expires_at ? h('span', { class: 'muted block', text: t('lUntil', { date: when(link.expires_at) }) }) : null]),
    h('td', { 'data-label': t('lStatus') }, h('span', { class: 'state state-' + s, 'data-state': s, text: t('lState_' + s) })),
    h('td', { class: 'actions-cell' }, h('div', { class: 'actions' }, [
      button(t('lCopy'), 'copy', function (b) { copy(link, b); }),
      button(t('lQr'), 'qr', function () { state.qr = state.qr === link.code ? null : link.code; render(); }),
      button(link.disabled ? t('lEnable') : t('lDisable'), 'toggle', function (b) { toggle(link, b); }),
    ])),
  ]);
}

function count(link, field, label) {
  return h('td', { class: 'num', 'data-count': field, 'data-label': t(label), text: num(link[field]) });
}

function button(text, action, onClick) {
  var b = h('button', { type: 'button', class: 'secondary mini', 'data-action': action, text: text });
  b.addEventListener('click', function () { onClick(b); });
  return b;
}

function qrRow(link) {
  var src = '/' + encodeURIComponent(link.code) + '/qr.svg';
  return h('tr', { class: 'qr-row' }, h('td', { colspan: 9 }, [
    h('img', { src: src, alt: t('lQrAlt', { url: link.short_url }), width: 160, height: 160 }),
    h('p', { class: 'small muted', text: t('lQrHint') }),
    h('a', { href: src, download: link.code + '-qr.svg', class: 'download', text: t('lQrDownload') }),
  ]));
}

function copy(link, b) {
  var done = function () { b.textContent = t('lCopied'); setTimeout(function () { b.textContent = t('lCopy'); }, 2000); };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(link.short_url).then(done, function () { window.prompt(t('lCopy'), link.short_url); });
  } else {
    window.prompt(t('lCopy'), link.short_url);
  }
}

function toggle(link, b) {
  b.disabled = true;
  call('PATCH', '/api/links/' + encodeURIComponent(link.code), { disabled: !link.disabled }).then(function (updated) {
    state.links = state.links.map(function (l) { return l.code === updated.code ? updated : l; });
    render();
  }, function (e) {
    b.disabled = false;
    if (authError(e)) return;
    showError('links-error', e);
  });
}

// ---------------------------------------------------------------- create

function create(ev) {
  ev.preventDefault();
  var form = $('link-form');
  var submit = form.querySelector('button[type=submit]');
  var body = { site: ctx.credentials().site, url: $('l-url').value.trim(), channel: $('l-channel').value };
  var slug = $('l-slug').value.trim();
  var title = $('l-title').value.trim();
  var expires = $('l-expires').value;
  if (slug) body.slug = slug;
  if (title) body.title = title;
  if (expires) body.expires_at = new Date(expires).toISOString();
  if (!$('l-utm').checked) body.utm = false;
  showError('link-error', null);
  show($('link-created'), false);
  submit.disabled = true;
  call('POST', '/api/links', body).then(function (link) {
    form.reset();
    fillChannels();
    $('link-created-url').textContent = link.short_url;
    show($('link-created'), true);
    load(null);
  }, function (e) {
    if (authError(e)) return;
    showError('link-error', e);
  }).then(function () { submit.disabled = false; });
}
