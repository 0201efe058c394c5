// Reply job SQL.
#include "jobs/store.hpp"

#include <algorithm>
#include <tuple>

#include "db/multi_row.hpp"

namespace sb::jobs::store {
namespace {

constexpr const char* kColumns =
    "SELECT j.id, j.org_id, j.integration_id, i.name AS integration_name, j.deployment_id, j.bot_id, b.name AS bot_name, "
    "j.event_id, j.platform, j.external_user_id, j.display_name, j.external_message_id, j.reply_to, j.inbound_text, "
    "j.reply_text, j.reply_source, j.platform_message_id, j.state, j.attempts, j.max_attempts, j.next_run_at, "
    "j.lease_owner, j.lease_expires_at, j.last_error, j.reason_kind, j.previous_state, j.created_at, j.updated_at, j.finished_at, "
    "j.send_attempt, j.send_started_at "
    "FROM message_jobs j JOIN integrations i ON i.id = j.integration_id LEFT JOIN bots b ON b.id = j.bot_id ";

// The filters of the operations console, as one fixed statement text for both dialects.
constexpr const char* kFilter =
    "WHERE j.org_id = $1 AND (CAST($2 AS TEXT) = '' OR ',' || CAST($2 AS TEXT) || ',' LIKE '%,' || j.state || ',%') "
    "AND (CAST($3 AS TEXT) IS NULL OR j.bot_id = $3) AND (CAST($4 AS TEXT) IS NULL OR j.platform = $4) "
    "AND (CAST($5 AS TEXT) IS NULL OR j.integration_id = $5) "
    "AND (CAST($6 AS TEXT) IS NULL OR j.event_id = $6 OR j.id = $6 OR j.platform_message_id = $6 "
    "     OR j.external_user_id = $6 OR j.external_message_id = $6) "
    "AND (CAST($7 AS BIGINT) IS NULL OR j.created_at >= $7) AND (CAST($8 AS BIGINT) IS NULL OR j.created_at < $8) "
    "AND (CAST($9 AS TEXT) IS NULL OR j.reason_kind = $9) ";

db::Value opt(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); }
db::Value opt(const std::optional<std::int64_t>& v) { return v ? db::Value(*v) : db::Value(nullptr); }

db::Params filter_params(const std::string& org_id, const JobFilter& f) {
  std::string states;
  for (const auto& s : f.states) states += (states.empty() ? "" : ",") + s;
  return {org_id, states, opt(f.bot_id), opt(f.platform), opt(f.integration_id), opt(f.q), opt(f.from), opt(f.to), opt(f.reason_kind)};
}

MessageJob from_row(const db::Row& r) {
  MessageJob j;
  j.id = r.text("id");
  j.org_id = r.text("org_id");
  j.integration_id = r.text("integration_id");
  j.integration_name = r.text("integration_name");
  j.deployment_id = r.opt_text("deployment_id");
  j.bot_id = r.opt_text("bot_id");
  j.bot_name = r.opt_text("bot_name");
  j.event_id = r.text("event_id");
  j.platform = r.text("platform");
  j.external_user_id = r.text("external_user_id");
  j.display_name = r.text("display_name");
  j.external_message_id = r.text("external_message_id");
  j.reply_to = r.text("reply_to");
  j.inbound_text = r.text("inbound_text");
  j.reply_text = r.opt_text("reply_text");
  j.reply_source = r.opt_text("reply_source");
  j.platform_message_id = r.opt_text("platform_message_id");
  j.state = r.text("state");
  j.attempts = r.integer("attempts");
  j.max_attempts = r.integer("max_attempts");
  j.next_run_at = r.integer("next_run_at");
  j.lease_owner = r.opt_text("lease_owner");
  j.lease_expires_at = r.opt_integer("lease_expires_at");
  j.last_error = r.opt_text("last_error");
  j.reason_kind = r.opt_text("reason_kind");
  j.created_at = r.integer("created_at");
  j.updated_at = r.integer("updated_at");
  j.finished_at = r.opt_integer("finished_at");
  j.send_attempt = r.opt_integer("send_attempt");
  j.send_started_at = r.opt_integer("send_started_at");
  return j;
}

JobLog log_from_row(const db::Row& r) {
  return JobLog{r.text("id"),          r.text("job_id"),         r.text("org_id"),          r.integer("at"),
                r.text("worker"),      r.text("kind"),           r.opt_text("from_state"),  r.opt_text("to_state"),
                r.text("outcome"),     r.opt_integer("http_status"), r.opt_integer("latency_ms"), r.opt_text("error")};
}

constexpr const char* kChangeable =
    "state = $3, attempts = $4, next_run_at = $5, lease_owner = $6, lease_expires_at = $7, last_error = $8, "
    "reply_text = $9, reply_source = $10, platform_message_id = $11, updated_at = $12, finished_at = $13, reason_kind = $14 ";

db::Params changeable(const MessageJob& j) {
  return {j.id,        j.org_id,          j.state,         j.attempts,          j.next_run_at,
          opt(j.lease_owner), opt(j.lease_expires_at), opt(j.last_error), opt(j.reply_text), opt(j.reply_source),
          opt(j.platform_message_id), j.updated_at, opt(j.finished_at), opt(j.reason_kind)};
}
}  // namespace

