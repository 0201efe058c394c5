-- Foundation (PostgreSQL): users, profiles, organisations and members, platform roles, sessions,
-- login attempts. Keep in step with sqlite/0001_foundation.sql: same tables, same columns.
-- Times: BIGINT ms UTC. Booleans: INTEGER 0/1, as in SQLite, so stores read them the same way.

CREATE TABLE users (
  id            TEXT   PRIMARY KEY,
  email         TEXT   NOT NULL UNIQUE,  -- stored lowercased
  password_hash TEXT   NOT NULL,
  last_org_id   TEXT,                    -- no foreign key: deleting an org leaves it dangling, harmlessly
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);

CREATE TABLE profiles (
  user_id    TEXT   PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  name       TEXT   NOT NULL,
  avatar_url TEXT,
  timezone   TEXT   NOT NULL DEFAULT 'UTC',
  updated_at BIGINT NOT NULL
);

CREATE TABLE organizations (
  id         TEXT   PRIMARY KEY,
  name       TEXT   NOT NULL,
  created_by TEXT   REFERENCES users (id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE organization_members (
  org_id     TEXT   NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id    TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       TEXT   NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX organization_members_user_id_idx ON organization_members (user_id);

-- Platform-wide roles (operator staff), distinct from roles inside an organisation.
CREATE TYPE app_role AS ENUM ('admin');

CREATE TABLE user_roles (
  user_id    TEXT     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       app_role NOT NULL,
  created_at BIGINT   NOT NULL,
  PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
  id           TEXT   PRIMARY KEY,
  user_id      TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash   TEXT   NOT NULL UNIQUE,
  csrf_token   TEXT   NOT NULL,
  org_id       TEXT   REFERENCES organizations (id) ON DELETE SET NULL,
  ip           TEXT,
  user_agent   TEXT,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE login_attempts (
  id         TEXT    PRIMARY KEY,
  email      TEXT    NOT NULL,
  ip         TEXT    NOT NULL,
  succeeded  INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
  created_at BIGINT  NOT NULL
);
CREATE INDEX login_attempts_email_idx ON login_attempts (email, created_at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, created_at);
