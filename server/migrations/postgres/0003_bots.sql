-- Bots (PostgreSQL): bots, response templates, deployments, conversations and their messages.
-- Keep in step with sqlite/0003_bots.sql. Lists and maps are JSON text.

CREATE TABLE bots (
  id               TEXT    NOT NULL PRIMARY KEY,
  org_id           TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name             TEXT    NOT NULL,
  description      TEXT    NOT NULL,
  avatar_color     TEXT    NOT NULL,
  avatar_url       TEXT,
  system_prompt    TEXT    NOT NULL,
  model            TEXT    NOT NULL,
  temperature      DOUBLE PRECISION NOT NULL,
  max_tokens       BIGINT  NOT NULL,
  greeting         TEXT    NOT NULL,
  fallback_message TEXT    NOT NULL,
  language         TEXT    NOT NULL,
  history_turns    BIGINT  NOT NULL,
  ask_satisfaction BIGINT  NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('active', 'archived')),
  version          BIGINT  NOT NULL,
  created_at       BIGINT  NOT NULL,
  updated_at       BIGINT  NOT NULL,
  UNIQUE (org_id, name)
);

CREATE TABLE templates (
  id                TEXT    NOT NULL PRIMARY KEY,
  org_id            TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name              TEXT    NOT NULL,
  category          TEXT    NOT NULL,
  trigger_phrases   TEXT    NOT NULL,  -- JSON array of strings
  body              TEXT    NOT NULL,
  variables         TEXT    NOT NULL,  -- JSON array of {name, default}
  platform_variants TEXT    NOT NULL,  -- JSON object platform → body
  created_at        BIGINT  NOT NULL,
  updated_at        BIGINT  NOT NULL
);
CREATE INDEX templates_org_id_idx ON templates (org_id, name);

CREATE TABLE bot_templates (
  bot_id      TEXT    NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
  template_id TEXT    NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
  org_id      TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  position    BIGINT  NOT NULL,
  PRIMARY KEY (bot_id, template_id)
);

CREATE TABLE deployments (
  id              TEXT    NOT NULL PRIMARY KEY,
  org_id          TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  bot_id          TEXT    NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
  channel         TEXT    NOT NULL,
  integration_id  TEXT,
  allowed_origins TEXT    NOT NULL,  -- JSON array of origins
  status          TEXT    NOT NULL CHECK (status IN ('active', 'paused')),
  public_key      TEXT    NOT NULL UNIQUE,
  created_at      BIGINT  NOT NULL,
  updated_at      BIGINT  NOT NULL
);
CREATE INDEX deployments_bot_id_idx ON deployments (bot_id);

CREATE TABLE conversation_sessions (
  id                 TEXT    NOT NULL PRIMARY KEY,
  org_id             TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  bot_id             TEXT    NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
  deployment_id      TEXT    REFERENCES deployments (id) ON DELETE SET NULL,
  platform           TEXT    NOT NULL,
  external_user_id   TEXT    NOT NULL,
  display_name       TEXT    NOT NULL,
  started_at         BIGINT  NOT NULL,
  last_message_at    BIGINT  NOT NULL,
  first_response_at  BIGINT,
  resolved_at        BIGINT,
  status             TEXT    NOT NULL CHECK (status IN ('open', 'ended')),
  satisfaction_score BIGINT
);
CREATE INDEX conversation_sessions_lookup_idx ON conversation_sessions (bot_id, platform, external_user_id, last_message_at);
CREATE INDEX conversation_sessions_org_idx ON conversation_sessions (org_id, last_message_at);

CREATE TABLE messages (
  id                TEXT    NOT NULL PRIMARY KEY,
  org_id            TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  session_id        TEXT    NOT NULL REFERENCES conversation_sessions (id) ON DELETE CASCADE,
  direction         TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
  text              TEXT    NOT NULL,
  source            TEXT    CHECK (source IN ('ai', 'template', 'fallback')),
  model             TEXT,
  prompt_tokens     BIGINT,
  completion_tokens BIGINT,
  latency_ms        BIGINT,
  error             TEXT,
  created_at        BIGINT  NOT NULL
);
CREATE INDEX messages_session_id_idx ON messages (session_id, created_at);
