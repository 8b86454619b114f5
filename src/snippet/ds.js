/* darkshare snippet — dark-social link tracking (see README.md, "Embedding the snippet").
 *
 *   <script async src="https://<worker>/ds.js" data-site="demo"></script>
 *
 * What it does, in order:
 *  1. filter(): GPC / Do Not Track / no data-site / prerendering / non-http page → sends nothing and
 *     tags nothing; the reason is in window.darkshare.reason ('' when it counts). A prerendered page
 *     is counted when (and if) the visitor activates it.
 *  2. POST /api/views {site,url,referrer,parent,title,hint} as text/plain JSON (no CORS preflight).
 *     `parent` is the fingerprint of the URL the visitor arrived through (#ds=<fp>); if the worker
 *     rejects it (400 bad_fingerprint) the view is sent again without it, so it still counts; any other
 *     error is not retried (a 429 or 503 must not turn an arrival into an organic view).
 *  3. history.replaceState puts this view's own fingerprint in the address bar (#ds=<fp>), so a URL
 *     copied from there is already attributed (copying from the address bar fires no event). Only
 *     an empty or a ds fragment is replaced (#section, #/route are kept); no history entry is added
 *     and history.state is kept.
 *  4. copy of a selection of >= data-min-words words (default 7) outside form fields and editors:
 *     appends "Source: <url#ds=fp>" to text/plain and text/html, and sends POST /api/events
 *     (a keepalive fetch: it outlives the page like a beacon).
 *  5. window.darkshare.link(channel) / share(channel), and <button data-darkshare="<channel>">:
 *     the share part (ds-share.js: short links, the share targets) loads on the first use.
 *  6. Single-page apps: history.pushState / replaceState are wrapped and popstate is listened to;
 *     a navigation that changes the path or the query is one more view (referrer: the previous
 *     address, no parent), tagged like the first. A change of the fragment alone is no view. A page
 *     that never navigates gets the hooks and nothing else.
 *  7. Goals: window.darkshare.goal(name, {value, currency}) sends POST /api/goals
 *     {site,name,url,value,currency}; an element with data-ds-goal="<name>" fires it when clicked
 *     (a <form>: when submitted). window.darkshare.fp() is the current view's fingerprint (for a
 *     site's server to report a conversion with it).
 *
 * Plain ES5 syntax. This is the readable source: scripts/build minifies it with esbuild into
 * www/ds.js, the file served at /ds.js. It never throws into the page.
 */
