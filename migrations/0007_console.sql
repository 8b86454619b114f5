-- The console (issue 22): shared dashboards and the install check.

-- Read-only secrets of shared dashboards (POST /api/sites/{id}/shared-links). Only the SHA-256 of
-- a secret is kept, like a stats token's; a revoked link's row is deleted, so its secret answers 401.
CREATE TABLE shared_links (
  id            TEXT PRIMARY KEY,
  site          TEXT NOT NULL,
  label         TEXT,
  secret_sha256 TEXT NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL
);
CREATE INDEX shared_links_by_site ON shared_links (site, created_at);

-- The install check: per site and host, when a view from that host was last counted (ms since the
-- epoch). Written by the queue consumer at most once per site, host and hour in each isolate
-- (src/edge/pipeline/install_check.rs), so last_view_at is exact to that hour.
CREATE TABLE site_hosts (
  site         TEXT NOT NULL,
  host         TEXT NOT NULL,
  last_view_at INTEGER NOT NULL,
  PRIMARY KEY (site, host)
) WITHOUT ROWID;
