-- Issue 22: the report filtered to one page (`GET /api/stats?page=…`) reads these per-page twins of
-- the daily rollups, never events. Written from the same counting rules as their site-wide tables
-- (src/counting: every increment of a paged table also lands on its twin under the event's page,
-- `counting::on_page`), kept like them (no expiry). Page first in every key: a filtered report
-- reads one page's days, a contiguous range. (Numbered 0004: issue 21's goals are 0003.)

-- daily_channels per page: channel '' holds views and copies, depth 0 what is not a click.
CREATE TABLE IF NOT EXISTS page_channels (
  site        TEXT NOT NULL,
  page        TEXT NOT NULL,
  day         INTEGER NOT NULL,
  channel     TEXT NOT NULL,
  depth       INTEGER NOT NULL,
  views       INTEGER NOT NULL DEFAULT 0,
  copies      INTEGER NOT NULL DEFAULT 0,
  shares      INTEGER NOT NULL DEFAULT 0,
  clicks      INTEGER NOT NULL DEFAULT 0,
  dark_clicks INTEGER NOT NULL DEFAULT 0,
  previews    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, page, day, channel, depth)
) WITHOUT ROWID;

-- daily_sources per page.
CREATE TABLE IF NOT EXISTS page_sources (
  site   TEXT NOT NULL,
  page   TEXT NOT NULL,
  day    INTEGER NOT NULL,
  source TEXT NOT NULL,
  views  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, page, day, source)
) WITHOUT ROWID;

-- daily_texts per page: the texts copied on that page.
CREATE TABLE IF NOT EXISTS page_texts (
  site   TEXT NOT NULL,
  page   TEXT NOT NULL,
  day    INTEGER NOT NULL,
  text   TEXT NOT NULL,
  copies INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, page, day, text)
) WITHOUT ROWID;

-- Cascades rooted on a page and the key sharers on it, in the report's order (the site-wide
-- indexes would be walked past every other page's rows).
CREATE INDEX IF NOT EXISTS cascades_by_page ON cascades (site, page, size DESC, created DESC);
CREATE INDEX IF NOT EXISTS cascade_nodes_by_page ON cascade_nodes (site, page, size DESC, clicks DESC);

-- Goals reached on one page (issue 21's goal_days keeps the page; its key starts with the day).
CREATE INDEX IF NOT EXISTS goal_days_by_page ON goal_days (site, page, day);

-- The unfiltered report's top pages group a period's `daily_pages` rows by page; in page order
-- (covering: the counters are in the index) that needs no temporary table of every row: 39 → 22 ms
-- in SQLite for 90 days × 1,000 pages (docs/performance-stats.md). One more index entry per row.
CREATE INDEX IF NOT EXISTS daily_pages_by_page ON daily_pages (site, page, day, views, shares, clicks);