void insert(db::Connection& conn, const MessageJob& j) {
  conn.execute(
      "INSERT INTO message_jobs (id, org_id, integration_id, deployment_id, bot_id, event_id, platform, "
      "external_user_id, display_name, external_message_id, reply_to, inbound_text, state, attempts, max_attempts, "
      "next_run_at, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
      {j.id, j.org_id, j.integration_id, opt(j.deployment_id), opt(j.bot_id), j.event_id, j.platform,
       j.external_user_id, j.display_name, j.external_message_id, j.reply_to, j.inbound_text, j.state, j.attempts,
       j.max_attempts, j.next_run_at, j.created_at, j.updated_at});
}

void insert_log(db::Connection& conn, const JobLog& l) { insert_logs(conn, {l}); }

void insert_logs(db::Connection& conn, const std::vector<JobLog>& logs) {
  // A batch's rows go in multi-row statements: one statement's fixed cost for many rows.
  static const db::MultiRowInsert insert(
      "INSERT INTO message_job_logs (id, job_id, org_id, at, worker, kind, from_state, to_state, outcome, "
      "http_status, latency_ms, error)",
      12);
  insert.insert(conn, logs, [](std::vector<db::ValueRef>& p, const JobLog& l) {
    p.insert(p.end(), {l.id, l.job_id, l.org_id, l.at, l.worker, l.kind, db::ref(l.from_state), db::ref(l.to_state),
                       l.outcome, db::ref(l.http_status), db::ref(l.latency_ms), db::ref(l.error)});
  });
}

std::vector<Claimed> claim_batch(db::Connection& conn, const std::string& worker, std::int64_t now,
                                 std::int64_t lease_ms, std::int64_t limit, const std::vector<std::string>& skip_orgs) {
  bool pg = conn.dialect() == db::Dialect::postgres;
  // previous_state = state keeps the old value: the right-hand side reads the row before the update.
  // The inner query walks message_jobs_due_idx in claim order (no sort of the whole backlog).
  // On PostgreSQL its ids become an array first and the update finds them by primary key. With
  // `id IN (subquery) AND state IN (…)` the planner joined the subquery against every waiting job
  // (or read the partial index end to end for the ids), so each claim read the whole backlog:
  // 14–33 ms with a few thousand jobs waiting. The rows the subquery locked (FOR UPDATE rechecks
  // its WHERE on the newest version of a row) are queued or failed, so no second test is needed.
  // skip_orgs goes in as one comma-separated parameter (ids have no commas), tested with LIKE.
  std::string skip;
  for (const auto& org : skip_orgs) skip += (skip.empty() ? "" : ",") + org;
  const std::string due =
      std::string("SELECT id FROM message_jobs WHERE state IN ('queued', 'failed') AND next_run_at <= $3 ") +
      (skip.empty() ? "" : "AND ',' || CAST($5 AS TEXT) || ',' NOT LIKE '%,' || org_id || ',%' ") +
      "ORDER BY next_run_at, id LIMIT $4";
  std::string sql = "UPDATE message_jobs SET previous_state = state, state = 'processing', lease_owner = $1, "
                    "lease_expires_at = $2, updated_at = $3 WHERE " +
                    (pg ? "id = ANY(ARRAY(" + due + " FOR UPDATE SKIP LOCKED))"
                        : "id IN (" + due + ") AND state IN ('queued', 'failed')") +
                    " RETURNING *, CAST('' AS TEXT) AS integration_name, CAST(NULL AS TEXT) AS bot_name";
  std::vector<Claimed> out;
  db::Params params{worker, now + lease_ms, now, limit};
  if (!skip.empty()) params.push_back(skip);
  for (const auto& r : conn.query(sql, params))
    out.push_back({from_row(r), r.text("previous_state")});
  // Claim order, as the platform delivered them (RETURNING does not promise an order).
  std::sort(out.begin(), out.end(), [](const Claimed& a, const Claimed& b) {
    return std::tie(a.job.next_run_at, a.job.id) < std::tie(b.job.next_run_at, b.job.id);
  });
  return out;
}

