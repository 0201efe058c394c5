-- One distinct-user sketch per organisation and UTC day, the union of that day's rows in
-- analytics_users_daily over every bot, platform and deployment (ADR 0037, part U): an unfiltered
-- read of a whole day takes one sketch instead of one per row key. Kept by the same compaction and
-- late additions as the other daily tables. The daily level is rebuilt from the hourly rows: the
-- watermark goes back to none, so reads take the hourly rows until the next compaction (at most
-- 10 minutes) has refilled every day, this table included.
CREATE TABLE analytics_users_daily_all (
  org_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day    INTEGER NOT NULL,
  sketch BLOB    NOT NULL,
  PRIMARY KEY (org_id, day)
) STRICT, WITHOUT ROWID;
DELETE FROM analytics_daily_until;
