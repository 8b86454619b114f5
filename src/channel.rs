//! `Channel`: where a share was sent or where a click came from.
//!
//! The first eighteen variants are the channels a share button may name (the contract's list). The
//! last three only come out of arrival classification (`source.rs`): `Dark` is a click with no
//! referrer and nothing else to go on (an unknown private channel), `Web` a click from a public web
//! page that is not a known social or messaging host, `Qr` a short link scanned from its QR code.

use serde::{Deserialize, Serialize};

/// A share or arrival channel. Serialized as its lowercase contract name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Whatsapp,
    Telegram,
    Signal,
    Messenger,
    Sms,
    Email,
    Slack,
    Discord,
    Teams,
    Line,
    Wechat,
    Linkedin,
    X,
    Facebook,
    Reddit,
    Copy,
    Native,
    Other,
    /// Classification only: no referrer, no hint: a private channel we cannot name.
    Dark,
    /// Classification only: a public web page that is not a known social or messaging host.
    Web,
    /// Classification only: offline, scanned (a short link opened from its QR code, `?qr=1`).
    Qr,
}

impl Channel {
    /// Every channel a share button or a marketer may name when creating a link.
    pub const SHAREABLE: [Channel; 18] = [
        Channel::Whatsapp,
        Channel::Telegram,
        Channel::Signal,
        Channel::Messenger,
        Channel::Sms,
        Channel::Email,
        Channel::Slack,
        Channel::Discord,
        Channel::Teams,
        Channel::Line,
        Channel::Wechat,
        Channel::Linkedin,
        Channel::X,
        Channel::Facebook,
        Channel::Reddit,
        Channel::Copy,
        Channel::Native,
        Channel::Other,
    ];

    /// The contract name, e.g. `"whatsapp"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Whatsapp => "whatsapp",
            Channel::Telegram => "telegram",
            Channel::Signal => "signal",
            Channel::Messenger => "messenger",
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Slack => "slack",
            Channel::Discord => "discord",
            Channel::Teams => "teams",
            Channel::Line => "line",
            Channel::Wechat => "wechat",
            Channel::Linkedin => "linkedin",
            Channel::X => "x",
            Channel::Facebook => "facebook",
            Channel::Reddit => "reddit",
            Channel::Copy => "copy",
            Channel::Native => "native",
            Channel::Other => "other",
            Channel::Dark => "dark",
            Channel::Web => "web",
            Channel::Qr => "qr",
        }
    }

    /// Parses a channel a share may be created for; `dark` and `web` are not among them.
    ///
    /// # Errors
    /// `Error::BadChannel` for anything else.
    pub fn parse_shareable(raw: &str) -> Result<Channel, crate::Error> {
        Channel::SHAREABLE
            .into_iter()
            .find(|c| c.as_str() == raw)
            .ok_or_else(|| crate::Error::BadChannel(raw.chars().take(40).collect()))
    }

    /// Parses any channel name, including the classification-only ones (used when reading rollups).
    pub fn parse_any(raw: &str) -> Option<Channel> {
        Channel::SHAREABLE
            .into_iter()
            .chain([Channel::Dark, Channel::Web, Channel::Qr])
            .find(|c| c.as_str() == raw)
    }

    /// Whether a click through this channel is invisible to ordinary web analytics (a private
    /// conversation rather than a public page).
    pub fn is_private(self) -> bool {
        matches!(
            self,
            Channel::Whatsapp
                | Channel::Telegram
                | Channel::Signal
                | Channel::Messenger
                | Channel::Sms
                | Channel::Email
                | Channel::Slack
                | Channel::Discord
                | Channel::Teams
                | Channel::Line
                | Channel::Wechat
                | Channel::Copy
                | Channel::Native
                | Channel::Dark
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shareable_channel_round_trips_through_its_name() {
        for c in Channel::SHAREABLE {
            assert_eq!(Channel::parse_shareable(c.as_str()).unwrap(), c);
            assert_eq!(Channel::parse_any(c.as_str()), Some(c));
        }
    }

    #[test]
    fn classification_only_channels_cannot_be_shared_to() {
        assert!(Channel::parse_shareable("dark").is_err());
        assert!(Channel::parse_shareable("web").is_err());
        assert!(Channel::parse_shareable("WhatsApp").is_err());
        assert_eq!(Channel::parse_any("dark"), Some(Channel::Dark));
    }

    #[test]
    fn serde_uses_the_contract_names() {
        assert_eq!(serde_json::to_string(&Channel::Whatsapp).unwrap(), "\"whatsapp\"");
        assert_eq!(serde_json::from_str::<Channel>("\"x\"").unwrap(), Channel::X);
    }
}
