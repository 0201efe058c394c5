// Reply job service.
#include "jobs/service.hpp"

#include "audit/service.hpp"

#include <algorithm>

#include "core/ids.hpp"
#include "jobs/store.hpp"
#include "orgs/permissions.hpp"
#include "webhooks/service.hpp"
#include "webhooks/store.hpp"

namespace sb::jobs {
namespace {
const std::vector<std::string> kStates = {"queued",    "processing", "succeeded", "failed",
                                          "dead",      "cancelled",  "skipped",   "in_doubt"};
const std::vector<std::string> kReasonKinds = {"recipient", "credentials", "request", "unavailable", "setup", "quota"};
const std::vector<std::string> kRetryable = {"failed", "dead", "cancelled"};

JobLog operator_log(const MessageJob& job, const AuthContext& ctx, std::int64_t now, std::string from, std::string to,
                    std::string outcome) {
  JobLog l;
  l.id = new_id("jlg", now);
  l.job_id = job.id;
  l.org_id = job.org_id;
  l.at = now;
  l.worker = ctx.actor_label();
  l.kind = "state";
  l.from_state = std::move(from);
  l.to_state = std::move(to);
  l.outcome = std::move(outcome);
  return l;
}
}  // namespace

Result<void> validate_filter(const JobFilter& f) {
  std::map<std::string, std::string> errors;
  for (const auto& s : f.states)
    if (std::find(kStates.begin(), kStates.end(), s) == kStates.end())
      errors["state"] = "Use queued, processing, succeeded, failed, dead, cancelled, skipped or in_doubt.";
  if (f.reason_kind && std::find(kReasonKinds.begin(), kReasonKinds.end(), *f.reason_kind) == kReasonKinds.end())
    errors["reason_kind"] = "Use recipient, credentials, request, unavailable, setup or quota.";
  if (f.from && f.to && *f.from > *f.to) errors["to"] = "The end of the range is before its start.";
  if (!errors.empty()) return Error::validation(errors);
  return {};
}

Result<JobPage> JobService::list(const AuthContext& ctx, const JobFilter& filter, std::int64_t limit,
                                 const std::optional<std::string>& cursor) {
  if (!orgs::can(ctx, orgs::Action::jobs_read)) return Error::forbidden();
  if (auto ok = validate_filter(filter); !ok) return ok.error();
  auto conn = db_.acquire();
  return store::list(*conn, ctx.org_id, filter, std::clamp<std::int64_t>(limit, 1, 200), cursor);
}

Result<JobDetail> JobService::get(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::jobs_read)) return Error::forbidden();
  auto conn = db_.acquire();
  auto job = store::find(*conn, ctx.org_id, id);
  if (!job) return Error::not_found("No such job.");
  JobDetail d{*job, store::logs(*conn, ctx.org_id, id), webhooks::store::find(*conn, ctx.org_id, job->event_id)};
  if (d.event) d.event->payload = webhooks::redact_payload(d.event->payload);
  return d;
}

Result<MessageJob> JobService::requeue(const AuthContext& ctx, db::Connection& conn, MessageJob job) {
  std::int64_t now = clock_.now_ms();
  std::string from = job.state;
  job.state = "queued";
  job.attempts = 0;  // a person asked: it gets its full number of attempts again
  job.next_run_at = now;
  job.finished_at.reset();
  job.reason_kind.reset();
  job.updated_at = now;
  if (!store::update_if_state(conn, job, kRetryable))
    return Error::conflict("Only failed, dead or cancelled jobs can be retried; this one is " + from + ".");
  // From the start again: an old send mark must not make a later crash look like a send in doubt.
  store::forget_send(conn, job.org_id, job.id);
  store::insert_log(conn, operator_log(job, ctx, now, from, "queued", "retried_by_operator"));
  return job;
}

Result<MessageJob> JobService::retry(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::jobs_manage)) return Error::forbidden("Only owners and admins can retry jobs.");
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto job = store::find(*conn, ctx.org_id, id);
  if (!job) return Error::not_found("No such job.");
  if (std::find(kRetryable.begin(), kRetryable.end(), job->state) == kRetryable.end())
    return Error::conflict("Only failed, dead or cancelled jobs can be retried; this one is " + job->state + ".");
  std::string from = job->state;
  auto done = requeue(ctx, *conn, *job);
  if (!done) return done.error();
  audit::record(*conn, ctx, ctx.org_id, "job.retried", {"job", job->id, job->platform}, clock_.now_ms(),
                boost::json::object{{"state", from}}, boost::json::object{{"state", "queued"}});
  tx.commit();
  runner_.notify();
  return store::find(*conn, ctx.org_id, id).value_or(*done);
}

