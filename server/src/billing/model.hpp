// Billing: plans, the entitlements an organisation has now, and the one interface services ask.
// The contract is docs/adr/0034-billing-and-plans.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sb::billing {

// Null means unlimited.
struct Limits {
  std::optional<std::int64_t> bots;
  std::optional<std::int64_t> integrations;
  std::optional<std::int64_t> members;  // members plus open invitations
  std::optional<std::int64_t> messages_per_month;
  std::optional<std::int64_t> insight_runs_per_month;
  std::optional<std::int64_t> retention_days;
};

struct Features {
  bool csv_export = true;
  bool advanced_analytics = true;
  std::optional<std::int64_t> audit_log_retention_days;
};

struct Plan {
  std::string key;   // free | pro | business | unlimited
  std::string name;  // "Free", "Pro", "Business", "Unlimited"
  std::string price_label;      // "$29 / month", shown on the plan cards
  std::string stripe_price_id;  // empty: not purchasable through Checkout
  Limits limits;
  Features features;
};

// What an organisation may do right now, computed from its subscription state.
struct Entitlements {
  std::string org_id;
  Plan plan;
  std::string status = "active";  // active | trialing | past_due | canceled | ... | none
  bool billing_enabled = false;
  bool grandfathered = false;
  // The usage period counters are kept for: the calendar month (UTC) for free and admin-set plans,
  // the Stripe billing period for paid subscriptions. Unix milliseconds.
  std::int64_t period_start = 0;
  std::int64_t period_end = 0;
};

// The only source services ask; BillingService implements it, tests may fake it.
class EntitlementSource {
 public:
  virtual ~EntitlementSource() = default;
  virtual Entitlements entitlements(const std::string& org_id) = 0;
};

}  // namespace sb::billing
