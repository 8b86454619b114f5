// i18n for the stats page: the English and German dictionaries, channel labels, number and date
// formats, the current language, and the static labels of stats.html (data-i18n attributes).
// The language lives here (not in the entry's state) because every format depends on it.

const TEXT = {
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
    cascades: 'Cascades',
    viralityIntro: 'Each cascade is the tree of people who arrived through one original share and shared it on. Structural virality is the average number of steps between two people in the tree: about 1 ≈ a broadcast (one share, many direct clicks), higher = it travelled from person to person.',
    noCascades: 'No cascade had a click in this period.', drawCascade: 'Draw this cascade',
    size: 'People', depthCol: 'Depth', virality: 'Virality', days: 'Days', depthAxis: 'Depth',
    keySharers: 'Key sharers', sharer: 'Sharer (anonymous)', reach: 'Reach',
    keySharersIntro: 'The people whose shares carried furthest: reach counts every click in their subtree, clicks only those directly on their shares. Ids are random and name nobody.',
    root: 'Original share', rootTip: 'Original share {id}, first click {day}',
    nodeTip: '{id}: depth {depth}, via {channel}, {day}',
    chartCascade: 'Cascade of {url}: {size} people, depth {depth}, structural virality {virality}; {shown} drawn.',
    cascadeSummary: '{size} people, depth {depth}, structural virality {virality}.',
    cascadeTruncated: '{size} people, depth {depth}, structural virality {virality}. The first {shown} (level by level) are drawn.',
    // Links view (stats/links.js)
    views: 'Views', viewReport: 'Report', viewLinks: 'Links', lNew: 'New link', lUrl: 'Page on your site',
    lSlug: 'Custom slug (optional)', lExpires: 'Expires (optional, your time)', lTitle: 'Title for link previews (optional)',
    lUtm: 'Add utm_source and utm_medium', lCreate: 'Create link', lCreated: 'Your link:', lAll: 'Your links',
    lRefresh: 'Refresh', lIntro: 'All-time counts. A click is counted once per person and day; scans are clicks through the QR code.',
    lLink: 'Link', lDark: 'Dark', lScans: 'Scans', lCreatedCol: 'Created', lStatus: 'Status', lActions: 'Actions',
    lEmpty: 'No links yet. Create one above, or let visitors share with the snippet\'s buttons.', lMore: 'More',
    lUntil: 'until {date}', lState_active: 'Active', lState_disabled: 'Disabled', lState_expired: 'Expired',
    lCopy: 'Copy', lCopied: 'Copied', lQr: 'QR code', lEnable: 'Enable', lDisable: 'Disable',
    lQrAlt: 'QR code for {url}', lQrHint: 'Scanning it opens the link; scans are counted apart from other clicks.', lQrDownload: 'Download SVG',
    lErrSlugTaken: 'This slug is already taken. Choose another one.', lErrSlug: 'A slug has 3–64 letters, digits, - or _, and cannot be a reserved word.',
    lErrUrl: 'The page must be an http(s) address on one of your site\'s hosts.', lErrDate: 'Choose an expiry in the future.',
    lErrOther: 'That did not work ({message}).',
    // Sources, Live and alerts (sources.js, live.js, alerts.js).
    src_title: 'Where your visits came from',
    src_headline: 'Of the visits your analytics call direct, {pct} came through private channels.',
    src_headline_none: 'No direct or dark-social visits in this period yet.',
    src_headline_detail: '{dark} visits through private shares, {direct} truly direct.',
    src_chart: 'Page views by source on each of {days} days, {views} in all.',
    src_dark_social: 'Dark social', src_shared: 'Shared (public)', src_self: 'Own link', src_internal: 'Internal',
    src_search: 'Search', src_social: 'Social networks', src_referral: 'Other websites', src_direct: 'Direct',
    live_title: 'Live: last 30 minutes', live_updated: 'Updated {time}, refreshes every 15 s',
    live_paused: 'Paused while this tab is hidden', live_failed: 'Live data could not be loaded; retrying.',
    live_pages: 'Pages now', live_channels: 'Channels now', live_quiet: 'Quiet right now.', live_now: 'now',
    live_page_counts: '{views} views · {clicks} clicks',
    live_chart: 'Last 30 minutes: {views} views and {clicks} clicks.',
    g_conversions_col: 'Conversions', g_title: 'Goals', g_intro: 'Each conversion is credited to where the visitor came from that day: their latest view that was not an internal navigation or a return to their own link. Rates: conversions ÷ the daily visitors of that source.',
    g_none: 'No goal events in this period. Set page goals or fire goals from your pages (Goal settings, below).',
    g_conversions: 'conversions', g_events: 'events', g_value: 'Value', g_source: 'Source', g_no_channels: 'No conversion came through a share.',
    g_rate_of: '({conversions} of {visitors} visitors)', g_settings: 'Goal settings',
    g_settings_intro: 'Page goals: every view of a matching path is a goal event. A path is exact (/thanks) or ends in * for any rest (/docs/*). Up to 20.',
    g_name: 'Goal name', g_path: 'Path', g_add: 'Add page goal', g_remove: 'Remove', g_saved: 'Page goals saved.', g_err: 'Not saved: {message}',
    g_custom: 'Custom goals from your pages or your server', g_markup: 'a click (a form: its submit) fires the goal', g_server: 'from your server, naming the buyer\'s page view',
    al_title: 'Viral alerts',
    al_intro: 'When a page gets this many clicks through shares within an hour, darkshare posts one alert per page and day to your webhook (Slack and Teams incoming webhooks show it as is).',
    al_url: 'Webhook URL', al_threshold: 'Clicks per hour that trigger an alert', al_save: 'Save', al_test: 'Send test alert',
    al_saved: 'Saved. Alerts are on.', al_off: 'Saved. Alerts are off.',
    al_secret: 'Your webhook secret (shown only now; keep it):',
    al_secret_how: 'Every alert carries X-Darkshare-Signature: sha256=<HMAC-SHA-256 of the body with this secret>.',
    al_test_ok: 'Test alert delivered (HTTP {status}).', al_test_status: 'The webhook answered HTTP {status}: not delivered.',
    al_test_unreachable: 'The webhook could not be reached.',
    al_err_bad: 'Not saved: {message}', al_err_none: 'Save a webhook URL first.', al_err_threshold: 'the threshold is a whole number of at least 1',
    al_err_network: 'The server is not reachable.', al_err_server: 'That did not work ({message}).',
    // Drill-down and comparison (report.js, stats.js).
    filterPage: 'Filtered to page', filterClear: 'Remove filter', filterBy: 'Show the report for this page only',
    openPage: 'Open the page', dVs: '{delta} vs. previous period', dNew: 'new',
    dTip: 'Previous period ({from} – {to}): {value}',
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
    cascades: 'Kaskaden',
    viralityIntro: 'Eine Kaskade ist der Baum der Personen, die über einen ursprünglichen Share gekommen sind und ihn weitergeteilt haben. Strukturelle Viralität ist die durchschnittliche Zahl der Schritte zwischen zwei Personen im Baum: etwa 1 ≈ Rundruf (ein Share, viele direkte Klicks), höher = von Person zu Person weitergegeben.',
    noCascades: 'Keine Kaskade hatte in diesem Zeitraum einen Klick.', drawCascade: 'Diese Kaskade zeichnen',
    size: 'Personen', depthCol: 'Tiefe', virality: 'Viralität', days: 'Tage', depthAxis: 'Tiefe',
    keySharers: 'Wichtigste Weiterteiler', sharer: 'Teilende:r (anonym)', reach: 'Reichweite',
    keySharersIntro: 'Die Personen, deren Shares am weitesten getragen haben: Reichweite zählt jeden Klick in ihrem Teilbaum, Klicks nur die direkt auf ihre Shares. Die IDs sind zufällig und benennen niemanden.',
    root: 'Ursprünglicher Share', rootTip: 'Ursprünglicher Share {id}, erster Klick {day}',
    nodeTip: '{id}: Tiefe {depth}, über {channel}, {day}',
    chartCascade: 'Kaskade von {url}: {size} Personen, Tiefe {depth}, strukturelle Viralität {virality}; {shown} gezeichnet.',
    cascadeSummary: '{size} Personen, Tiefe {depth}, strukturelle Viralität {virality}.',
    cascadeTruncated: '{size} Personen, Tiefe {depth}, strukturelle Viralität {virality}. Die ersten {shown} (Ebene für Ebene) sind gezeichnet.',
    // Links-Ansicht (stats/links.js)
    views: 'Ansichten', viewReport: 'Bericht', viewLinks: 'Links', lNew: 'Neuer Link', lUrl: 'Seite Ihrer Website',
    lSlug: 'Eigener Kurzname (optional)', lExpires: 'Läuft ab (optional, Ihre Zeit)', lTitle: 'Titel für Link-Vorschauen (optional)',
    lUtm: 'utm_source und utm_medium anhängen', lCreate: 'Link erstellen', lCreated: 'Ihr Link:', lAll: 'Ihre Links',
    lRefresh: 'Aktualisieren', lIntro: 'Zahlen seit Beginn. Ein Klick zählt einmal pro Person und Tag; Scans sind Klicks über den QR-Code.',
    lLink: 'Link', lDark: 'Dark', lScans: 'Scans', lCreatedCol: 'Erstellt', lStatus: 'Status', lActions: 'Aktionen',
    lEmpty: 'Noch keine Links. Erstellen Sie oben einen, oder lassen Sie Besucher mit den Buttons des Snippets teilen.', lMore: 'Mehr',
    lUntil: 'bis {date}', lState_active: 'Aktiv', lState_disabled: 'Deaktiviert', lState_expired: 'Abgelaufen',
    lCopy: 'Kopieren', lCopied: 'Kopiert', lQr: 'QR-Code', lEnable: 'Aktivieren', lDisable: 'Deaktivieren',
    lQrAlt: 'QR-Code für {url}', lQrHint: 'Wer ihn scannt, öffnet den Link; Scans werden getrennt von anderen Klicks gezählt.', lQrDownload: 'SVG herunterladen',
    lErrSlugTaken: 'Dieser Kurzname ist schon vergeben. Wählen Sie einen anderen.', lErrSlug: 'Ein Kurzname hat 3–64 Buchstaben, Ziffern, - oder _ und darf kein reserviertes Wort sein.',
    lErrUrl: 'Die Seite muss eine http(s)-Adresse auf einem Host Ihrer Website sein.', lErrDate: 'Wählen Sie ein Ablaufdatum in der Zukunft.',
    lErrOther: 'Das hat nicht geklappt ({message}).',
    src_title: 'Woher Ihre Besuche kamen',
    src_headline: 'Von den Besuchen, die Ihre Analytics „direkt“ nennt, kamen {pct} über private Kanäle.',
    src_headline_none: 'In diesem Zeitraum noch keine direkten oder Dark-Social-Besuche.',
    src_headline_detail: '{dark} Besuche über private Shares, {direct} wirklich direkt.',
    src_chart: 'Seitenaufrufe nach Quelle an {days} Tagen, insgesamt {views}.',
    src_dark_social: 'Dark Social', src_shared: 'Geteilt (öffentlich)', src_self: 'Eigener Link', src_internal: 'Intern',
    src_search: 'Suche', src_social: 'Soziale Netzwerke', src_referral: 'Andere Websites', src_direct: 'Direkt',
    live_title: 'Live: letzte 30 Minuten', live_updated: 'Aktualisiert {time}, alle 15 s neu',
    live_paused: 'Pausiert, solange dieser Tab verborgen ist', live_failed: 'Live-Daten konnten nicht geladen werden; neuer Versuch folgt.',
    live_pages: 'Seiten jetzt', live_channels: 'Kanäle jetzt', live_quiet: 'Gerade ruhig.', live_now: 'jetzt',
    live_page_counts: '{views} Aufrufe · {clicks} Klicks',
    live_chart: 'Letzte 30 Minuten: {views} Aufrufe und {clicks} Klicks.',
    g_conversions_col: 'Conversions', g_title: 'Ziele', g_intro: 'Jede Conversion wird dem zugeschrieben, woher der Besucher an diesem Tag kam: seinem letzten Aufruf, der keine interne Navigation und keine Rückkehr zum eigenen Link war. Raten: Conversions ÷ die täglichen Besucher dieser Quelle.',
    g_none: 'Keine Ziel-Ereignisse in diesem Zeitraum. Legen Sie Seitenziele fest oder lösen Sie Ziele auf Ihren Seiten aus (Ziel-Einstellungen, unten).',
    g_conversions: 'Conversions', g_events: 'Ereignisse', g_value: 'Wert', g_source: 'Quelle', g_no_channels: 'Keine Conversion kam über einen Share.',
    g_rate_of: '({conversions} von {visitors} Besuchern)', g_settings: 'Ziel-Einstellungen',
    g_settings_intro: 'Seitenziele: jeder Aufruf eines passenden Pfads ist ein Ziel-Ereignis. Ein Pfad ist exakt (/danke) oder endet auf * für jeden Rest (/docs/*). Bis zu 20.',
    g_name: 'Zielname', g_path: 'Pfad', g_add: 'Seitenziel hinzufügen', g_remove: 'Entfernen', g_saved: 'Seitenziele gespeichert.', g_err: 'Nicht gespeichert: {message}',
    g_custom: 'Eigene Ziele von Ihren Seiten oder Ihrem Server', g_markup: 'ein Klick (ein Formular: sein Absenden) löst das Ziel aus', g_server: 'von Ihrem Server, mit dem Seitenaufruf des Käufers',
    al_title: 'Viral-Alarme',
    al_intro: 'Bekommt eine Seite innerhalb einer Stunde so viele Klicks über Shares, sendet darkshare einen Alarm pro Seite und Tag an Ihren Webhook (Slack- und Teams-Webhooks zeigen ihn direkt an).',
    al_url: 'Webhook-URL', al_threshold: 'Klicks pro Stunde, die einen Alarm auslösen', al_save: 'Speichern', al_test: 'Test-Alarm senden',
    al_saved: 'Gespeichert. Alarme sind an.', al_off: 'Gespeichert. Alarme sind aus.',
    al_secret: 'Ihr Webhook-Secret (nur jetzt sichtbar; bitte aufbewahren):',
    al_secret_how: 'Jeder Alarm trägt X-Darkshare-Signature: sha256=<HMAC-SHA-256 des Bodys mit diesem Secret>.',
    al_test_ok: 'Test-Alarm zugestellt (HTTP {status}).', al_test_status: 'Der Webhook antwortete HTTP {status}: nicht zugestellt.',
    al_test_unreachable: 'Der Webhook war nicht erreichbar.',
    al_err_bad: 'Nicht gespeichert: {message}', al_err_none: 'Bitte zuerst eine Webhook-URL speichern.', al_err_threshold: 'die Schwelle ist eine ganze Zahl ab 1',
    al_err_network: 'Der Server ist nicht erreichbar.', al_err_server: 'Das hat nicht geklappt ({message}).',
    filterPage: 'Gefiltert auf Seite', filterClear: 'Filter entfernen', filterBy: 'Bericht nur für diese Seite zeigen',
    openPage: 'Seite öffnen', dVs: '{delta} ggü. Vorzeitraum', dNew: 'neu',
    dTip: 'Vorzeitraum ({from} – {to}): {value}',
  },
};