std::int64_t renew_leases(db::Connection& conn, const std::string& worker, std::int64_t lease_expires_at) {
  return conn.execute(
      "UPDATE message_jobs SET lease_expires_at = $2 WHERE lease_owner = $1 AND state = 'processing'",
      {worker, lease_expires_at});
}

bool update_leased(db::Connection& conn, const MessageJob& j, const std::string& worker,
                   std::optional<std::int64_t> expired_at) {
  static const std::string sql = std::string("UPDATE message_jobs SET ") + kChangeable +
                                 "WHERE id = $1 AND org_id = $2 AND state = 'processing' AND lease_owner = $15";
  db::Params p = changeable(j);
  p.push_back(worker);
  if (!expired_at) return conn.execute(sql, p) == 1;
  p.push_back(*expired_at);
  return conn.execute(sql + " AND lease_expires_at <= $16", p) == 1;
}

bool store_reply(db::Connection& conn, const MessageJob& j, const std::string& worker) {
  return conn.execute("UPDATE message_jobs SET reply_text = $3, reply_source = $4, updated_at = $5 "
                      "WHERE id = $1 AND org_id = $2 AND state = 'processing' AND lease_owner = $6",
                      {j.id, j.org_id, opt(j.reply_text), opt(j.reply_source), j.updated_at, worker}) == 1;
}

bool update_if_state(db::Connection& conn, const MessageJob& j, const std::vector<std::string>& from_states) {
  std::string states;
  for (const auto& s : from_states) states += (states.empty() ? "" : ",") + s;
  db::Params p = changeable(j);
  p.push_back(states);
  return conn.execute(std::string("UPDATE message_jobs SET ") + kChangeable +
                          "WHERE id = $1 AND org_id = $2 AND ',' || CAST($15 AS TEXT) || ',' LIKE '%,' || state || ',%'",
                      p) == 1;
}

std::vector<std::string> mark_sends_started(db::Connection& conn, const std::string& worker,
                                            const std::vector<std::string>& ids, std::int64_t now) {
  std::vector<std::string> out;
  if (ids.empty()) return out;
  // One statement for the round: the ids as placeholders ($3…), one statement text per count.
  std::string sql = "UPDATE message_jobs SET send_attempt = attempts + 1, send_started_at = $2 "
                    "WHERE lease_owner = $1 AND state = 'processing' AND id IN (";
  db::Params params{worker, now};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    sql += (i ? ", $" : "$") + std::to_string(i + 3);
    params.push_back(ids[i]);
  }
  sql += ") RETURNING id";
  for (const auto& r : conn.query(sql, params)) out.push_back(r.text("id"));
  return out;
}

void forget_send(db::Connection& conn, const std::string& org_id, const std::string& id) {
  conn.execute("UPDATE message_jobs SET send_attempt = NULL, send_started_at = NULL WHERE org_id = $1 AND id = $2",
               {org_id, id});
}

bool rescue(db::Connection& conn, const MessageJob& j, const std::string& owner, bool in_doubt,
            std::int64_t add_attempts) {
  // The condition on the send mark is read again under the row's lock (PostgreSQL re-checks the
  // WHERE of an UPDATE on the newest row version), so a mark committed meanwhile is not missed.
  std::string sql =
      "UPDATE message_jobs SET state = $3, attempts = attempts + $4, next_run_at = $5, lease_owner = NULL, "
      "lease_expires_at = NULL, last_error = $6, reason_kind = $7, finished_at = $8, updated_at = $9 "
      "WHERE id = $1 AND org_id = $2 AND state = 'processing' AND lease_owner = $10 AND ";
  sql += in_doubt ? "send_attempt > attempts" : "(send_attempt IS NULL OR send_attempt <= attempts)";
  return conn.execute(sql, {j.id, j.org_id, j.state, add_attempts, j.next_run_at, opt(j.last_error),
                            opt(j.reason_kind), opt(j.finished_at), j.updated_at, owner}) == 1;
}

