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

const char* suffix(Level l) { return l == Level::hourly ? "hourly" : "daily"; }
const char* time_col(Level l) { return l == Level::hourly ? "hour" : "day"; }
// "analytics_users_" + level → analytics_users_hourly / analytics_users_daily.
std::string table(const char* prefix, Level l) { return std::string(prefix) + suffix(l); }
std::string key_columns(Level l) { return std::string("org_id, ") + time_col(l) + ", bot_id, platform, deployment_id"; }

// INSERT … ON CONFLICT DO UPDATE adding every counter: one statement text per level, prepared once.
std::string make_add_counters_sql(Level l) {
  const std::string t = table("analytics_", l), keys = key_columns(l);
  std::string cols = keys, values = "$1, $2, $3, $4, $5", set;
  for (int i = 0; i < kCounterCount; ++i) {
    cols += std::string(", ") + kCounterNames[i];
    values += ", $" + std::to_string(6 + i);
    if (i) set += ", ";
    set += std::string(kCounterNames[i]) + " = " + t + "." + kCounterNames[i] + " + excluded." + kCounterNames[i];
  }
  return "INSERT INTO " + t + " (" + cols + ") VALUES (" + values + ") ON CONFLICT (" + keys + ") DO UPDATE SET " + set;
}
const std::string& add_counters_sql(Level l) {
  static const std::string hourly = make_add_counters_sql(Level::hourly), daily = make_add_counters_sql(Level::daily);
  return l == Level::hourly ? hourly : daily;
}

db::Params key_params(const RowKey& k) { return {k.org_id, k.hour, k.bot_id, k.platform, k.deployment_id}; }
std::string key_where(Level l) {
  return std::string("org_id = $1 AND ") + time_col(l) + " = $2 AND bot_id = $3 AND platform = $4 AND deployment_id = $5";
}

// Adds v to params; returns its placeholder.
std::string bind_param(db::Params& params, db::Value v) {
  params.push_back(std::move(v));
  return "$" + std::to_string(params.size());
}

// "$1, $2, …, $n, ": the placeholders of n leading parameters.
std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 1; i <= n; ++i) out += "$" + std::to_string(i) + ", ";
  return out;
}

// " AND …" for the bot, platform and deployment filters (and the template's), binding into params.
std::string filter_clause(const Filters& f, db::Params& params, bool with_template = false) {
  std::string out;
  if (f.bot_id) out += " AND bot_id = " + bind_param(params, *f.bot_id);
  if (f.platform) out += " AND platform = " + bind_param(params, *f.platform);
  if (f.deployment_id) out += " AND deployment_id = " + bind_param(params, *f.deployment_id);
  if (with_template && f.template_id) out += " AND template_id = " + bind_param(params, *f.template_id);
  return out;
}

// The WHERE of a range read over [from, to) of one level, binding into params (which start with
// the organisation as $1).
std::string where(Level l, std::int64_t from, std::int64_t to, const Filters& f, db::Params& params,
                  bool with_template = false) {
  const std::string col = time_col(l);
  std::string out = "org_id = $1 AND " + col + " >= " + bind_param(params, from);
  out += " AND " + col + " < " + bind_param(params, to);
  return out + filter_clause(f, params, with_template);
}

std::string group_expr(Group g, Level l) {
  switch (g) {
    case Group::period:
    case Group::none: return "''";
    // The bare column: SQLite then groups in the primary key's order, without a sorter (CAST
    // made it sort every row; values arrive as text either way).
    case Group::hour:
    case Group::hour_or_day: return time_col(l);
    case Group::bot: return "bot_id";
    case Group::platform: return "platform";
    case Group::deployment: return "deployment_id";
  }
  return "''";
}

// One piece of a range read: [from, to) on one level.
struct Segment {
  Level level;
  std::int64_t from, to;
};

std::int64_t ceil_day(std::int64_t ms) { return day_of(ms) == ms ? ms : day_of(ms) + kDayMs; }

