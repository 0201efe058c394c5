// Reply job rules for people: reading (with their logs and event), retrying, cancelling, bulk
// retry, statistics and export. Workers are in runner.hpp.
#pragma once

#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "jobs/model.hpp"
#include "jobs/runner.hpp"
#include "webhooks/model.hpp"

namespace sb::jobs {

struct JobDetail {
  MessageJob job;
  std::vector<JobLog> logs;
  std::optional<webhooks::WebhookEvent> event;  // payload redacted
};

class JobService {
 public:
  JobService(db::Database& db, const Clock& clock, JobRunner& runner) : db_(db), clock_(clock), runner_(runner) {}

  Result<JobPage> list(const AuthContext& ctx, const JobFilter& filter, std::int64_t limit,
                       const std::optional<std::string>& cursor);
  Result<JobDetail> get(const AuthContext& ctx, const std::string& id);
  Result<MessageJob> retry(const AuthContext& ctx, const std::string& id);
  Result<MessageJob> cancel(const AuthContext& ctx, const std::string& id);
  // A reply held in doubt (ADR 0040): resend it (queued, sent once more) or discard it (cancelled,
  // never sent again). Conflict for a job that is not in doubt.
  Result<MessageJob> resend(const AuthContext& ctx, const std::string& id);
  Result<MessageJob> discard(const AuthContext& ctx, const std::string& id);
  // Queues every matching failed, dead or cancelled job again; returns how many.
  Result<std::int64_t> retry_matching(const AuthContext& ctx, JobFilter filter);
  Result<JobStats> stats(const AuthContext& ctx);
  // The export: up to 10,000 matching jobs with their logs, newest first, a page at a time. Each
  // call hands the next page's jobs to `each` one at a time and moves `at` on; at.done says that
  // every job was given. One page of jobs is in memory at a time, not all of them.
  struct ExportPosition {
    std::optional<std::string> cursor;
    std::int64_t seen = 0;
    bool done = false;
  };
  Result<void> export_page(const AuthContext& ctx, const JobFilter& filter, ExportPosition& at,
                           const std::function<void(const JobDetail&)>& each);

 private:
  Result<MessageJob> requeue(const AuthContext& ctx, db::Connection& conn, MessageJob job);
  Result<MessageJob> resolve_doubt(const AuthContext& ctx, const std::string& id, bool resend);

  db::Database& db_;
  const Clock& clock_;
  JobRunner& runner_;
};

// Checks a filter's values (states, times) and says what is wrong per field.
Result<void> validate_filter(const JobFilter& filter);

}  // namespace sb::jobs
