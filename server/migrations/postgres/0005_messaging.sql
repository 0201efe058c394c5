-- Reliable messaging: every delivery a platform made (deduplicated on its own id), the reply job
-- it created, one append-only log row per attempt and change of state, and per-integration rate
-- limits that override each platform's defaults.
CREATE TABLE webhook_events (
  id               TEXT    NOT NULL PRIMARY KEY,
  org_id           TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  integration_id   TEXT    NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
  platform         TEXT    NOT NULL,
  idempotency_key  TEXT    NOT NULL,  -- the platform's stable id (update_id, wamid, event_id, …)
  kind             TEXT    NOT NULL,  -- "message", or what was ignored ("status", "bot_message", …)
  status           TEXT    NOT NULL CHECK (status IN ('accepted', 'ignored')),
  payload          TEXT    NOT NULL,  -- the delivery as received
  payload_hash     TEXT    NOT NULL,  -- SHA-256 of it
  received_at      BIGINT NOT NULL,
  UNIQUE (integration_id, idempotency_key)
);
CREATE INDEX webhook_events_org_received_idx ON webhook_events (org_id, received_at);

CREATE TABLE message_jobs (
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
                      CHECK (state IN ('queued', 'processing', 'succeeded', 'failed', 'dead', 'cancelled')),
  attempts            BIGINT NOT NULL,
  max_attempts        BIGINT NOT NULL,
  next_run_at         BIGINT NOT NULL,
  lease_owner         TEXT,
  lease_expires_at    BIGINT,
  last_error          TEXT,
  previous_state      TEXT,              -- the state a claim took the job from (for its log row)
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL,
  finished_at         BIGINT,
  CHECK ((state IN ('succeeded', 'dead', 'cancelled')) = (finished_at IS NOT NULL)),
  CHECK ((state = 'processing') = (lease_owner IS NOT NULL))
);
CREATE INDEX message_jobs_runnable_idx ON message_jobs (state, next_run_at);
CREATE INDEX message_jobs_org_created_idx ON message_jobs (org_id, created_at);

CREATE TABLE message_job_logs (
  id          TEXT    NOT NULL PRIMARY KEY,
  job_id      TEXT    NOT NULL REFERENCES message_jobs (id) ON DELETE CASCADE,
  org_id      TEXT    NOT NULL,
  at          BIGINT NOT NULL,
  worker      TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('attempt', 'state')),
  from_state  TEXT,
  to_state    TEXT,
  outcome     TEXT    NOT NULL,
  http_status BIGINT,
  latency_ms  BIGINT,
  error       TEXT
);
CREATE INDEX message_job_logs_job_idx ON message_job_logs (job_id, at);

CREATE TABLE platform_rate_limits (
  integration_id   TEXT    NOT NULL PRIMARY KEY REFERENCES integrations (id) ON DELETE CASCADE,
  org_id           TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  per_second       BIGINT NOT NULL,  -- messages per second for the account
  per_chat_per_minute BIGINT NOT NULL,  -- messages per minute to one chat
  updated_at       BIGINT NOT NULL
);
