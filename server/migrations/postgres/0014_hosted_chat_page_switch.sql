-- The hosted chat page switch (PostgreSQL). Keep in step with sqlite/0014_hosted_chat_page_switch.sql.
-- * deployments.hosted_page_enabled: whether /chat/<key> answers as a full page (1, the default and
--   what every deployment did before) or only inside the frames of its allowed origins (0).
--   docs/adr/0019 explains.
ALTER TABLE deployments ADD COLUMN hosted_page_enabled BIGINT NOT NULL DEFAULT 1 CHECK (hosted_page_enabled IN (0, 1));