// [start, end) as the whole UTC days inside it below the watermark (daily) and the hours at its
// edges (hourly).
std::vector<Segment> segments(std::int64_t start, std::int64_t end, std::int64_t until) {
  if (start >= end) return {};
  const std::int64_t d0 = ceil_day(start), d1 = std::min(day_of(end), until);
  if (d1 <= d0) return {{Level::hourly, start, end}};
  std::vector<Segment> out;
  if (start < d0) out.push_back({Level::hourly, start, d0});
  out.push_back({Level::daily, d0, d1});
  if (d1 < end) out.push_back({Level::hourly, d1, end});
  return out;
}

std::vector<Segment> segments_of(db::Connection& conn, const std::string& org_id, std::int64_t start, std::int64_t end,
                                 Group group) {
  if (group == Group::hour) return start < end ? std::vector<Segment>{{Level::hourly, start, end}} : std::vector<Segment>{};
  return segments(start, end, daily_until(conn, org_id));
}

const char* sketch_text(db::Connection& conn) {
  return conn.dialect() == db::Dialect::postgres ? "convert_from(sketch, 'UTF8')" : "CAST(sketch AS TEXT)";
}

}  // namespace

std::optional<std::size_t> span_of(const Spans& spans, std::int64_t at) {
  auto it = std::upper_bound(spans.begin(), spans.end(), at,
                             [](std::int64_t v, const std::pair<std::int64_t, std::int64_t>& p) { return v < p.first; });
  if (it == spans.begin()) return std::nullopt;
  --it;
  if (at >= it->second) return std::nullopt;
  return static_cast<std::size_t>(it - spans.begin());
}

std::int64_t day_of(std::int64_t ms) { return ms - ((ms % kDayMs) + kDayMs) % kDayMs; }

void add_counters(db::Connection& conn, const RowKey& key, const Counters& add, Level level) {
  db::Params p = key_params(key);
  p.reserve(5 + kCounterCount);
  for (auto v : add) p.push_back(v);
  conn.execute(add_counters_sql(level), p);
}

void add_histogram(db::Connection& conn, const RowKey& key, const std::array<std::int64_t, 256>& add, Level level) {
  const bool pg = conn.dialect() == db::Dialect::postgres;
  const std::string t = table("analytics_first_response_", level);
  db::Params p = key_params(key);
  p.push_back(histogram_serialize(add));
  // An hour's first row is one statement; later ones read, add and write back. On PostgreSQL an
  // insert racing with ours waits for it and the row is then locked before it is read, so two
  // transactions cannot both add to the same old value.
  if (conn.execute("INSERT INTO " + t + " (" + key_columns(level) + ", buckets) VALUES ($1, $2, $3, $4, $5, $6) "
                   "ON CONFLICT DO NOTHING",
                   p) > 0)
    return;
  p.pop_back();
  auto r = conn.query_one("SELECT buckets FROM " + t + " WHERE " + key_where(level) + (pg ? " FOR UPDATE" : ""), p);
  std::array<std::int64_t, 256> merged = add;
  if (r) histogram_add_serialized(merged, r->text("buckets"));
  p.push_back(histogram_serialize(merged));
  conn.execute("UPDATE " + t + " SET buckets = $6 WHERE " + key_where(level), p);
}

void add_template(db::Connection& conn, const RowKey& key, const std::string& template_id, std::int64_t n, Level level) {
  const std::string t = table("analytics_templates_", level);
  db::Params p = key_params(key);
  p.push_back(template_id);
  p.push_back(n);
  conn.execute("INSERT INTO " + t + " (" + key_columns(level) + ", template_id, uses) VALUES ($1, $2, $3, $4, $5, $6, $7) "
               "ON CONFLICT (" + key_columns(level) + ", template_id) DO UPDATE SET uses = " + t + ".uses + excluded.uses",
               p);
}

void add_unanswered(db::Connection& conn, const RowKey& key, const std::string& question, std::int64_t n, Level level) {
  const std::string t = table("analytics_unanswered_", level);
  db::Params p = key_params(key);
  p.push_back(question);
  p.push_back(n);
  conn.execute("INSERT INTO " + t + " (" + key_columns(level) + ", question, n) VALUES ($1, $2, $3, $4, $5, $6, $7) "
               "ON CONFLICT (" + key_columns(level) + ", question) DO UPDATE SET n = " + t + ".n + excluded.n",
               p);
}

