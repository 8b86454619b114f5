//! The truth test: a simulated population of 270 distinct people on one day (four cascades grown
//! through several channels, organic visitors, internal navigation, later direct visits, one office
//! of 30 people behind one address), whose goal events go through the queue's batches (some
//! delivered twice) into `counting::settle` over an in-memory store. Every figure of the report's
//! `goals`, the visitors per source and the cascades' conversions must equal what the credit rule
//! says, computed here independently from each person's own history.

use super::memory_store::MemoryStore;
use super::report::{goals, GoalRow};
use super::rules::CONVERSIONS_PER_ADDRESS;
use super::PageGoals;
use crate::counting::Message;
use crate::event::Event;
use crate::fingerprint::Fingerprint;
use crate::site::SiteId;
use crate::view_source::ViewSource;
use crate::visitor::VisitorHash;
use crate::workflow::{page_goal_events, plan_goal, plan_view, GoalFacts, GoalFields, GoalFrom, ViewFacts};
use crate::goal::{Amount, Cents, Currency, GoalName};
use std::collections::{BTreeMap, HashMap, HashSet};

const SECRET: &[u8] = b"truth-secret";
/// 2025-11-24 06:00 UTC: every step below stays within that day.
const START_MS: i64 = 1_763_964_000_000;
const PEOPLE: usize = 240;
const OFFICE: usize = 30;

/// What a conversion is credited to: source, and for an arrival its channel and node.
type Credit = (ViewSource, Option<String>, Option<String>);

struct Person {
    visitor: VisitorHash,
    address: String,
    /// The fingerprint of their first view (what others arrive through) and of their latest.
    first_fp: Option<Fingerprint>,
    latest_fp: Option<Fingerprint>,
    credited: Option<Credit>,
    latest: Option<Credit>,
}

#[derive(Default, Debug, PartialEq)]
struct Expected {
    conversions: u64,
    events: u64,
    value: BTreeMap<String, i64>,
    sources: BTreeMap<String, (u64, BTreeMap<String, i64>)>,
    channels: BTreeMap<String, (u64, BTreeMap<String, i64>)>,
}

struct World {
    site: SiteId,
    people: Vec<Person>,
    step: i64,
    messages: Vec<Message>,
    goals: PageGoals,
    expected: BTreeMap<String, Expected>,
    converted: HashSet<(String, usize)>,
    per_address: HashMap<(String, String), i64>,
    visitors: BTreeMap<&'static str, HashSet<usize>>,
    parent: HashMap<String, String>,
    node_conversions: HashMap<String, u64>,
    cascade_conversions: HashMap<String, u64>,
}

impl World {
    fn now(&mut self) -> i64 {
        self.step += 1;
        START_MS + self.step * 20_000
    }

    /// One view of person `i`; returns its events after sending them as one message.
    fn view(&mut self, i: usize, parent: Option<Fingerprint>, referrer: Option<&str>, hint: Option<&str>, page: &str) -> Vec<Event> {
        let now_ms = self.now();
        let p = &self.people[i];
        let plan = plan_view(
            SECRET,
            ViewFacts {
                site: self.site.clone(),
                page: format!("https://example.com{page}"),
                now_ms,
                visitor: p.visitor.clone(),
                address: p.address.clone(),
                parent,
                referrer: referrer.map(str::to_owned),
                referrer_is_same_site: referrer.is_some_and(|r| r.starts_with("https://example.com")),
                user_agent: "Mozilla/5.0".into(),
                hint: hint.map(str::to_owned),
                random: [now_ms as u64 * 7 + i as u64, now_ms as u64 * 13 + i as u64],
            },
        );
        let mut events = plan.events.clone();
        let visit = events.iter().find_map(|e| if let Event::Visit(v) = e { Some(v.clone()) } else { None }).expect("a visit");
        let credit: Credit = (visit.source, visit.channel.map(|c| c.as_str().to_owned()), visit.channel.map(|_| visit.node.clone()));
        if let Some(Event::Click(click)) = events.iter().find(|e| matches!(e, Event::Click(_))) {
            let share = Fingerprint::verify(SECRET, &self.site, &click.share).unwrap().node_id();
            self.parent.insert(click.node.clone(), share);
        }
        self.visitors.entry(visit.source.as_str()).or_default().insert(i);
        let person = &mut self.people[i];
        person.first_fp.get_or_insert(plan.fp.clone());
        person.latest_fp = Some(plan.fp.clone());
        if !matches!(visit.source, ViewSource::Internal | ViewSource::SelfVisit) {
            person.credited = Some(credit.clone());
        }
        person.latest = Some(credit);
        let goal_events = page_goal_events(&self.goals, &events[0], &self.people[i].visitor, &self.people[i].address.clone());
        for event in &goal_events {
            if let Event::Goal(g) = event {
                self.expect(i, &g.name.clone(), None, true);
            }
        }
        events.extend(goal_events);
        self.messages.push(events.clone());
        events
    }

