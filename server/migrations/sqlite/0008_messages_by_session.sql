-- A conversation's messages are stored in the order they are read: by session, then time (WITHOUT
-- ROWID). One B-tree instead of three (the rows, the id's unique index, the session index), so a
-- message costs one insert, and a conversation's history is one range of it. Nothing refers to a
-- message by its id, which stays in the key (unique with its session and time).
-- The migration runner turns foreign keys off while this runs.
CREATE TABLE messages_new (
  id                TEXT    NOT NULL,
  org_id            TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  session_id        TEXT    NOT NULL REFERENCES conversation_sessions (id) ON DELETE CASCADE,
  direction         TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
  text              TEXT    NOT NULL,
  source            TEXT    CHECK (source = 'ai' OR source = 'template' OR source = 'fallback'),
  model             TEXT,
  prompt_tokens     INTEGER,
  completion_tokens INTEGER,
  latency_ms        INTEGER,
  error             TEXT,
  created_at        INTEGER NOT NULL,
  PRIMARY KEY (session_id, created_at, id)
) STRICT, WITHOUT ROWID;
INSERT INTO messages_new (id, org_id, session_id, direction, text, source, model, prompt_tokens, completion_tokens,
                          latency_ms, error, created_at)
  SELECT id, org_id, session_id, direction, text, source, model, prompt_tokens, completion_tokens, latency_ms, error,
         created_at
  FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
