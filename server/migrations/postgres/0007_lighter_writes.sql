-- Fewer index entries written per message (the SQLite migration of the same number explains more):
-- * webhook_events no longer refers to organizations itself; its rows go with their organization
--   through integrations, whose id leads the unique (integration_id, idempotency_key) index. The
--   (org_id, received_at) index served only the dropped foreign key.
-- * A conversation's lookup index no longer holds last_message_at, which changes on every message.
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_org_id_fkey;
DROP INDEX webhook_events_org_received_idx;
DROP INDEX conversation_sessions_lookup_idx;
CREATE INDEX conversation_sessions_lookup_idx ON conversation_sessions (bot_id, platform, external_user_id);