// Channel ids of the API contract → what a marketer reads. Unknown ids are shown as they are.
const CHANNELS = {
  whatsapp: 'WhatsApp', telegram: 'Telegram', signal: 'Signal', messenger: 'Messenger', sms: 'SMS',
  slack: 'Slack', discord: 'Discord', teams: 'Microsoft Teams', line: 'LINE', wechat: 'WeChat',
  linkedin: 'LinkedIn', x: 'X (Twitter)', facebook: 'Facebook', reddit: 'Reddit',
};
const CHANNELS_BY_LANG = {
  en: { email: 'E-mail', copy: 'Copied link', native: 'Share menu (device)', other: 'Other',
    dark: 'Dark social (unknown)', web: 'Public web', qr: 'QR code (scanned)' },
  de: { email: 'E-Mail', copy: 'Kopierter Link', native: 'Teilen-Menü (Gerät)', other: 'Sonstige',
    dark: 'Dark Social (unbekannt)', web: 'Öffentliches Web', qr: 'QR-Code (gescannt)' },
};
const LOCALES = { en: 'en-GB', de: 'de-DE' };

let lang = 'en';

/** The language the page speaks now: 'en' or 'de'. */
export function currentLang() { return lang; }
/** Switches the language for every later `t()` and format (the caller re-renders). */
export function useLang(next) { lang = next; }

