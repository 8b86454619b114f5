//! The statements goals add to a counting batch, as plain data (SQL text and its parameters) so
//! the store only executes them and they are tested natively (against `sqlite3` when present):
//! reading the views server-side goals name and the visitors' days credit needs, merging the
//! batch's visitors' days, and crediting a conversion to a cascade.
//!
//! The merge is `VisitState::merge` in SQL: per half (creditable view, any view), the later minute
//! wins, a tie going to the batch being written. SQLite evaluates every `SET` expression against
//! the old row, so the minute is compared before it is replaced.

use super::credit::{Credit, VisitState};
use super::resolve::NamedView;
use crate::counting::Cell;
use crate::view_source::ViewSource;
use crate::Channel;

pub use crate::site_sql::Arg;

/// The columns of a visits row after its key, in `visit_reads`' order.
const HALVES: &str = "c_minute, c_source, c_channel, c_node, l_minute, l_source, l_channel, l_node";

/// Most parameters per statement (D1 and the object's SQLite).
const MAX_PARAMS: usize = 100;

fn marks(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
}

/// Reads of `visits` rows (key, then the eight columns of `HALVES`). A site's object holds one
/// site, and the key names it.
pub fn visit_reads(keys: &[String]) -> Vec<(String, Vec<Arg>)> {
    keys.chunks(MAX_PARAMS)
        .map(|chunk| (format!("SELECT key, {HALVES} FROM visits WHERE key IN ({})", marks(1, chunk.len())), chunk.iter().map(|k| Some(Cell::Text(k.clone()))).collect()))
        .collect()
}

/// Reads of `view_nodes` rows (node, visitor, day, page, source) of one site.
pub fn node_reads(site: &str, nodes: &[String]) -> Vec<(String, Vec<Arg>)> {
    nodes
        .chunks(MAX_PARAMS - 1)
        .map(|chunk| {
            let args = std::iter::once(Some(Cell::Text(site.to_owned()))).chain(chunk.iter().map(|n| Some(Cell::Text(n.clone())))).collect();
            (format!("SELECT node, visitor, day, page, source FROM view_nodes WHERE site = ?1 AND node IN ({})", marks(2, chunk.len())), args)
        })
        .collect()
}

/// A `view_nodes` row read back (node, visitor, day, page, source).
pub fn named_view(row: &[Arg]) -> Option<(String, NamedView)> {
    let text = |i: usize| match row.get(i) {
        Some(Some(Cell::Text(t))) => Some(t.clone()),
        _ => None,
    };
    let day = match row.get(2) {
        Some(Some(Cell::Int(d))) => *d,
        _ => return None,
    };
    Some((text(0)?, NamedView { visitor: text(1)?, day, page: text(3)?, source: ViewSource::parse(&text(4)?)? }))
}

fn half(credit: &Option<Credit>) -> [Arg; 4] {
    match credit {
        None => [None, None, None, None],
        Some(c) => [
            Some(Cell::Int(c.minute)),
            Some(Cell::Text(c.source.as_str().into())),
            c.arrival.as_ref().map(|(ch, _)| Cell::Text(ch.as_str().into())),
            c.arrival.as_ref().map(|(_, node)| Cell::Text(node.clone())),
        ],
    }
}

fn credit_of(cells: &[Arg]) -> Option<Credit> {
    let minute = match cells.first() {
        Some(Some(Cell::Int(m))) => *m,
        _ => return None,
    };
    let text = |i: usize| match cells.get(i) {
        Some(Some(Cell::Text(t))) => Some(t.as_str()),
        _ => None,
    };
    let source = ViewSource::parse(text(1)?)?;
    let arrival = match (text(2).and_then(Channel::parse_any), text(3)) {
        (Some(channel), Some(node)) => Some((channel, node.to_owned())),
        _ => None,
    };
    Some(Credit { minute, source, arrival })
}

/// A `visits` row read back (key, then the eight columns).
pub fn visit_state(row: &[Arg]) -> Option<(String, VisitState)> {
    let key = match row.first() {
        Some(Some(Cell::Text(k))) => k.clone(),
        _ => return None,
    };
    let cells = row.get(1..9)?;
    Some((key, VisitState { credited: credit_of(&cells[..4]), latest: credit_of(&cells[4..]) }))
}

/// The merge of the batch's visitors' days into `visits` of `site`, one statement per row.
pub fn visit_writes(site: &str, visits: &[(String, i64, VisitState)]) -> Vec<(String, Vec<Arg>)> {
    let set = |p: &str| -> String {
        let newer = format!("(excluded.{p}_minute IS NOT NULL AND ({p}_minute IS NULL OR excluded.{p}_minute >= {p}_minute))");
        ["minute", "source", "channel", "node"].iter().map(|c| format!("{p}_{c} = CASE WHEN {newer} THEN excluded.{p}_{c} ELSE {p}_{c} END")).collect::<Vec<_>>().join(", ")
    };
    let sql = format!("INSERT INTO visits (site, key, day, {HALVES}) VALUES ({}) ON CONFLICT (site, key) DO UPDATE SET {}, {}", marks(1, 11), set("c"), set("l"));
    visits
        .iter()
        .map(|(key, day, state)| {
            let mut args = vec![Some(Cell::Text(site.to_owned())), Some(Cell::Text(key.clone())), Some(Cell::Int(*day))];
            args.extend(half(&state.credited));
            args.extend(half(&state.latest));
            (sql.clone(), args)
        })
        .collect()
}

/// A conversion credited to the stored node `?2` of site `?1`: one more for every ancestor of the
/// node (the node itself excluded, like reach), then for its cascade. A node that is not stored
/// (its click was capped) changes nothing.
pub const CONVERSION: [&str; 2] = [
    "WITH RECURSIVE anc(id, parent) AS (SELECT id, parent FROM cascade_nodes WHERE site = ?1 AND id = ?2 \
     UNION ALL SELECT n.id, n.parent FROM cascade_nodes n JOIN anc ON n.site = ?1 AND n.id = anc.parent) \
     INSERT INTO node_conversions (site, node, conversions) SELECT ?1, id, 1 FROM anc WHERE id <> ?2 \
     ON CONFLICT (site, node) DO UPDATE SET conversions = conversions + 1",
    "INSERT INTO cascade_conversions (site, root, conversions) SELECT ?1, root, 1 FROM cascade_nodes WHERE site = ?1 AND id = ?2 \
     ON CONFLICT (site, root) DO UPDATE SET conversions = conversions + 1",
];

#[cfg(test)]
mod tests;
