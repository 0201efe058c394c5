-- Insight runs across processes (issue 22, ADR 0039): the process that waits for a run's answer
-- (its id in `processes`, ADR 0040). A run still running whose process stopped heartbeating (or has
-- no row) is failed; the runs of live processes are left alone. NULL: a run from before this column.
ALTER TABLE insight_runs ADD COLUMN process_id TEXT;
CREATE INDEX insight_runs_running_idx ON insight_runs (process_id) WHERE status = 'running';
