// API key SQL.
#include "apikeys/store.hpp"

namespace sb::apikeys::store {
namespace {

constexpr const char* kColumns =
    "SELECT k.id, k.org_id, k.name, k.role, k.prefix, k.key_hash, k.created_by, COALESCE(p.name, '') AS created_by_name, "
    "k.created_at, k.expires_at, k.last_used_at, k.revoked_at, m.role AS creator_role "
    "FROM api_keys k LEFT JOIN profiles p ON p.user_id = k.created_by "
    "LEFT JOIN organization_members m ON m.org_id = k.org_id AND m.user_id = k.created_by ";

ApiKey from_row(const db::Row& r) {
  return ApiKey{r.text("id"),           r.text("org_id"),        r.text("name"),
                r.text("role"),         r.text("prefix"),        r.text("key_hash"),
                r.opt_text("created_by"), r.text("created_by_name"), r.integer("created_at"),
                r.opt_integer("expires_at"), r.opt_integer("last_used_at"), r.opt_integer("revoked_at"),
                r.opt_text("creator_role")};
}

}  // namespace

void insert(db::Connection& conn, const ApiKey& k) {
  conn.execute(
      "INSERT INTO api_keys (id, org_id, name, role, prefix, key_hash, created_by, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {k.id, k.org_id, k.name, k.role, k.prefix, k.key_hash, k.created_by ? db::Value(*k.created_by) : db::Value(nullptr),
       k.created_at, k.expires_at ? db::Value(*k.expires_at) : db::Value(nullptr)});
}

std::vector<ApiKey> list(db::Connection& conn, const std::string& org_id) {
  std::vector<ApiKey> out;
  for (const auto& r : conn.query(std::string(kColumns) + "WHERE k.org_id = $1 ORDER BY k.created_at DESC, k.id DESC", {org_id}))
    out.push_back(from_row(r));
  return out;
}

std::optional<ApiKey> find(db::Connection& conn, const std::string& org_id, const std::string& key_id) {
  auto r = conn.query_one(std::string(kColumns) + "WHERE k.org_id = $1 AND k.id = $2", {org_id, key_id});
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::optional<ApiKey> find_by_prefix(db::Connection& conn, const std::string& prefix) {
  auto r = conn.query_one(std::string(kColumns) + "WHERE k.prefix = $1", {prefix});
  if (!r) return std::nullopt;
  return from_row(*r);
}

void revoke(db::Connection& conn, const std::string& org_id, const std::string& key_id, std::int64_t now) {
  conn.execute("UPDATE api_keys SET revoked_at = $3 WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL",
               {org_id, key_id, now});
}

std::vector<ApiKey> list_active_by_creator(db::Connection& conn, const std::string& org_id, const std::string& user_id) {
  std::vector<ApiKey> out;
  for (const auto& r : conn.query(std::string(kColumns) +
                                      "WHERE k.org_id = $1 AND k.created_by = $2 AND k.revoked_at IS NULL ORDER BY k.id",
                                  {org_id, user_id}))
    out.push_back(from_row(r));
  return out;
}

void touch(db::Connection& conn, const std::string& key_id, std::int64_t now) {
  conn.execute("UPDATE api_keys SET last_used_at = $2 WHERE id = $1", {key_id, now});
}

}  // namespace sb::apikeys::store
