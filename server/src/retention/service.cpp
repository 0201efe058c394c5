// Retention rules.
#include "retention/service.hpp"

#include "analytics/recorder.hpp"
#include "analytics/store.hpp"

#include <ctime>

#include "core/logging.hpp"
#include "orgs/owner_mail.hpp"
#include "orgs/permissions.hpp"
#include "orgs/store.hpp"
#include "retention/store.hpp"

namespace sb::retention {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

std::string date_of(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

std::string what_is_kept(Kind kind) {
  return kind == Kind::audit ? "audit log entries" : "conversations (with their messages) and webhook deliveries";
}

}  // namespace

Removed RetentionService::sweep() {
  std::vector<std::string> orgs;
  {
    auto conn = db_.acquire();
    orgs = store::organization_ids(*conn);
  }
  Removed total;
  for (const auto& org : orgs) {
    try {
      auto r = sweep(org);
      total.conversations += r.conversations;
      total.events += r.events;
      total.audit_entries += r.audit_entries;
      total.notices += r.notices;
    } catch (const std::exception& e) {
      // One organisation's failure does not stop the others; the next sweep tries again.
      log::warn("retention sweep failed", {{"org_id", org}, {"error", e.what()}});
    }
  }
  return total;
}

Removed RetentionService::sweep(const std::string& org_id) {
  auto ent = entitlements_.entitlements(org_id);
  Removed removed;
  follow(org_id, Kind::data, ent.plan.limits.retention_days, removed);
  follow(org_id, Kind::audit, ent.plan.features.audit_log_retention_days, removed);
  return removed;
}

void RetentionService::follow(const std::string& org_id, Kind kind, std::optional<std::int64_t> plan_days,
                              Removed& removed) {
  const std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  auto policy = store::find(*conn, org_id, kind);
  std::optional<std::int64_t> applied = policy ? policy->applied_days : std::nullopt;

  if (!plan_days || *plan_days <= 0) {
    // Unlimited: nothing is deleted from now on, and an announced shortening is void.
    if (policy && (policy->applied_days || policy->pending_days)) store::apply(*conn, org_id, kind, std::nullopt, now);
    return;
  }
  const std::int64_t days = *plan_days;
  if (applied && days >= *applied) {
    // As long or longer: applies at once (keeping more never needs a notice).
    if (days != *applied || policy->pending_days) store::apply(*conn, org_id, kind, days, now);
  } else if (policy && policy->pending_days == days) {
    // Announced before: takes over when the notice has run.
    if (policy->pending_effective_at && now >= *policy->pending_effective_at) {
      store::apply(*conn, org_id, kind, days, now);
      applied = days;
    }
  } else if (!store::has_older_than(*conn, org_id, kind, now - days * kDayMs)) {
    // Nothing is old enough to be lost: the retention applies at once, with nothing to announce.
    store::apply(*conn, org_id, kind, days, now);
    applied = days;
  } else {
    const std::int64_t effective_at = now + settings_.notice_ms;
    if (store::announce(*conn, org_id, kind, days, effective_at, now)) {
      auto org = orgs::store::find_organization(*conn, org_id);
      const std::string name = org ? org->name : org_id;
      const std::string subject = name + ": " + what_is_kept(kind) + " will be kept for " + std::to_string(days) +
                                  " days from " + date_of(effective_at);
      const std::string body =
          "Hello,\n\nThe plan of " + name + " keeps " + what_is_kept(kind) + " for " + std::to_string(days) +
          " days. From " + date_of(effective_at) + " (UTC), anything older than that will be deleted" +
          (applied ? " (today it is kept for " + std::to_string(*applied) + " days)." : " (today it is kept without a limit).") +
          "\n\nTo keep more, export what you need before then or choose a plan that keeps it longer: " +
          settings_.public_base_url + "/billing\n";
      if (orgs::mail_owners(*conn, mailer_, org_id, subject, body) > 0) {
        ++removed.notices;
      } else {
        // No owner was told, so the notice has not begun: the next sweep tries again.
        store::apply(*conn, org_id, kind, applied, now);
      }
    }
  }

  if (!applied) return;
  const std::int64_t cutoff = now - *applied * kDayMs;
  if (kind == Kind::audit) {
    for (std::int64_t n; (n = store::delete_audit_entries(*conn, org_id, cutoff, settings_.batch)) > 0;)
      removed.audit_entries += n;
    return;
  }
  for (std::int64_t n; (n = store::delete_conversations(*conn, org_id, cutoff, settings_.batch)) > 0;)
    removed.conversations += n;
  for (std::int64_t n; (n = store::delete_events(*conn, org_id, cutoff, settings_.batch)) > 0;) removed.events += n;
  // The unanswered-questions rollup holds what people wrote: its hours before the cutoff's go too.
  analytics::store::delete_unanswered_before(*conn, org_id, analytics::hour_of(cutoff));
}

Result<std::vector<Policy>> RetentionService::policies(const AuthContext& ctx) {
  if (!orgs::can(ctx, orgs::Action::billing_read)) return Error::forbidden();
  auto conn = db_.acquire();
  return store::list(*conn, ctx.org_id);
}

}  // namespace sb::retention
