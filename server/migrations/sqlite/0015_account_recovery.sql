-- Password reset by email, email verification and email change (SQLite). Keep in step with
-- postgres/0015_account_recovery.sql. docs/adr/0021 explains.
-- * users.email_verified_at: when the address was proved (a verification or reset link, an
--   invitation); NULL until then. Accounts that exist before this migration count as verified.
-- * account_tokens: the links mailed for a password reset or an email verification. Only a
--   SHA-256 of the token is stored; a used token is deleted. `email` is the address the link was
--   sent to: a link stops working when the account's address changes.

ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
UPDATE users SET email_verified_at = created_at;

CREATE TABLE account_tokens (
  id         TEXT    NOT NULL PRIMARY KEY,
  user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose    TEXT    NOT NULL CHECK (purpose IN ('password_reset', 'email_verification')),
  token_hash TEXT    NOT NULL UNIQUE,
  email      TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose);
CREATE INDEX account_tokens_expires_at_idx ON account_tokens (expires_at);
