-- The daily level of the analytics rollups (ADR 0037, part D): the hourly tables' sums per UTC
-- day (`day` = the UTC day's start, Unix ms), keyed like them. Filled by the compaction task for
-- whole UTC days before yesterday; below an organisation's watermark (analytics_daily_until) the
-- recorder adds late counts (a resolution, conversion or rating of a conversation that started on
-- a compacted day) to the daily row as well as to the hourly one, in the same transaction. Range
-- reads take whole UTC days below the watermark from here and the edges from the hourly tables.

CREATE TABLE analytics_daily (
  org_id                TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day                   BIGINT NOT NULL,
  bot_id                TEXT    NOT NULL,
  platform              TEXT    NOT NULL,
  deployment_id         TEXT    NOT NULL,
  conversations         BIGINT NOT NULL DEFAULT 0,
  engaged               BIGINT NOT NULL DEFAULT 0,
  resolved              BIGINT NOT NULL DEFAULT 0,
  converted             BIGINT NOT NULL DEFAULT 0,
  handoffs              BIGINT NOT NULL DEFAULT 0,
  first_responses       BIGINT NOT NULL DEFAULT 0,
  first_response_ms_sum BIGINT NOT NULL DEFAULT 0,
  rating_asked          BIGINT NOT NULL DEFAULT 0,
  ratings               BIGINT NOT NULL DEFAULT 0,
  rating_sum            BIGINT NOT NULL DEFAULT 0,
  rating_1              BIGINT NOT NULL DEFAULT 0,
  rating_2              BIGINT NOT NULL DEFAULT 0,
  rating_3              BIGINT NOT NULL DEFAULT 0,
  rating_4              BIGINT NOT NULL DEFAULT 0,
  rating_5              BIGINT NOT NULL DEFAULT 0,
  messages_in           BIGINT NOT NULL DEFAULT 0,
  messages_out          BIGINT NOT NULL DEFAULT 0,
  ai_replies            BIGINT NOT NULL DEFAULT 0,
  template_replies      BIGINT NOT NULL DEFAULT 0,
  fallback_replies      BIGINT NOT NULL DEFAULT 0,
  ai_tokens             BIGINT NOT NULL DEFAULT 0,
  ai_cost_micros        BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day, bot_id, platform, deployment_id)
);

-- The day's merged user sketch (the same text as analytics_users_hourly's).
CREATE TABLE analytics_users_daily (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day           BIGINT NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  sketch        BYTEA    NOT NULL,
  PRIMARY KEY (org_id, day, bot_id, platform, deployment_id)
);

-- The day's first-response histogram ("bucket:count" pairs, as analytics_first_response_hourly).
CREATE TABLE analytics_first_response_daily (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day           BIGINT NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  buckets       TEXT    NOT NULL,
  PRIMARY KEY (org_id, day, bot_id, platform, deployment_id)
);

CREATE TABLE analytics_templates_daily (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day           BIGINT NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  template_id   TEXT    NOT NULL,
  uses          BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day, bot_id, platform, deployment_id, template_id)
);

-- Holds what people wrote: retention deletes its days with the hourly rows (ADR 0037).
CREATE TABLE analytics_unanswered_daily (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day           BIGINT NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  question      TEXT    NOT NULL,
  n             BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day, bot_id, platform, deployment_id, question)
);

-- Per organisation: daily rows are complete for the UTC days before `until` (ms of a day start).
-- No row: nothing compacted. Compaction locks the row to move it; the recorder reads it (FOR SHARE
-- on PostgreSQL) in the transaction that adds to the rollups.
CREATE TABLE analytics_daily_until (
  org_id TEXT   NOT NULL PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  until  BIGINT NOT NULL
);
