// Usage service.
#include "usage/service.hpp"

#include <algorithm>
#include <ctime>

#include "core/ids.hpp"
#include "core/logging.hpp"
#include "orgs/owner_mail.hpp"
#include "orgs/store.hpp"
#include "usage/store.hpp"

namespace sb::usage {

std::int64_t calendar_month_start(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

std::int64_t calendar_month_end(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_mon += 1;  // timegm normalises December + 1
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

billing::Entitlements UsageService::entitlements(const std::string& org_id) {
  if (!entitlements_) {
    billing::Entitlements off;
    off.org_id = org_id;
    off.plan.key = "unlimited";
    off.plan.name = "Unlimited";
    off.billing_enabled = false;
    return off;
  }
  return entitlements_->entitlements(org_id);
}

std::int64_t UsageService::period_start_of(const billing::Entitlements& e) const {
  return e.period_start > 0 ? e.period_start : calendar_month_start(clock_.now_ms());
}

MessageQuota UsageService::message_quota(const std::string& org_id) {
  auto e = entitlements(org_id);
  MessageQuota q;
  if (!e.billing_enabled) return q;
  q.counted = true;
  q.period_start = period_start_of(e);
  q.limit = e.plan.limits.messages_per_month;
  return q;
}

std::int64_t UsageService::count_messages(db::Connection& conn, const std::string& org_id, const MessageQuota& quota,
                                          std::int64_t n) {
  if (!quota.counted || n <= 0) return n;
  // Every message processed counts, those past the quota too: the counter says how many came in.
  std::int64_t total = store::add_used(conn, org_id, quota.period_start, kMessages, n);
  if (!quota.limit) return n;
  const std::int64_t limit = *quota.limit;
  const std::int64_t before = total - n;
  for (int threshold : kWarningThresholds) {
    std::int64_t mark = (limit * threshold + 99) / 100;
    if (mark > 0 && before < mark && total >= mark) {
      std::lock_guard lock(mu_);
      crossings_.push_back({org_id, quota.period_start, threshold, limit, ""});
    }
  }
  return std::clamp<std::int64_t>(limit - before, 0, n);
}

Result<void> UsageService::try_consume(const std::string& org_id, const std::string& metric, std::int64_t n) {
  auto e = entitlements(org_id);
  if (!e.billing_enabled) return {};
  std::optional<std::int64_t> limit;
  if (metric == kInsightRuns) limit = e.plan.limits.insight_runs_per_month;
  else if (metric == kMessages) limit = e.plan.limits.messages_per_month;
  const std::int64_t period = period_start_of(e);
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  if (!limit) {
    store::add_used(*conn, org_id, period, metric, n);
  } else if (!store::add_used_within(*conn, org_id, period, metric, n, *limit)) {
    auto used = store::used(*conn, org_id, period);
    std::int64_t now_used = used.count(metric) ? used.at(metric) : 0;
    // The shape of billing's plan_limit_reached; the words fit a monthly allowance.
    return Error{"plan_limit_reached",
                 "Your " + e.plan.name + " plan includes " + std::to_string(*limit) + " " +
                     (metric == kInsightRuns ? std::string("insight runs") : metric) +
                     " a month and this organization has used " + std::to_string(now_used) +
                     ". Upgrade the plan, or wait for the next period.",
                 {{"limit", metric}, {"used", now_used}, {"allowed", *limit}, {"plan", e.plan.key}}};
  }
  tx.commit();
  return {};
}

PeriodUsage UsageService::period_usage(const std::string& org_id) {
  auto e = entitlements(org_id);
  PeriodUsage u;
  u.period_start = period_start_of(e);
  u.period_end = e.period_end > 0 ? e.period_end : calendar_month_end(u.period_start);
  auto conn = db_.acquire();
  auto used = store::used(*conn, org_id, u.period_start);
  auto get = [&](const char* metric) { return used.count(metric) ? used.at(metric) : 0; };
  u.messages = get(kMessages);
  u.ai_tokens = get(kAiTokens);
  u.ai_cost_micros = get(kAiCostMicros);
  u.insight_runs = get(kInsightRuns);
  return u;
}

Reservation UsageService::reserve_ai(db::Connection& conn, const std::string& org_id, const std::string& job_id,
                                     std::int64_t estimated_tokens, std::int64_t lease_expires_at) {
  Reservation r;
  auto e = entitlements(org_id);
  if (!e.billing_enabled) return r;
  std::int64_t now = clock_.now_ms();
  r.id = new_id("urv", now);
  r.org_id = org_id;
  r.period_start = period_start_of(e);
  r.tokens = std::max<std::int64_t>(0, estimated_tokens);
  r.cost_micros = r.tokens * kEstimatedMicrosPerToken;
  store::reserve(conn, {r.id + ".t", org_id, r.period_start, kAiTokens, r.tokens, job_id, lease_expires_at});
  store::reserve(conn, {r.id + ".c", org_id, r.period_start, kAiCostMicros, r.cost_micros, job_id, lease_expires_at});
  return r;
}

void UsageService::settle_ai(db::Connection& conn, const Reservation& r, std::int64_t tokens,
                             std::int64_t cost_micros) {
  if (r.id.empty()) return;
  // Released already (the worker was presumed dead): the real use still counts.
  store::release(conn, r.org_id, r.id + ".t");
  store::release(conn, r.org_id, r.id + ".c");
  if (tokens > 0) store::add_used(conn, r.org_id, r.period_start, kAiTokens, tokens);
  if (cost_micros > 0) store::add_used(conn, r.org_id, r.period_start, kAiCostMicros, cost_micros);
}

void UsageService::record_ai(db::Connection& conn, const std::string& org_id, const MessageQuota& quota,
                             std::int64_t tokens, std::int64_t cost_micros) {
  if (!quota.counted) return;
  const std::int64_t period = quota.period_start;
  if (tokens > 0) store::add_used(conn, org_id, period, kAiTokens, tokens);
  if (cost_micros > 0) store::add_used(conn, org_id, period, kAiCostMicros, cost_micros);
}

std::size_t UsageService::release_expired() {
  auto conn = db_.acquire();
  std::size_t released = 0;
  for (const auto& r : store::expired_reservations(*conn, clock_.now_ms(), 500)) {
    db::Transaction tx(*conn);
    if (store::release(*conn, r.org_id, r.id)) ++released;
    tx.commit();
  }
  return released;
}

std::size_t UsageService::send_warnings() {
  std::vector<Crossing> crossings;
  {
    std::lock_guard lock(mu_);
    crossings.swap(crossings_);
  }
  std::size_t sent = 0;
  for (const auto& c : crossings) {
    auto conn = db_.acquire();
    if (!store::mark_warning(*conn, c.org_id, c.period_start, kMessages, c.threshold, clock_.now_ms())) continue;
    auto org = orgs::store::find_organization(*conn, c.org_id);
    if (!org) continue;
    std::string subject = c.threshold >= 100
                              ? org->name + " used all " + std::to_string(c.limit) + " messages of this month"
                              : org->name + " used " + std::to_string(c.threshold) + "% of this month's messages";
    const std::string limit = std::to_string(c.limit);
    std::string body = "Hello,\n\n" + org->name +
                       (c.threshold >= 100
                            ? " has processed all " + limit + " messages its plan includes for this period. "
                              "Messages that arrive from now on are still stored, but your bots answer them with "
                              "their over-quota notice instead of a reply until the next period starts or you "
                              "change the plan.\n\n"
                            : " has processed " + std::to_string(c.threshold) + "% of the " + limit +
                                  " messages its plan includes for this period. Once all are used, your bots answer "
                                  "new messages with their over-quota notice instead of a reply.\n\n") +
                       "Usage and plans: " + public_base_url_ + "/billing\n";
    const bool any = orgs::mail_owners(*conn, mailer_, c.org_id, subject, body) > 0;
    if (any) ++sent;
    else store::unmark_warning(*conn, c.org_id, c.period_start, kMessages, c.threshold);
  }
  return sent;
}

}  // namespace sb::usage
