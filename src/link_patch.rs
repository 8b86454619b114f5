//! `PATCH /api/links/{code}`: what a marketer may change on a link, validated as a whole before
//! anything is written.
//!
//! Each field is optional; `null` clears `expires_at` and `title`, an absent field leaves it as it
//! is. The link's KV record is the one that changes (the redirect reads nothing else).

use crate::link::{Link, MAX_TITLE_CHARS};
use crate::time::parse_rfc3339_ms;
use crate::{Error, Result};
use serde::{Deserialize, Deserializer};

/// The body of a `PATCH`. `Some(None)` is an explicit `null`, `None` an absent field.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkPatch {
    pub disabled: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    pub expires_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub title: Option<Option<String>>,
}

/// Marks a field that was in the body, `null` included.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> std::result::Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl LinkPatch {
    /// The record with the patch applied, or the first thing wrong with the patch.
    ///
    /// # Errors
    /// `Error::BadDate` for an `expires_at` that is not RFC 3339 or not in the future;
    /// `Error::BadField` for a title longer than 200 characters.
    pub fn apply(&self, link: &Link, now_ms: i64) -> Result<Link> {
        let mut next = link.clone();
        if let Some(disabled) = self.disabled {
            next.disabled = disabled;
        }
        if let Some(expires_at) = &self.expires_at {
            next.expires_at = expires_at.as_deref().map(parse_rfc3339_ms).transpose()?;
            if next.expires_at.is_some_and(|t| t <= now_ms) {
                return Err(Error::BadDate("expires_at must be in the future".into()));
            }
        }
        if let Some(title) = &self.title {
            next.title = title.as_deref().map(clean_title).transpose()?.filter(|t| !t.is_empty());
        }
        Ok(next)
    }
}

/// A title without control characters, at most `MAX_TITLE_CHARS` long.
fn clean_title(raw: &str) -> Result<String> {
    let title: String = raw.chars().filter(|c| !c.is_control()).collect();
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::field("title", format!("at most {MAX_TITLE_CHARS} characters")));
    }
    Ok(title.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Channel;

    fn link() -> Link {
        Link {
            site: "demo".into(),
            url: "https://example.com/".into(),
            channel: Channel::Email,
            fp: "f".repeat(21),
            parent: None,
            utm: true,
            expires_at: Some(5_000),
            disabled: false,
            created_at: 1_000,
            title: Some("Spring".into()),
            marketer: true,
        }
    }

    fn patch(json: &str) -> Result<Link> {
        let patch: LinkPatch = serde_json::from_str(json).map_err(|e| Error::BadJson(e.to_string()))?;
        patch.apply(&link(), 2_000)
    }

    #[test]
    fn an_empty_patch_changes_nothing() {
        assert_eq!(patch("{}").unwrap(), link());
    }

    #[test]
    fn disabling_and_enabling_flip_only_the_flag() {
        let off = patch(r#"{"disabled": true}"#).unwrap();
        assert!(off.disabled);
        assert_eq!(Link { disabled: false, ..off }, link());
    }

    #[test]
    fn null_clears_and_absent_keeps() {
        let cleared = patch(r#"{"expires_at": null, "title": null}"#).unwrap();
        assert_eq!((cleared.expires_at, cleared.title), (None, None));
        let kept = patch(r#"{"disabled": false}"#).unwrap();
        assert_eq!((kept.expires_at, kept.title.as_deref()), (Some(5_000), Some("Spring")));
    }

    #[test]
    fn a_new_expiry_must_be_rfc3339_and_in_the_future() {
        assert_eq!(patch(r#"{"expires_at": "1970-01-01T00:00:03Z"}"#).unwrap().expires_at, Some(3_000));
        assert!(matches!(patch(r#"{"expires_at": "1970-01-01T00:00:02Z"}"#), Err(Error::BadDate(_))));
        assert!(matches!(patch(r#"{"expires_at": "tomorrow"}"#), Err(Error::BadDate(_))));
    }

    #[test]
    fn titles_lose_control_characters_and_may_have_200_characters() {
        assert_eq!(patch(r#"{"title": "Sale\u0007 2026"}"#).unwrap().title.as_deref(), Some("Sale 2026"));
        let long = "ä".repeat(200);
        assert_eq!(patch(&format!(r#"{{"title": "{long}"}}"#)).unwrap().title, Some(long));
        let too_long = "ä".repeat(201);
        assert!(matches!(patch(&format!(r#"{{"title": "{too_long}"}}"#)), Err(Error::BadField { field: "title", .. })));
        assert_eq!(patch(r#"{"title": "  "}"#).unwrap().title, None, "a blank title is no title");
    }

    #[test]
    fn unknown_fields_and_wrong_types_are_refused() {
        for bad in [r#"{"url": "https://evil.example/"}"#, r#"{"disabled": "yes"}"#, r#"{"title": 5}"#, "[]"] {
            assert!(matches!(patch(bad), Err(Error::BadJson(_))), "{bad}");
        }
    }
}
