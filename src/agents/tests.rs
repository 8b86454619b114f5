//! Table tests for `agents`: every row of `tests/fixtures/user-agents.tsv` (hand-checked browsers,
//! in-app browsers and preview fetchers, then every example of the crawler-user-agents corpus).

use super::*;
use std::time::Instant;

const FIXTURE: &str = include_str!("../../tests/fixtures/user-agents.tsv");

struct Row<'a> {
    line: usize,
    class: &'a str,
    channel: Option<Channel>,
    ua: &'a str,
}

fn rows() -> Vec<Row<'static>> {
    FIXTURE
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let mut cols = l.splitn(3, '\t');
            let (class, channel, ua) = (cols.next().unwrap(), cols.next().unwrap(), cols.next().unwrap());
            let channel = match channel {
                "-" => None,
                name => Some(Channel::parse_any(name).unwrap_or_else(|| panic!("line {}: bad channel {name}", i + 1))),
            };
            Row { line: i + 1, class, channel, ua }
        })
        .collect()
}

/// Every fixture row gets the class (and channel) it is listed with; failures are listed together.
#[test]
fn every_fixture_row_is_classified_as_listed() {
    let rows = rows();
    let mut failures = Vec::new();
    for r in &rows {
        let got = classify(r.ua);
        let ok = match r.class {
            "human" => got == Agent::Human && in_app_channel(r.ua) == r.channel,
            "crawler" => got == Agent::Crawler,
            "preview" => got == Agent::Preview(r.channel),
            "nonhuman" => got != Agent::Human,
            other => panic!("line {}: unknown class {other}", r.line),
        };
        if !ok {
            failures.push(format!("line {}: want {} {:?}, got {:?} / in-app {:?}: {}", r.line, r.class, r.channel, got, in_app_channel(r.ua), r.ua));
        }
    }
    assert!(failures.is_empty(), "{} of {} rows misclassified:\n{}", failures.len(), rows.len(), failures.join("\n"));
}

/// The fixture is big enough to mean something: hand-checked rows plus the whole corpus.
#[test]
fn the_fixture_covers_the_corpus_and_the_hand_checked_strings() {
    let rows = rows();
    let hand = rows.iter().filter(|r| r.class != "nonhuman").count();
    let corpus = rows.len() - hand;
    println!("user-agent rows: {} ({hand} hand-checked, {corpus} from crawler-user-agents@{CORPUS_VERSION})", rows.len());
    assert!(hand >= 60, "{hand} hand-checked rows");
    assert!(corpus >= 2000, "{corpus} corpus rows");
}

/// Browsers always send a user agent; an empty (or blank) one is a tool.
#[test]
fn an_empty_user_agent_is_a_crawler() {
    assert_eq!(classify(""), Agent::Crawler);
    assert_eq!(classify("   "), Agent::Crawler);
}

/// Case does not matter, for the corpus and the curated tables alike.
#[test]
fn matching_ignores_case() {
    assert_eq!(classify("MOZILLA/5.0 (COMPATIBLE; GOOGLEBOT/2.1)"), Agent::Crawler);
    assert_eq!(classify("whatsapp/2.23.20.0 a"), Agent::Preview(Some(Channel::Whatsapp)));
}

/// The WhatsApp/Viber fetchers are recognised by their leading name only, so an app that mentions
/// them later in its UA stays a person.
#[test]
fn whatsapp_and_viber_only_count_at_the_start() {
    let ua = "Mozilla/5.0 (Linux; Android 14; SM-A546B; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0 Mobile Safari/537.36 WhatsApp Viber";
    assert_eq!(classify(ua), Agent::Human);
}

/// Hostile input: huge, non-ASCII, cut inside a multi-byte character; none of it may panic.
#[test]
fn odd_user_agents_do_not_panic() {
    let long = "Mozilla/5.0 ".repeat(10_000);
    assert_eq!(classify(&long), Agent::Human);
    let cut = format!("{}é googlebot", "a".repeat(MAX_UA - 1));
    assert_eq!(classify(&cut), Agent::Human, "past the cut is not looked at");
    assert_eq!(classify("Mozilla/5.0 (Ünïcødé; 🤖) Googlebot/2.1"), Agent::Crawler);
    assert_eq!(classify("\u{0}\u{1}\u{ff}"), Agent::Human);
}

/// A fetcher shared by two channels defers to the link's own channel when it is the other one.
#[test]
fn preview_channel_lets_the_link_decide_between_shared_fetchers() {
    assert_eq!(preview_channel(Some(Channel::Whatsapp), Channel::Signal), Channel::Signal);
    assert_eq!(preview_channel(Some(Channel::Whatsapp), Channel::Email), Channel::Whatsapp);
    assert_eq!(preview_channel(Some(Channel::Facebook), Channel::Messenger), Channel::Messenger);
    assert_eq!(preview_channel(None, Channel::Sms), Channel::Sms);
    assert_eq!(preview_channel(Some(Channel::Slack), Channel::Copy), Channel::Slack);
}

/// The generated table is bucketed the way `contains_any` relies on.
#[test]
fn the_generated_table_is_bucketed() {
    assert!(crawlers::CONTAINS.iter().all(|n| n.len() >= 3 && n.is_ascii() && *n == n.to_ascii_lowercase()));
    for (h, w) in crawlers::OFFSETS.windows(2).enumerate() {
        let bucket = &crawlers::CONTAINS[usize::from(w[0])..usize::from(w[1])];
        assert!(bucket.iter().all(|n| crawlers::bucket(n.as_bytes()[0], n.as_bytes()[1]) == h), "bucket {h}");
    }
    assert_eq!(usize::from(crawlers::OFFSETS[crawlers::OFFSETS.len() - 1]), crawlers::CONTAINS.len());
}

/// Rough cost of one classification on the hot path (native, so only indicative for wasm); printed,
/// not asserted. Run with `cargo test --release --lib agents -- --nocapture bench` for a real figure.
#[test]
fn bench_classify_prints_the_cost_per_call() {
    let samples = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 13; SM-G991B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/442.0.0.33.113;]",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    ];
    let rounds = 20_000;
    let start = Instant::now();
    let mut humans = 0;
    for i in 0..rounds {
        if classify(samples[i % samples.len()]) == Agent::Human {
            humans += 1;
        }
    }
    let per_call = start.elapsed() / rounds as u32;
    println!("agents::classify: {per_call:?} per call (native, {rounds} calls, {humans} human)");
    assert!(humans > 0);
}
