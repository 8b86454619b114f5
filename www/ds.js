/*! darkshare snippet — dark-social link tracking. https://github.com/ (see README "Embedding the snippet")
 *
 *   <script async src="https://<worker>/ds.js" data-site="demo"></script>
 *
 * What it does, in order:
 *  1. filter(): GPC / Do Not Track / no data-site / prerender / non-http page → sends nothing, tags
 *     nothing; the reason is in window.darkshare.reason.
 *  2. POST /api/views {site,url,referrer,parent,title,hint} (text/plain JSON: no CORS preflight).
 *     `parent` is the fingerprint of the URL this visitor arrived through (#ds=<fp>). A rejected
 *     parent (400 bad_fingerprint) is dropped and the view sent again without it.
 *  3. history.replaceState puts this view's own fingerprint in the address bar (#ds=<fp>), so a URL
 *     copied from there is already attributed. Only an empty or a ds fragment is ever replaced;
 *     no history entry is added and history.state is kept.
 *  4. copy of a selection of >= data-min-words words (default 7), outside form fields: appends
 *     "Source: <url#ds=fp>" to text/plain and text/html, and beacons POST /api/events.
 *  5. window.darkshare.link(channel) / share(channel), and [data-darkshare="<channel>"] buttons.
 *
 * Plain ES5 syntax (served as is, no build step). It never throws into the page.
 */
