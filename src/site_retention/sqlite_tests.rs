//! The clean-up's statements (`plan`) against a real SQLite at the latest schema (the `sqlite3`
//! command, as the schema tests): every rule deletes what it must and keeps the rest, so each one
//! fails here when it is wrong or missing, and every table of the schema has a rule.

use super::*;
use crate::site_schema::tests::{fresh, migrate, sqlite};
use crate::site_schema::MIGRATIONS;
use std::path::Path;

const TODAY: Day = Day(20_400);

/// Runs every statement of `statements` once, `?1` bound as text (values are trusted numbers).
fn run(db: &Path, statements: &[(String, i64)]) {
    let script: String = statements.iter().map(|(sql, first_kept)| format!("{};\n", sql.replace("?1", &first_kept.to_string()))).collect();
    sqlite(db, &script);
}

fn rows(db: &Path, sql: &str) -> Vec<String> {
    sqlite(db, &format!("{sql};\n")).lines().map(str::to_owned).collect()
}

/// Every table the migrations create, and the version table.
fn schema_tables() -> Vec<String> {
    let mut tables: Vec<String> = MIGRATIONS
        .iter()
        .flat_map(|m| m.split("CREATE TABLE IF NOT EXISTS ").skip(1))
        .filter_map(|rest| rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().map(str::to_owned))
        .collect();
    tables.push("schema_version".into());
    tables
}

#[test]
fn every_table_of_the_schema_has_exactly_one_rule() {
    let ruled: Vec<&str> = RETAINED.iter().map(|r| r.table).chain(CASCADE_BOUND.iter().copied()).chain(KEPT.iter().map(|(t, _)| *t)).collect();
    let mut tables = schema_tables();
    tables.sort();
    let mut sorted = ruled.clone();
    sorted.sort();
    assert_eq!(sorted.iter().map(|t| t.to_string()).collect::<Vec<_>>(), tables, "each table once in RETAINED, CASCADE_BOUND or KEPT");
    // The documentation states them all.
    let doc = include_str!("../../docs/site-object.md");
    let retention = doc.split("## Retention").nth(1).and_then(|s| s.split("\n## ").next()).unwrap_or_default();
    for table in ruled {
        assert!(retention.contains(&format!("`{table}`")), "docs/site-object.md's retention section names `{table}`");
    }
}

/// Each table of `RETAINED` gets a row on its last expired day and one on its first kept day;
/// the clean-up keeps exactly the second.
#[test]
fn rows_by_a_day_go_the_day_after_their_last_kept_one() {
    let db = fresh("retention-days");
    migrate(&db);
    let mut script = String::new();
    for r in RETAINED {
        let columns = rows(&db, &format!("SELECT name || ' ' || type FROM pragma_table_info('{}')", r.table));
        for (tag, day) in [("old", r.first_kept(TODAY) - 1), ("new", r.first_kept(TODAY))] {
            let (names, values): (Vec<&str>, Vec<String>) = columns
                .iter()
                .filter_map(|c| c.split_once(' '))
                .map(|(name, kind)| {
                    let value = if name == r.day_column { day.to_string() } else if kind == "INTEGER" { "0".into() } else { format!("'{tag}'") };
                    (name, value)
                })
                .unzip();
            script.push_str(&format!("INSERT INTO {} ({}) VALUES ({});\n", r.table, names.join(", "), values.join(", ")));
        }
    }
    sqlite(&db, &script);
    run(&db, &plan(TODAY));
    for r in RETAINED {
        let left = rows(&db, &format!("SELECT {} FROM {}", r.day_column, r.table));
        assert_eq!(left, vec![r.first_kept(TODAY).to_string()], "{}: the first kept day stays, the day before goes", r.table);
    }
    let _ = std::fs::remove_file(&db);
}

