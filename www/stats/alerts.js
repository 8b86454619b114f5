// Webhook settings for viral alerts: the URL (https://, or http://localhost for development) and
// the threshold (clicks through shares per hour per page), saved with PATCH /api/sites/{id}; the
// secret that signs alerts is shown once, right after the first save; a test button sends one
// signed example alert at once (POST /api/sites/{id}/webhook/test) and says what the receiver
// answered.
import { $, h, clear, show } from '/stats/dom.js';
import { t } from '/stats/i18n.js';

var alerts = { creds: null, site: null, message: null, secret: null, busy: false };

/** Builds the form into #alerts and loads the site's settings. */
export function mountAlerts(creds) {
  alerts = { creds: creds, site: null, message: null, secret: null, busy: false };
  renderAlerts();
  call('GET', '').then(function (site) { alerts.site = site; renderAlerts(); }, fail);
}

function call(method, suffix, body) {
  var c = alerts.creds();
  var init = { method: method, headers: { Authorization: 'Bearer ' + c.token }, cache: 'no-store' };
  if (body) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch('/api/sites/' + encodeURIComponent(c.site) + suffix, init).then(function (res) {
    return res.json().catch(function () { return {}; }).then(function (data) {
      if (res.ok) return data;
      throw { status: res.status, code: data.error && data.error.code, message: data.error && data.error.message };
    });
  }, function () { throw { status: 0 }; });
}

function fail(e) {
  var key = e.status === 0 ? 'al_err_network' : e.code === 'no_webhook' ? 'al_err_none' : e.status === 400 ? 'al_err_bad' : 'al_err_server';
  alerts.message = { kind: 'error', text: t(key, { message: e.message || ('HTTP ' + e.status) }) };
  alerts.busy = false;
  renderAlerts();
}

function save(ev) {
  ev.preventDefault();
  var url = $('al-url').value.trim();
  var n = Number($('al-threshold').value);
  if (!(n >= 1 && Math.floor(n) === n)) return fail({ status: 400, message: t('al_err_threshold') });
  alerts.busy = true;
  alerts.message = null;
  renderAlerts();
  call('PATCH', '', { webhook: url || null, alert_clicks_per_hour: n }).then(function (site) {
    alerts.site = site;
    alerts.secret = site.webhook_secret || alerts.secret;
    alerts.busy = false;
    alerts.message = { kind: 'ok', text: t(site.webhook ? 'al_saved' : 'al_off') };
    renderAlerts();
  }, fail);
}

function test() {
  alerts.busy = true;
  alerts.message = null;
  renderAlerts();
  call('POST', '/webhook/test').then(function (r) {
    alerts.busy = false;
    alerts.message = r.delivered ? { kind: 'ok', text: t('al_test_ok', { status: r.status }) }
      : { kind: 'error', text: r.status ? t('al_test_status', { status: r.status }) : t('al_test_unreachable') };
    renderAlerts();
  }, fail);
}

/** Renders the form from the loaded settings, in the current language (values typed are kept). */
export function renderAlerts() {
  var box = $('alerts');
  if (!box) return;
  var typed = $('al-url') ? { url: $('al-url').value, n: $('al-threshold').value } : null;
  var site = alerts.site || {};
  clear(box);
  box.appendChild(h('h2', { id: 'h-alerts', text: t('al_title') }));
  box.appendChild(h('p', { class: 'muted small', text: t('al_intro') }));
  var form = h('form', { id: 'alerts-form', class: 'alerts-form', novalidate: 'novalidate' }, [
    h('label', { for: 'al-url', text: t('al_url') }),
    h('input', { id: 'al-url', type: 'url', inputmode: 'url', spellcheck: 'false', placeholder: 'https://hooks.slack.com/services/…', maxlength: '2048' }),
    h('label', { for: 'al-threshold', text: t('al_threshold') }),
    h('input', { id: 'al-threshold', type: 'number', min: '1', step: '1' }),
    h('div', { class: 'al-actions' }, [
      h('button', { type: 'submit', class: 'primary', id: 'al-save', text: t('al_save'), disabled: alerts.busy ? 'disabled' : null }),
      h('button', { type: 'button', class: 'secondary', id: 'al-test', text: t('al_test'), disabled: alerts.busy || !site.webhook ? 'disabled' : null }),
    ]),
  ]);
  box.appendChild(form);
  $('al-url').value = typed ? typed.url : site.webhook || '';
  $('al-threshold').value = typed ? typed.n : String(site.alert_clicks_per_hour || 50);
  form.addEventListener('submit', save);
  $('al-test').addEventListener('click', test);
  var msg = h('p', { id: 'al-message', role: 'status', class: alerts.message && alerts.message.kind === 'error' ? 'alert' : 'al-ok',
    'data-kind': alerts.message ? alerts.message.kind : '', text: alerts.message ? alerts.message.text : '' });
  show(msg, !!alerts.message);
  box.appendChild(msg);
  if (alerts.secret) {
    box.appendChild(h('div', { class: 'al-secret', id: 'al-secret' }, [
      h('p', { text: t('al_secret') }),
      h('code', { id: 'al-secret-value', text: alerts.secret }),
      h('p', { class: 'muted small', text: t('al_secret_how') }),
    ]));
  }
}
