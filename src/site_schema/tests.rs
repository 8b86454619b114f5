//! The migrations against a real SQLite (the `sqlite3` command, as in the Debian image): from an
//! empty database and from every earlier version, the schema ends the same; applied twice, nothing
//! changes or fails.

use super::*;
use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `sql` in `sqlite3` on the database file `db`; its output. Fails the test without sqlite3.
pub(crate) fn sqlite(db: &std::path::Path, sql: &str) -> String {
    let mut child = Command::new("sqlite3")
        .arg("-bail")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sqlite3 command (apt-get install sqlite3) runs the schema tests");
    child.stdin.take().expect("stdin").write_all(sql.as_bytes()).expect("write sql");
    let out = child.wait_with_output().expect("sqlite3 ran");
    assert!(out.status.success(), "sqlite3 failed: {}\n{sql}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What the object does: the version table, then every pending migration and its version row.
pub(crate) fn migrate(db: &std::path::Path) {
    let current: u32 = sqlite(db, &format!("{VERSION_TABLE};\n{READ_VERSION};\n")).trim().parse().expect("a version");
    for (version, list) in pending(current) {
        let mut sql = String::from("BEGIN;\n");
        for statement in list {
            sql.push_str(&statement);
            sql.push_str(";\n");
        }
        sql.push_str(&WRITE_VERSION.replace("?1", &version.to_string()));
        sql.push_str(";\nCOMMIT;\n");
        sqlite(db, &sql);
    }
}

fn schema(db: &std::path::Path) -> String {
    sqlite(db, ".schema\nSELECT version FROM schema_version;\n")
}

pub(crate) fn fresh(name: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("darkshare-schema-{}-{name}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn every_migration_is_split_into_statements() {
    for sql in MIGRATIONS {
        let list = statements(sql);
        assert!(!list.is_empty());
        assert!(list.iter().all(|s| !s.contains("--") && !s.ends_with(';')), "{list:?}");
    }
    assert_eq!(statements("-- c\nCREATE TABLE a (x);\nCREATE INDEX b ON a (x);\n"), vec!["CREATE TABLE a (x)", "CREATE INDEX b ON a (x)"]);
}

#[test]
fn pending_starts_after_the_current_version() {
    assert_eq!(pending(0).len(), MIGRATIONS.len());
    assert_eq!(pending(0)[0].0, 1);
    assert!(pending(latest()).is_empty());
    // A database newer than this code: nothing to do.
    assert!(pending(latest() + 3).is_empty());
}

#[test]
fn from_empty_and_from_every_earlier_version_the_schema_ends_the_same() {
    let target = fresh("empty");
    migrate(&target);
    let expected = schema(&target);
    assert!(expected.trim_end().ends_with(&latest().to_string()), "{expected}");
    for start in 1..latest() {
        let db = fresh(&format!("from-{start}"));
        // A database left at `start` by older code…
        sqlite(&db, &format!("{VERSION_TABLE};\n"));
        for (version, list) in pending(0).into_iter().take(start as usize) {
            sqlite(&db, &format!("{};\n{};\n", list.join(";\n"), WRITE_VERSION.replace("?1", &version.to_string())));
        }
        // …is brought up to date by the new code.
        migrate(&db);
        assert_eq!(schema(&db), expected, "from version {start}");
        let _ = std::fs::remove_file(&db);
    }
    // Run again on an up-to-date database: nothing happens, nothing fails.
    migrate(&target);
    assert_eq!(schema(&target), expected);
    // Every statement is idempotent on its own, too (a half-run migration is rerun whole).
    for sql in MIGRATIONS {
        sqlite(&target, &format!("{};\n", statements(sql).join(";\n")));
    }
    assert_eq!(schema(&target), expected);
    let _ = std::fs::remove_file(&target);
}
