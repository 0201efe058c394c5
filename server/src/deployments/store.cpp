// Deployment SQL.
#include "deployments/store.hpp"

#include <boost/json.hpp>

namespace sb::deployments::store {
namespace {
namespace json = boost::json;

constexpr const char* kColumns =
    "SELECT d.id, d.org_id, d.bot_id, b.name AS bot_name, d.channel, d.integration_id, d.allowed_origins, d.status, "
    "d.public_key, d.hosted_page_enabled, d.widget_color, d.widget_position, d.launcher_label, d.widget_greeting, "
    "d.widget_theme, d.identity_secret_sealed, d.identity_secret_key_id, d.created_at, d.updated_at, i.name AS integration_name, i.status AS integration_status "
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
  d.color = r.text("widget_color");
  d.position = r.text("widget_position");
  d.launcher_label = r.text("launcher_label");
  d.greeting = r.text("widget_greeting");
  d.theme = r.text("widget_theme");
  d.identity_secret_sealed = r.opt_text("identity_secret_sealed");
  d.identity_secret_key_id = r.opt_text("identity_secret_key_id");
  d.created_at = r.integer("created_at");
  d.updated_at = r.integer("updated_at");
  return d;
}
}  // namespace

void insert(db::Connection& conn, const Deployment& d) {
  conn.execute(
      "INSERT INTO deployments (id, org_id, bot_id, channel, integration_id, allowed_origins, status, public_key, "
      "hosted_page_enabled, widget_color, widget_position, launcher_label, widget_greeting, widget_theme, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
      {d.id, d.org_id, d.bot_id, d.channel, d.integration_id ? db::Value(*d.integration_id) : db::Value(nullptr),
       json::serialize(json::value_from(d.allowed_origins)), d.status, d.key,
       std::int64_t{d.hosted_page_enabled ? 1 : 0}, d.color, d.position, d.launcher_label, d.greeting, d.theme,
       d.created_at, d.updated_at});
}

void update(db::Connection& conn, const Deployment& d) {
  conn.execute(
      "UPDATE deployments SET allowed_origins = $3, status = $4, hosted_page_enabled = $5, updated_at = $6, "
      "widget_color = $7, widget_position = $8, launcher_label = $9, widget_greeting = $10, widget_theme = $11 "
      "WHERE org_id = $1 AND id = $2",
      {d.org_id, d.id, json::serialize(json::value_from(d.allowed_origins)), d.status,
       std::int64_t{d.hosted_page_enabled ? 1 : 0}, d.updated_at, d.color, d.position, d.launcher_label, d.greeting,
       d.theme});
}

void set_identity_secret(db::Connection& conn, const std::string& org_id, const std::string& id,
                         const std::string& sealed, const std::string& key_id, std::int64_t at) {
  conn.execute(
      "UPDATE deployments SET identity_secret_sealed = $3, identity_secret_key_id = $4, updated_at = $5 "
      "WHERE org_id = $1 AND id = $2",
      {org_id, id, sealed, key_id, at});
}

std::vector<SealedSecret> all_identity_secrets(db::Connection& conn) {
  std::vector<SealedSecret> out;
  for (const auto& r : conn.query("SELECT id, identity_secret_sealed, identity_secret_key_id FROM deployments "
                                  "WHERE identity_secret_sealed IS NOT NULL ORDER BY id"))
    out.push_back({r.text("id"), r.text("identity_secret_sealed"), r.opt_text("identity_secret_key_id").value_or("")});
  return out;
}

void update_identity_secret_seal(db::Connection& conn, const SealedSecret& row) {
  conn.execute("UPDATE deployments SET identity_secret_sealed = $2, identity_secret_key_id = $3 WHERE id = $1",
               {row.id, row.sealed, row.key_id});
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
