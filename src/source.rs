//! Which channel an arrival came through, and whether it was "dark".
//!
//! Evidence is weighed in a fixed order, first answer wins:
//! 1. the short link's own channel (`link_channel`): whoever made the link said where it was sent;
//! 2. the referrer, when it names a known app or host (`android-app://org.telegram.messenger`,
//!    `mail.google.com`, `t.co`, …);
//! 3. the in-app browser token in the user agent (`FBAN/`, `MicroMessenger/`, `Line/`, …);
//! 4. the snippet's hint (e.g. `"telegram"` when `window.TelegramWebview` exists);
//! 5. any other parseable web referrer → [`Channel::Web`];
//! 6. nothing → [`Channel::Dark`].
//!
//! An arrival is dark when there is no usable referrer, or when its channel or its referrer is a
//! private one (messengers, email, sms: [`Channel::is_private`]): ordinary analytics would call it
//! "direct" or could not say which conversation it came from. Public social (x, facebook, linkedin,
//! reddit) and the web are not dark. A referrer that does not parse as a URL with a host (garbage,
//! `android-app://`, `https://`) is treated as absent, never as an error.

use crate::agents;
use crate::Channel;
use url::Url;

/// The channel of an arrival and whether it is "dark" (invisible to ordinary web analytics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub channel: Channel,
    pub dark: bool,
}

/// What a request shows about where it came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// The `Referer` header or `document.referrer`; empty or absent when none.
    pub referrer: Option<&'a str>,
    pub user_agent: &'a str,
    /// A hint from the snippet, e.g. `"telegram"` when `window.TelegramWebview` exists.
    pub hint: Option<&'a str>,
    /// The channel of the short link the click went through, if any.
    pub link_channel: Option<Channel>,
}

/// What a referrer says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Referrer {
    /// None, or nothing usable (unparseable, no host, an app we do not know).
    Absent,
    /// A known app or host.
    Known(Channel),
    /// Some other web page.
    Web,
}

/// Classifies an arrival.
pub fn classify(evidence: &Evidence<'_>) -> Source {
    let referrer = evidence.referrer.map_or(Referrer::Absent, referrer);
    let absent = referrer == Referrer::Absent;
    let private_referrer = matches!(referrer, Referrer::Known(c) if c.is_private());
    let channel = evidence
        .link_channel
        .or(match referrer {
            Referrer::Known(c) => Some(c),
            _ => None,
        })
        .or_else(|| agents::in_app_channel(evidence.user_agent))
        .or_else(|| evidence.hint.and_then(hint))
        .unwrap_or(if absent { Channel::Dark } else { Channel::Web });
    Source { channel, dark: absent || private_referrer || channel.is_private() }
}

/// A snippet hint names any shareable channel, in any case; anything else is ignored.
fn hint(raw: &str) -> Option<Channel> {
    let raw = raw.trim();
    // Channel names are short; a long hint is not one (and is not worth lowercasing).
    if raw.len() > 16 {
        return None;
    }
    Channel::parse_shareable(&raw.to_ascii_lowercase()).ok()
}

/// Longest referrer looked at: real ones are far shorter, and parsing is not free on the hot path.
const MAX_REFERRER: usize = 4096;

fn referrer(raw: &str) -> Referrer {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > MAX_REFERRER {
        return Referrer::Absent;
    }
    let Ok(url) = Url::parse(raw) else { return Referrer::Absent };
    // `url` lowercases the host of http(s) URLs but not of other schemes (android-app://com.Slack).
    let Some(host) = url.host_str().map(|h| h.trim_end_matches('.').to_ascii_lowercase()) else {
        return Referrer::Absent;
    };
    if host.is_empty() {
        return Referrer::Absent;
    }
    match url.scheme() {
        // The Google app (Discover, search) is a public web surface, not a conversation.
        "android-app" if host == "com.google.android.googlequicksearchbox" => Referrer::Web,
        "android-app" => app(&host).map_or(Referrer::Absent, Referrer::Known),
        "http" | "https" => web_host(&host).map_or(Referrer::Web, Referrer::Known),
        _ => Referrer::Absent,
    }
}

