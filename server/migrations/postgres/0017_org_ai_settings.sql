-- Each organisation's AI settings: its own OpenRouter key, sealed with the master key like platform
-- credentials (associated data: the organisation id), and the models its bots may use (a JSON array
-- of model ids; empty: any). No row: no own key and no restriction. docs/adr/0026 explains.
CREATE TABLE org_ai_settings (
  org_id          TEXT    NOT NULL PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  key_sealed      TEXT,
  key_key_id      TEXT,
  key_set_at      BIGINT,
  key_set_by      TEXT    REFERENCES users (id) ON DELETE SET NULL,
  key_verified_at BIGINT,
  allowed_models  TEXT    NOT NULL DEFAULT '[]',
  updated_at      BIGINT NOT NULL
);
