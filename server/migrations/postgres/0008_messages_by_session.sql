-- A conversation's messages are found by session and time, never by id alone (the SQLite migration
-- of the same number explains more). The primary key becomes (session_id, created_at, id), and the
-- session index it replaces goes: one index entry per message instead of two.
ALTER TABLE messages DROP CONSTRAINT messages_pkey;
ALTER TABLE messages ADD PRIMARY KEY (session_id, created_at, id);
DROP INDEX messages_session_id_idx;
