-- Advanced analytics (issue 21, ADR 0037): what a conversation came to, conversions, hourly
-- rollups in UTC that the dashboards read instead of raw messages, and saved AI insight runs.

-- The organisation's time zone: the days of its dashboards.
ALTER TABLE organizations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

-- What a conversation came to. resolved_at existed and is now written; resolved_by says how:
-- user (their message matched the bot's resolution phrases), bot (a template with the resolve
-- action answered), operator (a person in the app), api (an API key).
ALTER TABLE conversation_sessions ADD COLUMN resolved_by TEXT;
ALTER TABLE conversation_sessions ADD COLUMN user_messages BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversation_sessions ADD COLUMN fallback_replies BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversation_sessions ADD COLUMN converted_at BIGINT;
ALTER TABLE conversation_sessions ADD COLUMN rating_asked_at BIGINT;
ALTER TABLE conversation_sessions ADD COLUMN rated_at BIGINT;
-- Conversations by start time, for the analytics table, exports and the raw recomputation.
CREATE INDEX conversation_sessions_started_idx ON conversation_sessions (org_id, started_at);

-- Which template answered (null: a model, the fallback, or an inbound message).
ALTER TABLE messages ADD COLUMN template_id TEXT;

-- What a template does besides answering: resolve the conversation, or record a conversion.
ALTER TABLE templates ADD COLUMN action TEXT CHECK (action IS NULL OR action IN ('resolve', 'convert'));

-- Phrases that, in a user's message, mean the conversation is resolved (JSON array of strings).
ALTER TABLE bots ADD COLUMN resolution_phrases TEXT NOT NULL DEFAULT '["thanks, that solved it","that helped","problem solved","all good now"]';

-- Conversions: POST /api/conversions or a template with the convert action. A conversation is
-- converted once (converted_at); every conversion is kept.
CREATE TABLE conversions (
  id           TEXT    NOT NULL PRIMARY KEY,
  org_id       TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  session_id   TEXT    NOT NULL REFERENCES conversation_sessions (id) ON DELETE CASCADE,
  name         TEXT    NOT NULL,
  value_cents  BIGINT,
  source       TEXT    NOT NULL CHECK (source IN ('api', 'template')),
  external_id  TEXT,    -- the caller's own id: the same one twice is one conversion
  created_at   BIGINT NOT NULL,
  UNIQUE (org_id, external_id)
);
CREATE INDEX conversions_session_idx ON conversions (session_id);

-- Hourly rollups (UTC hour start, Unix ms). deployment_id is '' when a conversation has none.
-- Conversation columns count at the hour the conversation started (a cohort: the funnel's steps
-- are of the same conversations); message columns at the hour of the message.
CREATE TABLE analytics_hourly (
  org_id                TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  hour                  BIGINT NOT NULL,
  bot_id                TEXT    NOT NULL,
  platform              TEXT    NOT NULL,
  deployment_id         TEXT    NOT NULL,
  conversations         BIGINT NOT NULL DEFAULT 0,
  engaged               BIGINT NOT NULL DEFAULT 0,  -- reached 2 user messages
  resolved              BIGINT NOT NULL DEFAULT 0,
  converted             BIGINT NOT NULL DEFAULT 0,
  handoffs              BIGINT NOT NULL DEFAULT 0,  -- had at least one fallback reply
  first_responses       BIGINT NOT NULL DEFAULT 0,
  first_response_ms_sum BIGINT NOT NULL DEFAULT 0,
  rating_asked          BIGINT NOT NULL DEFAULT 0,
  ratings               BIGINT NOT NULL DEFAULT 0,
  rating_sum            BIGINT NOT NULL DEFAULT 0,
  rating_1              BIGINT NOT NULL DEFAULT 0,
  rating_2              BIGINT NOT NULL DEFAULT 0,
  rating_3              BIGINT NOT NULL DEFAULT 0,
  rating_4              BIGINT NOT NULL DEFAULT 0,
  rating_5              BIGINT NOT NULL DEFAULT 0,
  messages_in           BIGINT NOT NULL DEFAULT 0,
  messages_out          BIGINT NOT NULL DEFAULT 0,
  ai_replies            BIGINT NOT NULL DEFAULT 0,
  template_replies      BIGINT NOT NULL DEFAULT 0,
  fallback_replies      BIGINT NOT NULL DEFAULT 0,
  ai_tokens             BIGINT NOT NULL DEFAULT 0,
  ai_cost_micros        BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, hour, bot_id, platform, deployment_id)
);

-- Unique users: a mergeable distinct-count sketch of the users who started conversations that
-- hour (ADR 0037: exact below a threshold, HyperLogLog above).
CREATE TABLE analytics_users_hourly (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  hour          BIGINT NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  sketch        BYTEA    NOT NULL,
  PRIMARY KEY (org_id, hour, bot_id, platform, deployment_id)
);

-- Time to first response: a histogram per hour (bucket numbers in ADR 0037).
CREATE TABLE analytics_first_response_hourly (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  hour          BIGINT NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  bucket        BIGINT NOT NULL,
  n             BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, hour, bot_id, platform, deployment_id, bucket)
);

-- Template replies by template.
CREATE TABLE analytics_templates_hourly (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  hour          BIGINT NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  template_id   TEXT    NOT NULL,
  uses          BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, hour, bot_id, platform, deployment_id, template_id)
);

-- Unanswered questions: user messages the fallback answered, by their normalised text.
CREATE TABLE analytics_unanswered_hourly (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  hour          BIGINT NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  question      TEXT    NOT NULL,
  n             BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, hour, bot_id, platform, deployment_id, question)
);

-- Whether insight runs may send transcripts (redacted) to the model; off: aggregates only.
ALTER TABLE org_ai_settings ADD COLUMN share_transcripts BIGINT NOT NULL DEFAULT 0;

-- Saved AI insight runs: inputs and outputs, listed over time and compared.
CREATE TABLE insight_runs (
  id                TEXT    NOT NULL PRIMARY KEY,
  org_id            TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  created_by        TEXT    REFERENCES users (id) ON DELETE SET NULL,
  created_by_label  TEXT    NOT NULL,
  status            TEXT    NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  kind              TEXT    NOT NULL CHECK (kind IN ('ai', 'heuristic')),
  filters           TEXT    NOT NULL,  -- JSON: the analytics filters, range resolved to dates
  model             TEXT,
  prompt_version    TEXT    NOT NULL,
  transcripts_sent  BIGINT NOT NULL DEFAULT 0,
  metrics           TEXT    NOT NULL,  -- JSON: the overview snapshot the run was given
  summary           TEXT,
  themes            TEXT,              -- JSON array
  recommendations   TEXT,              -- JSON array
  error             TEXT,
  prompt_tokens     BIGINT,
  completion_tokens BIGINT,
  cost_micros       BIGINT,
  created_at        BIGINT NOT NULL,
  finished_at       BIGINT
);
CREATE INDEX insight_runs_org_idx ON insight_runs (org_id, created_at);
