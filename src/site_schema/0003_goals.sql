-- Issue 21: goals and conversions (src/goal/rules.rs writes these, src/goal/sql.rs reads them).

-- Per site, day, goal, page, credited source, channel ('' unless an arrival through a share) and
-- currency ('' without a value): conversions, events, value in hundredths.
CREATE TABLE IF NOT EXISTS goal_days (
  site TEXT NOT NULL, day INTEGER NOT NULL, goal TEXT NOT NULL, page TEXT NOT NULL,
  source TEXT NOT NULL, channel TEXT NOT NULL, currency TEXT NOT NULL,
  conversions INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 0, cents INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, goal, page, source, channel, currency)
) WITHOUT ROWID;

-- Distinct daily visitors per source (the denominator of conversion rates).
CREATE TABLE IF NOT EXISTS source_visitors (
  site TEXT NOT NULL, day INTEGER NOT NULL, source TEXT NOT NULL,
  visitors INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, day, source)
) WITHOUT ROWID;

-- A view's node -> its visitor, for server-side goals naming a view by its fingerprint; 2 days.
CREATE TABLE IF NOT EXISTS view_nodes (
  site TEXT NOT NULL, node TEXT NOT NULL,
  visitor TEXT NOT NULL, day INTEGER NOT NULL, page TEXT NOT NULL, source TEXT NOT NULL,
  PRIMARY KEY (site, node)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS view_nodes_by_day ON view_nodes (day);

-- A visitor's day of views, for credit: the latest creditable view (c_) and the latest view (l_);
-- 2 days. key = site:day:visitor.
CREATE TABLE IF NOT EXISTS visits (
  site TEXT NOT NULL, key TEXT NOT NULL, day INTEGER NOT NULL,
  c_minute INTEGER, c_source TEXT, c_channel TEXT, c_node TEXT,
  l_minute INTEGER, l_source TEXT, l_channel TEXT, l_node TEXT,
  PRIMARY KEY (site, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS visits_by_day ON visits (day);

-- Conversions credited to a cascade's clicks, and to the clicks of each node's subtree (the node
-- itself excluded, like reach). Tables of their own rather than columns: a migration only adds.
CREATE TABLE IF NOT EXISTS cascade_conversions (
  site TEXT NOT NULL, root TEXT NOT NULL, conversions INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, root)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS node_conversions (
  site TEXT NOT NULL, node TEXT NOT NULL, conversions INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, node)
) WITHOUT ROWID;
