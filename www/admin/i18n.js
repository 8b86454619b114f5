// i18n for the console page (admin.html): English and German, the same pattern as the stats page's
// (www/stats/i18n.js): t(key, vars), the language in sessionStorage, data-i18n labels.

const TEXT = {
  en: {
    console: 'Console', signOut: 'Sign out', loginTitle: 'Sign in to the console',
    loginIntro: 'Enter the admin token (ADMIN_TOKEN). It is kept in this browser tab only and forgotten when you close it.',
    adminToken: 'Admin token', signIn: 'Sign in', sites: 'Sites', refresh: 'Refresh', site: 'Site', hosts: 'Hosts',
    lastView: 'Last view', actions: 'Actions', noSites: 'No site yet. Register the first one below.',
    register: 'Register a site', siteId: 'Site id', name: 'Name',
    hostsHelp: 'Hosts (one per line; *.example.com for subdomains)', registerBtn: 'Register',
    open: 'Manage', never: 'never', created: 'Registered {date}',
    installTitle: 'Install check', installIntro: 'A host turns green once a page view from it was counted in the last 7 days.',
    seen: 'seen', unseen: 'not seen yet', checkAgain: 'Check again',
    snippetTitle: 'Snippet', snippetIntro: 'Add this line to every page, just before </head>:', copy: 'Copy', copied: 'Copied',
    editTitle: 'Name and hosts', save: 'Save', saved: 'Saved.',
    tokenTitle: 'Stats token', tokenIntro: 'A new token replaces the old one at once: the old one stops working everywhere.',
    rotate: 'Rotate token', rotateConfirm: 'Replace the stats token of {id}? The old one stops working at once.',
    newToken: 'The new stats token (shown only now; copy it):',
    createdToken: 'Site {id} registered. Its stats token (shown only now; copy it):',
    sharedTitle: 'Shared dashboards', sharedIntro: 'A read-only link to the stats of this site: whoever has it sees the figures, nothing else. Revoke it any time.',
    label: 'Label (optional)', createShared: 'Create link', sharedUrl: 'The link (shown only now; copy it):',
    revoke: 'Revoke', noShared: 'No shared link.',
    statsLink: 'Open stats',
    deleteTitle: 'Delete this site', deleteIntro: 'Deletes the site and everything stored for it: its token, links, shared links and counts. This cannot be undone. Type the site id to confirm.',
    deleteBtn: 'Delete site', deleted: 'Site {id} and everything stored for it were deleted.',
    errToken: 'This admin token is not valid. Please enter it again.', errMissing: 'Please enter the admin token.',
    errNetwork: 'The server is not reachable. Check your connection.', errServer: 'That did not work: {message}',
    errSiteFormat: 'A site id has 1–32 lowercase letters, digits or dashes.', errHosts: 'Enter at least one host.',
  },
  de: {
    console: 'Konsole', signOut: 'Abmelden', loginTitle: 'Bei der Konsole anmelden',
    loginIntro: 'Gib das Admin-Token (ADMIN_TOKEN) ein. Es bleibt nur in diesem Browser-Tab und wird beim Schließen vergessen.',
    adminToken: 'Admin-Token', signIn: 'Anmelden', sites: 'Websites', refresh: 'Aktualisieren', site: 'Website', hosts: 'Hosts',
    lastView: 'Letzter Aufruf', actions: 'Aktionen', noSites: 'Noch keine Website. Registriere unten die erste.',
    register: 'Website registrieren', siteId: 'Website-ID', name: 'Name',
    hostsHelp: 'Hosts (einer pro Zeile; *.example.com für Subdomains)', registerBtn: 'Registrieren',
    open: 'Verwalten', never: 'nie', created: 'Registriert am {date}',
    installTitle: 'Installationsprüfung', installIntro: 'Ein Host wird grün, sobald in den letzten 7 Tagen ein Seitenaufruf von ihm gezählt wurde.',
    seen: 'gesehen', unseen: 'noch nicht gesehen', checkAgain: 'Erneut prüfen',
    snippetTitle: 'Snippet', snippetIntro: 'Füge diese Zeile in jede Seite ein, direkt vor </head>:', copy: 'Kopieren', copied: 'Kopiert',
    editTitle: 'Name und Hosts', save: 'Speichern', saved: 'Gespeichert.',
    tokenTitle: 'Statistik-Token', tokenIntro: 'Ein neues Token ersetzt das alte sofort: Das alte funktioniert nirgends mehr.',
    rotate: 'Token erneuern', rotateConfirm: 'Das Statistik-Token von {id} ersetzen? Das alte funktioniert sofort nicht mehr.',
    newToken: 'Das neue Statistik-Token (nur jetzt sichtbar; kopiere es):',
    createdToken: 'Website {id} registriert. Ihr Statistik-Token (nur jetzt sichtbar; kopiere es):',
    sharedTitle: 'Geteilte Dashboards', sharedIntro: 'Ein Link nur zum Ansehen der Statistik dieser Website: Wer ihn hat, sieht die Zahlen, sonst nichts. Jederzeit widerrufbar.',
    label: 'Bezeichnung (optional)', createShared: 'Link erstellen', sharedUrl: 'Der Link (nur jetzt sichtbar; kopiere ihn):',
    revoke: 'Widerrufen', noShared: 'Kein geteilter Link.',
    statsLink: 'Statistik öffnen',
    deleteTitle: 'Diese Website löschen', deleteIntro: 'Löscht die Website und alles, was zu ihr gespeichert ist: Token, Links, geteilte Links und Zahlen. Das lässt sich nicht rückgängig machen. Gib zur Bestätigung die Website-ID ein.',
    deleteBtn: 'Website löschen', deleted: 'Website {id} und alles, was zu ihr gespeichert war, wurden gelöscht.',
    errToken: 'Dieses Admin-Token ist nicht gültig. Bitte gib es erneut ein.', errMissing: 'Bitte gib das Admin-Token ein.',
    errNetwork: 'Der Server ist nicht erreichbar. Prüfe deine Verbindung.', errServer: 'Das hat nicht geklappt: {message}',
    errSiteFormat: 'Eine Website-ID hat 1–32 Kleinbuchstaben, Ziffern oder Bindestriche.', errHosts: 'Gib mindestens einen Host ein.',
  },
};

let lang = 'en';

export function currentLang() { return lang; }
export function useLang(next) { lang = next === 'de' ? 'de' : 'en'; }

export function t(key, vars) {
  var s = TEXT[lang][key];
  if (s === undefined) s = TEXT.en[key];
  return s.replace(/\{(\w+)\}/g, function (_, k) { return vars && k in vars ? String(vars[k]) : ''; });
}

/** An RFC 3339 time as a short local date and time; `fallback` when there is none. */
export function when(iso, fallback) {
  var ms = Date.parse(iso || '');
  if (isNaN(ms)) return fallback;
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/** Writes the current language into the static page (data-i18n texts, the toggle, the title). */
export function applyLanguage() {
  document.documentElement.lang = lang;
  [].forEach.call(document.querySelectorAll('[data-i18n]'), function (el) { el.textContent = t(el.getAttribute('data-i18n')); });
  [].forEach.call(document.querySelectorAll('[data-lang]'), function (b) {
    b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === lang));
  });
  document.title = lang === 'de' ? 'darkshare Konsole' : 'darkshare console';
}
