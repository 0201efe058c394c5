// Usage SQL.
#include "usage/store.hpp"

namespace sb::usage::store {

std::int64_t add_used(db::Connection& conn, const std::string& org_id, std::int64_t period_start,
                      const std::string& metric, std::int64_t n) {
  constexpr std::string_view kUpsert =
      "INSERT INTO usage_counters (org_id, period_start, metric, used, reserved) VALUES ($1, $2, $3, $4, 0) "
      "ON CONFLICT (org_id, period_start, metric) DO UPDATE SET used = usage_counters.used + excluded.used";
  const db::Params params{org_id, period_start, metric, n};
  if (conn.dialect() == db::Dialect::postgres) {
    // One round trip; the row stays locked until the transaction ends.
    auto r = conn.query_one(std::string(kUpsert) + " RETURNING used", params);
    return r ? r->integer("used") : n;
  }
  // SQLite (the ingest hot path): RETURNING gathers its rows in a temporary B-tree for every
  // statement, and an upsert probes the key twice when the row exists (nearly always). SQLite has
  // one writer, so an update, an insert when it changed nothing, and reading the row back in the
  // same transaction give the same answer, cheaper.
  if (conn.execute("UPDATE usage_counters SET used = used + $4 WHERE org_id = $1 AND period_start = $2 AND metric = $3",
                   params) == 0)
    conn.execute(kUpsert, params);
  auto r = conn.query_one("SELECT used FROM usage_counters WHERE org_id = $1 AND period_start = $2 AND metric = $3",
                          {org_id, period_start, metric});
  return r ? r->integer("used") : n;
}

bool add_used_within(db::Connection& conn, const std::string& org_id, std::int64_t period_start,
                     const std::string& metric, std::int64_t n, std::int64_t limit) {
  if (n > limit) return false;
  // The row exists first (a no-op when it does), so the guarded update below takes its lock and
  // two callers at the limit see each other's use.
  conn.execute(
      "INSERT INTO usage_counters (org_id, period_start, metric, used, reserved) VALUES ($1, $2, $3, 0, 0) "
      "ON CONFLICT (org_id, period_start, metric) DO NOTHING",
      {org_id, period_start, metric});
  return conn.execute(
             "UPDATE usage_counters SET used = used + $4 WHERE org_id = $1 AND period_start = $2 AND metric = $3 "
             "AND used + $4 <= $5",
             {org_id, period_start, metric, n, limit}) == 1;
}

namespace {
std::map<std::string, std::int64_t> column_by_metric(db::Connection& conn, const char* sql, const std::string& org_id,
                                                     std::int64_t period_start, const char* column) {
  std::map<std::string, std::int64_t> out;
  for (const auto& r : conn.query(sql, {org_id, period_start})) out[r.text("metric")] = r.integer(column);
  return out;
}
}  // namespace

std::map<std::string, std::int64_t> used(db::Connection& conn, const std::string& org_id, std::int64_t period_start) {
  return column_by_metric(conn, "SELECT metric, used FROM usage_counters WHERE org_id = $1 AND period_start = $2",
                          org_id, period_start, "used");
}

std::map<std::string, std::int64_t> reserved(db::Connection& conn, const std::string& org_id,
                                             std::int64_t period_start) {
  return column_by_metric(conn,
                          "SELECT metric, reserved FROM usage_counters WHERE org_id = $1 AND period_start = $2",
                          org_id, period_start, "reserved");
}

void reserve(db::Connection& conn, const ReservationRow& r) {
  conn.execute(
      "INSERT INTO usage_reservations (id, org_id, period_start, metric, amount, job_id, lease_expires_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {r.id, r.org_id, r.period_start, r.metric, r.amount, r.job_id ? db::Value(*r.job_id) : db::Value(nullptr),
       r.lease_expires_at});
  conn.execute(
      "INSERT INTO usage_counters (org_id, period_start, metric, used, reserved) VALUES ($1, $2, $3, 0, $4) "
      "ON CONFLICT (org_id, period_start, metric) DO UPDATE SET reserved = usage_counters.reserved + excluded.reserved",
      {r.org_id, r.period_start, r.metric, r.amount});
}

bool release(db::Connection& conn, const std::string& org_id, const std::string& id) {
  auto r = conn.query_one(
      "DELETE FROM usage_reservations WHERE org_id = $1 AND id = $2 RETURNING period_start, metric, amount",
      {org_id, id});
  if (!r) return false;
  conn.execute(
      "UPDATE usage_counters SET reserved = CASE WHEN reserved > $4 THEN reserved - $4 ELSE 0 END "
      "WHERE org_id = $1 AND period_start = $2 AND metric = $3",
      {org_id, r->integer("period_start"), r->text("metric"), r->integer("amount")});
  return true;
}

std::vector<ReservationRow> expired_reservations(db::Connection& conn, std::int64_t now, std::int64_t limit) {
  std::vector<ReservationRow> out;
  for (const auto& r : conn.query(
           "SELECT r.id, r.org_id, r.period_start, r.metric, r.amount, r.job_id, r.lease_expires_at "
           "FROM usage_reservations r LEFT JOIN message_jobs j ON j.id = r.job_id "
           "WHERE r.lease_expires_at < $1 AND (j.id IS NULL OR j.state <> 'processing' OR "
           // A job of a process that heartbeats is alive whatever its lease says (ADR 0040): such a
           // process does not renew leases. Its row goes once the rescuer has taken its jobs over.
           "(j.lease_expires_at < $1 AND NOT EXISTS (SELECT 1 FROM processes p WHERE j.lease_owner LIKE p.id || '/%'))) "
           "ORDER BY r.lease_expires_at LIMIT $2",
           {now, limit}))
    out.push_back({r.text("id"), r.text("org_id"), r.integer("period_start"), r.text("metric"), r.integer("amount"),
                   r.opt_text("job_id"), r.integer("lease_expires_at")});
  return out;
}

bool mark_warning(db::Connection& conn, const std::string& org_id, std::int64_t period_start,
                  const std::string& metric, int threshold, std::int64_t now) {
  return conn.execute(
             "INSERT INTO usage_warnings (org_id, period_start, metric, threshold, sent_at) VALUES ($1, $2, $3, $4, $5) "
             "ON CONFLICT (org_id, period_start, metric, threshold) DO NOTHING",
             {org_id, period_start, metric, std::int64_t{threshold}, now}) == 1;
}

void unmark_warning(db::Connection& conn, const std::string& org_id, std::int64_t period_start,
                    const std::string& metric, int threshold) {
  conn.execute(
      "DELETE FROM usage_warnings WHERE org_id = $1 AND period_start = $2 AND metric = $3 AND threshold = $4",
      {org_id, period_start, metric, std::int64_t{threshold}});
}

}  // namespace sb::usage::store
