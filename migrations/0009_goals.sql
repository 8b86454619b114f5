-- Issue 21 (goals and conversions). Page goals travel with the site record (the hot worker holds
-- it cached, so matching a view's path costs no read); the counting tables are a site's
-- (src/goal/rules.rs, src/goal/sql.rs).
ALTER TABLE sites ADD COLUMN goals TEXT NOT NULL DEFAULT '';

-- Per site, day, goal, page, credited source, channel ('' unless an arrival through a share) and
-- currency ('' without a value): conversions, events, value in hundredths.
CREATE TABLE goal_days (
  site TEXT NOT NULL, day INTEGER NOT NULL, goal TEXT NOT NULL, page TEXT NOT NULL,
  source TEXT NOT NULL, channel TEXT NOT NULL, currency TEXT NOT NULL,
  conversions INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 0, cents INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, goal, page, source, channel, currency)
) WITHOUT ROWID;

-- Distinct daily visitors per source (the denominator of conversion rates).
CREATE TABLE source_visitors (
  site TEXT NOT NULL, day INTEGER NOT NULL, source TEXT NOT NULL,
  visitors INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, source)
) WITHOUT ROWID;

-- A view's node -> its visitor (server-side goals name a view by its fingerprint); kept 2 days.
CREATE TABLE view_nodes (
  site TEXT NOT NULL, node TEXT NOT NULL,
  visitor TEXT NOT NULL, day INTEGER NOT NULL, page TEXT NOT NULL, source TEXT NOT NULL,
  PRIMARY KEY (site, node)
) WITHOUT ROWID;
CREATE INDEX view_nodes_by_day ON view_nodes (day);

-- A visitor's day of views, for credit: the latest creditable view (c_) and the latest view (l_);
-- kept 2 days. key = site:day:visitor.
CREATE TABLE visits (
  key TEXT PRIMARY KEY, day INTEGER NOT NULL,
  c_minute INTEGER, c_source TEXT, c_channel TEXT, c_node TEXT,
  l_minute INTEGER, l_source TEXT, l_channel TEXT, l_node TEXT
) WITHOUT ROWID;
CREATE INDEX visits_by_day ON visits (day);

-- Conversions credited to a cascade, and to each node's subtree (the node itself excluded).
ALTER TABLE cascades ADD COLUMN conversions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cascade_nodes ADD COLUMN conversions INTEGER NOT NULL DEFAULT 0;
