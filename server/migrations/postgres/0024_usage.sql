-- Usage counters and the monthly message quota (issue 20, ADR 0034 "Usage and quota").
-- One row per organisation, usage period and metric (messages, ai_tokens, ai_cost_micros,
-- insight_runs). `used` is settled use; `reserved` is held by AI calls in flight.
CREATE TABLE usage_counters (
  org_id       TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  period_start BIGINT  NOT NULL,
  metric       TEXT    NOT NULL,
  used         BIGINT  NOT NULL DEFAULT 0,
  reserved     BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, period_start, metric)
);

-- What an AI call holds until it settles; released when its job's lease ended (the worker died).
CREATE TABLE usage_reservations (
  id               TEXT    NOT NULL PRIMARY KEY,
  org_id           TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  period_start     BIGINT  NOT NULL,
  metric           TEXT    NOT NULL,
  amount           BIGINT  NOT NULL,
  job_id           TEXT,
  lease_expires_at BIGINT  NOT NULL
);
CREATE INDEX usage_reservations_lease_idx ON usage_reservations (lease_expires_at);
CREATE INDEX usage_reservations_job_idx ON usage_reservations (job_id);

-- Which usage warnings (80 %, 100 %) went to the owners, once per period and threshold.
CREATE TABLE usage_warnings (
  org_id       TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  period_start BIGINT  NOT NULL,
  metric       TEXT    NOT NULL,
  threshold    BIGINT  NOT NULL,
  sent_at      BIGINT  NOT NULL,
  PRIMARY KEY (org_id, period_start, metric, threshold)
);

-- Null: the bot's fallback message is the over-quota notice.
ALTER TABLE bots ADD COLUMN over_quota_message TEXT;

-- A new terminal job state, skipped (over the monthly quota: the notice was sent, no AI call).
ALTER TABLE message_jobs DROP CONSTRAINT message_jobs_state_check;
ALTER TABLE message_jobs DROP CONSTRAINT message_jobs_check;
ALTER TABLE message_jobs ADD CONSTRAINT message_jobs_state_check
  CHECK (state IN ('queued', 'processing', 'succeeded', 'failed', 'dead', 'cancelled', 'skipped'));
ALTER TABLE message_jobs ADD CONSTRAINT message_jobs_check
  CHECK ((state IN ('succeeded', 'dead', 'cancelled', 'skipped')) = (finished_at IS NOT NULL));
