//! The curated tables: link-preview fetchers (and the channel each suggests) and in-app browsers.
//!
//! These are short and hand-kept because what matters here is not "is it a bot" (the generated
//! corpus table answers that) but *which app* it speaks for. Needles are lowercase; the first
//! matching row wins, so more specific rows come first. Many of these fetchers are also in the
//! crawler corpus; this table is consulted before it.

use crate::Channel;

/// Where in the lowercased user agent a needle must occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// At the very beginning: the fetcher's UA starts with its name, while the same word later in a
    /// UA belongs to a person's app.
    Start,
    /// Anywhere.
    Anywhere,
}

/// One link-preview fetcher.
#[derive(Debug, Clone, Copy)]
pub struct Fetcher {
    pub needle: &'static str,
    pub at: At,
    /// The channel the preview suggests; `None` when the fetcher serves several apps, or an app that
    /// is not in our vocabulary (the link's own channel is then used).
    pub channel: Option<Channel>,
}

const fn f(needle: &'static str, at: At, channel: Option<Channel>) -> Fetcher {
    Fetcher { needle, at, channel }
}

use At::{Anywhere, Start};
use Channel as C;

/// Link-preview fetchers, most specific first.
pub const PREVIEWS: &[Fetcher] = &[
    // LINE fetches previews as "facebookexternalhit/1.1;line-poker/1.0"; must precede facebookexternalhit.
    f("line-poker", Anywhere, Some(C::Line)),
    // Apple's LinkPresentation (iMessage, but also Mail, Notes and any app using LPMetadataProvider)
    // sends a Safari UA + "facebookexternalhit/1.1 Facebot Twitterbot/1.0": a preview, app unknown.
    f("facebookexternalhit/1.1 facebot twitterbot/1.0", Anywhere, None),
    // Telegram: "TelegramBot (like TwitterBot)"; must precede twitterbot.
    f("telegrambot", Anywhere, Some(C::Telegram)),
    // WhatsApp: "WhatsApp/2.23.20.0 A" / "WhatsApp/2.21.12.21 i". Signal fetches previews with the very
    // same "WhatsApp/2…" UA, so this is WhatsApp-or-Signal; see `preview_channel`.
    f("whatsapp", Start, Some(C::Whatsapp)),
    // Slack: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "Slack-ImgProxy (…)",
    // "Slackbot 1.0 (…)".
    f("slackbot", Anywhere, Some(C::Slack)),
    f("slack-imgproxy", Anywhere, Some(C::Slack)),
    // Discord: "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)".
    f("discordbot", Anywhere, Some(C::Discord)),
    // LinkedIn: "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient …)".
    f("linkedinbot", Anywhere, Some(C::Linkedin)),
    // X: "Twitterbot/1.0".
    f("twitterbot", Anywhere, Some(C::X)),
    // Facebook, and Messenger/Instagram/Threads, which use the same fetcher:
    // "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)". Facebot is not
    // here on purpose: Facebook documents it as its ad-quality crawler, not the preview fetcher.
    f("facebookexternalhit", Anywhere, Some(C::Facebook)),
    // Teams (and the retired Skype): "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5".
    f("skypeuripreview", Anywhere, Some(C::Teams)),
    // Microsoft's shared fetcher for Teams, Outlook, OneDrive and Copilot:
    // "Mozilla/5.0 (compatible; MicrosoftPreview/2.0; +https://aka.ms/MicrosoftPreview)": app unknown.
    f("microsoftpreview/", Anywhere, None),
    // Yahoo Mail: "Mozilla/5.0 (compatible; Yahoo Link Preview; https://help.yahoo.com/kb/mail/…)".
    f("yahoo link preview", Anywhere, Some(C::Email)),
    // Viber: "Viber" or "Viber/20.9.0.8 CFNetwork/…" alone; Viber is not in our vocabulary.
    f("viber", Start, None),
    // Snapchat: "Snap URL Preview Service; bot; snapchat; …" and "(compatible; SnapURLPreview/1.0; …)".
    f("snap url preview", Anywhere, None),
    f("snapurlpreview", Anywhere, None),
    // Bluesky: "(compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)", "BlueskyPreviewBot/1.0".
    f("bluesky cardyb", Anywhere, None),
    f("blueskypreviewbot", Anywhere, None),
    // Mastodon servers: "http.rb/5.1.1 (Mastodon/4.2.1; +https://instance/)".
    f("mastodon/", Anywhere, None),
    // Mattermost servers: "Mattermost-Bot/1.1". Not plain "mattermost": its desktop app (a person)
    // carries "Mattermost/5.x".
    f("mattermost-bot", Anywhere, None),
    // Google Chat's unfurler ("Google-Chat…") and Google's older snippet fetcher for Hangouts/Chat
    // cards ("… Google-PageRenderer Google (+https://developers.google.com/+/web/snippet/)").
    f("google-chat", Anywhere, None),
    f("google-pagerenderer", Anywhere, None),
    // Pinterest: "Pinterestbot/1.0" and "Pinterest/0.2 (+https://www.pinterest.com/bot.html)"; not
    // "[Pinterest/Android]", its in-app browser.
    f("pinterestbot", Anywhere, None),
    f("pinterest/0.", Start, None),
    // Reddit: "Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)".
    f("redditbot", Anywhere, Some(C::Reddit)),
    // Tumblr: "Tumblr/14.0.835.186".
    f("tumblr/", Start, None),
    // Embed services used by many apps (Medium, Notion, Atlassian…): app unknown.
    f("embedly", Anywhere, None),
    f("iframely", Anywhere, None),
    // KakaoTalk: "kakaotalk-scrap/1.0; +https://devtalk.kakao.com/…"; not in our vocabulary.
    f("kakaotalk-scrap", Anywhere, None),
    // VK: "Mozilla/5.0 (compatible; vkShare; +http://vk.com/dev/Share)".
    f("vkshare", Anywhere, None),
    // XING: "XING-contenttabreceiver/2.0".
    f("xing-contenttabreceiver", Anywhere, None),
    // Steam chat: "Valve/Steam HTTP Client 1.0 (SteamChatURLLookup)".
    f("steamchaturllookup", Anywhere, None),
];

