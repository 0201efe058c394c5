// Billing SQL, one text for both dialects except where a comment says why not.
#include "billing/store.hpp"

#include "usage/model.hpp"
#include "usage/store.hpp"

namespace sb::billing::store {
namespace {

constexpr const char* kColumns =
    "SELECT org_id, plan, status, grandfathered, stripe_customer_id, stripe_subscription_id, current_period_start, "
    "current_period_end, cancel_at_period_end, past_due_since, plan_source, stripe_synced_at, updated_at "
    "FROM org_billing ";

OrgBilling from_row(const db::Row& r) {
  OrgBilling b;
  b.org_id = r.text("org_id");
  b.plan = r.text("plan");
  b.status = r.text("status");
  b.grandfathered = r.integer("grandfathered") != 0;
  b.stripe_customer_id = r.opt_text("stripe_customer_id");
  b.stripe_subscription_id = r.opt_text("stripe_subscription_id");
  b.current_period_start = r.opt_integer("current_period_start");
  b.current_period_end = r.opt_integer("current_period_end");
  b.cancel_at_period_end = r.integer("cancel_at_period_end") != 0;
  b.past_due_since = r.opt_integer("past_due_since");
  b.plan_source = r.text("plan_source");
  b.stripe_synced_at = r.opt_integer("stripe_synced_at");
  b.updated_at = r.integer("updated_at");
  return b;
}

std::optional<OrgBilling> one(db::Connection& conn, const std::string& where, const std::string& value) {
  auto row = conn.query_one(std::string(kColumns) + where, {value});
  if (!row) return std::nullopt;
  return from_row(*row);
}

db::Value opt(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); }
db::Value opt(const std::optional<std::int64_t>& v) { return v ? db::Value(*v) : db::Value(nullptr); }

StripeEvent event_from(const db::Row& r) {
  return {r.text("id"),          r.text("type"),          r.text("payload"),          r.text("state"),
          r.integer("received_at"), r.integer("attempts"), r.integer("next_run_at"), r.opt_text("last_error")};
}

}  // namespace

std::optional<OrgBilling> find(db::Connection& conn, const std::string& org_id) {
  return one(conn, "WHERE org_id = $1", org_id);
}
std::optional<OrgBilling> find_by_customer(db::Connection& conn, const std::string& customer_id) {
  return one(conn, "WHERE stripe_customer_id = $1", customer_id);
}
std::optional<OrgBilling> find_by_subscription(db::Connection& conn, const std::string& subscription_id) {
  return one(conn, "WHERE stripe_subscription_id = $1", subscription_id);
}

std::map<std::string, OrgBilling> all(db::Connection& conn) {
  std::map<std::string, OrgBilling> out;
  for (const auto& r : conn.query(kColumns)) {
    auto b = from_row(r);
    out.emplace(b.org_id, std::move(b));
  }
  return out;
}

void save(db::Connection& conn, const OrgBilling& b) {
  conn.execute(
      "INSERT INTO org_billing (org_id, plan, status, grandfathered, stripe_customer_id, stripe_subscription_id, "
      "current_period_start, current_period_end, cancel_at_period_end, past_due_since, plan_source, stripe_synced_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
      "ON CONFLICT (org_id) DO UPDATE SET plan = excluded.plan, status = excluded.status, "
      "grandfathered = excluded.grandfathered, stripe_customer_id = excluded.stripe_customer_id, "
      "stripe_subscription_id = excluded.stripe_subscription_id, current_period_start = excluded.current_period_start, "
      "current_period_end = excluded.current_period_end, cancel_at_period_end = excluded.cancel_at_period_end, "
      "past_due_since = excluded.past_due_since, plan_source = excluded.plan_source, "
      "stripe_synced_at = excluded.stripe_synced_at, updated_at = excluded.updated_at",
      {b.org_id, b.plan, b.status, std::int64_t{b.grandfathered ? 1 : 0}, opt(b.stripe_customer_id),
       opt(b.stripe_subscription_id), opt(b.current_period_start), opt(b.current_period_end),
       std::int64_t{b.cancel_at_period_end ? 1 : 0}, opt(b.past_due_since), b.plan_source, opt(b.stripe_synced_at),
       b.updated_at});
}

bool org_exists(db::Connection& conn, const std::string& org_id) {
  return conn.query_one("SELECT 1 AS one FROM organizations WHERE id = $1", {org_id}).has_value();
}

std::string org_name(db::Connection& conn, const std::string& org_id) {
  auto row = conn.query_one("SELECT name FROM organizations WHERE id = $1", {org_id});
  return row ? row->text("name") : std::string();
}

std::vector<std::string> find_org_ids(db::Connection& conn, const std::string& id_or_name) {
  std::vector<std::string> out;
  for (const auto& r : conn.query("SELECT id FROM organizations WHERE id = $1 OR name = $1 ORDER BY id", {id_or_name}))
    out.push_back(r.text("id"));
  // An exact id wins over names that happen to be equal to it.
  for (const auto& id : out)
    if (id == id_or_name) return {id};
  return out;
}

void lock_org(db::Connection& conn, const std::string& org_id) {
  // SQLite has no row locks and needs none: BEGIN IMMEDIATE already holds the only write lock.
  if (conn.dialect() == db::Dialect::postgres)
    conn.query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE", {org_id});
}

std::int64_t count_bots(db::Connection& conn, const std::string& org_id) {
  return conn.query_one("SELECT COUNT(*) AS n FROM bots WHERE org_id = $1", {org_id})->integer("n");
}

