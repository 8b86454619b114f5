-- The counting pipeline (issue 10). Counts are no longer written by the request path through
-- triggers: the queue consumer applies the rules of src/counting.rs, the one place they live, and
-- writes each batch in one transaction. The per-event tables become de-duplication keys.

-- De-duplication keys of counted events (views, copies, clicks, previews, link creations, first
-- arrivals of a page-view fingerprint), each kept until the day `until`. The consumer inserts a key
-- in the same transaction as the counts it guards, with a plain INSERT: a concurrent writer of the
-- same key makes that transaction fail, and the batch is retried.
CREATE TABLE seen (
  key   TEXT PRIMARY KEY,
  until INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX seen_by_until ON seen (until);

-- Capped counters (clicks of one address on one share per day); the key names its day.
CREATE TABLE capped (
  key TEXT PRIMARY KEY,
  day INTEGER NOT NULL,
  n   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX capped_by_day ON capped (day);

-- Carry over what the old tables remembered, so nothing counts twice across the switch.
INSERT INTO seen (key, until) SELECT 'k:' || site || ':' || share || ':' || visitor || ':' || day, day + 2 FROM clicks;
INSERT INTO seen (key, until) SELECT 's:' || site || ':' || fp, day + 400 FROM shared_fps;

DROP TRIGGER clicks_roll_up;
DROP TRIGGER shared_fps_roll_up;
DROP TABLE clicks;
DROP TABLE shared_fps;
-- Self-visits are recognised from the fingerprint itself now (its owner tag).
DROP TABLE view_fps;
