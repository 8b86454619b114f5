//! The Site object's reads: every per-site report is one call to the object, answered from its own
//! SQLite (the same SQL the D1 stores ran, `site = ?1` included: the tables kept their shapes).
//! Each read walks an index and returns grouped rows, never events.

use super::db::{count, int, query, text, text_or_empty, Row};
use crate::alert::{LastHour, WINDOW_MINUTES};
use crate::cascade::{Aggregates, KeySharerRow, NodeRow, StoredCascade, MAX_TREE_NODES, TOP_CASCADES};
use crate::live::{window_start, LiveRollups, MinuteCounts, TOP_N};
use crate::site_protocol::LinkRow;
use crate::stats::{Counts, Period, Rollups};
use crate::time::Day;
use crate::view_source::ViewSource;
use crate::Result;
use worker::{SqlStorage, SqlStorageValue};

fn range(site: &str, from: i64, to: i64) -> Vec<SqlStorageValue> {
    vec![site.into(), SqlStorageValue::Integer(from), SqlStorageValue::Integer(to)]
}

/// The rollups of a period; `with_cascades` adds the cascades and key sharers (the JSON report).
pub(crate) fn rollups(sql: &SqlStorage, site: &str, period: Period, with_cascades: bool) -> Result<Rollups> {
    let r = || range(site, period.from.0, period.to.0);
    let by_day = query(sql, "SELECT day, channel, SUM(views), SUM(copies), SUM(shares), SUM(clicks), SUM(dark_clicks), SUM(previews) FROM daily_channels WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY day, channel", r())?;
    let pages = query(sql, "SELECT page, SUM(views), SUM(shares), SUM(clicks) FROM daily_pages WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY page ORDER BY SUM(clicks) DESC, SUM(shares) DESC, SUM(views) DESC LIMIT 20", r())?;
    let texts = query(sql, "SELECT text, SUM(copies) FROM daily_texts WHERE site = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY text ORDER BY SUM(copies) DESC LIMIT 20", r())?;
    let depths = query(sql, "SELECT depth, SUM(clicks) FROM daily_channels WHERE site = ?1 AND day BETWEEN ?2 AND ?3 AND depth > 0 GROUP BY depth", r())?;
    let sources = query(sql, "SELECT source, day, views FROM daily_sources WHERE site = ?1 AND day BETWEEN ?2 AND ?3", r())?;
    let mut rollups = Rollups {
        by_day_channel: by_day
            .iter()
            .map(|row| {
                let counts = Counts { views: count(row, 2), copies: count(row, 3), shares: count(row, 4), clicks: count(row, 5), dark_clicks: count(row, 6), previews: count(row, 7) };
                (Day(int(row, 0)), text_or_empty(row, 1), counts)
            })
            .collect(),
        pages: pages.iter().map(|row| (text_or_empty(row, 0), Counts { views: count(row, 1), shares: count(row, 2), clicks: count(row, 3), ..Counts::default() })).collect(),
        texts: texts.iter().map(|row| (text_or_empty(row, 0), count(row, 1))).collect(),
        depths: depths.iter().map(|row| (int(row, 0) as u32, count(row, 1))).collect(),
        // Unknown source names (none today) are skipped.
        sources: sources.iter().filter_map(|row| Some((Day(int(row, 1)), ViewSource::parse(text(row, 0)?.as_str())?, count(row, 2)))).collect(),
        ..Rollups::default()
    };
    if with_cascades {
        (rollups.cascades, rollups.key_sharers) = cascades(sql, site, period)?;
    }
    Ok(rollups)
}

const CASCADE_COLUMNS: &str = "root, page, size, wiener, depth_sum, depth, first_day, last_day";

fn stored_cascade(row: &Row) -> StoredCascade {
    StoredCascade {
        id: text_or_empty(row, 0),
        url: text_or_empty(row, 1),
        aggregates: Aggregates { size: count(row, 2), wiener: count(row, 3), depth_sum: count(row, 4), depth: count(row, 5) as u32 },
        first_day: Day(int(row, 6)),
        last_day: Day(int(row, 7)),
    }
}

