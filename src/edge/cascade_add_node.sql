-- Adds one node to its cascade (issue 12): the statements of src/edge/cascade_sql.rs `grow`, run in
-- order inside the queue consumer's transaction, and read as they are by benches/stats-1m.mjs.
-- Statements end with ";" at the end of a line; the first part is the prefix of every statement.
-- Parameters: ?1 site, ?2 the new node's id, ?3 the clicked share's node id, ?4 channel, ?5 day,
-- ?6 page, ?7 minute.
--
-- p: the parent node: for a short link made by a page view, that view; else the share itself.
-- fresh: one row while the node does not exist yet (every statement is guarded by it and the node
--   is inserted last, so adding a node twice changes nothing).
-- pn: the parent's cascade and depth. anc: the parent and its ancestors with their subtree sizes,
--   one recursive step per generation: O(depth), never the whole tree.
WITH RECURSIVE
  p(id) AS (SELECT COALESCE((SELECT parent FROM cascade_links WHERE site = ?1 AND link = ?3), ?3)),
  fresh(ok) AS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM cascade_nodes WHERE site = ?1 AND id = ?2) AND ?2 <> (SELECT id FROM p)),
  pn(root, depth) AS (SELECT n.root, n.depth FROM cascade_nodes n, p WHERE n.site = ?1 AND n.id = p.id),
  anc(id, parent, size) AS (
    SELECT n.id, n.parent, n.size FROM cascade_nodes n, p WHERE n.site = ?1 AND n.id = p.id
    UNION ALL SELECT n.id, n.parent, n.size FROM cascade_nodes n JOIN anc ON n.site = ?1 AND n.id = anc.parent)
;
-- A parent without a row is a root and this is its first click: its cascade, then its node.
INSERT OR IGNORE INTO cascades (site, root, page, size, wiener, depth_sum, depth, first_day, last_day, created)
SELECT ?1, p.id, ?6, 1, 0, 0, 0, ?5, ?5, ?7 FROM p, fresh
WHERE NOT EXISTS (SELECT 1 FROM cascade_nodes WHERE site = ?1 AND id = p.id);
INSERT OR IGNORE INTO cascade_nodes (site, id, parent, root, depth, channel, day, page)
SELECT ?1, p.id, NULL, p.id, 0, NULL, ?5, ?6 FROM p, fresh;
-- W' = W + T + n + depth(p)·n − 2·(sizes on the path below the root): cascade::Aggregates::with_leaf.
UPDATE cascades SET
  wiener = wiener + depth_sum + size + (SELECT depth FROM pn) * size - 2 * (SELECT COALESCE(SUM(size), 0) FROM anc WHERE parent IS NOT NULL),
  depth_sum = depth_sum + (SELECT depth FROM pn) + 1,
  size = size + 1,
  depth = MAX(depth, (SELECT depth FROM pn) + 1),
  first_day = MIN(first_day, ?5), last_day = MAX(last_day, ?5)
WHERE site = ?1 AND root = (SELECT root FROM pn) AND EXISTS (SELECT 1 FROM fresh);
-- Every ancestor's reach grows by one; the parent gets a direct click.
UPDATE cascade_nodes SET size = size + 1, clicks = clicks + (id = (SELECT id FROM p))
WHERE site = ?1 AND id IN (SELECT id FROM anc) AND EXISTS (SELECT 1 FROM fresh);
INSERT OR IGNORE INTO cascade_days (site, root, day) SELECT ?1, pn.root, ?5 FROM pn, fresh;
INSERT OR IGNORE INTO sharer_days (site, node, day) SELECT ?1, p.id, ?5 FROM p, fresh;
INSERT OR IGNORE INTO cascade_nodes (site, id, parent, root, depth, channel, day, page)
SELECT ?1, ?2, p.id, pn.root, pn.depth + 1, ?4, ?5, ?6 FROM p, pn, fresh;
