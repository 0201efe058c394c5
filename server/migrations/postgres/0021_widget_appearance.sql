-- Web chat appearance and signed identity (postgres). Keep in step with sqlite/0021_widget_appearance.sql.
-- * widget_color, widget_position, launcher_label, widget_greeting, widget_theme: how widget.js and
--   the chat look on the embedding page (an empty greeting or label: the bot's greeting, "Chat").
-- * identity_secret_sealed / identity_secret_key_id: the deployment's identity secret, sealed with
--   the master key like platform credentials (NULL until one is created). docs/adr/0030 explains.
ALTER TABLE deployments ADD COLUMN widget_color TEXT NOT NULL DEFAULT '#4f46e5';
ALTER TABLE deployments ADD COLUMN widget_position TEXT NOT NULL DEFAULT 'right' CHECK (widget_position IN ('left', 'right'));
ALTER TABLE deployments ADD COLUMN launcher_label TEXT NOT NULL DEFAULT '';
ALTER TABLE deployments ADD COLUMN widget_greeting TEXT NOT NULL DEFAULT '';
ALTER TABLE deployments ADD COLUMN widget_theme TEXT NOT NULL DEFAULT 'system' CHECK (widget_theme IN ('system', 'light', 'dark'));
ALTER TABLE deployments ADD COLUMN identity_secret_sealed TEXT;
ALTER TABLE deployments ADD COLUMN identity_secret_key_id TEXT;
