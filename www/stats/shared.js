// A shared dashboard (API.md "Shared dashboards"): the stats page opened from a shared link,
// /stats#share=<secret>&site=<id>. The secret travels in the fragment, so it never reaches a
// server's log; it is a read-only bearer for the site's reports. In this mode the page asks for no
// token and hides what the secret may not do: the Links view, the alert settings, signing out.
import { $, h, show } from '/stats/dom.js';
import { currentLang } from '/stats/i18n.js';

var TEXT = {
  en: { badge: 'Shared dashboard · read-only', revoked: 'This shared link is no longer valid. Ask the site\'s owner for a new one.' },
  de: { badge: 'Geteiltes Dashboard · nur lesen', revoked: 'Dieser geteilte Link ist nicht mehr gültig. Bitte den Inhaber der Website um einen neuen.' },
};
var shared = null;

function text(key) { return (TEXT[currentLang()] || TEXT.en)[key]; }

/** Reads #share=…&site=… once, at start: {secret, site} or null. */
export function readShared() {
  var p = new URLSearchParams(location.hash.slice(1));
  var secret = p.get('share');
  var site = p.get('site');
  shared = secret && /^dss_[0-9A-Za-z]{10,80}$/.test(secret) && /^[a-z0-9-]{1,32}$/.test(site || '') ? { secret: secret, site: site } : null;
  return shared;
}

export function isShared() { return !!shared; }

/** Hides what the secret may not do and says whose read-only view this is. */
export function applyShared() {
  if (!shared) return;
  var tabs = document.querySelector('.views');
  if (tabs) show(tabs, false);
  ['links-view', 'alerts', 'goal-settings', 'signout'].forEach(function (id) { if ($(id)) show($(id), false); });
  var badge = $('shared-badge');
  if (!badge) {
    badge = h('span', { id: 'shared-badge', class: 'muted small' });
    $('site-name').after(badge);
  }
  badge.textContent = text('badge');
}

/** A refused secret (revoked, or its site deleted): the page says so instead of asking for a token. */
export function sharedRefused() {
  show($('app'), false);
  show($('login'), false);
  var box = $('shared-refused') || $('main').appendChild(h('p', { id: 'shared-refused', class: 'panel alert', role: 'alert' }));
  box.textContent = text('revoked');
  show(box, true);
}
