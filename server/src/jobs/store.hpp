// SQL of reply jobs and their logs.
#pragma once

#include <optional>
#include <vector>

#include "db/database.hpp"
#include "jobs/model.hpp"

namespace sb::jobs::store {

void insert(db::Connection& conn, const MessageJob& job);
void insert_log(db::Connection& conn, const JobLog& log);

// Appends log rows (one multi-row statement on PostgreSQL, to save round trips).
void insert_logs(db::Connection& conn, const std::vector<JobLog>& logs);

struct Claimed {
  MessageJob job;  // integration_name and bot_name are not loaded
  std::string from_state;
};
// One statement: up to `limit` due jobs (queued, or failed and due again), oldest due first, become
// `processing` under this worker's lease. PostgreSQL skips rows other workers hold. Jobs of the
// organisations in `skip_orgs` stay where they are (they have as many waiting for a model as is fair).
std::vector<Claimed> claim_batch(db::Connection& conn, const std::string& worker, std::int64_t now,
                                 std::int64_t lease_ms, std::int64_t limit,
                                 const std::vector<std::string>& skip_orgs = {});
// Moves the lease of `worker`'s jobs to `lease_expires_at` (a batch that takes long keeps its jobs).
std::int64_t renew_leases(db::Connection& conn, const std::string& worker, std::int64_t lease_expires_at);
// Writes the job's changeable fields, only while `worker` still holds its lease. False when the
// lease was lost (expired and taken over): the caller must drop its result.
// expired_at: only if the lease had run out by then (the rescuer's update).
bool update_leased(db::Connection& conn, const MessageJob& job, const std::string& worker,
                   std::optional<std::int64_t> expired_at = std::nullopt);
// Stores a job's generated reply (and nothing else) while this worker's lease holds; false when
// another worker owns the job now. Leaves the claim and lease indexes alone.
bool store_reply(db::Connection& conn, const MessageJob& j, const std::string& worker);
// Writes the job's changeable fields when it is still in one of `from_states` (operator actions).
bool update_if_state(db::Connection& conn, const MessageJob& job, const std::vector<std::string>& from_states);

// Marks the sends of `ids` as started (send_attempt = attempts + 1), only for jobs `worker` still
// leases; returns the ids it marked. One statement, in the caller's transaction (ADR 0040).
std::vector<std::string> mark_sends_started(db::Connection& conn, const std::string& worker,
                                            const std::vector<std::string>& ids, std::int64_t now);
// Forgets a job's send mark (an operator queues it again from the start).
void forget_send(db::Connection& conn, const std::string& org_id, const std::string& id);
// The rescuer's move of a processing job of a dead worker `owner` to `job`'s state, next_run_at,
// last_error, reason_kind and finished_at, adding `add_attempts` to attempts. Only while `owner`
// still leases it and its send is (`in_doubt`) or is not in doubt, so a concurrent mark or result
// decides first. False when the job is not in that condition any more.
bool rescue(db::Connection& conn, const MessageJob& job, const std::string& owner, bool in_doubt,
            std::int64_t add_attempts);
// Processing jobs leased by workers of process `process_id` (lease owners "<process_id>/…").
std::vector<MessageJob> processing_of(db::Connection& conn, const std::string& process_id, std::int64_t limit);

// Process heartbeats (ADR 0040): one row per running process.
void heartbeat(db::Connection& conn, const std::string& process_id, std::int64_t now);
void remove_process(db::Connection& conn, const std::string& process_id);
// Processes seen at or after `since` (alive), or before it (stopped or dead).
std::vector<std::string> processes_seen_since(db::Connection& conn, std::int64_t since);
std::vector<std::string> processes_silent_since(db::Connection& conn, std::int64_t since);
// Removes a silent process's row once its jobs are taken over (still silent since `since`).
void forget_process(db::Connection& conn, const std::string& process_id, std::int64_t since);

std::optional<MessageJob> find(db::Connection& conn, const std::string& org_id, const std::string& id);
std::optional<MessageJob> find_any(db::Connection& conn, const std::string& id);
std::vector<JobLog> logs(db::Connection& conn, const std::string& org_id, const std::string& job_id);
JobPage list(db::Connection& conn, const std::string& org_id, const JobFilter& filter, std::int64_t limit,
             const std::optional<std::string>& cursor);
std::vector<MessageJob> all_matching(db::Connection& conn, const std::string& org_id, const JobFilter& filter,
                                     std::int64_t limit);
// Processing jobs whose lease ran out (their worker died).
std::vector<MessageJob> expired_leases(db::Connection& conn, std::int64_t now, std::int64_t limit);
// Jobs not finished yet, across organisations: the queue's depth.
std::int64_t pending_count(db::Connection& conn);
JobStats stats(db::Connection& conn, const std::string& org_id, std::int64_t now);

// A job whose reply is known when it is made (the rating question after an operator's or the API's
// resolution, ADR 0037 part R): queued with reply_text and reply_source stored, so a worker only
// sends it, as it does a retry.
void insert_with_reply(db::Connection& conn, const MessageJob& job);

}  // namespace sb::jobs::store
