// Usage rules: counting messages in the transaction that stores them and deciding the monthly
// quota there (race-free), consuming metered runs, reserving and settling AI usage, releasing the
// reservations of dead workers, and mailing owners at 80 % and 100 % of their messages.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "billing/model.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "mail/mailer.hpp"
#include "usage/model.hpp"

namespace sb::usage {

// The message quota of an organisation now, read before the counting transaction.
struct MessageQuota {
  bool counted = false;  // billing off: nothing is counted or limited
  std::int64_t period_start = 0;
  std::optional<std::int64_t> limit;  // null: unlimited
};

class UsageService {
 public:
  UsageService(db::Database& db, const Clock& clock, mail::Mailer& mailer, std::string public_base_url)
      : db_(db), clock_(clock), mailer_(mailer), public_base_url_(std::move(public_base_url)) {}
  // The entitlements asked (BillingService); none: billing off.
  void use_entitlements(billing::EntitlementSource* source) { entitlements_ = source; }

  MessageQuota message_quota(const std::string& org_id);
  // In the caller's transaction (the one that stores the messages): counts `n` messages processed
  // and returns how many of them, the first ones, are within the quota. The counter row stays
  // locked until that transaction ends, so concurrent deliveries never let more through.
  std::int64_t count_messages(db::Connection& conn, const std::string& org_id, const MessageQuota& quota,
                              std::int64_t n);

  // Consumes `n` of a metered monthly metric (insight_runs): 402 plan_limit_reached past the plan.
  Result<void> try_consume(const std::string& org_id, const std::string& metric, std::int64_t n = 1);

  // Settled use in the organisation's current period (GET /api/billing reads this).
  PeriodUsage period_usage(const std::string& org_id);

  // AI calls of reply jobs, in the caller's transaction: reserve the estimate before the call
  // (held until `lease_expires_at` unless the job's lease is kept), settle to what the call cost.
  // Replies paid with the organisation's own key are not AI cost: nothing is reserved or settled.
  Reservation reserve_ai(db::Connection& conn, const std::string& org_id, const std::string& job_id,
                         std::int64_t estimated_tokens, std::int64_t lease_expires_at);
  void settle_ai(db::Connection& conn, const Reservation& reservation, std::int64_t tokens,
                 std::int64_t cost_micros);
  // Counts an AI reply's tokens and cost that had no reservation (web chat), in the caller's
  // transaction, in the period of `quota` (read before, with message_quota).
  void record_ai(db::Connection& conn, const std::string& org_id, const MessageQuota& quota, std::int64_t tokens,
                 std::int64_t cost_micros);
  // Releases reservations whose job's lease ended (the worker died); returns how many.
  std::size_t release_expired();

  // Mails the owners of organisations that crossed 80 % or 100 % of their monthly messages since
  // the last call, once per period and threshold; returns how many warnings went out.
  std::size_t send_warnings();

  // A rough estimate of a model's price, for reservations: micro-dollars per token.
  static constexpr std::int64_t kEstimatedMicrosPerToken = 1;

 private:
  billing::Entitlements entitlements(const std::string& org_id);
  std::int64_t period_start_of(const billing::Entitlements& e) const;
  struct Crossing {
    std::string org_id;
    std::int64_t period_start = 0;
    int threshold = 0;
    std::int64_t limit = 0;
    std::string plan;
  };

  db::Database& db_;
  const Clock& clock_;
  mail::Mailer& mailer_;
  std::string public_base_url_;
  billing::EntitlementSource* entitlements_ = nullptr;
  std::mutex mu_;
  std::vector<Crossing> crossings_;
};

// The first millisecond of the calendar month (UTC) that holds `ms`.
std::int64_t calendar_month_start(std::int64_t ms);
std::int64_t calendar_month_end(std::int64_t ms);

}  // namespace sb::usage
