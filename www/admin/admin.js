// The console page (GET /admin): the admin token typed once (sessionStorage only, never a cookie or
// a URL), then every site's life: register, edit name and hosts, the install check per host, the
// snippet tag to copy, token rotation (the new token shown once), shared dashboards (made, listed
// without their secrets, revoked) and deletion after typing the site's id.
//
// # Layout
// - /stats/dom.js: `h()` builds elements; text only ever goes in through textContent
// - /admin/i18n.js: English and German, dates
// - here: state, `call()` (the API; a 401 sends the page back to sign-in), the site list, the site
//   panel, wiring
//
// Invariants: no string from the API reaches innerHTML (there is none here); the admin token is
// only in sessionStorage and the Authorization header; secrets shown once live only in the DOM.
import { $, h, clear, show } from '/stats/dom.js';
import { t, useLang, currentLang, applyLanguage, when } from '/admin/i18n.js';

var KEY = { token: 'darkshare.admin', lang: 'darkshare.lang' };
var state = { sites: [], site: null, shared: [], once: null, message: null };

function store(key, value) {
  try {
    if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value);
  } catch (e) { /* storage disabled: this load still works */ }
}
function load(key) {
  try { return sessionStorage.getItem(key); } catch (e) { return null; }
}

// ---------------------------------------------------------------- api

/** Calls the console API with the admin token; resolves with the JSON answer (null for 204) or
 *  rejects with {status, code, message}. A 401 forgets the token and shows the sign-in form. */
function call(method, path, body) {
  var init = { method: method, headers: { Authorization: 'Bearer ' + (load(KEY.token) || '') }, cache: 'no-store' };
  if (body) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(path, init).then(function (res) {
    if (res.status === 204) return null;
    return res.json().catch(function () { return {}; }).then(function (data) {
      if (res.ok) return data;
      var e = { status: res.status, code: data.error && data.error.code, message: (data.error && data.error.message) || 'HTTP ' + res.status };
      // The sign-in form says it; no notice above the lists.
      if (res.status === 401) { store(KEY.token, null); showLogin('errToken'); e.shown = true; }
      throw e;
    });
  }, function () { throw { status: 0, message: t('errNetwork') }; });
}

function sitePath(id, rest) {
  return '/api/sites/' + encodeURIComponent(id) + (rest || '');
}

/** Shows an error (or a notice) above the lists. */
function notify(e, ok) {
  var box = $('notice');
  if (!e || e.shown) { show(box, false); return; }
  box.textContent = ok ? e : e.status === 0 ? t('errNetwork') : t('errServer', { message: e.message });
  box.className = ok ? 'al-ok' : 'alert';
  show(box, true);
}

// ---------------------------------------------------------------- site list

function loadSites() {
  return call('GET', '/api/sites').then(function (data) {
    state.sites = data.sites;
    renderSites();
  }, notify);
}

function renderSites() {
  var body = clear($('sites').tBodies[0]);
  state.sites.forEach(function (s) {
    body.appendChild(h('tr', { 'data-site': s.id }, [
      h('th', { scope: 'row' }, [h('strong', { text: s.id }), h('br'), h('span', { class: 'muted small', text: s.name })]),
      h('td', { class: 'url', text: s.hosts.join(', ') }),
      h('td', { text: when(s.last_view_at, t('never')) }),
      h('td', {}, h('button', { type: 'button', class: 'secondary mini', 'data-open': s.id, text: t('open') })),
    ]));
  });
  show($('sites-empty'), state.sites.length === 0);
}

// ---------------------------------------------------------------- one site

function openSite(id) {
  state.once = null;
  state.message = null;
  return Promise.all([call('GET', sitePath(id)), call('GET', sitePath(id, '/shared-links'))]).then(function (r) {
    state.site = r[0];
    state.shared = r[1].shared_links;
    renderSite();
    $('site').scrollIntoView({ block: 'start' });
  }, notify);
}

/** A box with a secret shown once, and a button copying it. */
function onceBox(intro, value, id) {
  return h('div', { class: 'once', role: 'status' }, [
    h('p', { text: intro }),
    h('p', {}, h('code', { id: id, text: value })),
    copyButton(value),
  ]);
}

function copyButton(value) {
  var b = h('button', { type: 'button', class: 'secondary mini', text: t('copy') });
  b.addEventListener('click', function () {
    navigator.clipboard.writeText(value).then(function () { b.textContent = t('copied'); }, function () {});
  });
  return b;
}