std::vector<MessageJob> processing_of(db::Connection& conn, const std::string& process_id, std::int64_t limit) {
  std::vector<MessageJob> out;
  // A prefix test without LIKE (host names may hold _ or %).
  for (const auto& r : conn.query(std::string(kColumns) +
                                      "WHERE j.state = 'processing' AND "
                                      "substr(j.lease_owner, 1, length(CAST($1 AS TEXT)) + 1) = CAST($1 AS TEXT) || '/' "
                                      "ORDER BY j.id LIMIT $2",
                                  {process_id, limit}))
    out.push_back(from_row(r));
  return out;
}

void heartbeat(db::Connection& conn, const std::string& process_id, std::int64_t now) {
  conn.execute("INSERT INTO processes (id, started_at, last_seen) VALUES ($1, $2, $2) "
               "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen",
               {process_id, now});
}

void remove_process(db::Connection& conn, const std::string& process_id) {
  conn.execute("DELETE FROM processes WHERE id = $1", {process_id});
}

std::vector<std::string> processes_seen_since(db::Connection& conn, std::int64_t since) {
  std::vector<std::string> out;
  for (const auto& r : conn.query("SELECT id FROM processes WHERE last_seen >= $1", {since})) out.push_back(r.text("id"));
  return out;
}

std::vector<std::string> processes_silent_since(db::Connection& conn, std::int64_t since) {
  std::vector<std::string> out;
  for (const auto& r : conn.query("SELECT id FROM processes WHERE last_seen < $1 ORDER BY last_seen LIMIT 100", {since}))
    out.push_back(r.text("id"));
  return out;
}

void forget_process(db::Connection& conn, const std::string& process_id, std::int64_t since) {
  conn.execute("DELETE FROM processes WHERE id = $1 AND last_seen < $2", {process_id, since});
}

