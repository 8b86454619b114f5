-- Version 1: one site's counting state, moved from D1 (migrations 0002 to 0005) into its own
-- object. The shapes are D1's exactly, `site` column included, so the statements the consumer
-- generates from `counting::Table`s run unchanged and the one-time copy from D1 is row for row.
CREATE TABLE IF NOT EXISTS seen (
  key   TEXT PRIMARY KEY,
  until INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_by_until ON seen (until);
CREATE TABLE IF NOT EXISTS capped (
  key TEXT PRIMARY KEY,
  day INTEGER NOT NULL,
  n   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS capped_by_day ON capped (day);
CREATE TABLE IF NOT EXISTS daily_channels (
  site        TEXT NOT NULL,
  day         INTEGER NOT NULL,
  channel     TEXT NOT NULL,
  depth       INTEGER NOT NULL,
  views       INTEGER NOT NULL DEFAULT 0,
  copies      INTEGER NOT NULL DEFAULT 0,
  shares      INTEGER NOT NULL DEFAULT 0,
  clicks      INTEGER NOT NULL DEFAULT 0,
  dark_clicks INTEGER NOT NULL DEFAULT 0,
  previews    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, channel, depth)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS daily_pages (
  site   TEXT NOT NULL,
  day    INTEGER NOT NULL,
  page   TEXT NOT NULL,
  views  INTEGER NOT NULL DEFAULT 0,
  shares INTEGER NOT NULL DEFAULT 0,
  clicks INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, page)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS daily_texts (
  site   TEXT NOT NULL,
  day    INTEGER NOT NULL,
  text   TEXT NOT NULL,
  copies INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, text)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS daily_sources (
  site   TEXT NOT NULL,
  day    INTEGER NOT NULL,
  source TEXT NOT NULL,
  views  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS minute_counts (
  site        TEXT NOT NULL,
  minute      INTEGER NOT NULL,
  views       INTEGER NOT NULL DEFAULT 0,
  clicks      INTEGER NOT NULL DEFAULT 0,
  dark_clicks INTEGER NOT NULL DEFAULT 0,
  shares      INTEGER NOT NULL DEFAULT 0,
  previews    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, minute)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS minute_counts_by_minute ON minute_counts (minute);
CREATE TABLE IF NOT EXISTS minute_pages (
  site        TEXT NOT NULL,
  minute      INTEGER NOT NULL,
  page        TEXT NOT NULL,
  views       INTEGER NOT NULL DEFAULT 0,
  clicks      INTEGER NOT NULL DEFAULT 0,
  dark_clicks INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, minute, page)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS minute_pages_by_minute ON minute_pages (minute);
CREATE TABLE IF NOT EXISTS minute_channels (
  site    TEXT NOT NULL,
  minute  INTEGER NOT NULL,
  page    TEXT NOT NULL,
  channel TEXT NOT NULL,
  clicks  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, minute, page, channel)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS minute_channels_by_minute ON minute_channels (minute);
CREATE TABLE IF NOT EXISTS alerts_sent (
  site TEXT NOT NULL,
  page TEXT NOT NULL,
  day  INTEGER NOT NULL,
  PRIMARY KEY (site, page, day)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alerts_sent_by_day ON alerts_sent (day);
CREATE TABLE IF NOT EXISTS cascade_nodes (
  site    TEXT NOT NULL,
  id      TEXT NOT NULL,
  parent  TEXT,
  root    TEXT NOT NULL,
  depth   INTEGER NOT NULL,
  channel TEXT,
  day     INTEGER NOT NULL,
  page    TEXT NOT NULL,
  size    INTEGER NOT NULL DEFAULT 1,
  clicks  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cascade_nodes_by_root ON cascade_nodes (site, root, depth);
CREATE INDEX IF NOT EXISTS cascade_nodes_by_reach ON cascade_nodes (site, size DESC, clicks DESC);
CREATE TABLE IF NOT EXISTS cascades (
  site      TEXT NOT NULL,
  root      TEXT NOT NULL,
  page      TEXT NOT NULL,
  size      INTEGER NOT NULL,
  wiener    INTEGER NOT NULL,
  depth_sum INTEGER NOT NULL,
  depth     INTEGER NOT NULL,
  first_day INTEGER NOT NULL,
  last_day  INTEGER NOT NULL,
  created   INTEGER NOT NULL,
  PRIMARY KEY (site, root)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cascades_by_size ON cascades (site, size DESC, created DESC);
CREATE TABLE IF NOT EXISTS cascade_days (
  site TEXT NOT NULL,
  root TEXT NOT NULL,
  day  INTEGER NOT NULL,
  PRIMARY KEY (site, root, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sharer_days (
  site TEXT NOT NULL,
  node TEXT NOT NULL,
  day  INTEGER NOT NULL,
  PRIMARY KEY (site, node, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cascade_links (
  site   TEXT NOT NULL,
  link   TEXT NOT NULL,
  parent TEXT,
  PRIMARY KEY (site, link)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS links (
  site       TEXT NOT NULL,
  code       TEXT NOT NULL,
  fp         TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site, code)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_newest ON links (site, created_at DESC, code DESC);
CREATE TABLE IF NOT EXISTS link_counts (
  site        TEXT NOT NULL,
  fp          TEXT NOT NULL,
  clicks      INTEGER NOT NULL DEFAULT 0,
  dark_clicks INTEGER NOT NULL DEFAULT 0,
  previews    INTEGER NOT NULL DEFAULT 0,
  scans       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, fp)
) WITHOUT ROWID;
