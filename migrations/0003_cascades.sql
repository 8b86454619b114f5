-- Share cascades (issue 12): the tree of arrivals that grew from each original share.
-- Written only by the queue consumer (src/edge/cascade_sql.rs), one "add a node" per counted click,
-- inside the batch's transaction. No visitor hash, no IP: node ids are the random ids of view
-- fingerprints (or of a parentless short link's), unlinkable to a person. Kept like the rollups.

-- Every node. `size` is its subtree size (reach + 1), maintained on every ancestor when a click
-- lands below it, so reach never needs a recursive read; `clicks` its direct clicks.
CREATE TABLE cascade_nodes (
  site    TEXT NOT NULL,
  id      TEXT NOT NULL,
  parent  TEXT,                 -- NULL for a root
  root    TEXT NOT NULL,        -- the cascade's id
  depth   INTEGER NOT NULL,     -- generation: root 0
  channel TEXT,                 -- the click's channel; NULL for a root (not a click)
  day     INTEGER NOT NULL,     -- day of the click (a root: of its first click)
  page    TEXT NOT NULL,
  size    INTEGER NOT NULL DEFAULT 1,
  clicks  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
-- A tree level by level (GET /api/cascades/{id}); the key sharers by reach.
CREATE INDEX cascade_nodes_by_root ON cascade_nodes (site, root, depth);
CREATE INDEX cascade_nodes_by_reach ON cascade_nodes (site, size DESC, clicks DESC);

-- One row per cascade: what the report shows, kept so that reading it is O(1) per cascade:
-- n (size), the Wiener index (sum of all pairwise distances), the depth sum and the depth.
CREATE TABLE cascades (
  site      TEXT NOT NULL,
  root      TEXT NOT NULL,
  page      TEXT NOT NULL,
  size      INTEGER NOT NULL,
  wiener    INTEGER NOT NULL,
  depth_sum INTEGER NOT NULL,
  depth     INTEGER NOT NULL,
  first_day INTEGER NOT NULL,
  last_day  INTEGER NOT NULL,
  created   INTEGER NOT NULL,     -- minute of the first click: "newer first" among equal sizes
  PRIMARY KEY (site, root)
) WITHOUT ROWID;
CREATE INDEX cascades_by_size ON cascades (site, size DESC, created DESC);

-- Which days a cascade got a click, and which days a node's shares got a direct click: the
-- report's "with at least one click in the period" without reading any node.
CREATE TABLE cascade_days (
  site TEXT NOT NULL,
  root TEXT NOT NULL,
  day  INTEGER NOT NULL,
  PRIMARY KEY (site, root, day)
) WITHOUT ROWID;
CREATE TABLE sharer_days (
  site TEXT NOT NULL,
  node TEXT NOT NULL,
  day  INTEGER NOT NULL,
  PRIMARY KEY (site, node, day)
) WITHOUT ROWID;

-- A short link created by a page view is one of that view's shares: its clicks are the view's
-- children. A link without a parent is a root of its own (parent NULL).
CREATE TABLE cascade_links (
  site   TEXT NOT NULL,
  link   TEXT NOT NULL,   -- the link fingerprint's node id
  parent TEXT,            -- the creator view's node id
  PRIMARY KEY (site, link)
) WITHOUT ROWID;
