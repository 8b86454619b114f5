//! The goal statements run against a real SQLite (`sqlite3`, when installed) over the D1 schema.

use super::*;
use std::process::Command;

// Without `sqlite3` on the machine, the SQL tests check the statements' shape only.

/// `sql` with its `?N` replaced by the literal values (highest numbers first, so ?1 never eats ?10).
fn literal(sql: &str, args: &[Arg]) -> String {
    let mut out = sql.to_owned();
    for (i, arg) in args.iter().enumerate().rev() {
        let value = match arg {
            None => "NULL".to_owned(),
            Some(Cell::Int(v)) => v.to_string(),
            Some(Cell::Text(t)) => format!("'{}'", t.replace('\'', "''")),
        };
        out = out.replace(&format!("?{}", i + 1), &value);
    }
    out
}

fn sqlite(script: &str) -> Option<String> {
    use std::io::Write;
    let mut child = Command::new("sqlite3").arg(":memory:").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().ok()?;
    child.stdin.take()?.write_all(script.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn schema() -> String {
    crate::site_schema::MIGRATIONS.join("\n")
}

fn credit(minute: i64, source: ViewSource, arrival: Option<(Channel, &str)>) -> Option<Credit> {
    Some(Credit { minute, source, arrival: arrival.map(|(c, n)| (c, n.to_owned())) })
}

#[test]
fn a_visits_row_reads_back_as_the_state_written() {
    let state = VisitState { credited: credit(5, ViewSource::DarkSocial, Some((Channel::Whatsapp, "n1"))), latest: credit(7, ViewSource::Internal, None) };
    let (_, args) = &visit_writes("s", &[("k".into(), 3, state.clone())])[0];
    let row: Vec<Arg> = std::iter::once(args[1].clone()).chain(args[3..].iter().cloned()).collect();
    assert_eq!(visit_state(&row), Some(("k".into(), state)));
}

#[test]
fn merging_in_sqlite_keeps_the_later_view_per_half() {
    let first = VisitState { credited: credit(10, ViewSource::Search, None), latest: credit(10, ViewSource::Search, None) };
    let second = VisitState { credited: None, latest: credit(12, ViewSource::Internal, None) };
    let late = VisitState { credited: credit(8, ViewSource::DarkSocial, Some((Channel::Slack, "n"))), latest: credit(8, ViewSource::DarkSocial, Some((Channel::Slack, "n"))) };
    let mut script = schema();
    for state in [&first, &second, &late] {
        for (sql, args) in visit_writes("s", &[("s:1:v".into(), 1, state.clone())]) {
            script.push_str(&literal(&sql, &args));
            script.push_str(";\n");
        }
    }
    script.push_str(&format!("SELECT {HALVES} FROM visits;"));
    let Some(out) = sqlite(&script) else { return };
    let merged = first.merge(&second).merge(&late);
    assert_eq!(merged.credited.as_ref().map(|c| c.minute), Some(10), "a view counted late does not take the credit of a later one");
    assert_eq!(out.trim(), "10|search|||12|internal||");
}

#[test]
fn a_conversion_counts_for_every_ancestor_and_the_cascade_not_the_node() {
    let mut script = schema();
    script.push_str(
        "INSERT INTO cascades (site, root, page, size, wiener, depth_sum, depth, first_day, last_day, created) VALUES ('s', 'r', 'p', 4, 0, 0, 0, 1, 1, 1);
         INSERT INTO cascade_nodes (site, id, parent, root, depth, channel, day, page) VALUES
           ('s', 'r', NULL, 'r', 0, NULL, 1, 'p'), ('s', 'a', 'r', 'r', 1, 'x', 1, 'p'), ('s', 'b', 'a', 'r', 2, 'x', 1, 'p'), ('s', 'c', 'r', 'r', 1, 'x', 1, 'p');\n",
    );
    for sql in CONVERSION {
        script.push_str(&literal(sql, &[Some(Cell::Text("s".into())), Some(Cell::Text("b".into()))]));
        script.push_str(";\n");
    }
    for sql in CONVERSION {
        script.push_str(&literal(sql, &[Some(Cell::Text("s".into())), Some(Cell::Text("capped".into()))]));
        script.push_str(";\n");
    }
    script.push_str("SELECT node, conversions FROM node_conversions ORDER BY node; SELECT root, conversions FROM cascade_conversions;");
    let Some(out) = sqlite(&script) else { return };
    assert_eq!(out.split_whitespace().collect::<Vec<_>>(), ["a|1", "r|1", "r|1"]);
}

#[test]
fn node_reads_bind_the_site_first() {
    let reads = node_reads("demo", &["n1".into(), "n2".into()]);
    assert_eq!(reads[0].0, "SELECT node, visitor, day, page, source FROM view_nodes WHERE site = ?1 AND node IN (?2, ?3)");
    assert_eq!(reads[0].1.len(), 3);
    let row = [Some(Cell::Text("n1".into())), Some(Cell::Text("v".into())), Some(Cell::Int(4)), Some(Cell::Text("p".into())), Some(Cell::Text("direct".into()))];
    assert_eq!(named_view(&row).map(|(n, v)| (n, v.visitor, v.source)), Some(("n1".into(), "v".into(), ViewSource::Direct)));
}
