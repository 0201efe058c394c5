// Audit log SQL.
#include "audit/store.hpp"

namespace sb::audit::store {

void insert(db::Connection& conn, const AuditEvent& e) {
  auto opt = [](const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); };
  conn.execute(
      "INSERT INTO audit_events (id, org_id, actor_type, actor_id, actor_label, action, target_type, target_id, "
      "target_label, ip, before_json, after_json, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {e.id, e.org_id, e.actor_type, e.actor_id, e.actor_label, e.action, e.target.type, e.target.id, e.target.label,
       e.ip, opt(e.before_json), opt(e.after_json), e.created_at});
}

std::vector<AuditEvent> list(db::Connection& conn, const std::string& org_id, const AuditQuery& q) {
  // The action filter matches a prefix ("member." finds every member event). Optional filters are bound as values and switched off with "$n IS NULL", so the statement
  // text stays the same and is prepared once.
  auto text_or_null = [](const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); };
  auto int_or_null = [](const std::optional<std::int64_t>& v) { return v ? db::Value(*v) : db::Value(nullptr); };
  auto rows = conn.query(
      "SELECT id, org_id, actor_type, actor_id, actor_label, action, target_type, target_id, target_label, ip, "
      "before_json, after_json, created_at FROM audit_events WHERE org_id = $1 "
      "AND (CAST($2 AS TEXT) IS NULL OR substr(action, 1, length($2)) = $2) AND (CAST($3 AS TEXT) IS NULL OR actor_id = $3) "
      "AND (CAST($4 AS BIGINT) IS NULL OR created_at >= $4) AND (CAST($5 AS BIGINT) IS NULL OR created_at <= $5) "
      "AND (CAST($6 AS TEXT) IS NULL OR id < $6) ORDER BY id DESC LIMIT $7",
      {org_id, text_or_null(q.action), text_or_null(q.actor_id), int_or_null(q.from), int_or_null(q.to),
       text_or_null(q.before), std::int64_t{q.limit + 1}});
  std::vector<AuditEvent> out;
  for (const auto& r : rows) {
    out.push_back(AuditEvent{r.text("id"), r.text("org_id"), r.text("actor_type"), r.text("actor_id"),
                             r.text("actor_label"), r.text("action"),
                             Target{r.text("target_type"), r.text("target_id"), r.text("target_label")}, r.text("ip"),
                             r.opt_text("before_json"), r.opt_text("after_json"), r.integer("created_at")});
  }
  return out;
}

}  // namespace sb::audit::store
