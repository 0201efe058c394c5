-- Replies in doubt after a crash (issue 22, ADR 0040).
-- * message_jobs.send_attempt / send_started_at: before a batch's sends start, the worker marks each
--   job with the attempt whose send starts (attempts + 1) in one commit. Recording the result moves
--   attempts up to it, so a processing job with send_attempt > attempts whose process died is in doubt.
-- * A new state, in_doubt: a send in doubt held for an operator (the integration's policy is hold).
--   SQLite cannot change a CHECK constraint in place: the table is built again, as in 0024.
-- * integrations.in_doubt_policy: resend (at least once, the default) or hold (at most once).
-- * processes: one row per running process, its heartbeat; the jobs of a process whose heartbeat
--   stopped are taken over within seconds, instead of when their leases run out.
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
                             state = 'dead' OR state = 'cancelled' OR state = 'skipped' OR state = 'in_doubt'),
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
  send_attempt        INTEGER,
  send_started_at     INTEGER,
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

ALTER TABLE integrations ADD COLUMN in_doubt_policy TEXT NOT NULL DEFAULT 'resend'
  CHECK (in_doubt_policy IN ('resend', 'hold'));

CREATE TABLE processes (
  id         TEXT    NOT NULL PRIMARY KEY,  -- host:pid.random; workers are <id>/<n> in lease_owner
  started_at INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL
) STRICT;
