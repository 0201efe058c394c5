-- Rate limits shared by every process on one PostgreSQL (issue 22, ADR 0039): one row per key
-- (an integration's per-second limit, a chat's per-minute limit) holding the current fixed window,
-- aligned to the clock so all processes agree on it, and how many sends it has counted. SQLite
-- runs one process and keeps its windows in memory; the table exists there so both schemas match.
CREATE TABLE rate_windows (
  key          TEXT    PRIMARY KEY,
  window_start BIGINT  NOT NULL,
  count        BIGINT  NOT NULL
);
