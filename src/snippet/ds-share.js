/* darkshare share part — loaded by ds.js (src/snippet/ds.js) the first time a page calls
 * darkshare.link() or darkshare.share(), or a <button data-darkshare="<channel>"> is clicked; a
 * page whose visitors never share never loads it. It adds darkshare._more(site, post, pageUrl),
 * which ds.js calls with its own site id, POST helper and page address, and which answers
 * {link, share}.
 *
 * Plain ES5 syntax, minified by scripts/build into www/ds-share.js (served at /ds-share.js). Sends
 * nothing by itself; under GPC / Do Not Track it makes no short link and shares the plain page URL.
 */
(function (w, d, nav) {
  'use strict';
  var noop = function () {};

  // Share targets: {u} = the (short) URL, {t} = the page title, both URI-encoded. A target of
  // https:// opens in the window ds.js opened inside the click (its list of such channels must
  // match this table); mailto: and sms: hand over to an app from the page itself.
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

  w.darkshare._more = function (site, post, pageUrl) {
    var api = w.darkshare;

    /** Resolves with this page's short link for a channel (made or found by the worker). Under
     *  GPC/DNT nothing is sent and it resolves with the plain page URL. Rejects with the worker's
     *  {code, message} error. */
    function link(channel) {
      return api.ready.then(function () {
        return api.reason ? pageUrl()
          : post('/api/links', { site: site, url: pageUrl(), channel: channel, parent: api.fp() })
            .then(function (j) {
              if (j.error) throw j.error;
              return j.short_url;
            });
      });
    }

    /** Shares this page on a channel: opens its share target (in `win`, the window ds.js opened
     *  inside the click, when there is one), or the Web Share API (`native`), or copies the short
     *  URL (every other channel). If no short link can be made the plain page URL is shared.
     *  Resolves with the URL shared. */
    function share(channel, win) {
      var target = TARGETS[channel];
      return link(channel).catch(pageUrl).then(function (u) {
        var title = d.title;
        if (target) {
          // No window (mailto:, sms:, or the popup was blocked): go there from this page.
          (win || w).location = target
            .replace('{u}', encodeURIComponent(u)).replace('{t}', encodeURIComponent(title));
          return u;
        }
        return (channel == 'native' && nav.share ? nav.share({ url: u, title: title }).catch(noop)
          : nav.clipboard.writeText(u)).then(function () { return u; });
      });
    }

    return { link: link, share: share };
  };
})(window, document, navigator);