std::optional<MessageJob> find(db::Connection& conn, const std::string& org_id, const std::string& id) {
  auto r = conn.query_one(std::string(kColumns) + "WHERE j.org_id = $1 AND j.id = $2", {org_id, id});
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::optional<MessageJob> find_any(db::Connection& conn, const std::string& id) {
  auto r = conn.query_one(std::string(kColumns) + "WHERE j.id = $1", {id});
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::vector<JobLog> logs(db::Connection& conn, const std::string& org_id, const std::string& job_id) {
  std::vector<JobLog> out;
  for (const auto& r : conn.query("SELECT * FROM message_job_logs WHERE org_id = $1 AND job_id = $2 ORDER BY at, id",
                                  {org_id, job_id}))
    out.push_back(log_from_row(r));
  return out;
}

JobPage list(db::Connection& conn, const std::string& org_id, const JobFilter& filter, std::int64_t limit,
             const std::optional<std::string>& cursor) {
  JobPage page;
  db::Params params = filter_params(org_id, filter);
  auto total = conn.query_one(std::string("SELECT COUNT(*) AS n FROM message_jobs j ") + kFilter, params);
  page.total = total ? total->integer("n") : 0;
  // The cursor is "<created_at>:<id>" of the last row seen; rows come newest first.
  std::optional<std::int64_t> before_at;
  std::optional<std::string> before_id;
  if (cursor) {
    auto colon = cursor->find(':');
    if (colon != std::string::npos && colon > 0 &&
        cursor->substr(0, colon).find_first_not_of("0123456789") == std::string::npos && colon < 19) {
      before_at = std::stoll(cursor->substr(0, colon));
      before_id = cursor->substr(colon + 1);
    }
  }
  params.push_back(opt(before_at));
  params.push_back(opt(before_id));
  params.push_back(limit + 1);
  auto rows = conn.query(std::string(kColumns) + kFilter +
                             "AND (CAST($10 AS BIGINT) IS NULL OR j.created_at < $10 OR (j.created_at = $10 AND j.id < $11)) "
                             "ORDER BY j.created_at DESC, j.id DESC LIMIT $12",
                         params);
  for (const auto& r : rows) page.items.push_back(from_row(r));
  if (static_cast<std::int64_t>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next_cursor = std::to_string(page.items.back().created_at) + ":" + page.items.back().id;
  }
  return page;
}

std::vector<MessageJob> all_matching(db::Connection& conn, const std::string& org_id, const JobFilter& filter,
                                     std::int64_t limit) {
  db::Params params = filter_params(org_id, filter);
  params.push_back(limit);
  std::vector<MessageJob> out;
  for (const auto& r : conn.query(std::string(kColumns) + kFilter + "ORDER BY j.created_at DESC, j.id DESC LIMIT $10", params))
    out.push_back(from_row(r));
  return out;
}

std::vector<MessageJob> expired_leases(db::Connection& conn, std::int64_t now, std::int64_t limit) {
  std::vector<MessageJob> out;
  for (const auto& r : conn.query(std::string(kColumns) +
                                      "WHERE j.state = 'processing' AND j.lease_expires_at < $1 "
                                      "ORDER BY j.lease_expires_at LIMIT $2",
                                  {now, limit}))
    out.push_back(from_row(r));
  return out;
}

std::int64_t pending_count(db::Connection& conn) {
  // Two counts, each over its partial index (there is no index on state alone).
  auto r = conn.query_one(
      "SELECT (SELECT COUNT(*) FROM message_jobs WHERE state IN ('queued', 'failed')) + "
      "(SELECT COUNT(*) FROM message_jobs WHERE state = 'processing') AS n");
  return r ? r->integer("n") : 0;
}

JobStats stats(db::Connection& conn, const std::string& org_id, std::int64_t now) {
  JobStats s;
  for (const char* state : {"queued", "processing", "succeeded", "failed", "dead", "cancelled", "skipped", "in_doubt"})
    s.counts[state] = 0;
  for (const auto& r : conn.query("SELECT state, COUNT(*) AS n FROM message_jobs WHERE org_id = $1 GROUP BY state", {org_id}))
    s.counts[r.text("state")] = r.integer("n");
  std::int64_t since = now - 3600 * 1000;
  std::map<std::int64_t, JobStats::Minute> minutes;
  for (const auto& r : conn.query("SELECT created_at / 60000 AS minute, COUNT(*) AS n FROM message_jobs "
                                  "WHERE org_id = $1 AND created_at >= $2 GROUP BY created_at / 60000",
                                  {org_id, since})) {
    auto& m = minutes[r.integer("minute")];
    m.received = r.integer("n");
    s.received += m.received;
  }
  std::vector<std::int64_t> latencies;
  for (const auto& r : conn.query("SELECT state, finished_at, created_at, updated_at FROM message_jobs "
                                  "WHERE org_id = $1 AND updated_at >= $2 AND state IN ('succeeded', 'failed', 'dead', 'skipped')",
                                  {org_id, since})) {
    std::string state = r.text("state");
    auto& m = minutes[r.integer("updated_at") / 60000];
    if (state == "succeeded") {
      ++s.succeeded;
      ++m.succeeded;
      latencies.push_back(r.integer("finished_at") - r.integer("created_at"));
    } else if (state == "skipped") {
      ++s.skipped;  // answered with the over-quota notice: neither a reply nor a failure
    } else {
      ++m.failed;
      ++(state == "dead" ? s.dead : s.failed);
    }
  }
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) -> std::optional<std::int64_t> {
    if (latencies.empty()) return std::nullopt;
    auto i = static_cast<std::size_t>(p * static_cast<double>(latencies.size() - 1) + 0.5);
    return latencies[std::min(i, latencies.size() - 1)];
  };
  s.p50_ms = pct(0.50);
  s.p95_ms = pct(0.95);
  for (std::int64_t m = since / 60000 + 1; m <= now / 60000; ++m) {
    auto it = minutes.find(m);
    JobStats::Minute out = it == minutes.end() ? JobStats::Minute{} : it->second;
    out.minute = m * 60000;
    s.per_minute.push_back(out);
  }
  return s;
}

void insert_with_reply(db::Connection& conn, const MessageJob& j) {
  conn.execute(
      "INSERT INTO message_jobs (id, org_id, integration_id, deployment_id, bot_id, event_id, platform, "
      "external_user_id, display_name, external_message_id, reply_to, inbound_text, state, attempts, max_attempts, "
      "next_run_at, created_at, updated_at, reply_text, reply_source) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
      {j.id, j.org_id, j.integration_id, opt(j.deployment_id), opt(j.bot_id), j.event_id, j.platform,
       j.external_user_id, j.display_name, j.external_message_id, j.reply_to, j.inbound_text, j.state, j.attempts,
       j.max_attempts, j.next_run_at, j.created_at, j.updated_at, opt(j.reply_text), opt(j.reply_source)});
}

}  // namespace sb::jobs::store
