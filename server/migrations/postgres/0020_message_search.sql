-- Full-text search over message text (GET /api/conversations?q=), docs/adr/0029 explains. The
-- 'simple' configuration: no stemming or stop words, since messages come in every language; the
-- query side uses the same expression so the planner picks this index.
CREATE INDEX messages_text_search_idx ON messages USING GIN (to_tsvector('simple', text));
