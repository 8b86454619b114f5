-- darkshare schema. Applied with `wrangler d1 migrations apply DB` (--local for development).
-- Rollups are maintained by triggers in the same statement that records an event, so a counted
-- event and its rollup can never diverge, and an ignored duplicate changes nothing.

-- Sites that embed the snippet. `hosts` is a JSON array of host patterns; only the SHA-256 of the
-- stats token is kept.
CREATE TABLE sites (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  hosts        TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL
);

-- One random salt per UTC day (days since 1970-01-01) for visitor hashes; deleted after 48 h.
CREATE TABLE salts (
  day  INTEGER PRIMARY KEY,
  salt TEXT NOT NULL
);

-- Page-view fingerprints and the (daily-salted) visitor they were minted for: only used to tell a
-- visitor reopening their own URL from a click. Kept 2 days.
CREATE TABLE view_fps (
  site    TEXT NOT NULL,
  fp      TEXT NOT NULL,
  visitor TEXT NOT NULL,
  day     INTEGER NOT NULL,
  PRIMARY KEY (site, fp)
) WITHOUT ROWID;
CREATE INDEX view_fps_by_day ON view_fps (day);

-- Counted clicks: one per site, share (fingerprint), visitor and day. The redirect and the landing
-- page's view both try to insert the same key, so a click seen twice counts once. Kept 2 days.
CREATE TABLE clicks (
  site    TEXT NOT NULL,
  share   TEXT NOT NULL,
  visitor TEXT NOT NULL,
  day     INTEGER NOT NULL,
  page    TEXT NOT NULL,
  channel TEXT NOT NULL,
  depth   INTEGER NOT NULL,
  dark    INTEGER NOT NULL,
  PRIMARY KEY (site, share, visitor, day)
) WITHOUT ROWID;
CREATE INDEX clicks_by_day ON clicks (day);

-- Page-view fingerprints that brought at least one arrival: each is one address-bar or copy-paste
-- share. Kept 400 days (a share clicked again after that would be counted as a new share).
CREATE TABLE shared_fps (
  site    TEXT NOT NULL,
  fp      TEXT NOT NULL,
  day     INTEGER NOT NULL,
  page    TEXT NOT NULL,
  channel TEXT NOT NULL,
  PRIMARY KEY (site, fp)
) WITHOUT ROWID;
CREATE INDEX shared_fps_by_day ON shared_fps (day);

-- The rollups every stats query reads, kept narrow so a report scans days × channels × depths and
-- days × pages rows, never the product of both. Channel '' holds views and copies; depth 0
-- everything that is not a click.
CREATE TABLE daily_channels (
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

CREATE TABLE daily_pages (
  site   TEXT NOT NULL,
  day    INTEGER NOT NULL,
  page   TEXT NOT NULL,
  views  INTEGER NOT NULL DEFAULT 0,
  shares INTEGER NOT NULL DEFAULT 0,
  clicks INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, page)
) WITHOUT ROWID;

-- Copied texts (first 200 characters) per site and day.
CREATE TABLE daily_texts (
  site   TEXT NOT NULL,
  day    INTEGER NOT NULL,
  text   TEXT NOT NULL,
  copies INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, text)
) WITHOUT ROWID;

CREATE TRIGGER clicks_roll_up AFTER INSERT ON clicks BEGIN
  INSERT INTO daily_channels (site, day, channel, depth, clicks, dark_clicks)
  VALUES (NEW.site, NEW.day, NEW.channel, NEW.depth, 1, NEW.dark)
  ON CONFLICT (site, day, channel, depth)
  DO UPDATE SET clicks = clicks + 1, dark_clicks = dark_clicks + NEW.dark;
  INSERT INTO daily_pages (site, day, page, clicks) VALUES (NEW.site, NEW.day, NEW.page, 1)
  ON CONFLICT (site, day, page) DO UPDATE SET clicks = clicks + 1;
END;

CREATE TRIGGER shared_fps_roll_up AFTER INSERT ON shared_fps BEGIN
  INSERT INTO daily_channels (site, day, channel, depth, shares) VALUES (NEW.site, NEW.day, NEW.channel, 0, 1)
  ON CONFLICT (site, day, channel, depth) DO UPDATE SET shares = shares + 1;
  INSERT INTO daily_pages (site, day, page, shares) VALUES (NEW.site, NEW.day, NEW.page, 1)
  ON CONFLICT (site, day, page) DO UPDATE SET shares = shares + 1;
END;
