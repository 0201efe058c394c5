-- Billing (issue 20, ADR 0034): each organisation's plan and subscription state, the durable queue
-- of Stripe events apart from reply jobs, and installation-wide billing settings.
CREATE TABLE org_billing (
  org_id                 TEXT    NOT NULL PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  plan                   TEXT    NOT NULL,
  status                 TEXT    NOT NULL DEFAULT 'active',
  grandfathered          INTEGER NOT NULL DEFAULT 0,
  stripe_customer_id     TEXT,
  stripe_subscription_id TEXT,
  current_period_start   INTEGER,
  current_period_end     INTEGER,
  cancel_at_period_end   INTEGER NOT NULL DEFAULT 0,
  past_due_since         INTEGER,
  plan_source            TEXT    NOT NULL DEFAULT 'default' CHECK (plan_source IN ('default', 'stripe', 'admin')),
  -- When Stripe's view was last applied (the subscription's own time, so an older read never wins).
  stripe_synced_at       INTEGER,
  updated_at             INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX org_billing_customer ON org_billing (stripe_customer_id);
CREATE INDEX org_billing_subscription ON org_billing (stripe_subscription_id);

CREATE TABLE stripe_events (
  id               TEXT    NOT NULL PRIMARY KEY,
  type             TEXT    NOT NULL,
  payload          TEXT    NOT NULL,
  received_at      INTEGER NOT NULL,
  state            TEXT    NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'processing', 'done', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_run_at      INTEGER NOT NULL,
  lease_owner      TEXT,
  lease_expires_at INTEGER,
  last_error       TEXT,
  processed_at     INTEGER
) STRICT;
CREATE INDEX stripe_events_due ON stripe_events (state, next_run_at);

CREATE TABLE billing_settings (
  key   TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