(function (w, d, nav) {
  'use strict';
  if (w.darkshare) return; // embedded twice: the first copy wins

  // A ds fragment: "#ds=<fp>", optionally followed by "&more". m[1] = fp, m[2] = the rest.
  var DS = /^#ds=([^&]*)(.*)$/;
  var FP = /^[0-9A-Za-z]{10,24}$/;
  var noop = function () {};
  var script, origin, site, minWords, label, api, resolveReady;

  function attr(name) { return script && script.getAttribute('data-' + name); }

  /** Why the snippet does not count this page ('' = it does). */
  function filter() {
    if (nav.globalPrivacyControl) return 'gpc';
    if (nav.doNotTrack == '1' || w.doNotTrack == '1') return 'dnt';
    if (!site || !origin) return 'no data-site';
    if (d.prerendering || d.visibilityState == 'prerender') return 'prerender';
    if (!/^https?:$/.test(location.protocol)) return 'not http';
    return '';
  }

  /** The page's URL without its fragment. */
  function pageUrl() { return location.href.split('#')[0]; }

  /** The page's URL carrying this view's fingerprint. */
  function tagged() { return pageUrl() + '#ds=' + api.fp; }

  /** POSTs JSON as text/plain (a CORS-safelisted type: no preflight); resolves with [status, body]. */
  function post(path, body) {
    return fetch(origin + path, { method: 'POST', body: JSON.stringify(body), keepalive: true })
      .then(function (r) {
        return r.json().then(function (j) { return [r.status, j]; });
      });
  }

  function view(parent) {
    return post('/api/views', {
      site: site,
      url: pageUrl(),
      referrer: d.referrer,
      parent: parent,
      title: d.title,
      hint: w.TelegramWebview || w.TelegramWebviewProxy ? 'telegram' : undefined
    }).then(function (r) {
      // A forged or corrupted parent must not cost the view: send it again without one.
      if (parent && r[0] == 400 && r[1].error && r[1].error.code == 'bad_fingerprint') return view();
      return r[1].fp;
    });
  }

  function start() {
    var reason = api.reason = filter();
    if (reason == 'prerender' && d.prerendering) {
      // Count the page only if the visitor actually activates it.
      return d.addEventListener('prerenderingchange', start);
    }
    if (reason) return resolveReady();
    var m = DS.exec(location.hash);
    view(m && FP.test(m[1]) ? m[1] : undefined).then(function (fp) {
      if (!FP.test(fp)) return;
      api.fp = fp;
      // Re-read the fragment: the visitor may have followed an anchor while the view was in flight.
      var hash = location.hash, mm = DS.exec(hash);
      if (!hash || hash == '#' || mm) {
        history.replaceState(history.state, '', tagged() + (mm ? mm[2] : ''));
      }
    }).then(null, noop).then(function () { resolveReady(api.fp); });
  }

  /** Creates (or finds) the short link of this page for a channel; resolves with its short_url.
   *  Under GPC/DNT (or without data-site) nothing is sent and it resolves with the plain page URL. */
  function link(channel) {
    return api.ready.then(function (fp) {
      if (api.reason) return pageUrl();
      return post('/api/links', { site: site, url: pageUrl(), channel: channel, parent: fp })
        .then(function (r) {
          if (r[0] > 201) throw new Error('darkshare: ' + r[0] + ' ' + (r[1].error && r[1].error.code));
          return r[1].short_url;
        });
    });
  }

  // Share targets: {u} = the short URL, {t} = the page title (both URI-encoded).
  var TARGETS = {
    whatsapp: 'https://wa.me/?text={t}%20{u}',
    telegram: 'https://t.me/share/url?url={u}&text={t}',
    x: 'https://twitter.com/intent/tweet?url={u}&text={t}',
    linkedin: 'https://www.linkedin.com/sharing/share-offsite/?url={u}',
    facebook: 'https://www.facebook.com/sharer/sharer.php?u={u}',
    reddit: 'https://www.reddit.com/submit?url={u}&title={t}',
    email: 'mailto:?subject={t}&body={u}',
    sms: 'sms:?&body={t}%20{u}'
  };

  /** Shares this page on a channel: opens its share target, or uses the Web Share API (`native`),
   *  or copies the short URL (every other channel). Resolves with the URL that was shared; if the
   *  short link cannot be made, the plain page URL is shared instead. Call it from a click handler. */
  function share(channel) {
    var target = TARGETS[channel];
    // Open the window now, inside the click, or the popup blocker eats it; fill it in later.
    var win = /^http/.test(target) && w.open('', '_blank');
    if (win) win.opener = null;
    return link(channel).then(null, pageUrl).then(function (u) {
      var title = d.title;
      if (target) {
        target = target.replace('{u}', encodeURIComponent(u)).replace('{t}', encodeURIComponent(title));
        if (win) win.location.href = target;
        else if (/^http/.test(target)) w.open(target, '_blank') || (location.href = target);
        else location.href = target; // mailto:, sms: hand over to an app; the page stays
      } else if (channel == 'native' && nav.share) {
        return nav.share({ url: u, title: title }).then(null, noop).then(function () { return u; });
      } else if (nav.clipboard) {
        return nav.clipboard.writeText(u).then(function () { return u; });
      }
      return u;
    }).then(null, function (e) {
      if (win) win.close();
      throw e;
    });
  }

  /** Escapes text for HTML (element content and double-quoted attributes). */
  function esc(s) {
    return s.replace(/[&<>"]/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }

  try {
    script = d.currentScript || d.querySelector('script[src*="ds.js"][data-site]');
    origin = script ? script.src.replace(/^(https?:\/\/[^\/?#]+).*$/, '$1') : '';
    site = attr('site');
    minWords = +(attr('min-words') || 7);
    label = attr('label') || 'Source:';
    api = w.darkshare = {
      version: '1',
      fp: undefined,
      reason: undefined,
      /** Resolves with this view's fingerprint (undefined if the view was not counted). */
      ready: new Promise(function (res) { resolveReady = res; }),
      link: link,
      share: share
    };
    // Copy of a long enough selection: attribute it and count it. Bubble phase, so a page's own copy
    // handler that already took over (preventDefault) is left alone.
    d.addEventListener('copy', function (e) {
      try {
        var t = e.target, a = d.activeElement, sel = w.getSelection(), text = String(sel);
        if (!api.fp || e.defaultPrevented || !e.clipboardData) return;
        if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName + '') ||
            (a && (a.isContentEditable || /^(INPUT|TEXTAREA)$/.test(a.tagName)))) return;
        if ((text.match(/\S+/g) || []).length < minWords) return;

        var u = tagged(), box = d.createElement('div'), i;
        for (i = 0; i < sel.rangeCount; i++) box.appendChild(sel.getRangeAt(i).cloneContents());
        e.clipboardData.setData('text/plain', text + '\n\n' + label + ' ' + u);
        e.clipboardData.setData('text/html',
          box.innerHTML + '<br><br>' + esc(label) + ' <a href="' + esc(u) + '">' + esc(u) + '</a>');
        e.preventDefault();

        text = text.replace(/\s+/g, ' ').trim();
        var url = origin + '/api/events', body = JSON.stringify({
          site: site, fp: api.fp, type: 'copy', url: pageUrl(),
          text: text.slice(0, 200), text_length: text.length
        });
        // A string body is sent as text/plain;charset=UTF-8.
        if (!(nav.sendBeacon && nav.sendBeacon(url, body))) {
          fetch(url, { method: 'POST', body: body, keepalive: true }).then(null, noop);
        }
      } catch (err) { /* never break copying */ }
    });

    // Declarative buttons: <button data-darkshare="whatsapp">.
    d.addEventListener('click', function (e) {
      try {
        var el = e.target.closest && e.target.closest('[data-darkshare]');
        if (el) {
          e.preventDefault();
          share(el.getAttribute('data-darkshare')).then(null, noop);
        }
      } catch (err) { /* never break the page */ }
    });

    start();
  } catch (err) { /* never break the host page */ }
})(window, document, navigator);