/// The largest cascades and the nodes of largest reach with a click in the period. Both walk an
/// index in the report's order and stop after `TOP_CASCADES` matches: a few rows per listed item.
fn cascades(sql: &SqlStorage, site: &str, period: Period) -> Result<(Vec<StoredCascade>, Vec<KeySharerRow>)> {
    let cascades = query(
        sql,
        &format!(
            "SELECT {CASCADE_COLUMNS} FROM cascades c INDEXED BY cascades_by_size WHERE c.site = ?1 \
             AND EXISTS (SELECT 1 FROM cascade_days d WHERE d.site = ?1 AND d.root = c.root AND d.day BETWEEN ?2 AND ?3) \
             ORDER BY c.size DESC, c.created DESC LIMIT {TOP_CASCADES}"
        ),
        range(site, period.from.0, period.to.0),
    )?;
    let sharers = query(
        sql,
        &format!(
            "SELECT id, page, depth, clicks, size - 1 FROM cascade_nodes n INDEXED BY cascade_nodes_by_reach WHERE n.site = ?1 AND n.clicks > 0 \
             AND EXISTS (SELECT 1 FROM sharer_days d WHERE d.site = ?1 AND d.node = n.id AND d.day BETWEEN ?2 AND ?3) \
             ORDER BY n.size DESC, n.clicks DESC LIMIT {TOP_CASCADES}"
        ),
        range(site, period.from.0, period.to.0),
    )?;
    Ok((
        cascades.iter().map(stored_cascade).collect(),
        sharers.iter().map(|r| KeySharerRow { id: text_or_empty(r, 0), url: text_or_empty(r, 1), depth: count(r, 2) as u32, clicks: count(r, 3), reach: count(r, 4) }).collect(),
    ))
}

/// A cascade and its first `MAX_TREE_NODES + 1` nodes level by level, or `None` when `id` is not
/// the root of a cascade of `site`.
pub(crate) fn tree(sql: &SqlStorage, site: &str, id: &str) -> Result<Option<(StoredCascade, Vec<NodeRow>)>> {
    let key = || vec![SqlStorageValue::from(site), SqlStorageValue::from(id)];
    let cascade = query(sql, &format!("SELECT {CASCADE_COLUMNS} FROM cascades WHERE site = ?1 AND root = ?2"), key())?;
    let Some(cascade) = cascade.first().map(stored_cascade) else {
        return Ok(None);
    };
    let nodes = query(
        sql,
        &format!("SELECT id, parent, depth, channel, day FROM cascade_nodes INDEXED BY cascade_nodes_by_root WHERE site = ?1 AND root = ?2 ORDER BY depth, id LIMIT {}", MAX_TREE_NODES + 1),
        key(),
    )?
    .iter()
    .map(|r| NodeRow { id: text_or_empty(r, 0), parent: text(r, 1), depth: count(r, 2) as u32, channel: text(r, 3), day: Day(int(r, 4)).to_string() })
    .collect();
    Ok(Some((cascade, nodes)))
}

/// The live window ending at `now_minute`.
pub(crate) fn live(sql: &SqlStorage, site: &str, now_minute: i64) -> Result<LiveRollups> {
    let w = || range(site, window_start(now_minute), now_minute);
    let minutes = query(sql, "SELECT minute, views, clicks, dark_clicks, shares, previews FROM minute_counts WHERE site = ?1 AND minute BETWEEN ?2 AND ?3", w())?;
    let pages = query(sql, &format!("SELECT page, SUM(views), SUM(clicks) FROM minute_pages WHERE site = ?1 AND minute BETWEEN ?2 AND ?3 GROUP BY page ORDER BY SUM(clicks) DESC, SUM(views) DESC, page LIMIT {TOP_N}"), w())?;
    let channels = query(sql, &format!("SELECT channel, SUM(clicks) FROM minute_channels WHERE site = ?1 AND minute BETWEEN ?2 AND ?3 GROUP BY channel ORDER BY SUM(clicks) DESC, channel LIMIT {TOP_N}"), w())?;
    Ok(LiveRollups {
        minutes: minutes
            .iter()
            .map(|r| (int(r, 0), MinuteCounts { views: count(r, 1), clicks: count(r, 2), dark_clicks: count(r, 3), shares: count(r, 4), previews: count(r, 5) }))
            .collect(),
        pages: pages.iter().map(|r| (text_or_empty(r, 0), count(r, 1), count(r, 2))).collect(),
        channels: channels.iter().map(|r| (text_or_empty(r, 0), count(r, 1))).collect(),
    })
}