namespace {
// The sketch row of `t` whose key columns `keys` (with `where` over the same parameters) are bound
// by p: written, or read, merged with users and written back.
void write_sketch(db::Connection& conn, const std::string& t, const std::string& keys, db::Params p,
                  const std::string& text) {
  const bool pg = conn.dialect() == db::Dialect::postgres;
  const std::string values = placeholders(p.size());
  p.push_back(text);
  const std::string arg = "$" + std::to_string(p.size());
  conn.execute("INSERT INTO " + t + " (" + keys + ", sketch) VALUES (" + values +
                   (pg ? "convert_to(" + arg + ", 'UTF8')" : "CAST(" + arg + " AS BLOB)") + ") ON CONFLICT (" + keys +
                   ") DO UPDATE SET sketch = excluded.sketch",
               p);
}

void merge_sketch(db::Connection& conn, const std::string& t, const std::string& keys, const std::string& where,
                  const db::Params& p, const Sketch& users) {
  const bool pg = conn.dialect() == db::Dialect::postgres;
  Sketch merged;
  if (pg) {
    // The row exists and is locked before it is read, so two transactions cannot both merge into
    // the same old sketch and lose one of the users.
    conn.execute("INSERT INTO " + t + " (" + keys + ", sketch) VALUES (" + placeholders(p.size()) +
                     "decode('45', 'hex')) ON CONFLICT DO NOTHING",
                 p);
    auto r = conn.query_one("SELECT convert_from(sketch, 'UTF8') AS sketch FROM " + t + " WHERE " + where + " FOR UPDATE", p);
    if (r) merged = Sketch::parse(r->text("sketch"));
  } else {
    auto r = conn.query_one("SELECT CAST(sketch AS TEXT) AS sketch FROM " + t + " WHERE " + where, p);
    if (r) merged = Sketch::parse(r->text("sketch"));
  }
  merged.merge(users);
  write_sketch(conn, t, keys, p, merged.serialize());
}

constexpr const char* kUsersAll = "analytics_users_daily_all";
constexpr const char* kUsersZone = "analytics_users_zone_daily_all";
}  // namespace

void merge_users(db::Connection& conn, const RowKey& key, const Sketch& users, Level level) {
  merge_sketch(conn, table("analytics_users_", level), key_columns(level), key_where(level), key_params(key), users);
}

void merge_users_all(db::Connection& conn, const std::string& org_id, std::int64_t day, const Sketch& users) {
  merge_sketch(conn, kUsersAll, "org_id, day", "org_id = $1 AND day = $2", {org_id, day}, users);
}

Marks daily_marks(db::Connection& conn, const std::string& org_id, bool share, bool lock) {
  const bool pg = conn.dialect() == db::Dialect::postgres;
  const std::string sql = std::string("SELECT until, zone, zone_until FROM analytics_daily_until WHERE org_id = $1") +
                          (pg && lock ? " FOR UPDATE" : pg && share ? " FOR SHARE" : "");
  auto r = conn.query_one(sql, {org_id});
  if (!r && share && pg) {
    // A row nobody holds cannot make a compaction wait: create it (an insert racing with the
    // compaction's waits for it), then hold it.
    ensure_daily_until(conn, org_id);
    r = conn.query_one(sql, {org_id});
  }
  Marks m;
  if (r) {
    m.until = r->integer("until");
    m.zone = r->text("zone");
    m.zone_until = r->integer("zone_until");
  }
  return m;
}

std::int64_t daily_until(db::Connection& conn, const std::string& org_id, bool share) {
  return daily_marks(conn, org_id, share).until;
}

void ensure_daily_until(db::Connection& conn, const std::string& org_id) {
  conn.execute("INSERT INTO analytics_daily_until (org_id, until) VALUES ($1, 0) ON CONFLICT DO NOTHING", {org_id});
}

std::int64_t lock_daily_until(db::Connection& conn, const std::string& org_id) {
  return daily_marks(conn, org_id, false, true).until;
}

