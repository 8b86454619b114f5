// The stats page (GET /stats): asks for a site id and stats token once, keeps them in
// sessionStorage only, and renders GET /api/stats for a period as cards, inline-SVG charts and
// tables, in English or German.
//
// # Layout
// - i18n: the two dictionaries, channel labels, number and date formats
// - state: credentials (sessionStorage), language, period
// - dom helpers: `h()` and `svg()` build elements; text only ever goes in through textContent
// - api: `getJson()` maps a response to data or to one of the error kinds the page shows
// - render: cards, time series, channels, generations, pages, copied texts, empty state
// - flow: sign in / out, load, CSV download, event wiring
//
// Invariants: no string from the API or the URL reaches innerHTML (there is no innerHTML in this
// file); the token is never put in a URL, localStorage or a cookie.
(function () {
  'use strict';

  // ---------------------------------------------------------------- i18n

  var TEXT = {
    en: {
      signOut: 'Sign out', loginTitle: 'Sign in to your stats',
      loginIntro: 'Enter your site id and the stats token you received when the site was registered. They are kept in this browser tab only and forgotten when you close it.',
      siteId: 'Site id', token: 'Stats token', showStats: 'Show stats',
      period: 'Period', d7: '7 days', d30: '30 days', d90: '90 days', custom: 'Custom', from: 'From', to: 'To',
      csv: 'Download CSV', csvBusy: 'Preparing…', retry: 'Try again', totals: 'Totals',
      m_views: 'Page views', m_copies: 'Copies', m_shares: 'Shares', m_clicks: 'Clicks',
      m_dark_clicks: 'Dark-social clicks', m_share_to_click: 'Clicks per share', m_k_factor: 'K-factor',
      t_views: 'Page views counted by the snippet.',
      t_copies: 'Times visitors copied text or the address.',
      t_shares: 'Share links created, plus copied links that brought a visitor.',
      t_clicks: 'People who arrived through a share.',
      t_dark_clicks: 'Clicks from private channels, invisible to normal analytics.',
      t_share_to_click: 'How many clicks an average share brings.',
      t_k_factor: 'New visits each page view brings through sharing; above 1 means viral growth.',
      emptyTitle: 'No data in this period yet',
      emptyIntro: 'darkshare counts as soon as the snippet is on your pages. Add this line to every page, just before </head>:',
      emptyMore: 'Visitors who copy a link or use a share button then carry a fingerprint, and every click back through it shows up here, even from WhatsApp, e-mail or Slack. Try a longer period if you embedded it earlier.',
      overTime: 'Over time', channels: 'Channels',
      channelsIntro: '"Dark social" are arrivals without any referrer: messengers, e-mail apps, copied links.',
      col_views: 'Views', channel: 'Channel', previews: 'Previews',
      generations: 'Reshare depth',
      generationsIntro: 'Depth 1: clicks on an original share. Depth 2: clicks on a reshare by someone who arrived that way, and so on.',
      pages: 'Top pages', page: 'Page', copied: 'Most copied texts',
      none: 'Nothing yet in this period.', noCopies: 'No copies in this period.',
      loading: 'Loading…', reportFor: 'Report for {site}: {from} – {to}',
      errToken: 'This token is not valid. Please enter it again.',
      errMissing: 'Please enter the site id and the stats token.',
      errSiteFormat: 'A site id has 1–32 lowercase letters, digits or dashes.',
      errWrongSite: 'This token belongs to another site. Check the site id or use the token of this site.',
      errUnknownSite: 'There is no site with this id.',
      errNetwork: 'The stats could not be loaded: the server is not reachable. Check your connection.',
      errServer: 'The stats could not be loaded ({message}).',
      errDates: 'Choose a start date on or before the end date, at most 400 days apart.',
      chartTime: '{days} days from {from} to {to}: {shares} shares, {clicks} clicks, {dark} of them dark social. Most clicks on {peak} ({peakClicks}).',
      chartTimeEmpty: '{days} days from {from} to {to}: no shares or clicks.',
      chartGen: 'Clicks by reshare depth: {list}.', depth: 'Depth {n}', depthShort: '{n}',
      clicksOn: '{value} clicks at depth {n}',
    },
    de: {
      signOut: 'Abmelden', loginTitle: 'Anmelden zu Ihren Statistiken',
      loginIntro: 'Geben Sie die Site-ID und das Statistik-Token ein, das Sie bei der Registrierung der Website erhalten haben. Beides bleibt nur in diesem Browser-Tab und wird beim Schließen vergessen.',
      siteId: 'Site-ID', token: 'Statistik-Token', showStats: 'Statistik anzeigen',
      period: 'Zeitraum', d7: '7 Tage', d30: '30 Tage', d90: '90 Tage', custom: 'Eigener', from: 'Von', to: 'Bis',
      csv: 'CSV herunterladen', csvBusy: 'Wird erstellt…', retry: 'Erneut versuchen', totals: 'Summen',
      m_views: 'Seitenaufrufe', m_copies: 'Kopien', m_shares: 'Shares', m_clicks: 'Klicks',
      m_dark_clicks: 'Dark-Social-Klicks', m_share_to_click: 'Klicks pro Share', m_k_factor: 'K-Faktor',
      t_views: 'Vom Snippet gezählte Seitenaufrufe.',
      t_copies: 'Wie oft Besucher Text oder die Adresse kopiert haben.',
      t_shares: 'Erstellte Share-Links plus kopierte Links, die Besucher gebracht haben.',
      t_clicks: 'Personen, die über einen Share gekommen sind.',
      t_dark_clicks: 'Klicks aus privaten Kanälen, für normale Analytics unsichtbar.',
      t_share_to_click: 'Wie viele Klicks ein Share im Schnitt bringt.',
      t_k_factor: 'Neue Besuche, die jeder Seitenaufruf durch Teilen bringt; über 1 heißt virales Wachstum.',
      emptyTitle: 'Noch keine Daten in diesem Zeitraum',
      emptyIntro: 'darkshare zählt, sobald das Snippet auf Ihren Seiten ist. Fügen Sie diese Zeile in jede Seite ein, direkt vor </head>:',
      emptyMore: 'Besucher, die einen Link kopieren oder einen Teilen-Button nutzen, tragen dann einen Fingerabdruck, und jeder Klick darüber erscheint hier, auch aus WhatsApp, E-Mail oder Slack. Wählen Sie einen längeren Zeitraum, falls Sie es früher eingebunden haben.',
      overTime: 'Im Zeitverlauf', channels: 'Kanäle',
      channelsIntro: '„Dark Social“ sind Besuche ohne Referrer: Messenger, E-Mail-Apps, kopierte Links.',
      col_views: 'Aufrufe', channel: 'Kanal', previews: 'Vorschauen',
      generations: 'Weiterteilungs-Tiefe',
      generationsIntro: 'Tiefe 1: Klicks auf einen ursprünglichen Share. Tiefe 2: Klicks auf das Weiterteilen von jemandem, der so gekommen ist, und so weiter.',
      pages: 'Top-Seiten', page: 'Seite', copied: 'Am häufigsten kopiert',
      none: 'In diesem Zeitraum noch nichts.', noCopies: 'Keine Kopien in diesem Zeitraum.',
      loading: 'Wird geladen…', reportFor: 'Bericht für {site}: {from} – {to}',
      errToken: 'Dieses Token ist nicht gültig. Bitte geben Sie es erneut ein.',
      errMissing: 'Bitte geben Sie Site-ID und Statistik-Token ein.',
      errSiteFormat: 'Eine Site-ID hat 1–32 Kleinbuchstaben, Ziffern oder Bindestriche.',
      errWrongSite: 'Dieses Token gehört zu einer anderen Website. Prüfen Sie die Site-ID oder nutzen Sie das Token dieser Website.',
      errUnknownSite: 'Es gibt keine Website mit dieser ID.',
      errNetwork: 'Die Statistik konnte nicht geladen werden: Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung.',
      errServer: 'Die Statistik konnte nicht geladen werden ({message}).',
      errDates: 'Wählen Sie ein Startdatum vor oder gleich dem Enddatum, höchstens 400 Tage auseinander.',
      chartTime: '{days} Tage von {from} bis {to}: {shares} Shares, {clicks} Klicks, davon {dark} Dark Social. Meiste Klicks am {peak} ({peakClicks}).',
      chartTimeEmpty: '{days} Tage von {from} bis {to}: keine Shares oder Klicks.',
      chartGen: 'Klicks nach Weiterteilungs-Tiefe: {list}.', depth: 'Tiefe {n}', depthShort: '{n}',
      clicksOn: '{value} Klicks in Tiefe {n}',
    },
  };

  // Channel ids of the API contract → what a marketer reads. Unknown ids are shown as they are.
  var CHANNELS = {
    whatsapp: 'WhatsApp', telegram: 'Telegram', signal: 'Signal', messenger: 'Messenger', sms: 'SMS',
    slack: 'Slack', discord: 'Discord', teams: 'Microsoft Teams', line: 'LINE', wechat: 'WeChat',
    linkedin: 'LinkedIn', x: 'X (Twitter)', facebook: 'Facebook', reddit: 'Reddit',
  };
  var CHANNELS_BY_LANG = {
    en: { email: 'E-mail', copy: 'Copied link', native: 'Share menu (device)', other: 'Other',
      dark: 'Dark social (unknown)', web: 'Public web' },
    de: { email: 'E-Mail', copy: 'Kopierter Link', native: 'Teilen-Menü (Gerät)', other: 'Sonstige',
      dark: 'Dark Social (unbekannt)', web: 'Öffentliches Web' },
  };
  var LOCALES = { en: 'en-GB', de: 'de-DE' };

  var KEY = { site: 'darkshare.site', token: 'darkshare.token', lang: 'darkshare.lang', period: 'darkshare.period' };
  var DAY_MS = 86400000;
  var MAX_DAYS = 400;

  // ---------------------------------------------------------------- state

  var state = {
    lang: pickLanguage(),
    period: readPeriod(), // {days: 7|30|90} or {from, to}
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

  /** Today's date in UTC as YYYY-MM-DD, moved by `offset` days. */
  function utcDay(offset) {
    return new Date(Date.now() + (offset || 0) * DAY_MS).toISOString().slice(0, 10);
  }
  function parseDay(s) {
    return /^\d{4}-\d{2}-\d{2}$/.test(s || '') ? Date.parse(s + 'T00:00:00Z') : NaN;
  }

  /** The period as from/to: "7 days" is today (UTC) and the 6 days before. */
  function range() {
    if (state.period.days) return { from: utcDay(1 - state.period.days), to: utcDay(0) };
    return { from: state.period.from, to: state.period.to };
  }

  function t(key, vars) {
    var s = TEXT[state.lang][key];
    if (s === undefined) s = TEXT.en[key];
    return s.replace(/\{(\w+)\}/g, function (_, k) { return vars && k in vars ? String(vars[k]) : ''; });
  }

  var own = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };

  /** A channel id of the API as a label; an id this page does not know is shown as it came. */
  function channelLabel(id) {
    return own(CHANNELS, id) ? CHANNELS[id] : own(CHANNELS_BY_LANG[state.lang], id) ? CHANNELS_BY_LANG[state.lang][id] : String(id);
  }

  /** The browser's own locale when it speaks the chosen language (de-AT, en-US…), else a default. */
  function locale() {
    var nav = navigator.language || '';
    return nav.toLowerCase().indexOf(state.lang) === 0 ? nav : LOCALES[state.lang];
  }

  function num(n, maxFraction) {
    if (n === null || n === undefined || typeof n !== 'number' || !isFinite(n)) return '–';
    return new Intl.NumberFormat(locale(), { maximumFractionDigits: maxFraction || 0 }).format(n);
  }

  function date(s, style) {
    var ms = parseDay(s);
    if (isNaN(ms)) return String(s);
    var opts = style === 'short' ? { day: 'numeric', month: 'short' }
      : style === 'long' ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }
        : { day: 'numeric', month: 'short', year: 'numeric' };
    opts.timeZone = 'UTC';
    return new Intl.DateTimeFormat(locale(), opts).format(new Date(ms));
  }

  // ---------------------------------------------------------------- dom helpers

  var $ = function (id) { return document.getElementById(id); };

  /** An HTML element; `children` are nodes or strings (strings become text nodes, never markup). */
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, children) {
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
  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }
  function show(el, visible) { el.hidden = !visible; }

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
    return '?site=' + encodeURIComponent(site) + '&from=' + r.from + '&to=' + r.to;
  }

  // ---------------------------------------------------------------- render: static labels

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    [].forEach.call(document.querySelectorAll('[data-i18n]'), function (el) {
      el.textContent = t(el.getAttribute('data-i18n'));
    });
    [].forEach.call(document.querySelectorAll('[data-i18n-label]'), function (el) {
      el.setAttribute('aria-label', t(el.getAttribute('data-i18n-label')));
    });
    [].forEach.call(document.querySelectorAll('[data-card]'), function (card) {
      card.title = t('t_' + card.getAttribute('data-card'));
    });
    [].forEach.call(document.querySelectorAll('[data-lang]'), function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === state.lang));
    });
    document.title = state.lang === 'de' ? 'darkshare Statistik' : 'darkshare stats';
  }

  // ---------------------------------------------------------------- render: the report

  var METRICS = ['views', 'copies', 'shares', 'clicks', 'dark_clicks', 'share_to_click', 'k_factor'];
  var RATIOS = { share_to_click: true, k_factor: true };

  function render() {
    var r = state.report;
    if (!r) return;
    var site = load(KEY.site) || r.site;
    $('range').textContent = t('reportFor', { site: site, from: date(r.from), to: date(r.to) });

    var totals = r.totals || {};
    METRICS.forEach(function (m) {
      var value = m === 'k_factor' ? r.k_factor : totals[m];
      var el = document.querySelector('[data-metric="' + m + '"]');
      el.textContent = num(value, RATIOS[m] ? 2 : 0);
      el.setAttribute('data-value', typeof value === 'number' ? String(value) : '');
    });

    var empty = !(totals.views || totals.copies || totals.shares || totals.clicks || totals.previews);
    show($('empty'), empty);
    show($('details'), !empty);
    if (empty) {
      $('snippet-code').textContent = '<script async src="' + location.origin + '/ds.js" data-site="' + site + '"></script>';
      return;
    }
    renderTimeseries(r.timeseries || []);
    renderChannels(r.channels || []);
    renderGenerations(r.generations || []);
    renderPages(r.pages || []);
    renderCopied(r.copied_texts || []);
  }

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

  function renderTimeseries(days) {
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

  function renderGenerations(gens) {
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

  function emptyRow(tbody, cols, text) {
    tbody.appendChild(h('tr', null, h('td', { colspan: cols, class: 'muted', text: text })));
  }

  function renderChannels(rows) {
    var tbody = clear($('channels').tBodies[0]);
    if (!rows.length) return emptyRow(tbody, 4, t('none'));
    var total = rows.reduce(function (a, c) { return a + (c.clicks || 0); }, 0);
    var max = Math.max.apply(null, rows.map(function (c) { return c.clicks || 0; }));
    rows.forEach(function (c) {
      var known = own(CHANNELS, c.channel) || own(CHANNELS_BY_LANG.en, c.channel);
      // The bar under the name: this channel's clicks against the busiest channel's.
      var bar = h('span', { class: 'inline-bar' });
      bar.style.width = (max ? ((c.clicks || 0) / max) * 100 : 0).toFixed(1) + '%';
      var share = total ? num(((c.clicks || 0) / total) * 100, 1) + ' %' : '';
      tbody.appendChild(h('tr', { 'data-channel': c.channel, class: c.channel === 'dark' ? 'is-dark' : null }, [
        h('th', { scope: 'row' }, [
          h('span', { class: 'ch-name' }, [h('span', { class: 'dot ch-' + (known ? c.channel : 'other') }), channelLabel(c.channel)]),
          h('span', { class: 'bar-track', title: share, 'aria-hidden': 'true' }, bar),
        ]),
        h('td', { class: 'num', text: num(c.shares) }),
        h('td', { class: 'num', text: num(c.clicks) }),
        h('td', { class: 'num', text: num(c.previews) }),
      ]));
    });
  }

  /** A page URL shown without its scheme; a link only when it is http(s). */
  function pageCell(url) {
    var text = String(url).replace(/^https?:\/\//, '');
    if (/^https?:\/\//i.test(url)) {
      return h('a', { href: url, title: url, target: '_blank', rel: 'noopener noreferrer', text: text });
    }
    return h('span', { title: url, text: text });
  }

  function renderPages(rows) {
    var tbody = clear($('pages').tBodies[0]);
    if (!rows.length) return emptyRow(tbody, 4, t('none'));
    rows.forEach(function (p) {
      tbody.appendChild(h('tr', null, [
        h('td', { class: 'url' }, pageCell(p.url)),
        h('td', { class: 'num', text: num(p.views) }),
        h('td', { class: 'num', text: num(p.shares) }),
        h('td', { class: 'num', text: num(p.clicks) }),
      ]));
    });
  }

  function renderCopied(rows) {
    var list = clear($('copied'));
    if (!rows.length) {
      list.appendChild(h('li', { class: 'muted none', text: t('noCopies') }));
      return;
    }
    rows.forEach(function (c) {
      list.appendChild(h('li', null, [
        h('q', { class: 'copied-text', text: c.text }),
        h('span', { class: 'count', text: '× ' + num(c.copies) }),
      ]));
    });
  }

  // ---------------------------------------------------------------- flow

  function showLogin(errorKey) {
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
    show($('error'), false);
    setStatus(t('loading'));
    $('report').classList.add('is-loading');
    $('main').setAttribute('aria-busy', 'true');
    request('/api/stats' + query(site, r), token)
      .then(function (res) { return res.json(); })
      .then(function (report) {
        if (seq !== state.seq) return;
        state.report = report;
        show($('report'), true);
        render();
      }, function (e) {
        if (seq !== state.seq) return;
        if (!e || !e.kind) e = { kind: 'server', message: String(e && e.message || e) };
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
    showLogin();
  }

  function setLanguage(lang) {
    if (lang === state.lang) return;
    state.lang = lang;
    store(KEY.lang, lang);
    applyLanguage();
    var err = $('login-error').getAttribute('data-error');
    if (err) $('login-error').textContent = t(err);
    render();
    if (!$('error').hidden && state.error) showError(state.error.kind, state.error.message);
  }

  function start() {
    applyLanguage();
    $('login-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', signOut);
    $('retry').addEventListener('click', loadReport);
    $('csv').addEventListener('click', downloadCsv);
    $('f-from').addEventListener('change', customChanged);
    $('f-to').addEventListener('change', customChanged);
    [].forEach.call(document.querySelectorAll('[data-period]'), function (b) {
      b.addEventListener('click', function () { choosePeriod(b.getAttribute('data-period')); });
    });
    [].forEach.call(document.querySelectorAll('[data-lang]'), function (b) {
      b.addEventListener('click', function () { setLanguage(b.getAttribute('data-lang')); });
    });
    var width = window.innerWidth;
    var timer;
    window.addEventListener('resize', function () {
      if (window.innerWidth === width) return; // a phone's toolbar showing or hiding
      width = window.innerWidth;
      clearTimeout(timer);
      timer = setTimeout(render, 150);
    });

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
}());