/// A page's last hour up to `now_minute` (the alert check): its counters and top channel.
pub(crate) fn last_hour(sql: &SqlStorage, site: &str, page: &str, now_minute: i64) -> Result<LastHour> {
    let w = || vec![site.into(), page.into(), SqlStorageValue::Integer(now_minute - (WINDOW_MINUTES - 1)), SqlStorageValue::Integer(now_minute)];
    let sums = query(sql, "SELECT COALESCE(SUM(views), 0), COALESCE(SUM(clicks), 0), COALESCE(SUM(dark_clicks), 0) FROM minute_pages WHERE site = ?1 AND page = ?2 AND minute BETWEEN ?3 AND ?4", w())?;
    let top = query(sql, "SELECT channel FROM minute_channels WHERE site = ?1 AND page = ?2 AND minute BETWEEN ?3 AND ?4 GROUP BY channel ORDER BY SUM(clicks) DESC, channel LIMIT 1", w())?;
    let sums = sums.first().cloned().unwrap_or_default();
    Ok(LastHour { views: count(&sums, 0), clicks: count(&sums, 1), dark_clicks: count(&sums, 2), top_channel: top.first().and_then(|r| text(r, 0)) })
}

const LINK_COLUMNS: &str = "l.code, l.created_at, COALESCE(c.clicks, 0), COALESCE(c.dark_clicks, 0), COALESCE(c.previews, 0), COALESCE(c.scans, 0) \
     FROM links l LEFT JOIN link_counts c ON c.site = l.site AND c.fp = l.fp";

fn link_row(r: &Row) -> LinkRow {
    LinkRow { code: text_or_empty(r, 0), created_at: int(r, 1), clicks: count(r, 2), dark_clicks: count(r, 3), previews: count(r, 4), scans: count(r, 5) }
}

/// Up to `rows` link-index rows, newest first, strictly after (`created_at`, `code`) when given
/// (keyset paging on `links_newest`: a page costs its own rows, however deep it is).
pub(crate) fn link_page(sql: &SqlStorage, site: &str, after: Option<(i64, String)>, rows: usize) -> Result<Vec<LinkRow>> {
    let limit = SqlStorageValue::Integer(rows as i64);
    let found = match after {
        None => query(sql, &format!("SELECT {LINK_COLUMNS} WHERE l.site = ?1 ORDER BY l.created_at DESC, l.code DESC LIMIT ?2"), vec![site.into(), limit])?,
        Some((created_at, code)) => query(
            sql,
            &format!("SELECT {LINK_COLUMNS} WHERE l.site = ?1 AND (l.created_at, l.code) < (?2, ?3) ORDER BY l.created_at DESC, l.code DESC LIMIT ?4"),
            vec![site.into(), SqlStorageValue::Integer(created_at), code.into(), limit],
        )?,
    };
    Ok(found.iter().map(link_row).collect())
}

/// The row of the link `code` (its counters: zeros before it is indexed or first counted).
pub(crate) fn link(sql: &SqlStorage, site: &str, code: &str) -> Result<Option<LinkRow>> {
    Ok(query(sql, &format!("SELECT {LINK_COLUMNS} WHERE l.site = ?1 AND l.code = ?2"), vec![site.into(), code.into()])?.first().map(link_row))
}
