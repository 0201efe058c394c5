// Deployment SQL.
#include "deployments/store.hpp"

#include <boost/json.hpp>

namespace sb::deployments::store {
namespace {
namespace json = boost::json;

constexpr const char* kColumns =
    "SELECT d.id, d.org_id, d.bot_id, b.name AS bot_name, d.channel, d.integration_id, d.allowed_origins, d.status, "
    "d.public_key, d.hosted_page_enabled, d.created_at, d.updated_at, i.name AS integration_name, i.status AS integration_status "
    "FROM deployments d JOIN bots b ON b.id = d.bot_id LEFT JOIN integrations i ON i.id = d.integration_id ";

Deployment from_row(const db::Row& r) {
  Deployment d;
  d.id = r.text("id");
  d.org_id = r.text("org_id");
  d.bot_id = r.text("bot_id");
  d.bot_name = r.text("bot_name");
  d.channel = r.text("channel");
  d.integration_id = r.opt_text("integration_id");
  d.integration_name = r.opt_text("integration_name");
  d.integration_status = r.opt_text("integration_status");
  json::value origins = json::parse(r.text("allowed_origins"));  // a local: iterating a temporary would dangle
  for (const auto& o : origins.as_array()) d.allowed_origins.emplace_back(o.as_string());
  d.status = r.text("status");
  d.key = r.text("public_key");
  d.hosted_page_enabled = r.integer("hosted_page_enabled") != 0;
  d.created_at = r.integer("created_at");
  d.updated_at = r.integer("updated_at");
  return d;
}
}  // namespace

void insert(db::Connection& conn, const Deployment& d) {
  conn.execute(
      "INSERT INTO deployments (id, org_id, bot_id, channel, integration_id, allowed_origins, status, public_key, "
      "hosted_page_enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {d.id, d.org_id, d.bot_id, d.channel, d.integration_id ? db::Value(*d.integration_id) : db::Value(nullptr),
       json::serialize(json::value_from(d.allowed_origins)), d.status, d.key,
       std::int64_t{d.hosted_page_enabled ? 1 : 0}, d.created_at, d.updated_at});
}

void update(db::Connection& conn, const Deployment& d) {
  conn.execute(
      "UPDATE deployments SET allowed_origins = $3, status = $4, hosted_page_enabled = $5, updated_at = $6 "
      "WHERE org_id = $1 AND id = $2",
      {d.org_id, d.id, json::serialize(json::value_from(d.allowed_origins)), d.status,
       std::int64_t{d.hosted_page_enabled ? 1 : 0}, d.updated_at});
}

void remove(db::Connection& conn, const std::string& org_id, const std::string& id) {
  conn.execute("DELETE FROM deployments WHERE org_id = $1 AND id = $2", {org_id, id});
}

std::optional<Deployment> find(db::Connection& conn, const std::string& org_id, const std::string& id) {
  auto r = conn.query_one(std::string(kColumns) + "WHERE d.org_id = $1 AND d.id = $2", {org_id, id});
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::vector<Deployment> list(db::Connection& conn, const std::string& org_id, const std::optional<std::string>& bot_id) {
  std::vector<Deployment> out;
  for (const auto& r : conn.query(std::string(kColumns) +
                                      "WHERE d.org_id = $1 AND (CAST($2 AS TEXT) IS NULL OR d.bot_id = $2) "
                                      "ORDER BY d.created_at DESC, d.id DESC",
                                  {org_id, bot_id ? db::Value(*bot_id) : db::Value(nullptr)}))
    out.push_back(from_row(r));
  return out;
}

std::optional<Deployment> find_by_key(db::Connection& conn, const std::string& key) {
  auto r = conn.query_one(std::string(kColumns) + "WHERE d.public_key = $1 AND d.channel = 'webchat'", {key});
  if (!r) return std::nullopt;
  return from_row(*r);
}

}  // namespace sb::deployments::store
