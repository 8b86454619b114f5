//! The Site object's schema (issue 20): every site's counting state lives in a SQLite-backed
//! Durable Object of its own (`edge/site/`), which migrates its own database the first time it
//! runs new code. The migrations are a list, version `i + 1` at index `i`, each idempotent
//! (`IF NOT EXISTS`) and applied in one transaction with the `schema_version` row that records it,
//! so a failure half-way leaves the previous version whole and the next request tries again.
//!
//! To add a table or an index: append a file `site_schema/000N_name.sql` and its line to
//! [`MIGRATIONS`]. Never edit a migration that has shipped: objects that ran it will not run it again.

/// Every migration, in order: version `i + 1` is `MIGRATIONS[i]`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("site_schema/0001_counting.sql"),
    include_str!("site_schema/0002_imports.sql"),
    include_str!("site_schema/0003_goals.sql"),
    include_str!("site_schema/0004_page_rollups.sql"),
    include_str!("site_schema/0005_cascade_links_by_parent.sql"),
];

/// The one-row table that records the version an object's database is at (0 when absent).
pub const VERSION_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)";
/// The version the database is at (no row: 0).
pub const READ_VERSION: &str = "SELECT COALESCE(MAX(version), 0) AS version FROM schema_version";
/// Records version `?1` (one parameter).
pub const WRITE_VERSION: &str = "INSERT INTO schema_version (id, version) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET version = excluded.version";

/// The version this code brings.
pub fn latest() -> u32 {
    MIGRATIONS.len() as u32
}

/// The migrations a database at `current` still needs, each with the version it brings it to.
/// A database newer than this code (a rolled-back deploy) needs none: migrations only ever add,
/// so older code still finds every table it knows.
pub fn pending(current: u32) -> Vec<(u32, Vec<String>)> {
    MIGRATIONS.iter().enumerate().skip(current as usize).map(|(i, sql)| (i as u32 + 1, statements(sql))).collect()
}

/// A migration's statements, one per `;` at a line's end, comment lines dropped (the runtime's
/// `exec` takes one statement with its bindings at a time).
pub fn statements(sql: &str) -> Vec<String> {
    sql.split(";\n")
        .map(|part| part.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n").trim().trim_end_matches(';').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
