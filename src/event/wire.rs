//! The queue's wire format: one event per line, its fields separated by tabs, a field's own `\`,
//! tab and newline escaped as `\\`, `\t`, `\n`.
//!
//! Why not serde_json: its derived readers for these five records cost 20 KB of wasm (6 KB
//! gzipped, measured), on a worker whose upload is budgeted at 250 KB; the records are flat lists
//! of short fields, which this reads and writes in a few dozen lines. Adding a field to an event
//! means adding it here, at the end of its line; `tests` round-trips every variant.

use super::{Click, Converter, Event, GoalReached, Visit};
use crate::view_source::ViewSource;
use crate::Channel;

/// The lines of `events`.
pub fn encode(events: &[Event]) -> String {
    let mut out = String::new();
    for event in events {
        let fields: Vec<String> = match event {
            Event::View { id, site, minute, page, source } => vec!["view".into(), id.clone(), site.clone(), minute.to_string(), page.clone(), source.as_str().into()],
            Event::Click(c) => vec![
                "click".into(),
                c.site.clone(),
                c.minute.to_string(),
                c.page.clone(),
                c.channel.as_str().into(),
                c.depth.to_string(),
                flag(c.dark),
                c.share.clone(),
                flag(c.from_link),
                c.visitor.clone(),
                c.address.clone(),
                c.node.clone(),
                c.link.clone().unwrap_or_default(),
                flag(c.scan),
            ],
            Event::Copy { id, site, minute, page, text } => vec!["copy".into(), id.clone(), site.clone(), minute.to_string(), page.clone(), text.clone()],
            Event::Preview { site, minute, page, channel, link_fp, code, fetcher } => {
                vec!["preview".into(), site.clone(), minute.to_string(), page.clone(), channel.as_str().into(), link_fp.clone(), code.clone(), fetcher.clone()]
            }
            Event::LinkCreated { site, minute, page, channel, code, fp, parent, url, created_at } => vec![
                "link".into(),
                site.clone(),
                minute.to_string(),
                page.clone(),
                channel.as_str().into(),
                code.clone(),
                fp.clone(),
                parent.clone().unwrap_or_default(),
                url.clone(),
                created_at.to_string(),
            ],
            Event::Visit(v) => vec![
                "visit".into(),
                v.site.clone(),
                v.minute.to_string(),
                v.page.clone(),
                v.visitor.clone(),
                v.node.clone(),
                v.source.as_str().into(),
                v.channel.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            ],
            Event::Goal(g) => {
                let (cents, currency) = g.value.as_ref().map(|(c, cur)| (c.to_string(), cur.clone())).unwrap_or_default();
                // A snippet's goal names its visitor and address, a server's the view's node.
                let (visitor, address, node) = match &g.by {
                    Converter::Visitor { visitor, address } => (visitor.clone(), address.clone(), String::new()),
                    Converter::View { node } => (String::new(), String::new(), node.clone()),
                };
                vec!["goal".into(), g.id.clone(), g.site.clone(), g.minute.to_string(), g.page.clone(), g.name.clone(), cents, currency, visitor, address, node]
            }
        };
        let escaped: Vec<String> = fields.iter().map(|f| escape(f)).collect();
        out.push_str(&escaped.join("\t"));
        out.push('\n');
    }
    out
}

/// The events of `text`.
///
/// # Errors
/// A description of the first line that is not an event.
pub fn decode(text: &str) -> Result<Vec<Event>, String> {
    text.lines().filter(|l| !l.is_empty()).enumerate().map(|(n, line)| event(line).ok_or_else(|| format!("line {} is not an event", n + 1))).collect()
}

