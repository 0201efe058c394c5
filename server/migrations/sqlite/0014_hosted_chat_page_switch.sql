-- The hosted chat page switch (SQLite). Keep in step with postgres/0014_hosted_chat_page_switch.sql.
-- * deployments.hosted_page_enabled: whether /chat/<key> answers as a full page (1, the default and
--   what every deployment did before) or only inside the frames of its allowed origins (0).
--   docs/adr/0019 explains.
ALTER TABLE deployments ADD COLUMN hosted_page_enabled INTEGER NOT NULL DEFAULT 1 CHECK (hosted_page_enabled IN (0, 1));
