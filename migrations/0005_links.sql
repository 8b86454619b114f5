-- Links for marketers (issue 14): the per-site index of short links behind GET /api/links, and
-- each link's all-time counters. Both are written only by the queue consumer's counting rules
-- (src/counting.rs): the index row when a link is created, the counters inside the de-duplication
-- of each click and preview, so a counted click moves the link's numbers exactly once.
-- What a marketer can change (title, expiry, disabled) stays in the link's KV record, the one the
-- redirect reads; the list reads it from there.

-- One row per short link, newest first per site (created_at: ms since the epoch; ties by code).
CREATE TABLE links (
  site       TEXT NOT NULL,
  code       TEXT NOT NULL,
  fp         TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site, code)
) WITHOUT ROWID;
CREATE INDEX links_newest ON links (site, created_at DESC, code DESC);

-- Counters per link, keyed by the link's own fingerprint: a click through a short link carries it
-- as its share both at the redirect and at the landing page's view.
CREATE TABLE link_counts (
  site        TEXT NOT NULL,
  fp          TEXT NOT NULL,
  clicks      INTEGER NOT NULL DEFAULT 0,
  dark_clicks INTEGER NOT NULL DEFAULT 0,
  previews    INTEGER NOT NULL DEFAULT 0,
  scans       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, fp)
) WITHOUT ROWID;