export function t(key, vars) {
  var s = TEXT[lang][key];
  if (s === undefined) s = TEXT.en[key];
  return s.replace(/\{(\w+)\}/g, function (_, k) { return vars && k in vars ? String(vars[k]) : ''; });
}

var own = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };

/** A channel id of the API as a label; an id this page does not know is shown as it came. */
export function channelLabel(id) {
  return own(CHANNELS, id) ? CHANNELS[id] : own(CHANNELS_BY_LANG[lang], id) ? CHANNELS_BY_LANG[lang][id] : String(id);
}

/** Whether this page has a label (and a colour) for the channel id. */
export function knownChannel(id) {
  return own(CHANNELS, id) || own(CHANNELS_BY_LANG.en, id);
}

/** The browser's own locale when it speaks the chosen language (de-AT, en-US…), else a default. */
function locale() {
  var nav = navigator.language || '';
  return nav.toLowerCase().indexOf(lang) === 0 ? nav : LOCALES[lang];
}

export function num(n, maxFraction) {
  if (n === null || n === undefined || typeof n !== 'number' || !isFinite(n)) return '–';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: maxFraction || 0 }).format(n);
}

/** A YYYY-MM-DD day as milliseconds at 00:00 UTC; NaN for anything else. */
export function parseDay(s) {
  return /^\d{4}-\d{2}-\d{2}$/.test(s || '') ? Date.parse(s + 'T00:00:00Z') : NaN;
}

export function date(s, style) {
  var ms = parseDay(s);
  if (isNaN(ms)) return String(s);
  var opts = style === 'short' ? { day: 'numeric', month: 'short' }
    : style === 'long' ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }
      : { day: 'numeric', month: 'short', year: 'numeric' };
  opts.timeZone = 'UTC';
  return new Intl.DateTimeFormat(locale(), opts).format(new Date(ms));
}

/** Writes the current language into the static page: data-i18n texts, labels, card titles, toggle. */
export function applyLanguage() {
  document.documentElement.lang = lang;
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
    b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === lang));
  });
  document.title = lang === 'de' ? 'darkshare Statistik' : 'darkshare stats';
}
