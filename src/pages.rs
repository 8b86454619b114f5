//! Small HTML pages: the 404/410 answers of `GET /{code}` for people, and the OpenGraph page a
//! link-preview fetcher gets instead of a redirect.

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}";

/// The page for an unknown code (404) or an expired or disabled link (410).
pub fn missing(gone: bool) -> String {
    let (title, text) = if gone {
        ("This link has expired", "The person who shared it may have turned it off. Ask them for a fresh link.")
    } else {
        ("Link not found", "Check that the link was copied completely; short links are case-sensitive.")
    };
    format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><meta name=\"robots\" content=\"noindex\"><title>{title}</title><style>{STYLE}</style><h1>{title}</h1><p>{text}</p></html>"
    )
}

/// What a link-preview fetcher sees: OpenGraph tags for the target, and a plain link for people
/// whose client shows the page anyway.
pub fn preview(target: &str, title: Option<&str>) -> String {
    let host = url::Url::parse(target).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
    let title = escape(title.filter(|t| !t.trim().is_empty()).unwrap_or(&host));
    let target = escape(target);
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title><meta property=\"og:type\" content=\"website\"><meta property=\"og:title\" content=\"{title}\"><meta property=\"og:url\" content=\"{target}\"><meta property=\"og:site_name\" content=\"{host}\"><meta name=\"twitter:card\" content=\"summary\"><link rel=\"canonical\" href=\"{target}\"><meta name=\"robots\" content=\"noindex\"></head><body><p><a href=\"{target}\">{title}</a></p></body></html>",
        host = escape(&host)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_pages_escape_titles_and_urls() {
        let html = preview("https://example.com/p?a=1&b=\"2\"", Some("<script>x</script>"));
        assert!(html.contains("og:title\" content=\"&lt;script&gt;x&lt;/script&gt;\""));
        assert!(html.contains("og:url\" content=\"https://example.com/p?a=1&amp;b=&quot;2&quot;\""));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn preview_title_falls_back_to_the_host() {
        assert!(preview("https://example.com/p", None).contains("<title>example.com</title>"));
        assert!(preview("https://example.com/p", Some("  ")).contains("<title>example.com</title>"));
    }

    #[test]
    fn missing_pages_say_which_case_it_is() {
        assert!(missing(true).contains("expired"));
        assert!(missing(false).contains("not found"));
    }
}