void reset_zone_days(db::Connection& conn, const std::string& org_id, const std::string& zone) {
  conn.execute(std::string("DELETE FROM ") + kUsersZone + " WHERE org_id = $1", {org_id});
  conn.execute("UPDATE analytics_daily_until SET zone = $2, zone_until = 0 WHERE org_id = $1", {org_id, zone});
}

void fill_zone_day(db::Connection& conn, const std::string& org_id, std::int64_t from, std::int64_t to) {
  SketchMerger users;
  bool any = false;
  for (const auto& r : conn.query(std::string("SELECT ") + sketch_text(conn) +
                                      " AS sketch FROM analytics_users_hourly WHERE org_id = $1 AND hour >= $2 AND hour < $3",
                                  {org_id, from, to})) {
    users.add_serialized(r.text("sketch"));
    any = true;
  }
  conn.execute(std::string("DELETE FROM ") + kUsersZone + " WHERE org_id = $1 AND day = $2", {org_id, from});
  if (any) write_sketch(conn, kUsersZone, "org_id, day", {org_id, from}, users.finish().serialize());
}

void set_zone_until(db::Connection& conn, const std::string& org_id, std::int64_t zone_until) {
  conn.execute("UPDATE analytics_daily_until SET zone_until = $2 WHERE org_id = $1", {org_id, zone_until});
}

void merge_users_zone(db::Connection& conn, const std::string& org_id, std::int64_t day, const Sketch& users) {
  merge_sketch(conn, kUsersZone, "org_id, day", "org_id = $1 AND day = $2", {org_id, day}, users);
}

void set_daily_until(db::Connection& conn, const std::string& org_id, std::int64_t until) {
  conn.execute("INSERT INTO analytics_daily_until (org_id, until) VALUES ($1, $2) ON CONFLICT (org_id) DO UPDATE "
               "SET until = excluded.until",
               {org_id, until});
}

std::vector<std::string> orgs_before(db::Connection& conn, std::int64_t until) {
  std::vector<std::string> out;
  // Also those whose zone-day sketches are of another zone or may lag (a local day is 23 to 25
  // hours: one that ends by `until` may follow zone_until while zone_until <= until - 23 h).
  for (const auto& r : conn.query("SELECT o.id AS id FROM organizations o LEFT JOIN analytics_daily_until u ON "
                                  "u.org_id = o.id WHERE u.until IS NULL OR u.until < $1 OR u.zone <> o.time_zone OR "
                                  "(o.time_zone <> 'UTC' AND u.zone_until <= $2) ORDER BY o.id",
                                  {until, until - 23 * 3'600'000}))
    out.push_back(r.text("id"));
  return out;
}

std::optional<std::int64_t> first_hour(db::Connection& conn, const std::string& org_id) {
  // Each table keyed (org, hour, …): MIN is one index probe per table.
  std::optional<std::int64_t> first;
  for (const char* t : {"analytics_hourly", "analytics_users_hourly", "analytics_first_response_hourly",
                        "analytics_templates_hourly", "analytics_unanswered_hourly"}) {
    auto r = conn.query_one(std::string("SELECT MIN(hour) AS h FROM ") + t + " WHERE org_id = $1", {org_id});
    if (auto h = r ? r->opt_integer("h") : std::nullopt) first = first ? std::min(*first, *h) : *h;
  }
  return first;
}

