// Goals (issue 21): the report's Goals panel and the page-goal settings.
//
// The panel shows, per goal with an event in the period, its conversions (distinct visitors per
// day), events and value per currency, then the conversions and value by source and by the
// channel of the share that brought the visitor, and the conversion rate of dark social against
// direct and search: conversions ÷ that source's daily visitors (a visitor seen on two days counts
// twice, as a conversion does; one seen through two sources on a day counts in both).
// The settings (beside the webhook) edit the page goals with PATCH /api/sites/{id} and show the
// snippet lines that fire custom goals.
import { $, h, clear, show } from '/stats/dom.js';
import { t, num, channelLabel, currentLang } from '/stats/i18n.js';

/** Value per currency as text, two decimals each: "59.90 EUR · 10.00 USD"; '–' without one. */
function money(value) {
  var keys = Object.keys(value || {});
  if (!keys.length) return '–';
  var format = new Intl.NumberFormat(currentLang(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return keys.map(function (c) { return format.format(value[c]) + ' ' + c; }).join(' · ');
}

function table(id, head, rows, emptyText) {
  var body = rows.length ? rows : [h('tr', null, h('td', { colspan: head.length, class: 'muted', text: emptyText }))];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'goal-table', 'data-table': id }, [
    h('thead', null, h('tr', null, head.map(function (label, i) { return h('th', { scope: 'col', class: i ? 'num' : null, text: label }); }))),
    h('tbody', null, body),
  ]));
}

/** The rates line: dark social against direct and search (none without visitors: a page filter). */
function rates(goal) {
  if (!(goal.rates || []).some(function (r) { return r.visitors; })) return null;
  return h('ul', { class: 'goal-rates' }, (goal.rates || []).map(function (r) {
    var pct = typeof r.rate === 'number' ? num(r.rate * 100, 1) + ' %' : '–';
    return h('li', { 'data-source': r.source, 'data-rate': r.rate === null ? '' : String(r.rate) }, [
      h('span', { class: 'sw src-' + r.source, 'aria-hidden': 'true' }),
      h('span', { text: t('src_' + r.source) + ': ' }),
      h('strong', { text: pct }),
      h('span', { class: 'muted small', text: ' ' + t('g_rate_of', { conversions: num(r.conversions), visitors: num(r.visitors) }) }),
    ]);
  }));
}

function goalBlock(goal) {
  var sources = (goal.sources || []).map(function (s) {
    return h('tr', { 'data-source': s.source }, [h('th', { scope: 'row', text: t('src_' + s.source) }), h('td', { class: 'num', text: num(s.conversions) }), h('td', { class: 'num', text: money(s.value) })]);
  });
  var channels = (goal.channels || []).map(function (c) {
    return h('tr', { 'data-channel': c.channel }, [h('th', { scope: 'row', text: channelLabel(c.channel) }), h('td', { class: 'num', text: num(c.conversions) }), h('td', { class: 'num', text: money(c.value) })]);
  });
  return h('article', { class: 'goal', 'data-goal': goal.name }, [
    h('h3', { class: 'sub', text: goal.name }),
    h('p', { class: 'goal-figures' }, [
      h('strong', { 'data-figure': 'conversions', text: num(goal.conversions) }), ' ' + t('g_conversions') + ' · ',
      h('span', { 'data-figure': 'events', text: num(goal.events) }), ' ' + t('g_events') + ' · ',
      h('span', { 'data-figure': 'value', text: money(goal.value) }),
    ]),
    rates(goal),
    h('div', { class: 'cols' }, [
      h('div', { class: 'col' }, table('sources', [t('g_source'), t('g_conversions'), t('g_value')], sources, t('none'))),
      h('div', { class: 'col' }, table('channels', [t('channel'), t('g_conversions'), t('g_value')], channels, t('g_no_channels'))),
    ]),
  ]);
}

/** Renders the Goals panel of `r` (a /api/stats response) into #goals. */
export function renderGoals(r) {
  var box = $('goals');
  if (!box) return;
  clear(box);
  box.appendChild(h('h2', { id: 'h-goals', text: t('g_title') }));
  box.appendChild(h('p', { class: 'muted small', text: t('g_intro') }));
  var goals = r.goals || [];
  if (!goals.length) {
    box.appendChild(h('p', { class: 'muted', id: 'goals-none', text: t('g_none') }));
    return;
  }
  goals.forEach(function (g) { box.appendChild(goalBlock(g)); });
}

// ---------------------------------------------------------------- page-goal settings

var settings = { creds: null, goals: null, message: null, busy: false };

