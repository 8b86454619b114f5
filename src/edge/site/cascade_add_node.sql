-- Adds one node to its cascade: see src/edge/cascade_sql.rs (also read by benches/stats-1m.mjs).
WITH RECURSIVE
  p(id) AS (SELECT COALESCE((SELECT parent FROM cascade_links WHERE site = ?1 AND link = ?3), ?3)),
  fresh(ok) AS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM cascade_nodes WHERE site = ?1 AND id = ?2) AND ?2 <> (SELECT id FROM p)),
  pn(root, depth) AS (SELECT n.root, n.depth FROM cascade_nodes n, p WHERE n.site = ?1 AND n.id = p.id),
  anc(id, parent, size) AS (
    SELECT n.id, n.parent, n.size FROM cascade_nodes n, p WHERE n.site = ?1 AND n.id = p.id
    UNION ALL SELECT n.id, n.parent, n.size FROM cascade_nodes n JOIN anc ON n.site = ?1 AND n.id = anc.parent)
;
INSERT OR IGNORE INTO cascades (site, root, page, size, wiener, depth_sum, depth, first_day, last_day, created)
SELECT ?1, p.id, ?6, 1, 0, 0, 0, ?5, ?5, ?7 FROM p, fresh
WHERE NOT EXISTS (SELECT 1 FROM cascade_nodes WHERE site = ?1 AND id = p.id);
INSERT OR IGNORE INTO cascade_nodes (site, id, parent, root, depth, channel, day, page)
SELECT ?1, p.id, NULL, p.id, 0, NULL, ?5, ?6 FROM p, fresh;
UPDATE cascades SET
  wiener = wiener + depth_sum + size + (SELECT depth FROM pn) * size - 2 * (SELECT COALESCE(SUM(size), 0) FROM anc WHERE parent IS NOT NULL),
  depth_sum = depth_sum + (SELECT depth FROM pn) + 1,
  size = size + 1,
  depth = MAX(depth, (SELECT depth FROM pn) + 1),
  first_day = MIN(first_day, ?5), last_day = MAX(last_day, ?5)
WHERE site = ?1 AND root = (SELECT root FROM pn) AND EXISTS (SELECT 1 FROM fresh);
UPDATE cascade_nodes SET size = size + 1, clicks = clicks + (id = (SELECT id FROM p))
WHERE site = ?1 AND id IN (SELECT id FROM anc) AND EXISTS (SELECT 1 FROM fresh);
INSERT OR IGNORE INTO cascade_days (site, root, day) SELECT ?1, pn.root, ?5 FROM pn, fresh;
INSERT OR IGNORE INTO sharer_days (site, node, day) SELECT ?1, p.id, ?5 FROM p, fresh;
INSERT OR IGNORE INTO cascade_nodes (site, id, parent, root, depth, channel, day, page)
SELECT ?1, ?2, p.id, pn.root, pn.depth + 1, ?4, ?5, ?6 FROM p, pn, fresh;