void fill_days(db::Connection& conn, const std::string& org_id, std::int64_t from, std::int64_t to) {
  const db::Params range{org_id, from, to};
  for (const char* prefix : {"analytics_", "analytics_users_", "analytics_first_response_", "analytics_templates_",
                             "analytics_unanswered_"})
    conn.execute("DELETE FROM " + table(prefix, Level::daily) + " WHERE org_id = $1 AND day >= $2 AND day < $3", range);
  conn.execute(std::string("DELETE FROM ") + kUsersAll + " WHERE org_id = $1 AND day >= $2 AND day < $3", range);
  const std::string day = "hour - hour % " + std::to_string(kDayMs);
  const std::string in = " WHERE org_id = $1 AND hour >= $2 AND hour < $3";
  const std::string by = " GROUP BY org_id, " + day + ", bot_id, platform, deployment_id";
  // Counters, template uses and questions: sums in SQL.
  std::string cols, sums;
  for (auto c : kCounterNames) {
    cols += std::string(", ") + c;
    sums += std::string(", SUM(") + c + ")";
  }
  conn.execute("INSERT INTO analytics_daily (" + key_columns(Level::daily) + cols + ") SELECT org_id, " + day +
                   ", bot_id, platform, deployment_id" + sums + " FROM analytics_hourly" + in + by,
               range);
  conn.execute("INSERT INTO analytics_templates_daily (" + key_columns(Level::daily) + ", template_id, uses) SELECT "
                   "org_id, " + day + ", bot_id, platform, deployment_id, template_id, SUM(uses) FROM "
                   "analytics_templates_hourly" + in + by + ", template_id",
               range);
  conn.execute("INSERT INTO analytics_unanswered_daily (" + key_columns(Level::daily) + ", question, n) SELECT "
                   "org_id, " + day + ", bot_id, platform, deployment_id, question, SUM(n) FROM "
                   "analytics_unanswered_hourly" + in + by + ", question",
               range);
  // Histograms and sketches: merged here, in the same text the recorder writes.
  auto key_of_row = [&](const db::Row& r) {
    return RowKey{org_id, day_of(r.integer("hour")), r.text("bot_id"), r.text("platform"), r.text("deployment_id")};
  };
  std::map<RowKey, std::array<std::int64_t, 256>> histograms;
  for (const auto& r : conn.query("SELECT hour, bot_id, platform, deployment_id, buckets FROM "
                                  "analytics_first_response_hourly" + in, range))
    histogram_add_serialized(histograms[key_of_row(r)], r.text("buckets"));
  for (const auto& [key, h] : histograms) {
    db::Params p = key_params(key);
    p.push_back(histogram_serialize(h));
    conn.execute("INSERT INTO analytics_first_response_daily (" + key_columns(Level::daily) +
                     ", buckets) VALUES ($1, $2, $3, $4, $5, $6)",
                 p);
  }
  std::map<RowKey, SketchMerger> users;
  for (const auto& r : conn.query(std::string("SELECT hour, bot_id, platform, deployment_id, ") + sketch_text(conn) +
                                      " AS sketch FROM analytics_users_hourly" + in, range))
    users[key_of_row(r)].add_serialized(r.text("sketch"));
  // Each day's union over its row keys (the all-keys row), then each row key's own sketch.
  std::map<std::int64_t, SketchMerger> all;
  for (auto& [key, merger] : users) {
    Sketch day = merger.finish();
    all[key.hour].add(day);
    write_sketch(conn, table("analytics_users_", Level::daily), key_columns(Level::daily), key_params(key), day.serialize());
  }
  for (auto& [day, merger] : all)
    write_sketch(conn, kUsersAll, "org_id, day", {org_id, day}, merger.finish().serialize());
}

