-- Data retention (issue 20, ADR 0036): per organisation and kind ('data': conversations, their
-- messages, webhook events and finished reply jobs; 'audit': the audit log), how many days are kept
-- now, and a shorter retention announced to the owners that takes over at pending_effective_at.
CREATE TABLE retention_policies (
  org_id               TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  kind                 TEXT    NOT NULL CHECK (kind IN ('data', 'audit')),
  applied_days         INTEGER,
  pending_days         INTEGER,
  pending_effective_at INTEGER,
  notified_at          INTEGER,
  updated_at           INTEGER NOT NULL,
  PRIMARY KEY (org_id, kind)
) STRICT;
