// Billing rules: entitlements from the subscription state (cached), limits on creation, plan
// changes by platform admins, the billing overview, and grandfathering when billing is turned on.
#pragma once

#include <map>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "billing/model.hpp"
#include "billing/plans.hpp"
#include "billing/store.hpp"
#include "billing/stripe.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::billing {

struct BillingSettings {
  bool enabled = false;            // plans and limits apply
  bool stripe_configured = false;  // a Stripe secret key is set
  std::string public_base_url = "http://127.0.0.1:8080";
  std::int64_t cache_ms = 5000;
  std::int64_t past_due_grace_ms = 7LL * 24 * 3600 * 1000;
  std::string webhook_secret;  // whsec_…; empty: /hooks/stripe refuses every event
  std::int64_t webhook_tolerance_s = 300;
  int event_max_attempts = 12;       // then the event stays failed (its error kept for operators)
  std::int64_t event_lease_ms = 60000;
  std::string worker_name = "billing";
};

// What creation is limited: one more of these must fit the plan.
enum class Countable { bots, integrations, members };

// GET /api/billing.
struct Overview {
  Entitlements entitlements;
  bool stripe_configured = false;
  std::optional<std::int64_t> current_period_end;  // of a Stripe subscription
  bool cancel_at_period_end = false;
  std::optional<std::int64_t> past_due_grace_ends_at;
  std::int64_t bots = 0, integrations = 0, members = 0;
  store::PeriodUsage period;
  std::vector<std::string> exceeded;  // limit names whose usage is over the plan's limit
};

// The plan of one organisation, as the admin list shows it.
struct OrgPlan {
  std::string org_id;
  std::string plan;       // key
  std::string plan_name;
  std::string status;
  bool grandfathered = false;
  std::string plan_source;
};

// The entitlements an organisation's billing row gives at `now` (no row: a new organisation, free).
Entitlements compute_entitlements(const std::string& org_id, const std::optional<store::OrgBilling>& row,
                                  const PlanSet& plans, const BillingSettings& settings, std::int64_t now);
// The calendar month (UTC) holding `now`: [start, end) in Unix milliseconds.
std::pair<std::int64_t, std::int64_t> calendar_month(std::int64_t now_ms);

class BillingService : public EntitlementSource {
 public:
  // stripe: nullptr without Stripe keys (checkout, portal and invoices then answer 503).
  BillingService(db::Database& db, const Clock& clock, PlanSet plans, BillingSettings settings,
                 StripeClient* stripe = nullptr);

  // With billing on, the first start grandfathers every organisation that exists (once per
  // installation, whichever process gets there first).
  void prepare();

  Entitlements entitlements(const std::string& org_id) override;
  // The same, reading through the caller's connection (inside its transaction) on a cache miss, so
  // a caller that holds a connection never waits for a second one.
  Entitlements entitlements(db::Connection& conn, const std::string& org_id);
  // Drops the cached entitlements of the organisation after a change this process committed, and
  // tells the other processes (on_change) so that they drop theirs (ADR 0039).
  void invalidate(const std::string& org_id);
  void on_change(std::function<void(const std::string& org_id)> changed) { changed_ = std::move(changed); }
  // Drops this process's copy (a change made in any process), or every copy (notifications missed).
  void drop_cached(const std::string& org_id);
  void drop_all_cached();

  // Inside the caller's transaction that creates one more `what`: locks the organisation, counts
  // and answers 402 plan_limit_reached {limit, used, plan} when one more would go over the limit.
  Result<void> check_room(db::Connection& conn, const std::string& org_id, Countable what);

  const PlanSet& plans() const { return plans_; }
  const BillingSettings& settings() const { return settings_; }
  bool enabled() const { return settings_.enabled; }

  Result<Overview> overview(const AuthContext& ctx);
  // Platform admins (the route checks that) and the command line: puts the organisation on `plan`,
  // clears grandfathering, audited.
  Result<OrgPlan> set_plan(const AuthContext& admin, const std::string& org_id, const std::string& plan);
  // The command line: the organisation by id or exact name.
  Result<OrgPlan> set_plan_from_cli(const std::string& org_id_or_name, const std::string& plan);
  // Every organisation's plan, for the admin list (organisations not listed: free or unlimited by default).
  std::map<std::string, OrgPlan> plans_of_orgs();
  OrgPlan plan_of(const std::string& org_id, const std::optional<store::OrgBilling>& row);

  // ---- Stripe ----
  // Owners: a Checkout Session for `plan` (the organisation's Stripe customer is created once and
  // reused). Returns the page to send the browser to.
  Result<std::string> checkout(const AuthContext& ctx, const std::string& plan);
  // Owners: a Billing Portal session (change plan, card, cancel). Returns its page.
  Result<std::string> portal(const AuthContext& ctx);
  Result<std::vector<StripeInvoice>> invoices(const AuthContext& ctx);
  // POST /hooks/stripe: checks the signature over the raw body and stores the event once by its
  // id (a redelivery changes nothing). Processing happens later, in process_due_events.
  Result<void> receive_event(std::string_view signature_header, const std::string& body);
  // Runs every due Stripe event of the queue (the background scheduler calls this); returns how
  // many were handled. Each event re-reads its subscription from Stripe and applies that.
  std::size_t process_due_events();
  // For the operations check: events waiting and events given up on.
  std::pair<std::int64_t, std::int64_t> event_queue();
  // Before an organisation is deleted: cancels its Stripe subscription (an error keeps the organisation).
  Result<void> end_subscription(const std::string& org_id);
  // Applies a subscription as Stripe reports it now to the organisation (or the one its customer
  // or metadata names). Returns the organisation changed, "" when none matched.
  Result<std::string> apply_subscription(const StripeSubscription& sub, const std::string& org_hint);

 protected:
  db::Database& db_;
  const Clock& clock_;
  PlanSet plans_;
  BillingSettings settings_;

 private:
  Entitlements cached_or_compute(const std::string& org_id, db::Connection* conn);
  Result<void> process_event(const store::StripeEvent& event);
  Error not_configured() const;
  StripeClient* stripe_ = nullptr;
  struct Cached {
    Entitlements entitlements;
    std::int64_t expires_at = 0;
  };
  std::mutex cache_mu_;
  std::map<std::string, Cached> cache_;
  // Counts drops: a computation that started before a drop does not store what it read.
  std::uint64_t drops_ = 0;
  std::function<void(const std::string&)> changed_;
};

Error plan_limit_reached(const std::string& limit, std::int64_t allowed, std::int64_t used, const Plan& plan);
Error feature_not_in_plan(const std::string& feature, const Plan& plan);

}  // namespace sb::billing