std::map<std::string, Partial> read(db::Connection& conn, const std::string& org_id, std::int64_t start,
                                    std::int64_t end, const Filters& filters, Group group, unsigned need,
                                    std::int64_t split, const Spans* points) {
  std::map<std::string, Partial> out;
  if (group == Group::period) {
    // The two periods of a comparison, each with its own whole days and edges.
    const std::int64_t mid = std::max(start, std::min(split, end));
    auto before = read(conn, org_id, start, mid, filters, Group::none, need);
    auto now = read(conn, org_id, mid, end, filters, Group::none, need);
    if (!before.empty()) out["p"] = std::move(before.begin()->second);
    if (!now.empty()) out["c"] = std::move(now.begin()->second);
    return out;
  }
  const auto segs = segments_of(conn, org_id, start, end, group);
  std::map<std::string, SketchMerger> users;
  // The group a row adds to: its g, or the start of the span holding its hour (null: none).
  const bool by_span = points && (group == Group::hour || group == Group::hour_or_day);
  std::vector<std::string> span_keys;
  if (by_span)
    for (const auto& [from, to] : *points) span_keys.push_back(std::to_string(from));
  std::string g_text;
  auto key_of = [&](const db::Row& r) -> const std::string* {
    if (!by_span) {
      g_text = r.text("g");
      return &g_text;
    }
    auto i = span_of(*points, r.integer("g"));
    return i ? &span_keys[*i] : nullptr;
  };
  for (const auto& seg : segs) {
    const std::string g = group_expr(group, seg.level);
    if (need & need_counters) {
      db::Params p{org_id};
      std::string sql = "SELECT " + g + " AS g";
      for (auto column : kCounterNames) sql += std::string(", SUM(") + column + ") AS " + column;
      sql += " FROM " + table("analytics_", seg.level) + " WHERE " + where(seg.level, seg.from, seg.to, filters, p);
      // PostgreSQL refuses a constant in GROUP BY: no group, no clause (one row of sums).
      if (group != Group::none) sql += " GROUP BY " + g;
      for (const auto& r : conn.query(sql, p)) {
        // SUM over no rows is one row of nulls: no group.
        if (group == Group::none && !r.opt_integer(kCounterNames[0])) continue;
        const std::string* k = key_of(r);
        if (!k) continue;
        auto& part = out[*k];
        for (int i = 0; i < kCounterCount; ++i) part.counters[i] += r.integer(kCounterNames[i]);
      }
    }
    if (need & need_histogram) {
      // One row per hour (or day) holding every bucket (migration 0027), added up here.
      db::Params p{org_id};
      std::string sql = "SELECT " + g + " AS g, buckets FROM " + table("analytics_first_response_", seg.level) +
                        " WHERE " + where(seg.level, seg.from, seg.to, filters, p);
      for (const auto& r : conn.query(sql, p))
        if (const std::string* k = key_of(r)) histogram_add_serialized(out[*k].histogram, r.text("buckets"));
    }
    if (need & need_users) {
      db::Params p{org_id};
      // Whole days with no filter and no grouping by row key: one all-keys sketch per day.
      const bool all_keys = seg.level == Level::daily && !filters.bot_id && !filters.platform &&
                            !filters.deployment_id &&
                            (group == Group::none || group == Group::hour || group == Group::hour_or_day);
      std::string sql = "SELECT " + g + " AS g, " + sketch_text(conn) + " AS sketch FROM " +
                        (all_keys ? std::string(kUsersAll) : table("analytics_users_", seg.level)) + " WHERE " +
                        where(seg.level, seg.from, seg.to, filters, p);
      // Linear merge: registers maxed straight from the text, exact hashes sorted once per group.
      for (const auto& r : conn.query(sql, p))
        if (const std::string* k = key_of(r)) users[*k].add_serialized(r.text("sketch"));
    }
  }
  for (auto& [key, merger] : users) out[key].users = merger.finish();
  return out;
}