/// Android apps by package name (Chrome sends `android-app://<package>/` for app-opened links).
/// An unknown package is a private app we cannot name, so it counts as no referrer.
fn app(package: &str) -> Option<Channel> {
    const APPS: &[(&str, Channel)] = &[
        ("org.telegram.messenger", Channel::Telegram),
        ("org.telegram.plus", Channel::Telegram),
        ("org.thunderdog.challegram", Channel::Telegram), // Telegram X
        ("com.whatsapp", Channel::Whatsapp),
        ("com.whatsapp.w4b", Channel::Whatsapp), // WhatsApp Business
        ("org.thoughtcrime.securesms", Channel::Signal),
        ("com.facebook.orca", Channel::Messenger),
        ("com.facebook.mlite", Channel::Messenger),
        ("com.facebook.katana", Channel::Facebook),
        ("com.facebook.lite", Channel::Facebook),
        ("com.google.android.apps.messaging", Channel::Sms), // Google Messages
        ("com.samsung.android.messaging", Channel::Sms),
        ("com.google.android.gm", Channel::Email), // Gmail
        ("com.google.android.gm.lite", Channel::Email),
        ("com.microsoft.office.outlook", Channel::Email),
        ("com.yahoo.mobile.client.android.mail", Channel::Email),
        ("ch.protonmail.android", Channel::Email),
        ("com.samsung.android.email.provider", Channel::Email),
        ("com.slack", Channel::Slack),
        ("com.discord", Channel::Discord),
        ("com.microsoft.teams", Channel::Teams),
        ("com.skype.raider", Channel::Teams), // Skype, retired into Teams
        ("jp.naver.line.android", Channel::Line),
        ("com.tencent.mm", Channel::Wechat),
        ("com.linkedin.android", Channel::Linkedin),
        ("com.twitter.android", Channel::X),
        ("com.reddit.frontpage", Channel::Reddit),
        ("com.instagram.android", Channel::Other),
        ("com.zhiliaoapp.musically", Channel::Other), // TikTok
        ("com.snapchat.android", Channel::Other),
        ("com.viber.voip", Channel::Other),
    ];
    APPS.iter().find(|(p, _)| *p == package).map(|&(_, c)| c)
}

/// Web hosts: `(domain, channel)`, matching the domain itself and any subdomain of it.
const HOSTS: &[(&str, Channel)] = &[
    // Webmail.
    ("mail.google.com", Channel::Email),
    ("inbox.google.com", Channel::Email),
    ("outlook.live.com", Channel::Email),
    ("outlook.office.com", Channel::Email),
    ("outlook.office365.com", Channel::Email),
    ("outlook.cloud.microsoft", Channel::Email),
    ("mail.yahoo.com", Channel::Email),
    ("mail.aol.com", Channel::Email),
    ("mail.proton.me", Channel::Email),
    ("mail.protonmail.com", Channel::Email),
    ("app.fastmail.com", Channel::Email),
    ("app.tuta.com", Channel::Email),
    ("mail.tutanota.com", Channel::Email),
    ("mail.zoho.com", Channel::Email),
    ("mail.zoho.eu", Channel::Email),
    ("e.mail.ru", Channel::Email),
    ("mail.qq.com", Channel::Email),
    ("navigator.web.de", Channel::Email),
    ("3c.web.de", Channel::Email),
    ("navigator.gmx.net", Channel::Email),
    ("3c.gmx.net", Channel::Email),
    ("navigator.gmx.com", Channel::Email),
    ("mail.gmx.com", Channel::Email),
    // Messengers on the web.
    ("web.whatsapp.com", Channel::Whatsapp),
    ("wa.me", Channel::Whatsapp),
    ("web.telegram.org", Channel::Telegram),
    ("t.me", Channel::Telegram),
    ("messenger.com", Channel::Messenger),
    ("slack.com", Channel::Slack), // app.slack.com and every workspace.slack.com
    ("slack-redir.net", Channel::Slack), // Slack's link redirector
    ("discord.com", Channel::Discord),
    ("discordapp.com", Channel::Discord),
    ("teams.microsoft.com", Channel::Teams),
    ("teams.live.com", Channel::Teams),
    ("teams.cloud.microsoft", Channel::Teams),
    ("statics.teams.cdn.office.net", Channel::Teams), // Teams' safe-links page
    ("web.skype.com", Channel::Teams),
    ("line.me", Channel::Line),
    ("weixin.qq.com", Channel::Wechat),
    // Public social.
    ("t.co", Channel::X),
    ("x.com", Channel::X),
    ("twitter.com", Channel::X),
    ("facebook.com", Channel::Facebook), // l., lm., m., www.
    ("fb.com", Channel::Facebook),
    ("linkedin.com", Channel::Linkedin),
    ("lnkd.in", Channel::Linkedin),
    ("reddit.com", Channel::Reddit), // www., old., out.
    ("redd.it", Channel::Reddit),
    ("instagram.com", Channel::Other), // l.instagram.com
    ("threads.net", Channel::Other),
    ("threads.com", Channel::Other),
];

