-- Two-factor sign-in (TOTP): one secret per user, sealed under the master key; single-use
-- recovery codes stored hashed; the pending second step of a sign-in; organisations that
-- require it of every member.
CREATE TABLE two_factor (
  user_id       TEXT   NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_sealed TEXT   NOT NULL,
  enabled_at    BIGINT,
  last_step     BIGINT NOT NULL DEFAULT 0,
  created_at    BIGINT NOT NULL
);

CREATE TABLE recovery_codes (
  user_id    TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  TEXT   NOT NULL,
  used_at    BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE signin_challenges (
  id         TEXT    NOT NULL PRIMARY KEY,
  token_hash TEXT    NOT NULL UNIQUE,
  user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  failures   INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT  NOT NULL,
  expires_at BIGINT  NOT NULL
);
CREATE INDEX signin_challenges_expires_at_idx ON signin_challenges (expires_at);

ALTER TABLE organizations ADD COLUMN require_two_factor INTEGER NOT NULL DEFAULT 0
  CHECK (require_two_factor IN (0, 1));
