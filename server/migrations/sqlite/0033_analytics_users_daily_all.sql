-- All-keys user sketches (ADR 0037, part U): an unfiltered read of whole days takes one sketch per
-- day instead of one per bot, platform and deployment.
--
-- analytics_users_daily_all: per organisation and UTC day, the union of that day's rows in
-- analytics_users_daily. Kept by the same compaction and late additions as the other daily tables.
CREATE TABLE analytics_users_daily_all (
  org_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day    INTEGER NOT NULL,
  sketch BLOB    NOT NULL,
  PRIMARY KEY (org_id, day)
) STRICT, WITHOUT ROWID;
-- analytics_users_zone_daily_all: per organisation and local day of the zone named in
-- analytics_daily_until.zone (the organisation's time zone when the compaction last ran), the
-- union of the hourly user sketches of every key in the day's hours; `day` is the UTC instant the
-- local day's first hour starts. Complete for the local days that end at or before zone_until.
-- Counters and histograms of such a day come from the UTC daily rows by subtraction of the hours
-- that belong to the neighbouring local day (no table needed).
CREATE TABLE analytics_users_zone_daily_all (
  org_id TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day    INTEGER NOT NULL,
  sketch BLOB    NOT NULL,
  PRIMARY KEY (org_id, day)
) STRICT, WITHOUT ROWID;
ALTER TABLE analytics_daily_until ADD COLUMN zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE analytics_daily_until ADD COLUMN zone_until INTEGER NOT NULL DEFAULT 0;
-- The daily level is rebuilt from the hourly rows: with the watermark back at none, reads take the
-- hourly rows until the next compaction (at most 10 minutes) has refilled every day, the new
-- tables included.
DELETE FROM analytics_daily_until;
