-- Usage counters and the monthly message quota (issue 20, ADR 0034 "Usage and quota").
-- One row per organisation, usage period and metric (messages, ai_tokens, ai_cost_micros,
-- insight_runs). `used` is settled use; `reserved` is held by AI calls in flight.
CREATE TABLE usage_counters (
  org_id       TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  period_start INTEGER NOT NULL,
  metric       TEXT    NOT NULL,
  used         INTEGER NOT NULL DEFAULT 0,
  reserved     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, period_start, metric)
) STRICT;

-- What an AI call holds until it settles; released when its job's lease ended (the worker died).
CREATE TABLE usage_reservations (
  id               TEXT    NOT NULL PRIMARY KEY,
  org_id           TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  period_start     INTEGER NOT NULL,
  metric           TEXT    NOT NULL,
  amount           INTEGER NOT NULL,
  job_id           TEXT,
  lease_expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX usage_reservations_lease_idx ON usage_reservations (lease_expires_at);
CREATE INDEX usage_reservations_job_idx ON usage_reservations (job_id);

-- Which usage warnings (80 %, 100 %) went to the owners, once per period and threshold.
CREATE TABLE usage_warnings (
  org_id       TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  period_start INTEGER NOT NULL,
  metric       TEXT    NOT NULL,
  threshold    INTEGER NOT NULL,
  sent_at      INTEGER NOT NULL,
  PRIMARY KEY (org_id, period_start, metric, threshold)
) STRICT;

-- Null: the bot's fallback message is the over-quota notice.
ALTER TABLE bots ADD COLUMN over_quota_message TEXT;

-- A new terminal job state, skipped (over the monthly quota: the notice was sent, no AI call).
-- SQLite cannot change a CHECK constraint in place: the table is built again, as in 0007.
CREATE TABLE message_jobs_new (
  id                  TEXT    NOT NULL PRIMARY KEY,
  org_id              TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  integration_id      TEXT    NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
  deployment_id       TEXT,
  bot_id              TEXT,
  event_id            TEXT    NOT NULL UNIQUE REFERENCES webhook_events (id) ON DELETE CASCADE,
  platform            TEXT    NOT NULL,
  external_user_id    TEXT    NOT NULL,
  display_name        TEXT    NOT NULL,
  external_message_id TEXT    NOT NULL,
  reply_to            TEXT    NOT NULL,
  inbound_text        TEXT    NOT NULL,
  reply_text          TEXT,
  reply_source        TEXT,
  platform_message_id TEXT,
  state               TEXT    NOT NULL
                      CHECK (state = 'queued' OR state = 'processing' OR state = 'succeeded' OR state = 'failed' OR
                             state = 'dead' OR state = 'cancelled' OR state = 'skipped'),
  attempts            INTEGER NOT NULL,
  max_attempts        INTEGER NOT NULL,
  next_run_at         INTEGER NOT NULL,
  lease_owner         TEXT,
  lease_expires_at    INTEGER,
  last_error          TEXT,
  previous_state      TEXT,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  finished_at         INTEGER,
  reason_kind         TEXT,
  CHECK ((state = 'succeeded' OR state = 'dead' OR state = 'cancelled' OR state = 'skipped') =
         (finished_at IS NOT NULL)),
  CHECK ((state = 'processing') = (lease_owner IS NOT NULL))
) STRICT;
INSERT INTO message_jobs_new (id, org_id, integration_id, deployment_id, bot_id, event_id, platform, external_user_id,
                              display_name, external_message_id, reply_to, inbound_text, reply_text, reply_source,
                              platform_message_id, state, attempts, max_attempts, next_run_at, lease_owner,
                              lease_expires_at, last_error, previous_state, created_at, updated_at, finished_at,
                              reason_kind)
  SELECT id, org_id, integration_id, deployment_id, bot_id, event_id, platform, external_user_id, display_name,
         external_message_id, reply_to, inbound_text, reply_text, reply_source, platform_message_id, state, attempts,
         max_attempts, next_run_at, lease_owner, lease_expires_at, last_error, previous_state, created_at, updated_at,
         finished_at, reason_kind
  FROM message_jobs;
DROP TABLE message_jobs;
ALTER TABLE message_jobs_new RENAME TO message_jobs;
CREATE INDEX message_jobs_org_created_idx ON message_jobs (org_id, created_at);
CREATE INDEX message_jobs_due_idx ON message_jobs (next_run_at, id) WHERE state IN ('queued', 'failed');
CREATE INDEX message_jobs_leased_idx ON message_jobs (lease_expires_at) WHERE state = 'processing';