/// In-app browsers: a person reading inside an app. Tokens are lowercase; first match wins.
pub static IN_APP: &[(&str, Channel)] = &[
    // Messenger's browser carries Facebook's FBAN/FB_IAB tokens with its own app name, so it goes first:
    // iOS "[FBAN/MessengerForiOS;…]", Android "[FB_IAB/Orca-Android;FBAV/…]".
    ("fban/messenger", C::Messenger),
    ("fb_iab/orca-android", C::Messenger),
    ("fb_iab/messenger", C::Messenger),
    // Facebook: iOS "[FBAN/FBIOS;FBAV/…]", Android "[FB_IAB/FB4A;FBAV/…]", newer Android "MetaIAB Facebook".
    ("fban/", C::Facebook),
    ("fbav/", C::Facebook),
    ("fb_iab/", C::Facebook),
    ("metaiab facebook", C::Facebook),
    // WeChat (and WeCom): "MicroMessenger/8.0.47…".
    ("micromessenger/", C::Wechat),
    // WhatsApp's own browser tokens.
    ("[wa4a/", C::Whatsapp),
    ("[waios/", C::Whatsapp),
    // LINE: "… Safari Line/13.6.1" / "… Mobile Safari/537.36 Line/13.6.1/IAB". The leading space keeps
    // words like "Headline/" out.
    (" line/", C::Line),
    // LinkedIn: "… [LinkedInApp]/9.29.1960".
    ("linkedinapp", C::Linkedin),
    // X: "Twitter for iPhone/10.x", "TwitterAndroid/10.x".
    ("twitter for iphone", C::X),
    ("twitter for ipad", C::X),
    ("twitterandroid", C::X),
    // Apps outside our vocabulary: the arrival is real but its channel is "other".
    ("instagram", C::Other),
    ("musical_ly", C::Other),
    ("bytedancewebview", C::Other),
    ("snapchat", C::Other),
    ("kakaotalk", C::Other),
    ("[pinterest/", C::Other),
];

/// Bit `(a << 8) | b` is set when some fetcher's needle starts with the bytes `a b`: one pass over the
/// UA then skips almost every position without trying ~35 needles there (this runs for every click).
static PAIRS: [u64; 1024] = pairs(PREVIEWS);

const fn pairs(fetchers: &[Fetcher]) -> [u64; 1024] {
    let mut bits = [0u64; 1024];
    let mut i = 0;
    while i < fetchers.len() {
        let needle = fetchers[i].needle.as_bytes();
        let pair = ((needle[0] as usize) << 8) | needle[1] as usize;
        bits[pair >> 6] |= 1 << (pair & 63);
        i += 1;
    }
    bits
}

/// The first fetcher (in table order) whose needle occurs in the lowercased `ua`.
pub fn fetcher(ua: &[u8]) -> Option<&'static Fetcher> {
    let mut best: Option<usize> = None;
    for start in 0..ua.len().saturating_sub(1) {
        let pair = (usize::from(ua[start]) << 8) | usize::from(ua[start + 1]);
        if PAIRS[pair >> 6] & (1 << (pair & 63)) == 0 {
            continue;
        }
        let rest = &ua[start..];
        let limit = best.unwrap_or(PREVIEWS.len());
        let found = PREVIEWS[..limit]
            .iter()
            .position(|f| (start == 0 || f.at == Anywhere) && rest.starts_with(f.needle.as_bytes()));
        if found.is_some() {
            best = found;
        }
    }
    best.and_then(|i| PREVIEWS.get(i))
}

/// The in-app browser channel of a lowercased `ua`, if it is one.
pub fn in_app(ua: &[u8]) -> Option<Channel> {
    IN_APP.iter().find(|(needle, _)| super::contains(ua, needle.as_bytes())).map(|&(_, c)| c)
}