function renderSite() {
  var box = $('site');
  var s = state.site;
  clear(box);
  if (!s) { show(box, false); return; }
  show(box, true);
  var seen = s.seen_hosts || [];
  var tag = '<script async src="' + location.origin + '/ds.js" data-site="' + s.id + '"></script>';
  box.appendChild(h('div', { class: 'panel-head' }, [
    h('h2', { id: 'h-site', text: s.name + ' (' + s.id + ')' }),
    h('a', { href: '/stats?site=' + encodeURIComponent(s.id), text: t('statsLink') }),
  ]));
  box.appendChild(h('p', { class: 'muted small', text: t('created', { date: when(s.created_at, '–') }) + ' · ' + t('lastView') + ': ' + when(s.last_view_at, t('never')) }));
  if (state.message) box.appendChild(h('p', { class: 'al-ok', role: 'status', text: state.message }));

  // Install check: a host is green when a view from it was counted in the last 7 days.
  box.appendChild(h('h3', { class: 'sub-h', text: t('installTitle') }));
  box.appendChild(h('p', { class: 'muted small', text: t('installIntro') }));
  box.appendChild(h('ul', { class: 'hosts-check', id: 'install' }, s.hosts.map(function (host) {
    var ok = seen.indexOf(host) >= 0 || (host.indexOf('*.') === 0 && seen.some(function (x) { return x.slice(-host.length + 1) === host.slice(1); }));
    return h('li', { 'data-host': host, 'data-seen': String(ok) }, [
      h('span', { class: 'state ' + (ok ? 'seen' : 'unseen'), text: ok ? '● ' + t('seen') : '○ ' + t('unseen') }),
      h('span', { text: host }),
    ]);
  })));
  var again = h('button', { type: 'button', class: 'secondary mini', id: 'check-again', text: t('checkAgain') });
  again.addEventListener('click', function () { openSite(s.id); loadSites(); });
  box.appendChild(again);

  // The snippet tag.
  box.appendChild(h('h3', { class: 'sub-h', text: t('snippetTitle') }));
  box.appendChild(h('p', { class: 'muted small', text: t('snippetIntro') }));
  box.appendChild(h('pre', { class: 'tag' }, h('code', { id: 'snippet-tag', text: tag })));
  box.appendChild(copyButton(tag));

  // Name and hosts (admin only).
  box.appendChild(h('h3', { class: 'sub-h', text: t('editTitle') }));
  var edit = h('form', { class: 'admin-form', id: 'edit-site', novalidate: 'novalidate' }, [
    h('label', { for: 'e-name', text: t('name') }),
    h('input', { id: 'e-name', maxlength: '100' }),
    h('label', { for: 'e-hosts', text: t('hostsHelp') }),
    h('textarea', { id: 'e-hosts', rows: '3', spellcheck: 'false', autocapitalize: 'none' }),
    h('button', { type: 'submit', class: 'primary', text: t('save') }),
  ]);
  box.appendChild(edit);
  $('e-name').value = s.name;
  $('e-hosts').value = s.hosts.join('\n');
  edit.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var hosts = lines($('e-hosts').value);
    if (!hosts.length) return notify({ status: 400, message: t('errHosts') });
    call('PATCH', sitePath(s.id), { name: $('e-name').value.trim(), hosts: hosts }).then(function (site) {
      state.site = site;
      state.message = t('saved');
      notify(null);
      renderSite();
      loadSites();
    }, notify);
  });

  // The stats token.
  box.appendChild(h('h3', { class: 'sub-h', text: t('tokenTitle') }));
  box.appendChild(h('p', { class: 'muted small', text: t('tokenIntro') }));
  var rotate = h('button', { type: 'button', class: 'secondary', id: 'rotate', text: t('rotate') });
  rotate.addEventListener('click', function () {
    if (!window.confirm(t('rotateConfirm', { id: s.id }))) return;
    call('POST', sitePath(s.id, '/token')).then(function (r) {
      state.once = { kind: 'token', value: r.stats_token };
      renderSite();
    }, notify);
  });
  box.appendChild(rotate);
  if (state.once && state.once.kind === 'token') box.appendChild(onceBox(t('newToken'), state.once.value, 'new-token'));

  // Shared dashboards.
  box.appendChild(h('h3', { class: 'sub-h', text: t('sharedTitle') }));
  box.appendChild(h('p', { class: 'muted small', text: t('sharedIntro') }));
  var make = h('form', { class: 'row', id: 'shared-form', novalidate: 'novalidate' }, [
    h('input', { id: 's-label', maxlength: '100', placeholder: t('label'), 'aria-label': t('label') }),
    h('button', { type: 'submit', class: 'secondary', text: t('createShared') }),
  ]);
  make.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var label = $('s-label').value.trim();
    call('POST', sitePath(s.id, '/shared-links'), label ? { label: label } : {}).then(function (link) {
      state.once = { kind: 'shared', value: link.url };
      return call('GET', sitePath(s.id, '/shared-links'));
    }).then(function (r) {
      state.shared = r.shared_links;
      renderSite();
    }, notify);
  });
  box.appendChild(make);
  if (state.once && state.once.kind === 'shared') box.appendChild(onceBox(t('sharedUrl'), state.once.value, 'shared-url'));
  box.appendChild(state.shared.length ? h('ul', { class: 'hosts-check', id: 'shared-list' }, state.shared.map(function (l) {
    var b = h('button', { type: 'button', class: 'secondary mini', 'data-revoke': l.id, text: t('revoke') });
    b.addEventListener('click', function () {
      call('DELETE', sitePath(s.id, '/shared-links/' + encodeURIComponent(l.id))).then(function () {
        state.shared = state.shared.filter(function (x) { return x.id !== l.id; });
        state.once = null;
        renderSite();
      }, notify);
    });
    return h('li', { 'data-shared': l.id }, [h('span', { text: l.label || l.id }), h('span', { class: 'muted small', text: when(l.created_at, '') }), b]);
  })) : h('p', { class: 'muted small', id: 'shared-list', text: t('noShared') }));

  // Delete, after typing the id.
  var danger = h('div', { class: 'once danger' }, [
    h('h3', { class: 'sub-h', text: t('deleteTitle') }),
    h('p', { class: 'small', text: t('deleteIntro') }),
  ]);
  var confirmId = h('input', { id: 'd-confirm', autocapitalize: 'none', spellcheck: 'false', placeholder: s.id, 'aria-label': t('siteId') });
  var del = h('button', { type: 'button', class: 'danger-btn', id: 'delete', disabled: 'disabled', text: t('deleteBtn') });
  confirmId.addEventListener('input', function () { del.disabled = confirmId.value.trim() !== s.id; });
  del.addEventListener('click', function () {
    if (confirmId.value.trim() !== s.id) return;
    call('DELETE', sitePath(s.id)).then(function () {
      state.site = null;
      renderSite();
      notify(t('deleted', { id: s.id }), true);
      loadSites();
    }, notify);
  });
  danger.appendChild(h('div', { class: 'row' }, [confirmId, del]));
  box.appendChild(danger);
}

