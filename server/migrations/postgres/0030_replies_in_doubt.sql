-- Replies in doubt after a crash (issue 22, ADR 0040).
-- * message_jobs.send_attempt / send_started_at: before a batch's sends start, the worker marks each
--   job with the attempt whose send starts (attempts + 1) in one commit. Recording the result moves
--   attempts up to it, so a processing job with send_attempt > attempts whose process died is in doubt.
-- * A new state, in_doubt: a send in doubt held for an operator (the integration's policy is hold).
-- * integrations.in_doubt_policy: resend (at least once, the default) or hold (at most once).
-- * processes: one row per running process, its heartbeat; the jobs of a process whose heartbeat
--   stopped are taken over within seconds, instead of when their leases run out.
ALTER TABLE message_jobs ADD COLUMN send_attempt BIGINT;
ALTER TABLE message_jobs ADD COLUMN send_started_at BIGINT;
ALTER TABLE message_jobs DROP CONSTRAINT message_jobs_state_check;
ALTER TABLE message_jobs ADD CONSTRAINT message_jobs_state_check
  CHECK (state IN ('queued', 'processing', 'succeeded', 'failed', 'dead', 'cancelled', 'skipped', 'in_doubt'));

ALTER TABLE integrations ADD COLUMN in_doubt_policy TEXT NOT NULL DEFAULT 'resend'
  CHECK (in_doubt_policy IN ('resend', 'hold'));

CREATE TABLE processes (
  id         TEXT   NOT NULL PRIMARY KEY,  -- host:pid.random; workers are <id>/<n> in lease_owner
  started_at BIGINT NOT NULL,
  last_seen  BIGINT NOT NULL
);