std::map<std::string, Partial> read_points(db::Connection& conn, const std::string& org_id, std::int64_t start,
                                           std::int64_t end, const Filters& filters, const Spans& points,
                                           const std::string& zone) {
  std::map<std::string, Partial> out;
  if (start >= end || points.empty()) return out;
  constexpr std::int64_t kHourMs = 3'600'000;
  const Marks marks = daily_marks(conn, org_id);
  auto point_of = [&points](std::int64_t h) { return span_of(points, h); };
  std::vector<std::string> keys;
  for (const auto& [from, to] : points) keys.push_back(std::to_string(from));
  auto part = [&](std::size_t i) -> Partial& { return out[keys[i]]; };

  // Whole UTC days below the watermark, each owned by the point holding its midday; the hours of
  // an owned day that lie in another point (or none) are "moved". Every other hour of the range
  // is read hourly.
  std::map<std::int64_t, std::size_t> owner;  // day → point
  std::vector<std::int64_t> moved;
  const std::int64_t d0 = ceil_day(start), d1 = std::min(day_of(end), marks.until);
  for (std::int64_t d = d0; d < d1; d += kDayMs) {
    auto q = point_of(d + kDayMs / 2);
    if (!q) continue;
    owner[d] = *q;
    for (std::int64_t h = d; h < d + kDayMs; h += kHourMs)
      if (point_of(h) != q) moved.push_back(h);
  }
  db::Params params{org_id};
  const std::string filter_sql = filter_clause(filters, params);
  const db::Params base = params;
  // The hourly rows: [start, end) outside the owned days, and the moved hours.
  std::string hourly_when;
  {
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
    std::int64_t at = start;
    for (const auto& [d, q] : owner) {
      if (at < d) ranges.emplace_back(at, d);
      at = d + kDayMs;
    }
    if (at < end) ranges.emplace_back(at, end);
    for (const auto& [a, b] : ranges)
      hourly_when += (hourly_when.empty() ? "" : " OR ") +
                     ("(hour >= " + bind_param(params, a) + " AND hour < " + bind_param(params, b) + ")");
    if (!moved.empty()) {
      std::string in;
      for (auto h : moved) in += (in.empty() ? "" : ", ") + bind_param(params, h);
      hourly_when += (hourly_when.empty() ? "" : " OR ") + ("hour IN (" + in + ")");
    }
  }
  const db::Params hourly_params = params;
  params = base;
  const std::string daily_when = "day >= " + bind_param(params, d0) + " AND day < " + bind_param(params, d1);
  const db::Params daily_params = params;

  // A row of hour (or day) `at` on a level: where it adds (and, for a moved hour, where it is taken from).
  auto route = [&](Level level, std::int64_t at, auto&& apply) {
    if (level == Level::daily) {
      if (auto it = owner.find(at); it != owner.end()) apply(part(it->second), 1);
      return;
    }
    if (auto it = owner.find(day_of(at)); it != owner.end()) apply(part(it->second), -1);
    if (auto i = point_of(at)) apply(part(*i), 1);
  };
  auto each_level = [&](auto&& body) {
    if (!owner.empty()) body(Level::daily, daily_when, daily_params);
    if (!hourly_when.empty()) body(Level::hourly, "(" + hourly_when + ")", hourly_params);
  };

  each_level([&](Level level, const std::string& when, const db::Params& p) {
    std::string sql = std::string("SELECT ") + time_col(level) + " AS g";
    for (auto column : kCounterNames) sql += std::string(", SUM(") + column + ") AS " + column;
    sql += " FROM " + table("analytics_", level) + " WHERE org_id = $1 AND " + when + filter_sql + " GROUP BY " +
           time_col(level);
    for (const auto& r : conn.query(sql, p))
      route(level, r.integer("g"), [&r](Partial& to, int sign) {
        for (int i = 0; i < kCounterCount; ++i) to.counters[i] += sign * r.integer(kCounterNames[i]);
      });
  });
  each_level([&](Level level, const std::string& when, const db::Params& p) {
    std::string sql = std::string("SELECT ") + time_col(level) + " AS g, buckets FROM " +
                      table("analytics_first_response_", level) + " WHERE org_id = $1 AND " + when + filter_sql;
    for (const auto& r : conn.query(sql, p)) {
      std::array<std::int64_t, 256> h{};
      histogram_add_serialized(h, r.text("buckets"));
      route(level, r.integer("g"), [&h](Partial& to, int sign) {
        for (int b = 0; b < 256; ++b) to.histogram[b] += sign * h[b];
      });
    }
  });

  // Unique users: the zone-day sketches of the points they cover, hourly sketches for the rest.
  std::map<std::string, SketchMerger> users;
  std::int64_t hourly_from = start;
  if (!filters.bot_id && !filters.platform && !filters.deployment_id && zone != "UTC" && marks.zone == zone &&
      marks.zone_until > start) {
    std::size_t covered = 0;
    while (covered < points.size() && points[covered].second <= marks.zone_until) ++covered;
    if (covered > 0) {
      hourly_from = points[covered - 1].second;
      for (const auto& r : conn.query(std::string("SELECT day, ") + sketch_text(conn) + " AS sketch FROM " + kUsersZone +
                                          " WHERE org_id = $1 AND day >= $2 AND day < $3",
                                      {org_id, start, hourly_from}))
        if (auto i = point_of(r.integer("day")); i && points[*i].first == r.integer("day"))
          users[keys[*i]].add_serialized(r.text("sketch"));
    }
  }
  if (hourly_from < end)
    for (auto& [key, p] : read(conn, org_id, hourly_from, end, filters, Group::hour, need_users, 0, &points))
      users[key].add(p.users);
  for (auto& [key, merger] : users) out[key].users = merger.finish();
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> template_uses(db::Connection& conn, const std::string& org_id,
                                                                std::int64_t start, std::int64_t end,
                                                                const Filters& filters, Group group,
                                                                std::map<std::string, std::int64_t>* by_group) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  std::map<std::string, std::int64_t> per_template;
  for (const auto& seg : segments_of(conn, org_id, start, end, group)) {
    db::Params p{org_id};
    const std::string g = group_expr(group, seg.level);
    std::string sql = "SELECT template_id, " + g + " AS g, SUM(uses) AS uses FROM " +
                      table("analytics_templates_", seg.level) + " WHERE " +
                      where(seg.level, seg.from, seg.to, filters, p, true) + " GROUP BY template_id" +
                      (group != Group::none ? ", " + g : "");
    for (const auto& r : conn.query(sql, p)) {
      per_template[r.text("template_id")] += r.integer("uses");
      if (by_group) (*by_group)[r.text("g")] += r.integer("uses");
    }
  }
  out.assign(per_template.begin(), per_template.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> unanswered(db::Connection& conn, const std::string& org_id,
                                                             std::int64_t start, std::int64_t end,
                                                             const Filters& filters, std::int64_t limit) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  const auto segs = segments_of(conn, org_id, start, end, Group::none);
  if (segs.empty()) return out;
  // The top questions of the whole range: the levels' rows summed together before the limit.
  db::Params p{org_id};
  std::string sql;
  if (segs.size() == 1) {
    sql = "SELECT question, SUM(n) AS n FROM " + table("analytics_unanswered_", segs[0].level) + " WHERE " +
          where(segs[0].level, segs[0].from, segs[0].to, filters, p);
  } else {
    std::string rows;
    for (const auto& seg : segs) {
      if (!rows.empty()) rows += " UNION ALL ";
      rows += "SELECT question, n FROM " + table("analytics_unanswered_", seg.level) + " WHERE " +
              where(seg.level, seg.from, seg.to, filters, p);
    }
    sql = "SELECT question, SUM(n) AS n FROM (" + rows + ") AS r";
  }
  sql += " GROUP BY question ORDER BY SUM(n) DESC, question LIMIT " + std::to_string(limit);
  for (const auto& r : conn.query(sql, p)) out.emplace_back(r.text("question"), r.integer("n"));
  return out;
}

void delete_org(db::Connection& conn, const std::string& org_id) {
  for (const char* prefix : {"analytics_", "analytics_users_", "analytics_first_response_", "analytics_templates_",
                             "analytics_unanswered_"})
    for (Level l : {Level::hourly, Level::daily})
      conn.execute("DELETE FROM " + table(prefix, l) + " WHERE org_id = $1", {org_id});
  conn.execute(std::string("DELETE FROM ") + kUsersAll + " WHERE org_id = $1", {org_id});
  conn.execute(std::string("DELETE FROM ") + kUsersZone + " WHERE org_id = $1", {org_id});
  conn.execute("DELETE FROM analytics_daily_until WHERE org_id = $1", {org_id});
}

std::int64_t delete_unanswered_before(db::Connection& conn, const std::string& org_id, std::int64_t before) {
  auto n = conn.execute("DELETE FROM analytics_unanswered_hourly WHERE org_id = $1 AND hour < $2", {org_id, before});
  const std::int64_t day = day_of(before);
  conn.execute("DELETE FROM analytics_unanswered_daily WHERE org_id = $1 AND day < $2", {org_id, before});
  // The day the cutoff falls in keeps its later hours: its daily row is their sum again.
  if (before > day && day < daily_until(conn, org_id))
    conn.execute("INSERT INTO analytics_unanswered_daily (" + key_columns(Level::daily) + ", question, n) SELECT "
                 "org_id, CAST($2 AS BIGINT), bot_id, platform, deployment_id, question, SUM(n) FROM analytics_unanswered_hourly "
                 "WHERE org_id = $1 AND hour >= $3 AND hour < $4 GROUP BY org_id, bot_id, platform, deployment_id, "
                 "question",
                 {org_id, day, before, day + kDayMs});
  return n;
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
