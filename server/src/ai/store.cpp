// AI settings store.
#include "ai/store.hpp"

#include <boost/json.hpp>

namespace sb::ai::store {
namespace json = boost::json;
namespace {

db::Value opt(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); }
db::Value opt(const std::optional<std::int64_t>& v) { return v ? db::Value(*v) : db::Value(nullptr); }

std::vector<std::string> models_from(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& m : v.as_array())
    if (m.is_string()) out.emplace_back(m.as_string());
  return out;
}

}  // namespace

std::optional<OrgAiSettings> find(db::Connection& conn, const std::string& org_id) {
  auto r = conn.query_one(
      "SELECT org_id, key_sealed, key_key_id, key_set_at, key_set_by, key_verified_at, allowed_models, updated_at "
      "FROM org_ai_settings WHERE org_id = $1",
      {org_id});
  if (!r) return std::nullopt;
  OrgAiSettings s;
  s.org_id = r->text("org_id");
  s.key_sealed = r->opt_text("key_sealed");
  s.key_key_id = r->opt_text("key_key_id");
  s.key_set_at = r->opt_integer("key_set_at");
  s.key_set_by = r->opt_text("key_set_by");
  s.key_verified_at = r->opt_integer("key_verified_at");
  s.allowed_models = models_from(r->text("allowed_models"));
  s.updated_at = r->integer("updated_at");
  return s;
}

void save(db::Connection& conn, const OrgAiSettings& s) {
  json::array models;
  for (const auto& m : s.allowed_models) models.emplace_back(m);
  conn.execute(
      "INSERT INTO org_ai_settings (org_id, key_sealed, key_key_id, key_set_at, key_set_by, key_verified_at, "
      "allowed_models, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
      "ON CONFLICT (org_id) DO UPDATE SET key_sealed = excluded.key_sealed, key_key_id = excluded.key_key_id, "
      "key_set_at = excluded.key_set_at, key_set_by = excluded.key_set_by, key_verified_at = excluded.key_verified_at, "
      "allowed_models = excluded.allowed_models, updated_at = excluded.updated_at",
      {s.org_id, opt(s.key_sealed), opt(s.key_key_id), opt(s.key_set_at), opt(s.key_set_by), opt(s.key_verified_at),
       json::serialize(models), s.updated_at});
}

std::vector<SealedKey> all_sealed(db::Connection& conn) {
  std::vector<SealedKey> out;
  for (const auto& r : conn.query(
           "SELECT org_id, key_sealed, key_key_id FROM org_ai_settings WHERE key_sealed IS NOT NULL ORDER BY org_id"))
    out.push_back({r.text("org_id"), r.text("key_sealed"), r.text("key_key_id")});
  return out;
}

void update_sealed(db::Connection& conn, const SealedKey& row) {
  conn.execute("UPDATE org_ai_settings SET key_sealed = $2, key_key_id = $3 WHERE org_id = $1",
               {row.org_id, row.sealed, row.key_id});
}

}  // namespace sb::ai::store
