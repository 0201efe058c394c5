-- Teams (SQLite): invitations, API keys, the audit log and the mail outbox.
-- Keep in step with postgres/0002_teams.sql: same tables, same columns.

CREATE TABLE invites (
  id           TEXT    NOT NULL PRIMARY KEY,
  org_id       TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  email        TEXT    NOT NULL,                  -- lowercased
  role         TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  token_hash   TEXT    NOT NULL UNIQUE,           -- SHA-256 of the token in the link
  invited_by   TEXT    REFERENCES users (id) ON DELETE SET NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  accepted_at  INTEGER,
  accepted_by  TEXT    REFERENCES users (id) ON DELETE SET NULL,
  revoked_at   INTEGER
) STRICT;
CREATE INDEX invites_org_id_idx ON invites (org_id, created_at);

CREATE TABLE api_keys (
  id           TEXT    NOT NULL PRIMARY KEY,
  org_id       TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name         TEXT    NOT NULL,
  role         TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  prefix       TEXT    NOT NULL UNIQUE,           -- shown in lists; finds the row for a presented key
  key_hash     TEXT    NOT NULL,                  -- SHA-256 of the whole key
  created_by   TEXT    REFERENCES users (id) ON DELETE SET NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  last_used_at INTEGER,
  revoked_at   INTEGER
) STRICT;
CREATE INDEX api_keys_org_id_idx ON api_keys (org_id, created_at);

-- Append-only: rows are inserted, never updated or deleted (except with their organisation).
CREATE TABLE audit_events (
  id           TEXT    NOT NULL PRIMARY KEY,
  org_id       TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  actor_type   TEXT    NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id     TEXT    NOT NULL,
  actor_label  TEXT    NOT NULL,
  action       TEXT    NOT NULL,
  target_type  TEXT    NOT NULL,
  target_id    TEXT    NOT NULL,
  target_label TEXT    NOT NULL,
  ip           TEXT    NOT NULL,
  before_json  TEXT,
  after_json   TEXT,
  created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_events_org_id_idx ON audit_events (org_id, created_at);

-- Mail that could not be handed to an SMTP server because none is configured.
CREATE TABLE mail_outbox (
  id         TEXT    NOT NULL PRIMARY KEY,
  recipient  TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  body       TEXT    NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
