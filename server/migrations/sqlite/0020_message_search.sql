-- Full-text search over message text (GET /api/conversations?q=), docs/adr/0029 explains.
-- messages is WITHOUT ROWID (0008), and an FTS5 external-content table needs an integer rowid, so
-- the index is contentless (content=''): it keeps the tokens only, not a second copy of the text,
-- and message_search_rows maps each of its rowids to the message's organisation and session.
-- Triggers keep both in step with messages, also when a bot or organisation delete cascades.
CREATE TABLE message_search_rows (
  id          INTEGER PRIMARY KEY,
  org_id      TEXT NOT NULL,
  session_id  TEXT NOT NULL,
  message_id  TEXT NOT NULL
) STRICT;
CREATE INDEX message_search_rows_message_idx ON message_search_rows (session_id, message_id);
CREATE VIRTUAL TABLE message_search USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2');

CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
  INSERT INTO message_search_rows (org_id, session_id, message_id) VALUES (new.org_id, new.session_id, new.id);
  INSERT INTO message_search (rowid, text) VALUES (last_insert_rowid(), new.text);
END;

CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
  INSERT INTO message_search (message_search, rowid, text)
    SELECT 'delete', id, old.text FROM message_search_rows WHERE session_id = old.session_id AND message_id = old.id;
  DELETE FROM message_search_rows WHERE session_id = old.session_id AND message_id = old.id;
END;

CREATE TRIGGER messages_search_update AFTER UPDATE OF text ON messages BEGIN
  INSERT INTO message_search (message_search, rowid, text)
    SELECT 'delete', id, old.text FROM message_search_rows WHERE session_id = old.session_id AND message_id = old.id;
  INSERT INTO message_search (rowid, text)
    SELECT id, new.text FROM message_search_rows WHERE session_id = old.session_id AND message_id = old.id;
END;

-- The messages recorded before this migration.
INSERT INTO message_search_rows (org_id, session_id, message_id) SELECT org_id, session_id, id FROM messages;
INSERT INTO message_search (rowid, text)
  SELECT r.id, m.text FROM message_search_rows r JOIN messages m ON m.session_id = r.session_id AND m.id = r.message_id;
