// Integration SQL.
#include "integrations/store.hpp"

namespace sb::integrations::store {
namespace {

constexpr const char* kColumns =
    "SELECT i.id, i.org_id, i.platform, i.name, i.credentials_sealed, i.credentials_key_id, i.status, "
    "i.status_reason, i.checked_at, i.account, i.webhook_registered_at, i.in_doubt_policy, i.created_at, "
    "i.updated_at, (SELECT COUNT(*) FROM deployments d WHERE d.integration_id = i.id) AS deployment_count FROM integrations i ";

Integration from_row(const db::Row& r) {
  Integration i;
  i.id = r.text("id");
  i.org_id = r.text("org_id");
  i.platform = r.text("platform");
  i.name = r.text("name");
  i.credentials_sealed = r.text("credentials_sealed");
  i.credentials_key_id = r.text("credentials_key_id");
  i.status = r.text("status");
  i.status_reason = r.text("status_reason");
  i.checked_at = r.opt_integer("checked_at");
  i.account = r.opt_text("account");
  i.webhook_registered_at = r.opt_integer("webhook_registered_at");
  i.in_doubt_policy = r.text("in_doubt_policy");
  i.created_at = r.integer("created_at");
  i.updated_at = r.integer("updated_at");
  i.deployment_count = r.integer("deployment_count");
  return i;
}

db::Value opt(const std::optional<std::int64_t>& v) { return v ? db::Value(*v) : db::Value(nullptr); }
db::Value opt(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); }
}  // namespace

void insert(db::Connection& conn, const Integration& i) {
  conn.execute(
      "INSERT INTO integrations (id, org_id, platform, name, credentials_sealed, credentials_key_id, status, "
      "status_reason, checked_at, account, webhook_registered_at, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {i.id, i.org_id, i.platform, i.name, i.credentials_sealed, i.credentials_key_id, i.status, i.status_reason,
       opt(i.checked_at), opt(i.account), opt(i.webhook_registered_at), i.created_at, i.updated_at});
}

void update(db::Connection& conn, const Integration& i) {
  conn.execute(
      "UPDATE integrations SET name = $3, credentials_sealed = $4, credentials_key_id = $5, status = $6, "
      "status_reason = $7, checked_at = $8, account = $9, webhook_registered_at = $10, updated_at = $11, "
      "in_doubt_policy = $12 WHERE org_id = $1 AND id = $2",
      {i.org_id, i.id, i.name, i.credentials_sealed, i.credentials_key_id, i.status, i.status_reason,
       opt(i.checked_at), opt(i.account), opt(i.webhook_registered_at), i.updated_at, i.in_doubt_policy});
}

void remove(db::Connection& conn, const std::string& org_id, const std::string& id) {
  conn.execute("DELETE FROM deployments WHERE org_id = $1 AND integration_id = $2", {org_id, id});
  conn.execute("DELETE FROM integrations WHERE org_id = $1 AND id = $2", {org_id, id});
}

std::optional<Integration> find(db::Connection& conn, const std::string& org_id, const std::string& id) {
  auto r = conn.query_one(std::string(kColumns) + "WHERE i.org_id = $1 AND i.id = $2", {org_id, id});
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::vector<Integration> list(db::Connection& conn, const std::string& org_id,
                              const std::optional<std::string>& platform) {
  std::vector<Integration> out;
  for (const auto& r : conn.query(std::string(kColumns) +
                                      "WHERE i.org_id = $1 AND (CAST($2 AS TEXT) IS NULL OR i.platform = $2) "
                                      "ORDER BY i.created_at DESC, i.id DESC",
                                  {org_id, opt(platform)}))
    out.push_back(from_row(r));
  return out;
}

bool name_taken(db::Connection& conn, const std::string& org_id, const std::string& name, const std::string& except_id) {
  return conn
      .query_one("SELECT 1 AS one FROM integrations WHERE org_id = $1 AND name = $2 AND id <> $3",
                 {org_id, name, except_id})
      .has_value();
}

std::optional<Integration> find_for_hook(db::Connection& conn, const std::string& platform, const std::string& id) {
  auto r = conn.query_one(std::string(kColumns) + "WHERE i.id = $1 AND i.platform = $2", {id, platform});
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::optional<RateLimit> rate_limit(db::Connection& conn, const std::string& org_id, const std::string& integration_id) {
  auto r = conn.query_one(
      "SELECT per_second, per_chat_per_minute FROM platform_rate_limits WHERE org_id = $1 AND integration_id = $2",
      {org_id, integration_id});
  if (!r) return std::nullopt;
  return RateLimit{static_cast<int>(r->integer("per_second")), static_cast<int>(r->integer("per_chat_per_minute"))};
}

void set_rate_limit(db::Connection& conn, const std::string& org_id, const std::string& integration_id,
                    const RateLimit& limit, std::int64_t now) {
  conn.execute(
      "INSERT INTO platform_rate_limits (integration_id, org_id, per_second, per_chat_per_minute, updated_at) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (integration_id) DO UPDATE SET per_second = excluded.per_second, "
      "per_chat_per_minute = excluded.per_chat_per_minute, updated_at = excluded.updated_at",
      {integration_id, org_id, static_cast<std::int64_t>(limit.per_second),
       static_cast<std::int64_t>(limit.per_chat_per_minute), now});
}

void remove_rate_limit(db::Connection& conn, const std::string& org_id, const std::string& integration_id) {
  conn.execute("DELETE FROM platform_rate_limits WHERE org_id = $1 AND integration_id = $2", {org_id, integration_id});
}

std::vector<SealedRow> all_sealed(db::Connection& conn) {
  std::vector<SealedRow> out;
  for (const auto& r : conn.query("SELECT id, credentials_sealed, credentials_key_id FROM integrations ORDER BY id"))
    out.push_back({r.text("id"), r.text("credentials_sealed"), r.text("credentials_key_id")});
  return out;
}

void update_sealed(db::Connection& conn, const SealedRow& row) {
  conn.execute("UPDATE integrations SET credentials_sealed = $2, credentials_key_id = $3 WHERE id = $1",
               {row.id, row.sealed, row.key_id});
}

}  // namespace sb::integrations::store