/// The channel of a (lowercase) web host, if it is a known one.
fn web_host(host: &str) -> Option<Channel> {
    let known = HOSTS.iter().find(|(domain, _)| {
        host == *domain || host.strip_suffix(domain).is_some_and(|sub| sub.ends_with('.'))
    });
    if let Some(&(_, channel)) = known {
        return Some(channel);
    }
    // Webmail of other providers and companies: mail.<domain> / webmail.<domain> with at least three
    // labels (so "mail.ru", a portal, is not one).
    let webmail = (host.starts_with("mail.") || host.starts_with("webmail.")) && host.matches('.').count() >= 2;
    webmail.then_some(Channel::Email)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    const FB_IOS: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/440.0.0.32.105;FBBV/123]";
    const WECHAT: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44(0x18002c2d) NetType/WIFI Language/zh_CN";
    const LINE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.3.0";
    const INSTAGRAM: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0 Mobile Safari/537.36 Instagram 312.0.0.32.112 Android";

    /// (referrer, user agent, hint, link channel) → (channel, dark).
    type Case = (Option<&'static str>, &'static str, Option<&'static str>, Option<Channel>, Channel, bool);

    use Channel as C;
    const CASES: &[Case] = &[
        // 1. The link's channel wins; dark follows the referrer and the channel.
        (None, CHROME, None, Some(C::Whatsapp), C::Whatsapp, true),
        (Some(""), CHROME, None, Some(C::X), C::X, true),
        (Some("https://t.co/abc"), CHROME, None, Some(C::X), C::X, false),
        (Some("https://web.whatsapp.com/"), CHROME, None, Some(C::X), C::X, true),
        (Some("https://example.org/blog"), CHROME, None, Some(C::Linkedin), C::Linkedin, false),
        (Some("https://example.org/blog"), CHROME, None, Some(C::Copy), C::Copy, true),
        (Some("https://mail.google.com/mail/u/0/"), FB_IOS, Some("telegram"), Some(C::Slack), C::Slack, true),
        // 2. Android app referrers.
        (Some("android-app://org.telegram.messenger/"), CHROME, None, None, C::Telegram, true),
        (Some("android-app://com.Slack/"), CHROME, None, None, C::Slack, true),
        (Some("android-app://com.google.android.gm"), CHROME, None, None, C::Email, true),
        (Some("android-app://com.whatsapp/"), CHROME, None, None, C::Whatsapp, true),
        (Some("android-app://com.discord/"), CHROME, None, None, C::Discord, true),
        (Some("android-app://com.linkedin.android/"), CHROME, None, None, C::Linkedin, false),
        (Some("android-app://com.twitter.android/"), CHROME, None, None, C::X, false),
        (Some("android-app://com.reddit.frontpage/"), CHROME, None, None, C::Reddit, false),
        (Some("android-app://com.google.android.googlequicksearchbox/"), CHROME, None, None, C::Web, false),
        (Some("android-app://com.example.unknown/"), CHROME, None, None, C::Dark, true),
        // 3. Web hosts, including subdomains and uppercase.
        (Some("https://mail.google.com/mail/u/0/#inbox"), CHROME, None, None, C::Email, true),
        (Some("https://outlook.live.com/"), CHROME, None, None, C::Email, true),
        (Some("https://outlook.office365.com/mail/"), CHROME, None, None, C::Email, true),
        (Some("https://us-mg6.mail.yahoo.com/d/folders/1"), CHROME, None, None, C::Email, true),
        (Some("https://mail.proton.me/u/0/inbox"), CHROME, None, None, C::Email, true),
        (Some("https://mail.yandex.ru/"), CHROME, None, None, C::Email, true),
        (Some("https://navigator.web.de/"), CHROME, None, None, C::Email, true),
        (Some("https://webmail.example-company.de/"), CHROME, None, None, C::Email, true),
        (Some("https://mail.ru/"), CHROME, None, None, C::Web, false),
        (Some("https://t.co/"), CHROME, None, None, C::X, false),
        (Some("https://X.COM/someone/status/1"), CHROME, None, None, C::X, false),
        (Some("https://l.facebook.com/l.php?u=x"), CHROME, None, None, C::Facebook, false),
        (Some("https://lm.facebook.com/"), CHROME, None, None, C::Facebook, false),
        (Some("https://l.messenger.com/"), CHROME, None, None, C::Messenger, true),
        (Some("https://lnkd.in/abc"), CHROME, None, None, C::Linkedin, false),
        (Some("https://www.linkedin.com/feed/"), CHROME, None, None, C::Linkedin, false),
        (Some("https://out.reddit.com/t3_x"), CHROME, None, None, C::Reddit, false),
        (Some("https://web.whatsapp.com/"), CHROME, None, None, C::Whatsapp, true),
        (Some("https://web.telegram.org/k/"), CHROME, None, None, C::Telegram, true),
        (Some("https://app.slack.com/client/T1/C1"), CHROME, None, None, C::Slack, true),
        (Some("https://discord.com/channels/1/2"), CHROME, None, None, C::Discord, true),
        (Some("https://teams.microsoft.com/"), CHROME, None, None, C::Teams, true),
        (Some("https://web.skype.com/"), CHROME, None, None, C::Teams, true),
        (Some("https://facebook.com.evil.example/"), CHROME, None, None, C::Web, false),
        (Some("https://notfacebook.com/"), CHROME, None, None, C::Web, false),
        (Some("https://mail.google.com./"), CHROME, None, None, C::Email, true),
        // A known referrer beats the in-app token and the hint.
        (Some("https://t.co/x"), WECHAT, Some("telegram"), None, C::X, false),
        // 4. In-app browsers, with or without a referrer of their own.
        (None, FB_IOS, None, None, C::Facebook, true),
        (None, WECHAT, None, None, C::Wechat, true),
        (None, LINE, Some("telegram"), None, C::Line, true),
        (None, INSTAGRAM, None, None, C::Other, true),
        (Some("https://some-blog.example/"), FB_IOS, None, None, C::Facebook, false),
        // 5. The snippet's hint.
        (None, CHROME, Some("telegram"), None, C::Telegram, true),
        (None, CHROME, Some(" Telegram "), None, C::Telegram, true),
        (None, CHROME, Some("signal"), None, C::Signal, true),
        (None, CHROME, Some("dark"), None, C::Dark, true),
        (None, CHROME, Some("nonsense-that-is-way-too-long-to-be-a-channel"), None, C::Dark, true),
        (Some("https://news.example.com/"), CHROME, Some("reddit"), None, C::Reddit, false),
        // 6. Any other web page, and nothing at all.
        (Some("https://www.google.com/"), CHROME, None, None, C::Web, false),
        (Some("http://192.168.1.1:8080/x"), CHROME, None, None, C::Web, false),
        (None, CHROME, None, None, C::Dark, true),
        (None, "", None, None, C::Dark, true),
        // Garbage referrers are no referrer.
        (Some("not a url"), CHROME, None, None, C::Dark, true),
        (Some("android-app://"), CHROME, None, None, C::Dark, true),
        (Some("https://"), CHROME, None, None, C::Dark, true),
        (Some("://t.co"), CHROME, None, None, C::Dark, true),
        (Some("t.co/abc"), CHROME, None, None, C::Dark, true),
        (Some("about:blank"), CHROME, None, None, C::Dark, true),
        (Some("file:///etc/passwd"), CHROME, None, None, C::Dark, true),
        (Some("https://bücher.example/"), CHROME, None, None, C::Dark, true),
        (Some("   "), CHROME, None, None, C::Dark, true),
        (Some("\u{0}\u{7f}\u{ff}"), CHROME, None, None, C::Dark, true),
    ];

    /// Every case row gets its channel and dark flag; failures are listed together.
    #[test]
    fn every_case_is_classified_as_listed() {
        let mut failures = Vec::new();
        for (i, &(referrer, user_agent, hint, link_channel, channel, dark)) in CASES.iter().enumerate() {
            let got = classify(&Evidence { referrer, user_agent, hint, link_channel });
            if got != (Source { channel, dark }) {
                failures.push(format!("case {i}: {referrer:?} {hint:?} {link_channel:?}: want {channel:?}/{dark}, got {got:?}"));
            }
        }
        assert!(CASES.len() >= 40);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Very long referrers are not parsed (and do not panic), with or without a known host.
    #[test]
    fn very_long_referrers_are_ignored() {
        let long = format!("https://t.co/{}", "a".repeat(100_000));
        let got = classify(&Evidence { referrer: Some(&long), user_agent: CHROME, ..Evidence::default() });
        assert_eq!(got, Source { channel: Channel::Dark, dark: true });
        let host = format!("https://{}.example/", "a".repeat(3_000));
        let got = classify(&Evidence { referrer: Some(&host), user_agent: CHROME, ..Evidence::default() });
        assert_eq!(got.dark, got.channel == Channel::Dark);
    }

    /// The default evidence (nothing known) is a dark arrival.
    #[test]
    fn no_evidence_is_dark() {
        assert_eq!(classify(&Evidence::default()), Source { channel: Channel::Dark, dark: true });
    }
}
