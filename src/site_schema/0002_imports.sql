-- Version 2: the ledger of the one-time copy from D1 (POST /api/admin/migrate, docs/site-object.md).
-- One row per chunk copied, written in the same transaction as the chunk's rows, so a chunk sent
-- again (a retried or rerun migration) is recognised and adds nothing.
CREATE TABLE IF NOT EXISTS imports (
  source_table TEXT NOT NULL,
  chunk        INTEGER NOT NULL,
  rows         INTEGER NOT NULL,
  PRIMARY KEY (source_table, chunk)
) WITHOUT ROWID;