/// Two cascades, `gone` (last clicked the day before the history) and `kept` (clicked today), each
/// with nodes, conversions and share links; a link never clicked, and the link rows.
fn cascades(db: &Path) {
    let old = TODAY.plus(-HISTORY_DAYS).0;
    let today = TODAY.0;
    sqlite(
        db,
        &format!(
            "INSERT INTO cascades VALUES ('s', 'gone', '/a', 2, 1, 1, 1, {old}, {old}, 1), ('s', 'kept', '/b', 2, 1, 1, 1, {old}, {today}, 2);
             INSERT INTO cascade_nodes VALUES ('s', 'gone', NULL, 'gone', 0, NULL, {old}, '/a', 2, 1), ('s', 'gone-1', 'gone', 'gone', 1, 'dark', {old}, '/a', 1, 0),
               ('s', 'kept', NULL, 'kept', 0, NULL, {old}, '/b', 2, 1), ('s', 'kept-1', 'kept', 'kept', 1, 'dark', {today}, '/b', 1, 0);
             INSERT INTO cascade_conversions VALUES ('s', 'gone', 1), ('s', 'kept', 2);
             INSERT INTO node_conversions VALUES ('s', 'gone', 1), ('s', 'kept', 2);
             -- by its parent; standing for itself (the root of `gone`); the same in `kept`; a link whose sharer's view was never clicked
             INSERT INTO cascade_links VALUES ('s', 'link-a', 'gone-1'), ('s', 'gone', NULL), ('s', 'link-b', 'kept'), ('s', 'kept-1', NULL), ('s', 'link-c', 'never-clicked');
             INSERT INTO links VALUES ('s', 'code-a', 'fp-a', 1);
             INSERT INTO link_counts VALUES ('s', 'fp-a', 3, 1, 0, 0);
             INSERT INTO imports VALUES ('links', 0, 1);\n"
        ),
    );
}

fn left(db: &Path) -> Vec<String> {
    let tables = CASCADE_BOUND.iter().chain(KEPT.iter().map(|(t, _)| t).filter(|t| **t != "schema_version"));
    let reads: Vec<String> = tables.map(|t| format!("SELECT '{t}', * FROM {t}")).collect();
    let mut out = rows(db, &reads.join(";\n"));
    out.sort();
    out
}

#[test]
fn a_cascade_past_the_history_goes_with_its_conversions_and_links_and_links_stay() {
    let db = fresh("retention-cascades");
    migrate(&db);
    cascades(&db);
    run(&db, &plan(TODAY));
    let old = TODAY.plus(-HISTORY_DAYS).0;
    let today = TODAY.0;
    let mut expected = vec![
        format!("cascades|s|kept|/b|2|1|1|1|{old}|{today}|2"),
        format!("cascade_nodes|s|kept||kept|0||{old}|/b|2|1"),
        format!("cascade_nodes|s|kept-1|kept|kept|1|dark|{today}|/b|1|0"),
        "cascade_conversions|s|kept|2".into(),
        "node_conversions|s|kept|2".into(),
        "cascade_links|s|kept-1|".into(),
        "cascade_links|s|link-b|kept".into(),
        "cascade_links|s|link-c|never-clicked".into(),
        "links|s|code-a|fp-a|1".into(),
        "link_counts|s|fp-a|3|1|0|0".into(),
        "imports|links|0|1".into(),
    ];
    expected.sort();
    assert_eq!(left(&db), expected);
    let _ = std::fs::remove_file(&db);
}

/// A run cut short before the rows hanging off a cascade leaves its nodes and the cascade in
/// place (so the next night still finds them), and the next full run takes all of it.
#[test]
fn nothing_is_left_unreachable_by_a_run_cut_short() {
    let db = fresh("retention-cut-short");
    migrate(&db);
    cascades(&db);
    let all = plan(TODAY);
    let skeleton: Vec<(String, i64)> = all.iter().filter(|(sql, _)| sql.starts_with("DELETE FROM cascade_nodes") || sql.starts_with("DELETE FROM cascades")).cloned().collect();
    assert_eq!(skeleton.len(), 2);
    run(&db, &skeleton);
    let gone = |db: &Path| rows(db, "SELECT id FROM cascade_nodes WHERE root = 'gone' UNION ALL SELECT root FROM cascades WHERE root = 'gone'");
    assert_eq!(gone(&db), vec!["gone", "gone-1", "gone"], "the root keeps its conversions and link, its child its link, the cascade its conversions");
    run(&db, &all);
    assert!(gone(&db).is_empty());
    let _ = std::fs::remove_file(&db);
}