fn event(line: &str) -> Option<Event> {
    let fields: Vec<String> = line.split('\t').map(unescape).collect();
    let f = |i: usize| fields.get(i).cloned();
    let int = |i: usize| fields.get(i)?.parse::<i64>().ok();
    let channel = |i: usize| Channel::parse_any(fields.get(i)?);
    let yes = |i: usize| Some(fields.get(i)? == "1");
    let optional = |i: usize| fields.get(i).filter(|v| !v.is_empty()).cloned();
    match (fields.first()?.as_str(), fields.len()) {
        ("view", 6) => Some(Event::View { id: f(1)?, site: f(2)?, minute: int(3)?, page: f(4)?, source: ViewSource::parse(&fields[5])? }),
        ("click", 14) => Some(Event::Click(Click {
            site: f(1)?,
            minute: int(2)?,
            page: f(3)?,
            channel: channel(4)?,
            depth: fields[5].parse().ok()?,
            dark: yes(6)?,
            share: f(7)?,
            from_link: yes(8)?,
            visitor: f(9)?,
            address: f(10)?,
            node: f(11)?,
            link: optional(12),
            scan: yes(13)?,
        })),
        ("copy", 6) => Some(Event::Copy { id: f(1)?, site: f(2)?, minute: int(3)?, page: f(4)?, text: f(5)? }),
        ("preview", 8) => Some(Event::Preview { site: f(1)?, minute: int(2)?, page: f(3)?, channel: channel(4)?, link_fp: f(5)?, code: f(6)?, fetcher: f(7)? }),
        ("link", 10) => Some(Event::LinkCreated {
            site: f(1)?,
            minute: int(2)?,
            page: f(3)?,
            channel: channel(4)?,
            code: f(5)?,
            fp: f(6)?,
            parent: optional(7),
            url: f(8)?,
            created_at: int(9)?,
        }),
        ("visit", 8) => Some(Event::Visit(Visit {
            site: f(1)?,
            minute: int(2)?,
            page: f(3)?,
            visitor: f(4)?,
            node: f(5)?,
            source: ViewSource::parse(&fields[6])?,
            channel: if fields[7].is_empty() { None } else { Some(channel(7)?) },
        })),
        ("goal", 11) => {
            let value = match (fields[6].as_str(), fields[7].as_str()) {
                ("", "") => None,
                (cents, currency) => Some((cents.parse().ok()?, currency.to_owned())),
            };
            let by = match (fields[8].is_empty(), fields[10].is_empty()) {
                (false, true) => Converter::Visitor { visitor: f(8)?, address: f(9)? },
                (true, false) => Converter::View { node: f(10)? },
                _ => return None,
            };
            Some(Event::Goal(GoalReached { id: f(1)?, site: f(2)?, minute: int(3)?, page: f(4)?, name: f(5)?, value, by }))
        }
        _ => None,
    }
}

fn flag(on: bool) -> String {
    if on { "1" } else { "0" }.into()
}

fn escape(field: &str) -> String {
    field.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n")
}

fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<Event> {
        vec![
            Event::View { id: "a1".into(), site: "demo".into(), minute: 29_000_000, page: "https://e.com/a".into(), source: ViewSource::SelfVisit },
            Event::Click(Click {
                site: "demo".into(),
                minute: -5,
                page: "https://e.com/a?x=1".into(),
                channel: Channel::Qr,
                depth: 127,
                dark: true,
                share: "fp".into(),
                from_link: true,
                visitor: "v".repeat(32),
                address: "ad".into(),
                node: "n1".into(),
                link: Some("abc1234".into()),
                scan: true,
            }),
            Event::Click(Click {
                site: "demo".into(),
                minute: 1,
                page: "p".into(),
                channel: Channel::Dark,
                depth: 1,
                dark: false,
                share: "fp".into(),
                from_link: false,
                visitor: "v".into(),
                address: "a".into(),
                node: "n".into(),
                link: None,
                scan: false,
            }),
            Event::Copy { id: "c".into(), site: "demo".into(), minute: 3, page: "p".into(), text: "tabs\tand\nnewlines \\t and backslashes \\".into() },
            Event::Copy { id: "c2".into(), site: "demo".into(), minute: 3, page: "p".into(), text: String::new() },
            Event::Visit(Visit { site: "demo".into(), minute: 4, page: "p".into(), visitor: "v".into(), node: "n".into(), source: ViewSource::DarkSocial, channel: Some(Channel::Whatsapp) }),
            Event::Visit(Visit { site: "demo".into(), minute: 4, page: "p".into(), visitor: "v".into(), node: "n".into(), source: ViewSource::Internal, channel: None }),
            Event::Goal(GoalReached { id: "g".into(), site: "demo".into(), minute: 5, page: "p".into(), name: "Sign up: 2".into(), value: Some((5990, "EUR".into())), by: Converter::Visitor { visitor: "v".into(), address: "a".into() } }),
            Event::Goal(GoalReached { id: "g2".into(), site: "demo".into(), minute: 5, page: String::new(), name: "buy".into(), value: None, by: Converter::View { node: "n".into() } }),
            Event::Preview { site: "demo".into(), minute: 4, page: "p".into(), channel: Channel::Slack, link_fp: "l".into(), code: "abc".into(), fetcher: "f".into() },
            Event::LinkCreated {
                site: "demo".into(),
                minute: 5,
                page: "p".into(),
                channel: Channel::Whatsapp,
                code: "abc".into(),
                fp: "fp".into(),
                parent: None,
                url: "https://e.com/p".into(),
                created_at: 1_700_000_000_000,
            },
        ]
    }

    #[test]
    fn every_event_comes_back_equal() {
        let events = every_kind();
        let text = encode(&events);
        assert_eq!(text.lines().count(), events.len(), "one line per event, whatever the text holds");
        assert_eq!(decode(&text).unwrap(), events);
    }

    #[test]
    fn anything_else_is_refused_not_guessed() {
        for bad in ["view\tonly", "nope\t1", "click\t1\t2", "view\ta\tb\tnot-a-number\tp\tdirect", "view\ta\tb\t1\tp\tunknown-source"] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
        assert_eq!(decode("").unwrap(), vec![]);
    }
}
