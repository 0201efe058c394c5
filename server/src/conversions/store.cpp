// Conversion SQL.
#include "conversions/store.hpp"

namespace sb::conversions::store {
namespace {
db::Value opt(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); }
db::Value opt(const std::optional<std::int64_t>& v) { return v ? db::Value(*v) : db::Value(nullptr); }
}  // namespace

bool insert(db::Connection& conn, const Conversion& c) {
  // ON CONFLICT: a retried call with the same external id, even a concurrent one, adds nothing and
  // leaves the transaction usable (PostgreSQL would abort it on a unique violation).
  return conn.execute(
             "INSERT INTO conversions (id, org_id, session_id, name, value_cents, source, external_id, created_at) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (org_id, external_id) DO NOTHING",
             {c.id, c.org_id, c.session_id, c.name, opt(c.value_cents), c.source, opt(c.external_id), c.created_at}) == 1;
}

std::optional<Conversion> find_by_external_id(db::Connection& conn, const std::string& org_id,
                                              const std::string& external_id) {
  auto r = conn.query_one(
      "SELECT id, org_id, session_id, name, value_cents, source, external_id, created_at FROM conversions "
      "WHERE org_id = $1 AND external_id = $2",
      {org_id, external_id});
  if (!r) return std::nullopt;
  return Conversion{r->text("id"),     r->text("org_id"),          r->text("session_id"),
                    r->text("name"),   r->opt_integer("value_cents"), r->text("source"),
                    r->opt_text("external_id"), r->integer("created_at")};
}

}  // namespace sb::conversions::store
