// The stats page (GET /stats): asks for a site id and stats token once, keeps them in
// sessionStorage only, and renders GET /api/stats for a period as cards, inline-SVG charts and
// tables, in English or German. This is the entry module (loaded by stats.html as
// <script type="module">); it holds the state, the api and the flow.
//
// # Layout
// - /stats/i18n.js: the two dictionaries, channel labels, number and date formats, the language
// - /stats/dom.js: `h()` and `svg()` build elements; text only ever goes in through textContent
// - /stats/charts.js: the inline-SVG time series and reshare-depth charts
// - /stats/report.js: cards, channels, pages, copied texts, empty state (and the charts)
// - /stats/cascades.js: the largest cascades drawn as trees, and the key sharers
// - /stats/links.js: the Links view (create, list with counts, QR, disable/enable)
// - here, state: credentials (sessionStorage), period (the language is in i18n.js), the page
//   filter (in the address, `?page=<url>`, so a reload or a shared address keeps it; the back
//   button removes it again)
// - here, api: `request()` maps a response to data or to one of the error kinds the page shows
// - here, flow: sign in / out, load (always with compare=previous: one extra sum on the server,
//   and every card shows its change), CSV download (filtered too), period controls, event wiring
//
// Invariants: no string from the API or the URL reaches innerHTML (there is no innerHTML in any
// of these files); the token is never put in a URL, localStorage or a cookie.
import { $, h, show } from '/stats/dom.js';
import { t, currentLang, useLang, parseDay, applyLanguage } from '/stats/i18n.js';
import { renderReport } from '/stats/report.js';
import { renderCascades } from '/stats/cascades.js';
import { mountLinks } from '/stats/links.js';
import { renderSources } from '/stats/sources.js';
import { startLive, stopLive, renderLive } from '/stats/live.js';
import { mountAlerts, renderAlerts } from '/stats/alerts.js';
import { renderGoals, mountGoalSettings, renderGoalSettings } from '/stats/goals.js';
import { readShared, isShared, applyShared, sharedRefused } from '/stats/shared.js';

var KEY = { site: 'darkshare.site', token: 'darkshare.token', lang: 'darkshare.lang', period: 'darkshare.period' };
var DAY_MS = 86400000;
var MAX_DAYS = 400;

// ---------------------------------------------------------------- state

useLang(pickLanguage());
var state = {
  period: readPeriod(), // {days: 7|30|90} or {from, to}
  page: urlPage(),      // the page the report is filtered to, or null for the whole site
  report: null,         // the last good response, re-rendered on language switch and resize
  seq: 0,               // guards against an older response overwriting a newer one
};

function store(key, value) {
  try {
    if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value);
  } catch (e) { /* storage disabled: the page still works for this load */ }
}
function load(key) {
  try { return sessionStorage.getItem(key); } catch (e) { return null; }
}

function pickLanguage() {
  var saved = load(KEY.lang);
  if (saved === 'en' || saved === 'de') return saved;
  return /^de\b/i.test(navigator.language || '') ? 'de' : 'en';
}

function readPeriod() {
  var raw = load(KEY.period);
  if (raw === '7' || raw === '30' || raw === '90') return { days: Number(raw) };
  var m = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(raw || '');
  return m ? { from: m[1], to: m[2] } : { days: 30 };
}

/** The page filter in the address, if any. */
function urlPage() {
  return new URLSearchParams(location.search).get('page') || null;
}

/** Filters the report to `page` (null: the whole site), remembered in the address, and reloads. */
function setPage(page) {
  if (page === state.page) return;
  state.page = page;
  var q = new URLSearchParams(location.search);
  if (page) q.set('page', page); else q.delete('page');
  var qs = q.toString();
  history.pushState(null, '', location.pathname + (qs ? '?' + qs : '') + location.hash);
  loadReport();
}

/** Today's date in UTC as YYYY-MM-DD, moved by `offset` days. */
function utcDay(offset) {
  return new Date(Date.now() + (offset || 0) * DAY_MS).toISOString().slice(0, 10);
}

/** The period as from/to: "7 days" is today (UTC) and the 6 days before. */
function range() {
  if (state.period.days) return { from: utcDay(1 - state.period.days), to: utcDay(0) };
  return { from: state.period.from, to: state.period.to };
}

// ---------------------------------------------------------------- api

/**
 * Fetches `path` with the stats token. Resolves with the Response when it is 2xx; otherwise
 * rejects with {kind, status, code, message}, kind being one of
 * 'token' (401), 'wrong_site' (403), 'unknown_site' (404), 'dates' (400 bad_date),
 * 'network' (no answer) or 'server' (anything else).
 */