std::int64_t count_integrations(db::Connection& conn, const std::string& org_id) {
  return conn.query_one("SELECT COUNT(*) AS n FROM integrations WHERE org_id = $1", {org_id})->integer("n");
}

std::int64_t count_members_and_open_invites(db::Connection& conn, const std::string& org_id, std::int64_t now) {
  return conn
      .query_one(
          "SELECT (SELECT COUNT(*) FROM organization_members WHERE org_id = $1) + "
          "(SELECT COUNT(*) FROM invites WHERE org_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL "
          "AND expires_at > $2) AS n",
          {org_id, now})
      ->integer("n");
}

PeriodUsage period_usage(db::Connection& conn, const std::string& org_id, std::int64_t period_start) {
  // The counters are the usage feature's; read through its store, so the SQL stays in one place.
  auto used = usage::store::used(conn, org_id, period_start);
  auto get = [&](const char* metric) { return used.count(metric) ? used.at(metric) : std::int64_t{0}; };
  PeriodUsage u;
  u.messages = get(usage::kMessages);
  u.insight_runs = get(usage::kInsightRuns);
  u.ai_cost_micros = get(usage::kAiCostMicros);
  u.ai_tokens = get(usage::kAiTokens);
  return u;
}

std::optional<std::string> setting(db::Connection& conn, const std::string& key) {
  auto row = conn.query_one("SELECT value FROM billing_settings WHERE key = $1", {key});
  if (!row) return std::nullopt;
  return row->text("value");
}

bool insert_setting_once(db::Connection& conn, const std::string& key, const std::string& value) {
  return conn.execute("INSERT INTO billing_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                      {key, value}) == 1;
}

std::int64_t grandfather_existing(db::Connection& conn, std::int64_t now) {
  return conn.execute(
      "INSERT INTO org_billing (org_id, plan, status, grandfathered, plan_source, updated_at) "
      "SELECT o.id, 'unlimited', 'active', 1, 'default', $1 FROM organizations o "
      "WHERE NOT EXISTS (SELECT 1 FROM org_billing b WHERE b.org_id = o.id)",
      {now});
}

bool insert_event(db::Connection& conn, const std::string& id, const std::string& type, const std::string& payload,
                  std::int64_t now) {
  return conn.execute(
             "INSERT INTO stripe_events (id, type, payload, received_at, state, attempts, next_run_at) "
             "VALUES ($1, $2, $3, $4, 'queued', 0, $4) ON CONFLICT (id) DO NOTHING",
             {id, type, payload, now}) == 1;
}

std::optional<StripeEvent> find_event(db::Connection& conn, const std::string& id) {
  auto row = conn.query_one(
      "SELECT id, type, payload, state, received_at, attempts, next_run_at, last_error FROM stripe_events WHERE id = $1",
      {id});
  if (!row) return std::nullopt;
  return event_from(*row);
}

std::optional<StripeEvent> claim_event(db::Connection& conn, const std::string& owner, std::int64_t now,
                                       std::int64_t lease_ms) {
  // PostgreSQL: concurrent claimers skip the row another one holds.
  std::string lock = conn.dialect() == db::Dialect::postgres ? " FOR UPDATE SKIP LOCKED" : "";
  auto rows = conn.query(
      "UPDATE stripe_events SET state = 'processing', attempts = attempts + 1, lease_owner = $1, lease_expires_at = $2 "
      "WHERE id = (SELECT id FROM stripe_events WHERE (state = 'queued' AND next_run_at <= $3) "
      "OR (state = 'processing' AND lease_expires_at <= $3) ORDER BY next_run_at, id LIMIT 1" +
          lock +
          ") AND ((state = 'queued' AND next_run_at <= $3) OR (state = 'processing' AND lease_expires_at <= $3)) "
          "RETURNING id, type, payload, state, received_at, attempts, next_run_at, last_error",
      {owner, now + lease_ms, now});
  if (rows.empty()) return std::nullopt;
  return event_from(rows.front());
}

void finish_event(db::Connection& conn, const std::string& id, const std::string& owner, std::int64_t now) {
  conn.execute(
      "UPDATE stripe_events SET state = 'done', processed_at = $3, lease_owner = NULL, lease_expires_at = NULL, "
      "last_error = NULL WHERE id = $1 AND lease_owner = $2",
      {id, owner, now});
}

void retry_event(db::Connection& conn, const std::string& id, const std::string& owner, const std::string& error,
                 std::optional<std::int64_t> next_run_at) {
  if (next_run_at)
    conn.execute(
        "UPDATE stripe_events SET state = 'queued', next_run_at = $3, last_error = $4, lease_owner = NULL, "
        "lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2",
        {id, owner, *next_run_at, error});
  else
    conn.execute(
        "UPDATE stripe_events SET state = 'failed', last_error = $3, lease_owner = NULL, lease_expires_at = NULL "
        "WHERE id = $1 AND lease_owner = $2",
        {id, owner, error});
}

std::pair<std::int64_t, std::int64_t> count_unfinished_events(db::Connection& conn) {
  auto row = conn.query_one(
      "SELECT COALESCE(SUM(CASE WHEN state IN ('queued', 'processing') THEN 1 ELSE 0 END), 0) AS waiting, "
      "COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0) AS failed FROM stripe_events");
  return {row->integer("waiting"), row->integer("failed")};
}

std::int64_t count_events(db::Connection& conn) {
  return conn.query_one("SELECT COUNT(*) AS n FROM stripe_events")->integer("n");
}

}  // namespace sb::billing::store