function lines(text) {
  return text.split(/[\s,]+/).map(function (x) { return x.trim(); }).filter(Boolean);
}

// ---------------------------------------------------------------- register

function register(ev) {
  ev.preventDefault();
  var id = $('n-id').value.trim().toLowerCase();
  var hosts = lines($('n-hosts').value);
  var err = !/^[a-z0-9-]{1,32}$/.test(id) ? 'errSiteFormat' : !hosts.length ? 'errHosts' : null;
  $('new-error').textContent = err ? t(err) : '';
  show($('new-error'), !!err);
  if (err) return;
  var body = { id: id, hosts: hosts };
  if ($('n-name').value.trim()) body.name = $('n-name').value.trim();
  call('POST', '/api/sites', body).then(function (site) {
    $('new-site').reset();
    return loadSites().then(function () { return openSite(site.id); }).then(function () {
      // Shown once: the site's stats token, from the registration's answer.
      state.once = { kind: 'token', value: site.stats_token };
      state.message = t('createdToken', { id: site.id });
      renderSite();
    });
  }, function (e) {
    $('new-error').textContent = e.status === 0 ? t('errNetwork') : t('errServer', { message: e.message });
    show($('new-error'), true);
  });
}

// ---------------------------------------------------------------- flow

function showLogin(errorKey) {
  show($('app'), false);
  show($('signout'), false);
  show($('login'), true);
  var err = $('login-error');
  err.textContent = errorKey ? t(errorKey) : '';
  err.setAttribute('data-error', errorKey || '');
  show(err, !!errorKey);
  $('f-admin').value = '';
  $('f-admin').focus();
}

function showApp() {
  show($('login'), false);
  show($('app'), true);
  show($('signout'), true);
  notify(null);
  loadSites();
}

function start() {
  var saved = load(KEY.lang);
  useLang(saved || (/^de\b/i.test(navigator.language || '') ? 'de' : 'en'));
  applyLanguage();
  $('login-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var token = $('f-admin').value.trim();
    if (!token) return showLogin('errMissing');
    store(KEY.token, token);
    showApp();
  });
  $('signout').addEventListener('click', function (ev) {
    ev.preventDefault();
    store(KEY.token, null);
    state.site = null;
    renderSite();
    showLogin();
  });
  $('refresh').addEventListener('click', loadSites);
  $('new-site').addEventListener('submit', register);
  $('sites').addEventListener('click', function (ev) {
    var b = ev.target.closest('[data-open]');
    if (b) openSite(b.getAttribute('data-open'));
  });
  [].forEach.call(document.querySelectorAll('[data-lang]'), function (b) {
    b.addEventListener('click', function () {
      useLang(b.getAttribute('data-lang'));
      store(KEY.lang, currentLang());
      applyLanguage();
      var err = $('login-error').getAttribute('data-error');
      if (err) $('login-error').textContent = t(err);
      renderSites();
      renderSite();
    });
  });
  if (load(KEY.token)) showApp(); else showLogin();
}

start();