    /// A goal event of person `i`, from the snippet or (with `server`) from the site's server.
    fn goal(&mut self, i: usize, name: &str, value: Option<(i64, &str)>, server: bool) {
        let now_ms = self.now();
        let p = &self.people[i];
        let from = if server {
            GoalFrom::Server { fp: p.latest_fp.clone().expect("a view before a server goal") }
        } else {
            GoalFrom::Snippet { page: "https://example.com/cart".into(), visitor: p.visitor.clone(), address: p.address.clone() }
        };
        let amount = value.map(|(cents, currency)| Amount { cents: Cents(cents), currency: Currency::parse(currency).unwrap() });
        let fields = GoalFields { name: GoalName::parse(name).unwrap(), amount };
        let events = plan_goal(GoalFacts { site: self.site.clone(), fields, from, now_ms, random: now_ms as u64 ^ 0x5eed }).unwrap();
        self.expect(i, name, value, !server);
        self.messages.push(events);
    }

    /// The credit rule and the counting rule, applied to person `i`'s own history.
    fn expect(&mut self, i: usize, name: &str, value: Option<(i64, &str)>, capped: bool) {
        let p = &self.people[i];
        let credit = p.credited.clone().or_else(|| p.latest.clone()).unwrap_or((ViewSource::Direct, None, None));
        let address = p.address.clone();
        let first = self.converted.insert((name.to_owned(), i));
        let under_cap = !capped || {
            let n = self.per_address.entry((name.to_owned(), address)).or_default();
            *n += i64::from(first);
            !first || *n <= CONVERSIONS_PER_ADDRESS
        };
        let converts = first && under_cap;
        let e = self.expected.entry(name.to_owned()).or_default();
        e.events += 1;
        e.conversions += u64::from(converts);
        let source = e.sources.entry(credit.0.as_str().to_owned()).or_default();
        source.0 += u64::from(converts);
        if let Some((cents, currency)) = value {
            *e.value.entry(currency.into()).or_default() += cents;
            *source.1.entry(currency.into()).or_default() += cents;
        }
        if let Some(channel) = &credit.1 {
            let slot = e.channels.entry(channel.clone()).or_default();
            slot.0 += u64::from(converts);
            if let Some((cents, currency)) = value {
                *slot.1.entry(currency.into()).or_default() += cents;
            }
        }
        if let (true, Some(node)) = (converts, &credit.2) {
            let mut at = self.parent.get(node).cloned();
            let mut root = node.clone();
            while let Some(ancestor) = at {
                *self.node_conversions.entry(ancestor.clone()).or_default() += 1;
                root = ancestor.clone();
                at = self.parent.get(&ancestor).cloned();
            }
            *self.cascade_conversions.entry(root).or_default() += 1;
        }
    }
}

fn rng(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    *seed >> 33
}

