-- Fewer B-trees written per message (each costs an index insert and a page in the WAL):
-- * webhook_events no longer refers to organizations itself. Its rows still go with their
--   organization: through integrations (ON DELETE CASCADE), whose id leads the unique
--   (integration_id, idempotency_key) index. The (org_id, received_at) index served only that
--   foreign key, and no query reads events by organization.
-- * message_job_logs is stored in the order it is read, by job then time (WITHOUT ROWID): one
--   B-tree instead of three (rows, the id's unique index, the job index). Its rows are small.
-- * A conversation's lookup index no longer holds last_message_at, which changes on every message;
--   a user has few sessions per bot, and the lookup picks the latest of them.
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