function request(path, token) {
  return fetch(path, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' })
    .then(function (res) {
      if (res.ok) return res;
      return res.json().catch(function () { return {}; }).then(function (body) {
        var err = (body && body.error) || {};
        var kind = res.status === 401 ? 'token'
          : res.status === 403 ? 'wrong_site'
            : res.status === 404 ? 'unknown_site'
              : res.status === 400 && err.code === 'bad_date' ? 'dates' : 'server';
        throw { kind: kind, status: res.status, code: err.code, message: err.message || ('HTTP ' + res.status) };
      });
    }, function () {
      throw { kind: 'network' };
    });
}

function query(site, r) {
  return '?site=' + encodeURIComponent(site) + '&from=' + r.from + '&to=' + r.to +
    (state.page ? '&page=' + encodeURIComponent(state.page) : '');
}

// ---------------------------------------------------------------- render

/** Renders the last good report, if any, in the current language and width. */
function render() {
  var r = state.report;
  if (!r) return;
  renderReport(r, load(KEY.site) || r.site, !!state.page, setPage);
  renderCascades(r, loadTree);
  if ($('sources') && !$('details').hidden) renderSources(r);
  if ($('goals') && !$('details').hidden) renderGoals(r);
}

/** One cascade's tree (GET /api/cascades/{id}) for the signed-in site. */
function loadTree(id) {
  var path = '/api/cascades/' + encodeURIComponent(id) + '?site=' + encodeURIComponent(load(KEY.site) || '');
  return request(path, load(KEY.token) || '').then(function (res) { return res.json(); });
}

/** The signed-in site and token, for the panels that call the API themselves. */
function creds() {
  return { site: load(KEY.site), token: load(KEY.token) };
}

// ---------------------------------------------------------------- flow

function showLogin(errorKey) {
  stopLive();
  show($('app'), false);
  show($('login'), true);
  show($('signout'), false);
  show($('site-name'), false);
  var err = $('login-error');
  err.textContent = errorKey ? t(errorKey) : '';
  err.setAttribute('data-error', errorKey || '');
  show(err, !!errorKey);
  $('f-site').value = load(KEY.site) || new URLSearchParams(location.search).get('site') || '';
  $('f-token').value = '';
  (($('f-site').value ? $('f-token') : $('f-site'))).focus();
}

function showApp() {
  show($('login'), false);
  show($('app'), true);
  show($('signout'), true);
  $('site-name').textContent = load(KEY.site);
  show($('site-name'), true);
  syncPeriodControls();
  startLive(creds);
  if (isShared()) applyShared(); else { mountAlerts(creds); mountGoalSettings(creds); }
}

function setStatus(text) {
  $('status').textContent = text || '';
  show($('status'), !!text);
}

function showError(kind, message) {
  state.error = { kind: kind, message: message };
  var key = { network: 'errNetwork', dates: 'errDates' }[kind] || 'errServer';
  $('error-text').textContent = t(key, { message: message || '' });
  $('error').setAttribute('data-error', kind);
  show($('retry'), kind !== 'dates');
  show($('error'), true);
  show($('report'), kind === 'dates' && !!state.report);
}

/** Sends the page back to the form for errors the user fixes there; true when it did. */
function handleAuthError(e) {
  if (isShared() && (e.kind === 'token' || e.kind === 'wrong_site' || e.kind === 'unknown_site')) { store(KEY.token, null); stopLive(); sharedRefused(); return true; }
  if (e.kind === 'token') { store(KEY.token, null); showLogin('errToken'); return true; }
  if (e.kind === 'wrong_site') { store(KEY.token, null); showLogin('errWrongSite'); return true; }
  if (e.kind === 'unknown_site') { store(KEY.token, null); showLogin('errUnknownSite'); return true; }
  return false;
}

function loadReport() {
  var site = load(KEY.site);
  var token = load(KEY.token);
  if (!site || !token) return showLogin();
  var r = range();
  var seq = ++state.seq;
  $('filter-page').textContent = state.page || '';
  show($('filter'), !!state.page);
  show($('error'), false);
  setStatus(t('loading'));
  $('report').classList.add('is-loading');
  $('main').setAttribute('aria-busy', 'true');
  request('/api/stats' + query(site, r) + '&compare=previous', token)
    .then(function (res) { return res.json(); })
    .then(function (report) {
      if (seq !== state.seq) return;
      state.report = report;
      show($('report'), true);
      render();
    }, function (e) {
      if (seq !== state.seq) return;
      if (!e || !e.kind) e = { kind: 'server', message: String(e && e.message || e) };
      // An address with a page the server refuses: show the whole site instead.
      if (e.code === 'bad_field' && state.page) return setPage(null);
      if (!handleAuthError(e)) showError(e.kind, e.message);
    })
    .then(function () {
      if (seq !== state.seq) return;
      setStatus('');
      $('report').classList.remove('is-loading');
      $('main').removeAttribute('aria-busy');
    });
}

function downloadCsv() {
  var site = load(KEY.site);
  var token = load(KEY.token);
  var r = range();
  var button = $('csv');
  if (!site || !token || button.disabled) return;
  button.disabled = true;
  button.textContent = t('csvBusy');
  request('/api/stats.csv' + query(site, r), token)
    .then(function (res) { return res.blob(); })
    .then(function (blob) {
      var url = URL.createObjectURL(blob);
      var a = h('a', { href: url, download: 'darkshare-' + site + '-' + r.from + '-' + r.to + '.csv', hidden: 'hidden' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }, function (e) {
      if (!handleAuthError(e)) showError(e.kind, e.message);
    })
    .then(function () {
      button.disabled = false;
      button.textContent = t('csv');
    });
}

// ---------------------------------------------------------------- period controls

function syncPeriodControls() {
  var p = state.period;
  [].forEach.call(document.querySelectorAll('[data-period]'), function (b) {
    var v = b.getAttribute('data-period');
    b.setAttribute('aria-pressed', String(p.days ? v === String(p.days) : v === 'custom'));
  });
  var r = range();
  var today = utcDay(0);
  $('f-from').value = r.from;
  $('f-to').value = r.to;
  $('f-from').max = today;
  $('f-to').max = today;
  show($('custom'), !p.days);
}

function choosePeriod(value) {
  if (value === 'custom') {
    state.period = range(); // start from what is shown
    store(KEY.period, state.period.from + '/' + state.period.to);
    syncPeriodControls();
    $('f-from').focus();
    return;
  }
  state.period = { days: Number(value) };
  store(KEY.period, value);
  syncPeriodControls();
  loadReport();
}

function customChanged() {
  var from = $('f-from').value;
  var to = $('f-to').value;
  var a = parseDay(from);
  var b = parseDay(to);
  if (isNaN(a) || isNaN(b)) return; // still typing
  if (a > b || (b - a) / DAY_MS + 1 > MAX_DAYS) return showError('dates');
  show($('error'), false);
  state.period = { from: from, to: to };
  store(KEY.period, from + '/' + to);
  loadReport();
}

// ---------------------------------------------------------------- wiring

function signIn(ev) {
  ev.preventDefault();
  var site = $('f-site').value.trim().toLowerCase();
  var token = $('f-token').value.trim();
  var err = null;
  if (!site || !token) err = 'errMissing';
  else if (!/^[a-z0-9-]{1,32}$/.test(site)) err = 'errSiteFormat';
  if (err) {
    $('login-error').textContent = t(err);
    $('login-error').setAttribute('data-error', err);
    show($('login-error'), true);
    return;
  }
  store(KEY.site, site);
  store(KEY.token, token);
  state.report = null;
  showApp();
  show($('report'), false);
  loadReport();
}

function signOut(ev) {
  ev.preventDefault();
  store(KEY.site, null);
  store(KEY.token, null);
  state.report = null;
  if (state.page) setPage(null); // no report is loaded: there are no credentials
  showLogin();
}

function setLanguage(lang) {
  if (lang === currentLang()) return;
  useLang(lang);
  store(KEY.lang, lang);
  applyLanguage();
  var err = $('login-error').getAttribute('data-error');
  if (err) $('login-error').textContent = t(err);
  render();
  renderLive();
  renderAlerts();
  renderGoalSettings();
  applyShared();
  if (!$('error').hidden && state.error) showError(state.error.kind, state.error.message);
}

function start() {
  applyLanguage();
  $('login-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', signOut);
  $('retry').addEventListener('click', loadReport);
  $('csv').addEventListener('click', downloadCsv);
  $('filter-clear').addEventListener('click', function () { setPage(null); });
  window.addEventListener('popstate', function () {
    var page = urlPage();
    if (page === state.page) return;
    state.page = page;
    loadReport();
  });
  $('f-from').addEventListener('change', customChanged);
  $('f-to').addEventListener('change', customChanged);
  [].forEach.call(document.querySelectorAll('[data-period]'), function (b) {
    b.addEventListener('click', function () { choosePeriod(b.getAttribute('data-period')); });
  });
  [].forEach.call(document.querySelectorAll('[data-lang]'), function (b) {
    b.addEventListener('click', function () { setLanguage(b.getAttribute('data-lang')); });
  });
  // After the language listeners above: the Links view re-renders in the language they chose.
  mountLinks({ credentials: function () { return { site: load(KEY.site), token: load(KEY.token) }; }, onAuthError: handleAuthError });
  var width = window.innerWidth;
  var timer;
  window.addEventListener('resize', function () {
    if (window.innerWidth === width) return; // a phone's toolbar showing or hiding
    width = window.innerWidth;
    clearTimeout(timer);
    timer = setTimeout(render, 150);
  });

  // A shared dashboard (#share=<secret>&site=<id>): the secret is this tab's read-only token.
  var share = readShared();
  if (share) {
    store(KEY.site, share.site);
    store(KEY.token, share.secret);
  }
  // ?site=… prefills the form; a different site than the signed-in one needs its own token.
  var urlSite = new URLSearchParams(location.search).get('site');
  if (urlSite && urlSite !== load(KEY.site)) {
    store(KEY.site, null);
    store(KEY.token, null);
  }
  if (load(KEY.site) && load(KEY.token)) {
    showApp();
    show($('report'), false);
    loadReport();
  } else {
    showLogin();
  }
}

start();