/** Builds the settings into #goal-settings and loads the site's page goals. */
export function mountGoalSettings(creds) {
  settings = { creds: creds, goals: null, message: null, busy: false };
  renderGoalSettings();
  call('GET').then(function (site) { settings.goals = site.goals || []; renderGoalSettings(); }, fail);
}

function call(method, body) {
  var c = settings.creds();
  var init = { method: method, headers: { Authorization: 'Bearer ' + c.token }, cache: 'no-store' };
  if (body) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch('/api/sites/' + encodeURIComponent(c.site), init).then(function (res) {
    return res.json().catch(function () { return {}; }).then(function (data) {
      if (res.ok) return data;
      throw { status: res.status, message: data.error && data.error.message };
    });
  }, function () { throw { status: 0 }; });
}

function fail(e) {
  settings.busy = false;
  settings.message = { kind: 'error', text: e.status === 0 ? t('al_err_network') : t('g_err', { message: e.message || ('HTTP ' + e.status) }) };
  renderGoalSettings();
}

/** The rows as typed (empty rows dropped). */
function typed() {
  var rows = document.querySelectorAll('#goal-settings .pg-row');
  return Array.prototype.map.call(rows, function (row) {
    return { name: row.querySelector('.pg-name').value.trim(), path: row.querySelector('.pg-path').value.trim() };
  }).filter(function (g) { return g.name || g.path; });
}

function save(ev) {
  ev.preventDefault();
  var goals = typed();
  settings.busy = true;
  settings.message = null;
  renderGoalSettings(goals);
  call('PATCH', { goals: goals }).then(function (site) {
    settings.goals = site.goals || [];
    settings.busy = false;
    settings.message = { kind: 'ok', text: t('g_saved') };
    renderGoalSettings();
  }, function (e) { fail(e); renderGoalSettings(goals); });
}

function row(goal) {
  var remove = h('button', { type: 'button', class: 'secondary mini', text: t('g_remove') });
  var el = h('div', { class: 'pg-row' }, [
    h('input', { class: 'pg-name', 'aria-label': t('g_name'), placeholder: 'signup', maxlength: '64', value: goal.name || '' }),
    h('input', { class: 'pg-path', 'aria-label': t('g_path'), placeholder: '/thanks', maxlength: '512', value: goal.path || '' }),
    remove,
  ]);
  remove.addEventListener('click', function () { el.remove(); });
  return el;
}

/** Renders the settings (rows as given, else as typed, else as loaded) and the lines to copy. */
export function renderGoalSettings(rows) {
  var box = $('goal-settings');
  if (!box) return;
  var list = rows || (document.querySelector('#goal-settings .pg-row') ? typed() : settings.goals || []);
  clear(box);
  box.appendChild(h('h2', { id: 'h-goal-settings', text: t('g_settings') }));
  box.appendChild(h('p', { class: 'muted small', text: t('g_settings_intro') }));
  var rowsBox = h('div', { id: 'pg-rows' }, list.map(row));
  var add = h('button', { type: 'button', class: 'secondary', id: 'pg-add', text: t('g_add') });
  add.addEventListener('click', function () { rowsBox.appendChild(row({})); });
  var form = h('form', { id: 'goal-form', novalidate: 'novalidate' }, [
    h('div', { class: 'pg-head muted small' }, [h('span', { text: t('g_name') }), h('span', { text: t('g_path') })]),
    rowsBox,
    h('div', { class: 'al-actions' }, [add, h('button', { type: 'submit', class: 'primary', id: 'pg-save', text: t('al_save'), disabled: settings.busy ? 'disabled' : null })]),
  ]);
  form.addEventListener('submit', save);
  box.appendChild(form);
  var msg = h('p', { id: 'pg-message', role: 'status', class: settings.message && settings.message.kind === 'error' ? 'alert' : 'al-ok', text: settings.message ? settings.message.text : '' });
  show(msg, !!settings.message);
  box.appendChild(msg);
  var site = settings.creds ? settings.creds().site : 'your-site';
  box.appendChild(h('h3', { class: 'sub', text: t('g_custom') }));
  box.appendChild(h('pre', null, h('code', { id: 'goal-snippet', text: [
    '<!-- ' + t('g_markup') + ' -->',
    '<button data-ds-goal="signup">Sign up</button>',
    '<form data-ds-goal="newsletter">…</form>',
    '<script>darkshare.goal("purchase", { value: 59.9, currency: "EUR" });</script>',
    '',
    '# ' + t('g_server'),
    'curl -X POST ' + location.origin + '/api/goals -H "Authorization: Bearer $STATS_TOKEN" \\',
    '  -d \'{"site": "' + site + '", "name": "purchase", "fp": "<darkshare.fp() of the buyer>", "value": 59.9, "currency": "EUR"}\'',
  ].join('\n') })));
}
