// All SQL of billing: organisations' subscription state, usage counts for limits, the Stripe event
// queue and installation-wide billing settings.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace sb::billing::store {

// One org_billing row.
struct OrgBilling {
  std::string org_id;
  std::string plan = "free";
  std::string status = "active";
  bool grandfathered = false;
  std::optional<std::string> stripe_customer_id;
  std::optional<std::string> stripe_subscription_id;
  std::optional<std::int64_t> current_period_start;
  std::optional<std::int64_t> current_period_end;
  bool cancel_at_period_end = false;
  std::optional<std::int64_t> past_due_since;
  std::string plan_source = "default";  // default | stripe | admin
  std::optional<std::int64_t> stripe_synced_at;
  std::int64_t updated_at = 0;
};

std::optional<OrgBilling> find(db::Connection& conn, const std::string& org_id);
std::optional<OrgBilling> find_by_customer(db::Connection& conn, const std::string& customer_id);
std::optional<OrgBilling> find_by_subscription(db::Connection& conn, const std::string& subscription_id);
// Every row, by organisation (the admin list).
std::map<std::string, OrgBilling> all(db::Connection& conn);
// Inserts or replaces the organisation's row.
void save(db::Connection& conn, const OrgBilling& row);
bool org_exists(db::Connection& conn, const std::string& org_id);
std::string org_name(db::Connection& conn, const std::string& org_id);  // "" when there is none
// The organisation whose id is `id_or_name`, or the one organisation with exactly that name.
std::vector<std::string> find_org_ids(db::Connection& conn, const std::string& id_or_name);

// Holds the organisation's row until the transaction ends, so two creations of the same
// organisation count one after the other (PostgreSQL; SQLite's BEGIN IMMEDIATE already does).
void lock_org(db::Connection& conn, const std::string& org_id);
std::int64_t count_bots(db::Connection& conn, const std::string& org_id);
std::int64_t count_integrations(db::Connection& conn, const std::string& org_id);
// Members plus invitations not accepted, revoked or expired.
std::int64_t count_members_and_open_invites(db::Connection& conn, const std::string& org_id, std::int64_t now);

// Metered usage of one period (messages, insight runs, AI cost and tokens), from usage_counters
// when that table exists (migration 0024); zero before. The one place that reads it.
struct PeriodUsage {
  std::int64_t messages = 0, insight_runs = 0, ai_cost_micros = 0, ai_tokens = 0;
};
PeriodUsage period_usage(db::Connection& conn, const std::string& org_id, std::int64_t period_start);

std::optional<std::string> setting(db::Connection& conn, const std::string& key);
// Inserts the setting unless it exists; true when this call inserted it.
bool insert_setting_once(db::Connection& conn, const std::string& key, const std::string& value);
// Gives every organisation without a billing row a grandfathered one (plan unlimited). Returns how many.
std::int64_t grandfather_existing(db::Connection& conn, std::int64_t now);

// ---- the Stripe event queue ----
struct StripeEvent {
  std::string id, type, payload, state;
  std::int64_t received_at = 0, attempts = 0, next_run_at = 0;
  std::optional<std::string> last_error;
};
// Stores a received event once; false when its id is already stored (a redelivery).
bool insert_event(db::Connection& conn, const std::string& id, const std::string& type, const std::string& payload,
                  std::int64_t now);
std::optional<StripeEvent> find_event(db::Connection& conn, const std::string& id);
// Takes the next due event (queued or failed with next_run_at passed, or processing with an expired
// lease) for `owner` until now + lease_ms.
std::optional<StripeEvent> claim_event(db::Connection& conn, const std::string& owner, std::int64_t now,
                                       std::int64_t lease_ms);
void finish_event(db::Connection& conn, const std::string& id, const std::string& owner, std::int64_t now);
// Back to the queue at next_run_at (or failed for good when next_run_at is empty).
void retry_event(db::Connection& conn, const std::string& id, const std::string& owner, const std::string& error,
                 std::optional<std::int64_t> next_run_at);
std::int64_t count_events(db::Connection& conn);
// Events waiting (queued or processing) and events given up on (failed).
std::pair<std::int64_t, std::int64_t> count_unfinished_events(db::Connection& conn);

}  // namespace sb::billing::store
