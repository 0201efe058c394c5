-- Device cookies and recent authentication (PostgreSQL). Keep in step with sqlite/0010_device_cookies.sql.
-- * sessions.csrf_token goes: the CSRF token is now derived from the session's cookie token (an
--   HMAC with a fixed label), so nothing about it is stored. docs/adr/0020 explains.
-- * sessions.password_verified_at: when the session's user last proved the password (sign-in or
--   re-authentication); sensitive actions need it within the last ten minutes. Sessions opened
--   before this migration count from their sign-in.
-- * devices: one row per browser and account that signed in successfully; the browser holds a
--   signed cookie naming the row. Deleting the row revokes the cookie.
-- * login_attempts.device_id: attempts made with a valid device cookie are counted per device,
--   apart from anonymous ones (NULL), which are counted per email and per address as before.

ALTER TABLE sessions DROP COLUMN csrf_token;
ALTER TABLE sessions ADD COLUMN password_verified_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET password_verified_at = created_at;

CREATE TABLE devices (
  id                          TEXT    PRIMARY KEY,
  user_id                     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  secret_hash                 TEXT    NOT NULL,  -- SHA-256 of the cookie's random part
  user_agent                  TEXT    NOT NULL,
  created_at                  BIGINT  NOT NULL,
  last_used_at                BIGINT  NOT NULL,
  expires_at                  BIGINT  NOT NULL,
  two_factor_remembered_until BIGINT             -- "remember this device" for two-factor; unused yet
);
CREATE INDEX devices_user_id_idx ON devices (user_id);
CREATE INDEX devices_expires_at_idx ON devices (expires_at);

ALTER TABLE login_attempts ADD COLUMN device_id TEXT;
CREATE INDEX login_attempts_device_id_idx ON login_attempts (device_id, created_at);
