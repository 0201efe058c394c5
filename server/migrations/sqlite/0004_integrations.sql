-- Integrations: connected platform accounts. Credentials are sealed with XChaCha20-Poly1305 under
-- the master key (associated data: the integration id); nothing here is a plaintext secret.
CREATE TABLE integrations (
  id                    TEXT    NOT NULL PRIMARY KEY,
  org_id                TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  platform              TEXT    NOT NULL
                        CHECK (platform IN ('telegram', 'whatsapp', 'messenger', 'slack', 'discord', 'twilio', 'webchat')),
  name                  TEXT    NOT NULL,
  credentials_sealed    TEXT    NOT NULL,  -- base64(nonce || ciphertext) of a JSON object
  credentials_key_id    TEXT    NOT NULL,  -- which master key sealed it (a rotation changes it)
  status                TEXT    NOT NULL
                        CHECK (status IN ('connected', 'invalid', 'needs_attention', 'unverified')),
  status_reason         TEXT    NOT NULL,
  checked_at            INTEGER,
  account               TEXT,              -- what the platform says the account is ("@shop_bot")
  webhook_registered_at INTEGER,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  UNIQUE (org_id, name)
) STRICT;
CREATE INDEX integrations_org_created_idx ON integrations (org_id, created_at);
CREATE INDEX deployments_integration_id_idx ON deployments (integration_id);
