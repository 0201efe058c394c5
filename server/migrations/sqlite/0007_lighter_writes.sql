-- Fewer B-trees written per message (each costs an index insert and a page in the WAL):
-- * webhook_events no longer refers to organizations itself. Its rows still go with their
--   organization: through integrations (ON DELETE CASCADE), whose id leads the unique
--   (integration_id, idempotency_key) index. The (org_id, received_at) index served only that
--   foreign key, and no query reads events by organization.
-- * message_job_logs is stored in the order it is read, by job then time (WITHOUT ROWID): one
--   B-tree instead of three (rows, the id's unique index, the job index). Its rows are small.
-- * A conversation's lookup index no longer holds last_message_at, which changes on every message;
--   a user has few sessions per bot, and the lookup picks the latest of them.
-- * message_jobs' and messages' CHECKs list their values with OR instead of IN: SQLite builds a
--   temporary B-tree for an IN list of three or more values each time a statement runs, which
--   made every change of a job's state and every stored message pay for opening one.
-- The migration runner turns foreign keys off while this runs, so dropping the old tables does not
-- cascade into the tables that refer to them.
CREATE TABLE webhook_events_new (
  id               TEXT    NOT NULL PRIMARY KEY,
  org_id           TEXT    NOT NULL,
  integration_id   TEXT    NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
  platform         TEXT    NOT NULL,
  idempotency_key  TEXT    NOT NULL,  -- the platform's stable id (update_id, wamid, event_id, …)
  kind             TEXT    NOT NULL,  -- "message", or what was ignored ("status", "bot_message", …)
  status           TEXT    NOT NULL CHECK (status IN ('accepted', 'ignored')),
  payload          TEXT    NOT NULL,  -- the delivery as received
  payload_hash     TEXT    NOT NULL,  -- SHA-256 of it
  received_at      INTEGER NOT NULL,
  UNIQUE (integration_id, idempotency_key)
) STRICT;
INSERT INTO webhook_events_new (id, org_id, integration_id, platform, idempotency_key, kind, status, payload,
                                payload_hash, received_at)
  SELECT id, org_id, integration_id, platform, idempotency_key, kind, status, payload, payload_hash, received_at
  FROM webhook_events;
DROP TABLE webhook_events;
ALTER TABLE webhook_events_new RENAME TO webhook_events;

CREATE TABLE message_job_logs_new (
  id          TEXT    NOT NULL,
  job_id      TEXT    NOT NULL REFERENCES message_jobs (id) ON DELETE CASCADE,
  org_id      TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  worker      TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('attempt', 'state')),
  from_state  TEXT,
  to_state    TEXT,
  outcome     TEXT    NOT NULL,
  http_status INTEGER,
  latency_ms  INTEGER,
  error       TEXT,
  PRIMARY KEY (job_id, at, id)
) STRICT, WITHOUT ROWID;
INSERT INTO message_job_logs_new (id, job_id, org_id, at, worker, kind, from_state, to_state, outcome, http_status,
                                  latency_ms, error)
  SELECT id, job_id, org_id, at, worker, kind, from_state, to_state, outcome, http_status, latency_ms, error
  FROM message_job_logs;
DROP TABLE message_job_logs;
ALTER TABLE message_job_logs_new RENAME TO message_job_logs;

DROP INDEX conversation_sessions_lookup_idx;
CREATE INDEX conversation_sessions_lookup_idx ON conversation_sessions (bot_id, platform, external_user_id);

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
  reply_to            TEXT    NOT NULL,  -- where the answer goes (chat id, phone number, channel…)
  inbound_text        TEXT    NOT NULL,
  reply_text          TEXT,              -- generated once, stored before the first send
  reply_source        TEXT,
  platform_message_id TEXT,              -- stored with the change to succeeded
  state               TEXT    NOT NULL
                      CHECK (state = 'queued' OR state = 'processing' OR state = 'succeeded' OR state = 'failed' OR
                             state = 'dead' OR state = 'cancelled'),
  attempts            INTEGER NOT NULL,
  max_attempts        INTEGER NOT NULL,
  next_run_at         INTEGER NOT NULL,
  lease_owner         TEXT,
  lease_expires_at    INTEGER,
  last_error          TEXT,
  previous_state      TEXT,              -- the state a claim took the job from (for its log row)
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  finished_at         INTEGER,
  CHECK ((state = 'succeeded' OR state = 'dead' OR state = 'cancelled') = (finished_at IS NOT NULL)),
  CHECK ((state = 'processing') = (lease_owner IS NOT NULL))
) STRICT;
INSERT INTO message_jobs_new (id, org_id, integration_id, deployment_id, bot_id, event_id, platform, external_user_id,
                              display_name, external_message_id, reply_to, inbound_text, reply_text, reply_source,
                              platform_message_id, state, attempts, max_attempts, next_run_at, lease_owner,
                              lease_expires_at, last_error, previous_state, created_at, updated_at, finished_at)
  SELECT id, org_id, integration_id, deployment_id, bot_id, event_id, platform, external_user_id, display_name,
         external_message_id, reply_to, inbound_text, reply_text, reply_source, platform_message_id, state, attempts,
         max_attempts, next_run_at, lease_owner, lease_expires_at, last_error, previous_state, created_at, updated_at,
         finished_at
  FROM message_jobs;
DROP TABLE message_jobs;
ALTER TABLE message_jobs_new RENAME TO message_jobs;
CREATE INDEX message_jobs_org_created_idx ON message_jobs (org_id, created_at);
CREATE INDEX message_jobs_due_idx ON message_jobs (next_run_at, id) WHERE state IN ('queued', 'failed');
CREATE INDEX message_jobs_leased_idx ON message_jobs (lease_expires_at) WHERE state = 'processing';

CREATE TABLE messages_new (
  id                TEXT    NOT NULL PRIMARY KEY,
  org_id            TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  session_id        TEXT    NOT NULL REFERENCES conversation_sessions (id) ON DELETE CASCADE,
  direction         TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
  text              TEXT    NOT NULL,
  source            TEXT    CHECK (source = 'ai' OR source = 'template' OR source = 'fallback'),
  model             TEXT,
  prompt_tokens     INTEGER,
  completion_tokens INTEGER,
  latency_ms        INTEGER,
  error             TEXT,
  created_at        INTEGER NOT NULL
) STRICT;
INSERT INTO messages_new (id, org_id, session_id, direction, text, source, model, prompt_tokens, completion_tokens,
                          latency_ms, error, created_at)
  SELECT id, org_id, session_id, direction, text, source, model, prompt_tokens, completion_tokens, latency_ms, error,
         created_at
  FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
CREATE INDEX messages_session_id_idx ON messages (session_id, created_at);