fn cents_of(value: &BTreeMap<String, f64>) -> BTreeMap<String, i64> {
    value.iter().map(|(c, v)| (c.clone(), (v * 100.0).round() as i64)).collect()
}

#[test]
fn a_population_s_conversions_are_counted_and_credited_exactly() {
    let people = (0..PEOPLE + OFFICE)
        .map(|i| Person {
            visitor: VisitorHash::from_stored(format!("{i:032}")),
            address: if i >= PEOPLE { "office".into() } else { format!("addr-{i}") },
            first_fp: None,
            latest_fp: None,
            credited: None,
            latest: None,
        })
        .collect();
    let page_goals = PageGoals::parse(&serde_json::json!([{"name": "thanks", "path": "/thanks"}, {"name": "docs", "path": "/docs/*"}])).unwrap();
    let mut w = World {
        site: SiteId::parse("demo").unwrap(),
        people,
        step: 0,
        messages: Vec::new(),
        goals: page_goals,
        expected: BTreeMap::new(),
        converted: HashSet::new(),
        per_address: HashMap::new(),
        visitors: BTreeMap::new(),
        parent: HashMap::new(),
        node_conversions: HashMap::new(),
        cascade_conversions: HashMap::new(),
    };
    let mut seed = 21u64;
    let hints = [Some("whatsapp"), Some("telegram"), Some("slack"), None, Some("signal")];
    let mut in_cascade: Vec<usize> = Vec::new();
    for i in 0..PEOPLE {
        // Four seeds start cascades; one in eleven comes on their own; the rest arrive through a
        // share of someone already in a cascade, through one of several channels.
        if i < 4 || i % 11 == 0 {
            let referrer = if i % 2 == 0 { Some("https://www.google.com/") } else { None };
            w.view(i, None, referrer, None, "/");
            if i < 4 {
                in_cascade.push(i);
            }
        } else {
            let sharer = in_cascade[(rng(&mut seed) as usize) % in_cascade.len()];
            let fp = w.people[sharer].first_fp.clone();
            let hint = hints[(rng(&mut seed) as usize) % hints.len()];
            w.view(i, fp, None, hint, "/post");
            in_cascade.push(i);
        }
        if i % 3 == 0 {
            w.view(i, None, Some("https://example.com/post"), None, "/docs/intro");
        }
        if i % 13 == 0 {
            w.view(i, None, None, None, "/pricing");
        }
        if i % 4 == 0 {
            w.goal(i, "signup", None, false);
        }
        if i % 8 == 0 {
            w.goal(i, "signup", None, false);
        }
        if i % 5 == 0 {
            let value = if i % 2 == 0 { (1999, "EUR") } else { (500 + i as i64, "USD") };
            w.goal(i, "buy", Some(value), true);
        }
        if i % 6 == 0 {
            w.view(i, None, Some("https://example.com/cart"), None, "/thanks");
        }
    }
    for i in PEOPLE..PEOPLE + OFFICE {
        w.view(i, None, None, None, "/");
        w.goal(i, "signup", None, false);
    }

    // Batches of 1 to 12 messages, in order; every fifth batch delivered a second time.
    let mut store = MemoryStore::new(SECRET);
    let mut messages = std::mem::take(&mut w.messages).into_iter().peekable();
    let mut n = 0;
    while messages.peek().is_some() {
        let size = 1 + (rng(&mut seed) as usize) % 12;
        let batch: Vec<Message> = messages.by_ref().take(size).collect();
        store.consume(&batch);
        n += 1;
        if n % 5 == 0 {
            store.consume(&batch);
        }
    }

    let rows = goals(&store.goal_rollups(), &store.source_visitors());
    let reported: BTreeMap<String, &GoalRow> = rows.iter().map(|g| (g.name.clone(), g)).collect();
    assert_eq!(reported.keys().collect::<Vec<_>>(), w.expected.keys().collect::<Vec<_>>());
    for (name, e) in &w.expected {
        let r = reported[name];
        assert_eq!((r.conversions, r.events), (e.conversions, e.events), "{name}");
        assert_eq!(cents_of(&r.value), e.value, "{name} value");
        let sources: BTreeMap<String, (u64, BTreeMap<String, i64>)> = r.sources.iter().map(|s| (s.source.clone(), (s.conversions, cents_of(&s.value)))).collect();
        let expected_sources: BTreeMap<_, _> = e.sources.iter().filter(|(_, s)| s.0 > 0).map(|(k, v)| (k.clone(), v.clone())).collect();
        assert_eq!(sources, expected_sources, "{name} sources");
        let channels: BTreeMap<String, (u64, BTreeMap<String, i64>)> = r.channels.iter().map(|c| (c.channel.clone(), (c.conversions, cents_of(&c.value)))).collect();
        let expected_channels: BTreeMap<_, _> = e.channels.iter().filter(|(_, s)| s.0 > 0).map(|(k, v)| (k.clone(), v.clone())).collect();
        assert_eq!(channels, expected_channels, "{name} channels");
    }
    let visitors: BTreeMap<&str, u64> = store.source_visitors().into_iter().map(|(s, n)| (s.as_str(), n)).collect();
    let expected_visitors: BTreeMap<&str, u64> = w.visitors.iter().map(|(s, set)| (*s, set.len() as u64)).collect();
    assert_eq!(visitors, expected_visitors, "visitors per source");
    assert_eq!(store.cascade_conversions, w.cascade_conversions, "conversions per cascade");
    assert_eq!(store.node_conversions, w.node_conversions, "conversions per key sharer");

    // The population is what it says: enough people, several cascades, conversions of each kind,
    // and the office capped.
    assert!(w.cascade_conversions.len() >= 3, "{:?}", w.cascade_conversions);
    let signup = &w.expected["signup"];
    assert!(signup.events > signup.conversions, "repeat events are events, not conversions");
    assert!(reported["buy"].channels.len() >= 4, "{:?}", reported["buy"].channels);
    assert!(reported["thanks"].conversions > 0 && reported["docs"].conversions > 0);
    let office_signups = (PEOPLE..PEOPLE + OFFICE).filter(|i| w.converted.contains(&("signup".to_owned(), *i))).count();
    assert_eq!(office_signups, OFFICE, "every office member tried");
    let capped_out = w.per_address.get(&("signup".to_owned(), "office".to_owned())).copied().unwrap_or(0);
    assert_eq!(capped_out, OFFICE as i64);
    assert!(store.node_reads > 0, "server-side goals found their views in storage, not only in their batch");
    let dark = reported["signup"].rates.iter().find(|r| r.source == "dark_social").unwrap();
    assert_eq!(dark.visitors, expected_visitors["dark_social"]);
}

/// One machine posing as many people: thirty user agents behind one address, each a distinct
/// visitor, each converting; the goal gains `CONVERSIONS_PER_ADDRESS` conversions and thirty events.
#[test]
fn one_address_with_many_user_agents_adds_at_most_the_cap_of_conversions() {
    let site = SiteId::parse("demo").unwrap();
    let mut store = MemoryStore::new(SECRET);
    for i in 0..30u64 {
        let fields = GoalFields { name: GoalName::parse("signup").unwrap(), amount: None };
        let from = GoalFrom::Snippet { page: "https://example.com/".into(), visitor: VisitorHash::from_stored(format!("ua-{i}")), address: "one-address".into() };
        let events = plan_goal(GoalFacts { site: site.clone(), fields, from, now_ms: START_MS + i as i64 * 1000, random: i }).unwrap();
        store.consume(&[events]);
    }
    let rows = goals(&store.goal_rollups(), &[]);
    assert_eq!((rows[0].conversions, rows[0].events), (CONVERSIONS_PER_ADDRESS as u64, 30));
}
