// Retention SQL.
#include "retention/store.hpp"

namespace sb::retention {

std::string_view kind_name(Kind kind) { return kind == Kind::audit ? "audit" : "data"; }

}  // namespace sb::retention

namespace sb::retention::store {
namespace {

Policy from_row(const db::Row& row) {
  Policy p;
  p.org_id = row.text("org_id");
  p.kind = row.text("kind") == "audit" ? Kind::audit : Kind::data;
  p.applied_days = row.opt_integer("applied_days");
  p.pending_days = row.opt_integer("pending_days");
  p.pending_effective_at = row.opt_integer("pending_effective_at");
  p.notified_at = row.opt_integer("notified_at");
  return p;
}

db::Value opt(std::optional<std::int64_t> v) { return v ? db::Value(*v) : db::Value(nullptr); }

constexpr const char* kColumns = "org_id, kind, applied_days, pending_days, pending_effective_at, notified_at";

}  // namespace

std::vector<std::string> organization_ids(db::Connection& conn) {
  std::vector<std::string> out;
  for (const auto& row : conn.query("SELECT id FROM organizations ORDER BY id")) out.push_back(row.text("id"));
  return out;
}

std::optional<Policy> find(db::Connection& conn, const std::string& org_id, Kind kind) {
  auto row = conn.query_one(std::string("SELECT ") + kColumns +
                                " FROM retention_policies WHERE org_id = $1 AND kind = $2",
                            {org_id, std::string(kind_name(kind))});
  if (!row) return std::nullopt;
  return from_row(*row);
}

std::vector<Policy> list(db::Connection& conn, const std::string& org_id) {
  std::vector<Policy> out;
  for (const auto& row : conn.query(std::string("SELECT ") + kColumns +
                                    " FROM retention_policies WHERE org_id = $1 ORDER BY kind",
                                    {org_id}))
    out.push_back(from_row(row));
  return out;
}

void apply(db::Connection& conn, const std::string& org_id, Kind kind, std::optional<std::int64_t> days,
           std::int64_t now) {
  conn.execute(
      "INSERT INTO retention_policies (org_id, kind, applied_days, pending_days, pending_effective_at, notified_at, "
      "updated_at) VALUES ($1, $2, $3, NULL, NULL, NULL, $4) "
      "ON CONFLICT (org_id, kind) DO UPDATE SET applied_days = excluded.applied_days, pending_days = NULL, "
      "pending_effective_at = NULL, notified_at = NULL, updated_at = excluded.updated_at",
      {org_id, std::string(kind_name(kind)), opt(days), now});
}

bool announce(db::Connection& conn, const std::string& org_id, Kind kind, std::int64_t days, std::int64_t effective_at,
              std::int64_t now) {
  conn.execute(
      "INSERT INTO retention_policies (org_id, kind, updated_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (org_id, kind) DO NOTHING",
      {org_id, std::string(kind_name(kind)), now});
  return conn.execute(
             "UPDATE retention_policies SET pending_days = $3, pending_effective_at = $4, notified_at = $5, "
             "updated_at = $5 WHERE org_id = $1 AND kind = $2 AND (pending_days IS NULL OR pending_days <> $3)",
             {org_id, std::string(kind_name(kind)), days, effective_at, now}) > 0;
}

bool has_older_than(db::Connection& conn, const std::string& org_id, Kind kind, std::int64_t cutoff) {
  const char* sql =
      kind == Kind::audit
          ? "SELECT COUNT(*) AS n FROM (SELECT 1 FROM audit_events WHERE org_id = $1 AND created_at < $2 LIMIT 1) a"
          : "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM conversation_sessions WHERE org_id = $1 AND "
            "last_message_at < $2 LIMIT 1) c) + (SELECT COUNT(*) FROM (SELECT 1 FROM webhook_events WHERE "
            "org_id = $1 AND received_at < $2 LIMIT 1) e) AS n";
  auto row = conn.query_one(sql, {org_id, cutoff});
  return row && row->integer("n") > 0;
}

std::int64_t delete_conversations(db::Connection& conn, const std::string& org_id, std::int64_t cutoff, int batch) {
  // Messages go with their conversation (ON DELETE CASCADE), and with them their search rows.
  return conn.execute(
      "DELETE FROM conversation_sessions WHERE id IN (SELECT id FROM conversation_sessions "
      "WHERE org_id = $1 AND last_message_at < $2 ORDER BY last_message_at LIMIT $3)",
      {org_id, cutoff, static_cast<std::int64_t>(batch)});
}

std::int64_t delete_events(db::Connection& conn, const std::string& org_id, std::int64_t cutoff, int batch) {
  return conn.execute(
      "DELETE FROM webhook_events WHERE id IN (SELECT e.id FROM webhook_events e WHERE e.org_id = $1 "
      "AND e.received_at < $2 AND NOT EXISTS (SELECT 1 FROM message_jobs j WHERE j.event_id = e.id "
      "AND j.state IN ('queued', 'processing', 'failed')) ORDER BY e.received_at LIMIT $3)",
      {org_id, cutoff, static_cast<std::int64_t>(batch)});
}

std::int64_t delete_audit_entries(db::Connection& conn, const std::string& org_id, std::int64_t cutoff, int batch) {
  return conn.execute(
      "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE org_id = $1 AND created_at < $2 "
      "ORDER BY created_at LIMIT $3)",
      {org_id, cutoff, static_cast<std::int64_t>(batch)});
}

}  // namespace sb::retention::store
