// Analytics rollup SQL.
#include "analytics/store.hpp"

#include <algorithm>
#include <tuple>

namespace sb::analytics::store {

const std::array<const char*, kCounterCount> kCounterNames = {
    "conversations", "engaged",     "resolved",     "converted",       "handoffs",         "first_responses",
    "first_response_ms_sum", "rating_asked", "ratings", "rating_sum",  "rating_1",         "rating_2",
    "rating_3",      "rating_4",    "rating_5",     "messages_in",     "messages_out",     "ai_replies",
    "template_replies", "fallback_replies", "ai_tokens", "ai_cost_micros"};

namespace {

constexpr const char* kKeyColumns = "org_id, hour, bot_id, platform, deployment_id";

// INSERT … ON CONFLICT DO UPDATE adding every counter: one statement text, prepared once.
const std::string& add_counters_sql() {
  static const std::string sql = [] {
    std::string cols = kKeyColumns, values = "$1, $2, $3, $4, $5", set;
    for (int i = 0; i < kCounterCount; ++i) {
      cols += std::string(", ") + kCounterNames[i];
      values += ", $" + std::to_string(6 + i);
      if (i) set += ", ";
      set += std::string(kCounterNames[i]) + " = analytics_hourly." + kCounterNames[i] + " + excluded." + kCounterNames[i];
    }
    return "INSERT INTO analytics_hourly (" + cols + ") VALUES (" + values + ") ON CONFLICT (" + kKeyColumns +
           ") DO UPDATE SET " + set;
  }();
  return sql;
}

db::Params key_params(const RowKey& k) { return {k.org_id, k.hour, k.bot_id, k.platform, k.deployment_id}; }

// The WHERE of a range read, binding into params (which start with org, start, end).
std::string where(const Filters& f, db::Params& params, bool with_template = false) {
  std::string out = "org_id = $1 AND hour >= $2 AND hour < $3";
  auto bind = [&params](const std::string& v) {
    params.push_back(v);
    return "$" + std::to_string(params.size());
  };
  if (f.bot_id) out += " AND bot_id = " + bind(*f.bot_id);
  if (f.platform) out += " AND platform = " + bind(*f.platform);
  if (f.deployment_id) out += " AND deployment_id = " + bind(*f.deployment_id);
  if (with_template && f.template_id) out += " AND template_id = " + bind(*f.template_id);
  return out;
}

std::string group_expr(Group g, std::int64_t split = 0) {
  switch (g) {
    case Group::period: return "CASE WHEN hour >= " + std::to_string(split) + " THEN 'c' ELSE 'p' END";
    case Group::none: return "''";
    // The bare column: SQLite then groups in the primary key's order, without a sorter (CAST
    // made it sort every row; values arrive as text either way).
    case Group::hour: return "hour";
    case Group::bot: return "bot_id";
    case Group::platform: return "platform";
    case Group::deployment: return "deployment_id";
  }
  return "''";
}

}  // namespace

void add_counters(db::Connection& conn, const RowKey& key, const Counters& add) {
  db::Params p = key_params(key);
  p.reserve(5 + kCounterCount);
  for (auto v : add) p.push_back(v);
  conn.execute(add_counters_sql(), p);
}

void add_histogram(db::Connection& conn, const RowKey& key, const std::array<std::int64_t, 256>& add) {
  const bool pg = conn.dialect() == db::Dialect::postgres;
  db::Params p = key_params(key);
  p.push_back(histogram_serialize(add));
  // An hour's first row is one statement; later ones read, add and write back. On PostgreSQL an
  // insert racing with ours waits for it and the row is then locked before it is read, so two
  // transactions cannot both add to the same old value.
  if (conn.execute("INSERT INTO analytics_first_response_hourly (org_id, hour, bot_id, platform, deployment_id, "
                   "buckets) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                   p) > 0)
    return;
  p.pop_back();
  auto r = conn.query_one(std::string("SELECT buckets FROM analytics_first_response_hourly WHERE org_id = $1 AND "
                                      "hour = $2 AND bot_id = $3 AND platform = $4 AND deployment_id = $5") +
                              (pg ? " FOR UPDATE" : ""),
                          p);
  std::array<std::int64_t, 256> merged = add;
  if (r) histogram_add_serialized(merged, r->text("buckets"));
  p.push_back(histogram_serialize(merged));
  conn.execute("UPDATE analytics_first_response_hourly SET buckets = $6 WHERE org_id = $1 AND hour = $2 AND "
               "bot_id = $3 AND platform = $4 AND deployment_id = $5",
               p);
}

void add_template(db::Connection& conn, const RowKey& key, const std::string& template_id, std::int64_t n) {
  db::Params p = key_params(key);
  p.push_back(template_id);
  p.push_back(n);
  conn.execute(
      "INSERT INTO analytics_templates_hourly (org_id, hour, bot_id, platform, deployment_id, template_id, uses) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, hour, bot_id, platform, deployment_id, template_id) "
      "DO UPDATE SET uses = analytics_templates_hourly.uses + excluded.uses",
      p);
}

void add_unanswered(db::Connection& conn, const RowKey& key, const std::string& question, std::int64_t n) {
  db::Params p = key_params(key);
  p.push_back(question);
  p.push_back(n);
  conn.execute(
      "INSERT INTO analytics_unanswered_hourly (org_id, hour, bot_id, platform, deployment_id, question, n) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, hour, bot_id, platform, deployment_id, question) "
      "DO UPDATE SET n = analytics_unanswered_hourly.n + excluded.n",
      p);
}

void merge_users(db::Connection& conn, const RowKey& key, const Sketch& users) {
  const bool pg = conn.dialect() == db::Dialect::postgres;
  db::Params p = key_params(key);
  Sketch merged;
  if (pg) {
    // The row exists and is locked before it is read, so two transactions cannot both merge into
    // the same old sketch and lose one of the users.
    conn.execute(
        "INSERT INTO analytics_users_hourly (org_id, hour, bot_id, platform, deployment_id, sketch) "
        "VALUES ($1, $2, $3, $4, $5, decode('45', 'hex')) ON CONFLICT DO NOTHING",
        p);
    auto r = conn.query_one(
        "SELECT convert_from(sketch, 'UTF8') AS sketch FROM analytics_users_hourly WHERE org_id = $1 AND hour = $2 "
        "AND bot_id = $3 AND platform = $4 AND deployment_id = $5 FOR UPDATE",
        p);
    if (r) merged = Sketch::parse(r->text("sketch"));
  } else {
    auto r = conn.query_one(
        "SELECT CAST(sketch AS TEXT) AS sketch FROM analytics_users_hourly WHERE org_id = $1 AND hour = $2 "
        "AND bot_id = $3 AND platform = $4 AND deployment_id = $5",
        p);
    if (r) merged = Sketch::parse(r->text("sketch"));
  }
  merged.merge(users);
  p.push_back(merged.serialize());
  conn.execute(pg ? "INSERT INTO analytics_users_hourly (org_id, hour, bot_id, platform, deployment_id, sketch) "
                    "VALUES ($1, $2, $3, $4, $5, convert_to($6, 'UTF8')) ON CONFLICT (org_id, hour, bot_id, platform, "
                    "deployment_id) DO UPDATE SET sketch = excluded.sketch"
                  : "INSERT INTO analytics_users_hourly (org_id, hour, bot_id, platform, deployment_id, sketch) "
                    "VALUES ($1, $2, $3, $4, $5, CAST($6 AS BLOB)) ON CONFLICT (org_id, hour, bot_id, platform, "
                    "deployment_id) DO UPDATE SET sketch = excluded.sketch",
               p);
}

std::map<std::string, Partial> read(db::Connection& conn, const std::string& org_id, std::int64_t start,
                                    std::int64_t end, const Filters& filters, Group group, unsigned need,
                                    std::int64_t split) {
  std::map<std::string, Partial> out;
  const std::string g = group_expr(group, split);
  if (need & need_counters) {
    // SQLite sorts the rows of any GROUP BY that does not follow the primary key (the periods'
    // CASE) in a temporary b-tree; there the two periods are two plain range sums instead, about
    // half the CPU of the one grouped pass (ADR 0037 part H). PostgreSQL hashes: one pass.
    std::vector<std::tuple<std::int64_t, std::int64_t, Group, std::string>> passes;
    if (group == Group::period && conn.dialect() == db::Dialect::sqlite)
      passes = {{start, std::max(start, std::min(split, end)), Group::none, "p"},
                {std::max(start, std::min(split, end)), end, Group::none, "c"}};
    else
      passes = {{start, end, group, ""}};
    for (const auto& [from, to, by, name] : passes) {
      if (from >= to && !name.empty()) continue;
      db::Params p{org_id, from, to};
      const std::string expr = group_expr(by, split);
      std::string sql = "SELECT " + expr + " AS g";
      for (auto column : kCounterNames) sql += std::string(", SUM(") + column + ") AS " + column;
      sql += " FROM analytics_hourly WHERE " + where(filters, p);
      // PostgreSQL refuses a constant in GROUP BY: no group, no clause (one row of sums).
      if (by != Group::none) sql += " GROUP BY " + expr;
      for (const auto& r : conn.query(sql, p)) {
        auto& part = out[name.empty() ? r.text("g") : name];
        for (int i = 0; i < kCounterCount; ++i) part.counters[i] += r.integer(kCounterNames[i]);
      }
    }
  }
  if (need & need_histogram) {
    // One row per hour holding every bucket (migration 0027), added up here in both dialects.
    db::Params p{org_id, start, end};
    std::string sql = "SELECT " + g + " AS g, buckets FROM analytics_first_response_hourly WHERE " + where(filters, p);
    for (const auto& r : conn.query(sql, p)) histogram_add_serialized(out[r.text("g")].histogram, r.text("buckets"));
  }
  if (need & need_users) {
    db::Params p{org_id, start, end};
    const char* text = conn.dialect() == db::Dialect::postgres ? "convert_from(sketch, 'UTF8')" : "CAST(sketch AS TEXT)";
    std::string sql = "SELECT " + g + " AS g, " + text + " AS sketch FROM analytics_users_hourly WHERE " + where(filters, p);
    // Linear merge: registers maxed straight from the text, exact hashes sorted once per group.
    std::map<std::string, SketchMerger> users;
    for (const auto& r : conn.query(sql, p)) users[r.text("g")].add_serialized(r.text("sketch"));
    for (auto& [key, merger] : users) out[key].users = merger.finish();
  }
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> template_uses(db::Connection& conn, const std::string& org_id,
                                                                std::int64_t start, std::int64_t end,
                                                                const Filters& filters, Group group,
                                                                std::map<std::string, std::int64_t>* by_group) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  db::Params p{org_id, start, end};
  const std::string g = group_expr(group);
  std::string sql = "SELECT template_id, " + g + " AS g, SUM(uses) AS uses FROM analytics_templates_hourly WHERE " +
                    where(filters, p, true) + " GROUP BY template_id" + (group != Group::none ? ", " + g : "");
  std::map<std::string, std::int64_t> per_template;
  for (const auto& r : conn.query(sql, p)) {
    per_template[r.text("template_id")] += r.integer("uses");
    if (by_group) (*by_group)[r.text("g")] += r.integer("uses");
  }
  out.assign(per_template.begin(), per_template.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> unanswered(db::Connection& conn, const std::string& org_id,
                                                             std::int64_t start, std::int64_t end,
                                                             const Filters& filters, std::int64_t limit) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  db::Params p{org_id, start, end};
  std::string sql = "SELECT question, SUM(n) AS n FROM analytics_unanswered_hourly WHERE " + where(filters, p) +
                    " GROUP BY question ORDER BY SUM(n) DESC, question LIMIT " + std::to_string(limit);
  for (const auto& r : conn.query(sql, p)) out.emplace_back(r.text("question"), r.integer("n"));
  return out;
}

void delete_org(db::Connection& conn, const std::string& org_id) {
  for (const char* table : {"analytics_hourly", "analytics_users_hourly", "analytics_first_response_hourly",
                            "analytics_templates_hourly", "analytics_unanswered_hourly"})
    conn.execute(std::string("DELETE FROM ") + table + " WHERE org_id = $1", {org_id});
}

std::int64_t delete_unanswered_before(db::Connection& conn, const std::string& org_id, std::int64_t before) {
  return conn.execute("DELETE FROM analytics_unanswered_hourly WHERE org_id = $1 AND hour < $2", {org_id, before});
}

bool org_exists(db::Connection& conn, const std::string& org_id) {
  return conn.query_one("SELECT id FROM organizations WHERE id = $1", {org_id}).has_value();
}

std::string org_time_zone(db::Connection& conn, const std::string& org_id) {
  auto r = conn.query_one("SELECT time_zone FROM organizations WHERE id = $1", {org_id});
  return r ? r->text("time_zone") : "UTC";
}

}  // namespace sb::analytics::store

namespace sb::analytics::store {
std::map<std::string, std::string> names(db::Connection& conn, const std::string& org_id, const std::string& of) {
  std::map<std::string, std::string> out;
  std::string sql;
  if (of == "bot") sql = "SELECT id, name FROM bots WHERE org_id = $1";
  else if (of == "deployment")
    sql = "SELECT d.id AS id, b.name || ' · ' || d.channel AS name FROM deployments d JOIN bots b ON b.id = d.bot_id "
          "WHERE d.org_id = $1";
  else if (of == "template") sql = "SELECT id, name FROM templates WHERE org_id = $1";
  else return out;
  for (const auto& r : conn.query(sql, {org_id})) out[r.text("id")] = r.text("name");
  return out;
}
}  // namespace sb::analytics::store
