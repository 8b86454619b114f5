-- The clean-up (src/site_retention.rs) finds a share link's cascade row by the node it stands for:
-- its parent (the sharer's view), or the link itself when it has none. Links by parent, so a
-- cascade going past the history takes its links without reading every link of the site.
CREATE INDEX IF NOT EXISTS cascade_links_by_parent ON cascade_links (site, parent);
