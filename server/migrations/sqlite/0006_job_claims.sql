-- Claiming reply jobs in batches: the due jobs are found through a partial index that holds only
-- queued and failed jobs in claim order, so a claim reads the first rows of the index instead of
-- sorting every waiting job; the rescuer finds expired leases the same way among processing jobs.
DROP INDEX message_jobs_runnable_idx;
CREATE INDEX message_jobs_due_idx ON message_jobs (next_run_at, id) WHERE state IN ('queued', 'failed');
CREATE INDEX message_jobs_leased_idx ON message_jobs (lease_expires_at) WHERE state = 'processing';