Result<MessageJob> JobService::cancel(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::jobs_manage)) return Error::forbidden("Only owners and admins can cancel jobs.");
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto job = store::find(*conn, ctx.org_id, id);
  if (!job) return Error::not_found("No such job.");
  std::string from = job->state;
  std::int64_t now = clock_.now_ms();
  job->state = "cancelled";
  job->finished_at = now;
  job->updated_at = now;
  if (!store::update_if_state(*conn, *job, {"queued", "failed"}))
    return Error::conflict("Only queued or failed jobs can be cancelled; this one is " + from + ".");
  store::insert_log(*conn, operator_log(*job, ctx, now, from, "cancelled", "cancelled_by_operator"));
  audit::record(*conn, ctx, ctx.org_id, "job.cancelled", {"job", job->id, job->platform}, now,
                boost::json::object{{"state", from}}, boost::json::object{{"state", "cancelled"}});
  tx.commit();
  return *job;
}

Result<MessageJob> JobService::resend(const AuthContext& ctx, const std::string& id) {
  return resolve_doubt(ctx, id, true);
}

Result<MessageJob> JobService::discard(const AuthContext& ctx, const std::string& id) {
  return resolve_doubt(ctx, id, false);
}

Result<MessageJob> JobService::resolve_doubt(const AuthContext& ctx, const std::string& id, bool resend) {
  if (!orgs::can(ctx, orgs::Action::jobs_in_doubt))
    return Error::forbidden("Only owners and admins can resend or discard replies in doubt.");
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto job = store::find(*conn, ctx.org_id, id);
  if (!job) return Error::not_found("No such job.");
  if (job->state != "in_doubt")
    return Error::conflict("Only replies held in doubt can be resent or discarded; this one is " + job->state + ".");
  std::int64_t now = clock_.now_ms();
  std::string to = resend ? "queued" : "cancelled";
  job->state = to;
  job->updated_at = now;
  job->last_error.reset();
  if (resend) job->next_run_at = now;
  else job->finished_at = now;
  if (!store::update_if_state(*conn, *job, {"in_doubt"}))
    return Error::conflict("The job changed meanwhile; reload it.");
  store::insert_log(*conn, operator_log(*job, ctx, now, "in_doubt", to,
                                        resend ? "resent_by_operator" : "discarded_by_operator"));
  audit::record(*conn, ctx, ctx.org_id, resend ? "job.resent" : "job.discarded", {"job", job->id, job->platform}, now,
                boost::json::object{{"state", "in_doubt"}}, boost::json::object{{"state", to}});
  tx.commit();
  if (resend) runner_.notify();
  return *job;
}

Result<std::int64_t> JobService::retry_matching(const AuthContext& ctx, JobFilter filter) {
  if (!orgs::can(ctx, orgs::Action::jobs_manage)) return Error::forbidden("Only owners and admins can retry jobs.");
  if (filter.states.empty()) filter.states = {"dead"};
  for (const auto& s : filter.states)
    if (std::find(kRetryable.begin(), kRetryable.end(), s) == kRetryable.end())
      return Error::validation({{"state", "Only failed, dead or cancelled jobs can be retried."}});
  if (auto ok = validate_filter(filter); !ok) return ok.error();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  std::int64_t count = 0;
  for (auto& job : store::all_matching(*conn, ctx.org_id, filter, 10000))
    if (requeue(ctx, *conn, job)) ++count;
  audit::record(*conn, ctx, ctx.org_id, "jobs.retried", {"jobs", "", std::to_string(count) + " jobs"}, clock_.now_ms(),
                std::nullopt,
                boost::json::object{{"count", count},
                                    {"states", boost::json::value_from(filter.states)},
                                    {"platform", filter.platform ? boost::json::value(*filter.platform) : boost::json::value(nullptr)},
                                    {"integration_id", filter.integration_id ? boost::json::value(*filter.integration_id)
                                                                             : boost::json::value(nullptr)}});
  tx.commit();
  if (count) runner_.notify();
  return count;
}

Result<JobStats> JobService::stats(const AuthContext& ctx) {
  if (!orgs::can(ctx, orgs::Action::jobs_read)) return Error::forbidden();
  auto conn = db_.acquire();
  return store::stats(*conn, ctx.org_id, clock_.now_ms());
}

Result<void> JobService::export_page(const AuthContext& ctx, const JobFilter& filter, ExportPosition& at,
                                    const std::function<void(const JobDetail&)>& each) {
  if (!orgs::can(ctx, orgs::Action::jobs_read)) return Error::forbidden();
  if (auto ok = validate_filter(filter); !ok) return ok.error();
  constexpr std::int64_t kMost = 10000, kPage = 500;
  if (at.done || at.seen >= kMost) {
    at.done = true;
    return {};
  }
  auto conn = db_.acquire();
  auto page = store::list(*conn, ctx.org_id, filter, std::min(kPage, kMost - at.seen), at.cursor);
  for (auto& job : page.items) {
    auto logs = store::logs(*conn, ctx.org_id, job.id);
    each(JobDetail{std::move(job), std::move(logs), std::nullopt});
  }
  at.seen += static_cast<std::int64_t>(page.items.size());
  at.cursor = page.next_cursor;
  at.done = !page.next_cursor || at.seen >= kMost;
  return {};
}

}  // namespace sb::jobs
