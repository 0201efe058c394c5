-- Manual templates (PostgreSQL). Keep in step with sqlite/0022_manual_templates.sql.
-- * templates.manual: 1 for a template with no trigger phrases that only the AI (or a person) uses;
--   a template that is not manual needs at least one trigger phrase (issue 19, docs/adr/0033).
--   Templates saved before this rule with no phrases become manual, so they still save as they are.
ALTER TABLE templates ADD COLUMN manual BIGINT NOT NULL DEFAULT 0 CHECK (manual IN (0, 1));
UPDATE templates SET manual = 1 WHERE trigger_phrases = '[]';
