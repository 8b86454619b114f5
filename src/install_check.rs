//! The install check: which hosts a site's snippet has been seen on. A counted page view names its
//! page; its host is where the snippet runs. The console shows, per registered host, whether a view
//! from it was counted in the last 7 days (`GET /api/sites/{id}` `seen_hosts`).

use crate::event::Event;

/// `(site, host, ms)` for every site and host among `events`' page views, each once, with its
/// latest view's time (the start of its minute).
pub fn seen_hosts(events: &[Event]) -> Vec<(String, String, i64)> {
    let mut seen: Vec<(String, String, i64)> = Vec::new();
    for event in events {
        let Event::View { site, minute, page, .. } = event else { continue };
        let Some(host) = url::Url::parse(page).ok().and_then(|u| u.host_str().map(str::to_owned)) else { continue };
        let at = minute * 60_000;
        match seen.iter_mut().find(|(s, h, _)| s == site && *h == host) {
            Some(row) => row.2 = row.2.max(at),
            None => seen.push((site.clone(), host, at)),
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view_source::ViewSource;

    fn view(site: &str, minute: i64, page: &str) -> Event {
        Event::View { id: format!("{site}{minute}"), site: site.into(), minute, page: page.into(), source: ViewSource::Direct, viewer: None }
    }

    #[test]
    fn each_site_and_host_once_with_its_latest_view() {
        let events = [
            view("a", 10, "https://example.com/x"),
            view("a", 12, "https://example.com/y"),
            view("a", 11, "https://www.example.com/"),
            view("b", 5, "https://example.com/"),
            view("b", 6, "not a url"),
        ];
        assert_eq!(seen_hosts(&events), vec![
            ("a".into(), "example.com".into(), 720_000),
            ("a".into(), "www.example.com".into(), 660_000),
            ("b".into(), "example.com".into(), 300_000),
        ]);
    }
}