(function (w, d, nav, loc) {
  'use strict';
  if (w.darkshare) return; // embedded twice: the first copy wins

  // A ds fragment: "#ds=<fp>"; m[1] = the fp (the worker checks it: base62, 10-24 chars, signed).
  var DS = /^#ds=(.*)/;
  var noop = function () {};
  var H = history;
  // The unwrapped replaceState: tagging the address must not look like a navigation to our hook.
  var tag = H.replaceState;
  var script, origin, site, api;
  var fp; // the current view's fingerprint (undefined until it is counted)
  var last; // the address (no fragment) of the last view counted: a route change is a new one
  var seq = 0; // views started: only the latest may set fp and tag the address
  var loaded; // the promise of the share part

  /** Why this page is not counted ('' = it is). */
  function filter() {
    return nav.globalPrivacyControl ? 'gpc'
      : (nav.doNotTrack || w.doNotTrack) == 1 ? 'dnt'
      : !site ? 'site'
      : d.prerendering ? 'prerender'
      : /^http/.test(loc.protocol) ? '' : 'protocol';
  }

  /** The page's URL without its fragment. */
  function pageUrl() { return loc.href.split('#')[0]; }

  /** Sends JSON and forgets it: a keepalive fetch outlives the page like a beacon does (in every
   *  browser with fetch: Firefox since 133), from a smaller snippet. */
  function beacon(path, body) {
    post(path, body).catch(noop);
  }

  /** POSTs JSON as text/plain (CORS-safelisted: no preflight); resolves with the JSON answer
   *  (an error answer is {"error": {code, message}}). */
  function post(path, body) {
    return fetch(origin + path, { method: 'POST', body: JSON.stringify(body), keepalive: true })
      .then(function (r) { return r.json(); });
  }

  /** Reports this view; resolves with its fingerprint. */
  function view(parent, referrer) {
    return post('/api/views', {
      site: site,
      url: pageUrl(),
      referrer: referrer,
      parent: parent,
      title: d.title,
      hint: (w.TelegramWebview || w.TelegramWebviewProxy) && 'telegram' // else omitted
    }).then(function (j) {
      // The parent refused (400 bad_fingerprint: forged or mangled) must not cost the view. Any
      // other error (429, 503) is not retried: without its parent an arrival would count as an
      // organic view.
      return parent && (j.error || {}).code == 'bad_fingerprint' ? view(undefined, referrer) : j.fp;
    });
  }

  /** Counts a view of the current address and tags it with its fingerprint; sets darkshare.ready
   *  to the promise of that fingerprint. */
  function count(parent, referrer) {
    var n = ++seq;
    fp = undefined; // until this view's own is known, nothing is attributed to the previous one's
    last = pageUrl();
    return api.ready = view(parent, referrer).then(function (f) {
      // A later navigation started meanwhile: this address is gone, the latest view decides.
      if (f && n == seq) {
        fp = f;
        // Re-read the fragment: the visitor may have followed an anchor meanwhile.
        if (!loc.hash[1] || DS.test(loc.hash)) { // '' or '#' or a ds fragment
          tag.call(H, H.state, '', pageUrl() + '#ds=' + f);
        }
      }
      return fp;
    }).catch(noop);
  }

  /** After any history change: a new path or query is a new view; the fragment alone is not. */
  function route() {
    if (pageUrl() != last) count(undefined, last); // the argument is read before count() moves it
  }

  /** Counts and tags the first view and hooks the SPA navigations; returns darkshare.ready. */
  function start() {
    var m = DS.exec(loc.hash), r = safe(route);
    if (api.reason = filter()) {
      // Prerendered: count it only if the visitor actually opens it.
      if (api.reason == 'prerender') d.addEventListener('prerenderingchange', function () { api.ready = start(); });
      return Promise.resolve();
    }
    ['pushState', 'replaceState'].forEach(function (k) {
      var f = H[k];
      H[k] = function () { // both return undefined: nothing to pass on
        f.apply(this, arguments);
        r();
      };
    });
    w.addEventListener('popstate', r);
    return count(m && m[1] || undefined, d.referrer);
  }

  /** Reports a goal reached on this page (silent when the page is not counted). */
  function goal(name, o) {
    o = o || {};
    if (!api.reason) beacon('/api/goals', { site: site, name: name, url: pageUrl(), value: o.value, currency: o.currency });
  }

  /** The share part (/ds-share.js: link(), share() and the share targets), loaded on first use:
   *  a page whose visitors never share never loads it. Resolves with its {link, share}. */
  function more() {
    return loaded || (loaded = new Promise(function (ok, fail) {
      var el = d.createElement('script');
      el.src = origin + '/ds-share.js';
      el.onload = function () { ok(api._more(site, post, pageUrl)); };
      el.onerror = fail;
      d.head.append(el);
    }));
  }

  /** Resolves with this page's short link for a channel (see ds-share.js). */
  function link(channel) {
    return more().then(function (m) { return m.link(channel); });
  }

  /** Shares this page on a channel (see ds-share.js). Call it from a click handler: a share
   *  target's window is opened now, inside the click, or the popup blocker eats it. */
  function share(channel) {
    // The channels whose target is an https:// page (ds-share.js's TARGETS), by their shortest
    // unambiguous prefix among the contract's channels (tel: not teams, linke: not line).
    var win = /^(wh|tel|x$|linke|fa|re)/.test(channel) && w.open(); // about:blank, a new tab
    if (win) win.opener = null;
    return more().then(function (m) { return m.share(channel, win); }).catch(function (e) {
      if (win) win.close();
      throw e;
    });
  }

  /** Copy of a long enough selection: attribute it and count it. In the bubble phase, so a page's
   *  own copy handler that already took over (preventDefault) is left alone. */
  function onCopy(e) {
    var t = e.target, sel = w.getSelection(), text = '' + sel, u = pageUrl() + '#ds=' + fp;
    var box = d.createElement('div'), data = e.clipboardData, i;
    // Form fields and editors copy their own way: never touch them.
    if (!fp || e.defaultPrevented || t.isContentEditable || /^(INPUT|TEXTAREA)$/.test(t.tagName) ||
        text.trim().split(/\s+/).length < (script.dataset.minWords || 7)) return;

    for (i = 0; i < sel.rangeCount; i++) box.appendChild(sel.getRangeAt(i).cloneContents());
    data.setData('text/plain', text + '\n\nSource: ' + u);
    // loc.href has no " or < (browsers percent-encode them); & must become &amp; in HTML.
    i = u.replace(/&/g, '&amp;');
    data.setData('text/html', box.innerHTML + '<p>Source: <a href="' + i + '">' + i + '</a>');
    e.preventDefault();

    beacon('/api/events', { site: site, fp: fp, type: 'copy', url: pageUrl(), text: text.slice(0, 200), text_length: text.length });
  }

  /** The one delegated listener for clicks and submits: declarative goals (data-ds-goal: a form on
   *  submit, any other element on click) and share buttons (<button data-darkshare="whatsapp">). */
  function onClick(e) {
    var t = e.target, g = t.closest('[data-ds-goal]'), el = t.closest('[data-darkshare]');
    if (g && (g.tagName == 'FORM') == (e.type == 'submit')) goal(g.dataset.dsGoal);
    if (el && e.type == 'click') {
      e.preventDefault();
      share(el.dataset.darkshare).catch(noop);
    }
  }

  /** Wraps an event handler so that nothing it does can break the page. */
  function safe(fn) {
    return function (e) { try { fn(e); } catch (err) { /* never break the page */ } };
  }

  try {
    // Set while a classic script (async or injected by a tag manager) first runs, in every
    // browser that has fetch(): no fallback needed.
    script = d.currentScript;
    origin = new URL(script.src).origin; // the worker
    site = script.dataset.site;
    api = w.darkshare = {
      // reason: filter()'s answer; ready: resolves with the current view's fingerprint once it is
      // counted (undefined if it was not). Set below.
      fp: function () { return fp; },
      link: link,
      share: share,
      goal: goal
    };
    d.addEventListener('copy', safe(onCopy));
    var act = safe(onClick);
    d.addEventListener('click', act);
    d.addEventListener('submit', act);
    api.ready = start();
  } catch (err) { /* never break the host page */ }
})(window, document, navigator, location);
