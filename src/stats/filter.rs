//! The report's filter and comparison (`GET /api/stats?page=…&compare=previous`): what the query
//! asks for, validated before any read.
//!
//! `page` names one page as the report lists it in `pages`: an absolute http(s) URL without query
//! or fragment (views and clicks are counted under that form, `workflow::view`). It is parsed with
//! the checks every untrusted URL gets and then compared in its serialized form, so
//! `https://Example.com/a` finds the page listed as `https://example.com/a`. A page nothing was
//! counted on is not an error: its report is all zeros.

use crate::target::parse_http_url;
use crate::{Error, Result};

/// What a report is restricted to and compared with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// The one page every figure is restricted to; `None` for the whole site.
    pub page: Option<String>,
    /// Whether to add the previous period's totals (`compare=previous`).
    pub compare_previous: bool,
}

impl Filter {
    /// Parses the query's `page` and `compare` (each optional).
    ///
    /// # Errors
    /// `Error::BadField` (`page`) for anything but an http(s) URL without query or fragment, and
    /// (`compare`) for any value but `previous`.
    pub fn parse(page: Option<&str>, compare: Option<&str>) -> Result<Filter> {
        let page = page.map(page_url).transpose()?;
        let compare_previous = match compare {
            None => false,
            Some("previous") => true,
            Some(_) => return Err(Error::field("compare", "the only comparison is compare=previous")),
        };
        Ok(Filter { page, compare_previous })
    }
}

/// A page as the report lists it, or why `raw` cannot be one.
fn page_url(raw: &str) -> Result<String> {
    let url = parse_http_url(raw).map_err(|e| Error::field("page", format!("a page is a URL as listed in \"pages\": {e}")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::field("page", "a page as listed in \"pages\" has no query or fragment"));
    }
    Ok(url.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_parameters_is_the_whole_site_without_comparison() {
        assert_eq!(Filter::parse(None, None).unwrap(), Filter::default());
    }

    #[test]
    fn a_page_is_kept_in_the_form_pages_lists() {
        let f = Filter::parse(Some("https://Example.com/a"), Some("previous")).unwrap();
        assert_eq!(f, Filter { page: Some("https://example.com/a".into()), compare_previous: true });
        assert_eq!(Filter::parse(Some("http://localhost:8787"), None).unwrap().page.as_deref(), Some("http://localhost:8787/"));
    }

    #[test]
    fn anything_else_is_a_bad_field() {
        for bad in ["", "example.com/a", "javascript:alert(1)", "https://e.com/a?x=1", "https://e.com/a#ds=x", "https://u@e.com/", "https://e.com/\u{7}"] {
            let err = Filter::parse(Some(bad), None).unwrap_err();
            assert_eq!(err.code(), "bad_field", "{bad:?}");
            assert!(matches!(err, Error::BadField { field: "page", .. }), "{bad:?}");
        }
        let long = format!("https://e.com/{}", "a".repeat(3000));
        assert!(Filter::parse(Some(&long), None).is_err());
        for bad in ["", "next", "Previous"] {
            assert!(matches!(Filter::parse(None, Some(bad)), Err(Error::BadField { field: "compare", .. })), "{bad:?}");
        }
    }
}
