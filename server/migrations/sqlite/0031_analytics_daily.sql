-- The daily level of the analytics rollups (ADR 0037, part D): the hourly tables' sums per UTC
-- day (`day` = the UTC day's start, Unix ms), keyed like them. Filled by the compaction task for
-- whole UTC days before yesterday; below an organisation's watermark (analytics_daily_until) the
-- recorder adds late counts (a resolution, conversion or rating of a conversation that started on
-- a compacted day) to the daily row as well as to the hourly one, in the same transaction. Range
-- reads take whole UTC days below the watermark from here and the edges from the hourly tables.

CREATE TABLE analytics_daily (
  org_id                TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day                   INTEGER NOT NULL,
  bot_id                TEXT    NOT NULL,
  platform              TEXT    NOT NULL,
  deployment_id         TEXT    NOT NULL,
  conversations         INTEGER NOT NULL DEFAULT 0,
  engaged               INTEGER NOT NULL DEFAULT 0,
  resolved              INTEGER NOT NULL DEFAULT 0,
  converted             INTEGER NOT NULL DEFAULT 0,
  handoffs              INTEGER NOT NULL DEFAULT 0,
  first_responses       INTEGER NOT NULL DEFAULT 0,
  first_response_ms_sum INTEGER NOT NULL DEFAULT 0,
  rating_asked          INTEGER NOT NULL DEFAULT 0,
  ratings               INTEGER NOT NULL DEFAULT 0,
  rating_sum            INTEGER NOT NULL DEFAULT 0,
  rating_1              INTEGER NOT NULL DEFAULT 0,
  rating_2              INTEGER NOT NULL DEFAULT 0,
  rating_3              INTEGER NOT NULL DEFAULT 0,
  rating_4              INTEGER NOT NULL DEFAULT 0,
  rating_5              INTEGER NOT NULL DEFAULT 0,
  messages_in           INTEGER NOT NULL DEFAULT 0,
  messages_out          INTEGER NOT NULL DEFAULT 0,
  ai_replies            INTEGER NOT NULL DEFAULT 0,
  template_replies      INTEGER NOT NULL DEFAULT 0,
  fallback_replies      INTEGER NOT NULL DEFAULT 0,
  ai_tokens             INTEGER NOT NULL DEFAULT 0,
  ai_cost_micros        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day, bot_id, platform, deployment_id)
) STRICT, WITHOUT ROWID;

-- The day's merged user sketch (the same text as analytics_users_hourly's).
CREATE TABLE analytics_users_daily (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day           INTEGER NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  sketch        BLOB    NOT NULL,
  PRIMARY KEY (org_id, day, bot_id, platform, deployment_id)
) STRICT, WITHOUT ROWID;

-- The day's first-response histogram ("bucket:count" pairs, as analytics_first_response_hourly).
CREATE TABLE analytics_first_response_daily (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day           INTEGER NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  buckets       TEXT    NOT NULL,
  PRIMARY KEY (org_id, day, bot_id, platform, deployment_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE analytics_templates_daily (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day           INTEGER NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  template_id   TEXT    NOT NULL,
  uses          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day, bot_id, platform, deployment_id, template_id)
) STRICT, WITHOUT ROWID;

-- Holds what people wrote: retention deletes its days with the hourly rows (ADR 0037).
CREATE TABLE analytics_unanswered_daily (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day           INTEGER NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  question      TEXT    NOT NULL,
  n             INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day, bot_id, platform, deployment_id, question)
) STRICT, WITHOUT ROWID;

-- Per organisation: daily rows are complete for the UTC days before `until` (ms of a day start).
-- No row: nothing compacted. Compaction locks the row to move it; the recorder reads it (FOR SHARE
-- on PostgreSQL) in the transaction that adds to the rollups.
CREATE TABLE analytics_daily_until (
  org_id TEXT   NOT NULL PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  until  INTEGER NOT NULL
) STRICT;
