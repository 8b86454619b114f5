-- Issue 13: where views came from, real time, and viral alerts. Counted by the queue consumer
-- (src/counting.rs), never by triggers.

-- Views per site, day and source (dark_social, shared, self, internal, search, social, referral,
-- direct). Kept like the other daily rollups.
CREATE TABLE daily_sources (
  site   TEXT NOT NULL,
  day    INTEGER NOT NULL,
  source TEXT NOT NULL,
  views  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, source)
) WITHOUT ROWID;

-- Per-minute rollups (unix minutes, UTC) for GET /api/live and the alert check. Only the last
-- 30 (live) and 60 (alerts) minutes are ever read; the daily clean-up deletes rows older than 2 days.
CREATE TABLE minute_counts (
  site        TEXT NOT NULL,
  minute      INTEGER NOT NULL,
  views       INTEGER NOT NULL DEFAULT 0,
  clicks      INTEGER NOT NULL DEFAULT 0,
  dark_clicks INTEGER NOT NULL DEFAULT 0,
  shares      INTEGER NOT NULL DEFAULT 0,
  previews    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, minute)
) WITHOUT ROWID;
CREATE INDEX minute_counts_by_minute ON minute_counts (minute);

CREATE TABLE minute_pages (
  site        TEXT NOT NULL,
  minute      INTEGER NOT NULL,
  page        TEXT NOT NULL,
  views       INTEGER NOT NULL DEFAULT 0,
  clicks      INTEGER NOT NULL DEFAULT 0,
  dark_clicks INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, minute, page)
) WITHOUT ROWID;
CREATE INDEX minute_pages_by_minute ON minute_pages (minute);

-- Clicks per minute, page and channel: the live channel list and an alert's top channel.
CREATE TABLE minute_channels (
  site    TEXT NOT NULL,
  minute  INTEGER NOT NULL,
  page    TEXT NOT NULL,
  channel TEXT NOT NULL,
  clicks  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, minute, page, channel)
) WITHOUT ROWID;
CREATE INDEX minute_channels_by_minute ON minute_channels (minute);

-- A site's alert settings (PATCH /api/sites/{id}). The secret signs deliveries, so it is kept as
-- is; it is shown once, when a webhook is first set.
CREATE TABLE site_alerts (
  site            TEXT PRIMARY KEY,
  webhook         TEXT,
  secret          TEXT,
  clicks_per_hour INTEGER NOT NULL DEFAULT 50
);

-- One alert per site, page and UTC day: the row is claimed before the alert is queued. Kept 2 days.
CREATE TABLE alerts_sent (
  site TEXT NOT NULL,
  page TEXT NOT NULL,
  day  INTEGER NOT NULL,
  PRIMARY KEY (site, page, day)
) WITHOUT ROWID;
CREATE INDEX alerts_sent_by_day ON alerts_sent (day);
