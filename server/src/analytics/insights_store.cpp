// Analytics settings and insight runs store.
#include "analytics/insights_store.hpp"

#include <map>

#include "analytics/store.hpp"

#include <boost/json.hpp>

namespace sb::analytics::store {
namespace json = boost::json;
namespace {

db::Value opt(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); }
db::Value opt(const std::optional<std::int64_t>& v) { return v ? db::Value(*v) : db::Value(nullptr); }

std::string param(db::Params& params, db::Value v) {
  params.push_back(std::move(v));
  std::string name = "$";
  name += std::to_string(params.size());
  return name;
}

json::array findings_json(const std::vector<Finding>& list) {
  json::array out;
  for (const auto& f : list) out.push_back(json::object{{"title", f.title}, {"detail", f.detail}});
  return out;
}

std::vector<Finding> findings_from(const std::optional<std::string>& text) {
  std::vector<Finding> out;
  if (!text) return out;
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& f : v.as_array()) {
    if (!f.is_object()) continue;
    const auto& o = f.as_object();
    auto str = [&](const char* k) {
      auto* x = o.if_contains(k);
      return x && x->is_string() ? std::string(x->as_string()) : std::string();
    };
    out.push_back({str("title"), str("detail")});
  }
  return out;
}

json::object object_from(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return !ec && v.is_object() ? v.as_object() : json::object{};
}

const char* kRunColumns =
    "id, org_id, created_by, created_by_label, status, kind, filters, model, prompt_version, transcripts_sent, "
    "metrics, summary, themes, recommendations, error, prompt_tokens, completion_tokens, cost_micros, created_at, "
    "finished_at";

InsightRun run_from(const db::Row& r) {
  InsightRun run;
  run.id = r.text("id");
  run.org_id = r.text("org_id");
  run.created_by = r.opt_text("created_by");
  run.created_by_label = r.text("created_by_label");
  run.status = r.text("status");
  run.kind = r.text("kind");
  run.filters = object_from(r.text("filters"));
  run.model = r.opt_text("model");
  run.prompt_version = r.text("prompt_version");
  run.transcripts_sent = r.integer("transcripts_sent") != 0;
  run.metrics = object_from(r.text("metrics"));
  run.summary = r.opt_text("summary");
  run.themes = findings_from(r.opt_text("themes"));
  run.recommendations = findings_from(r.opt_text("recommendations"));
  run.error = r.opt_text("error");
  run.prompt_tokens = r.opt_integer("prompt_tokens");
  run.completion_tokens = r.opt_integer("completion_tokens");
  run.cost_micros = r.opt_integer("cost_micros");
  run.created_at = r.integer("created_at");
  run.finished_at = r.opt_integer("finished_at");
  return run;
}

}  // namespace

bool exists(db::Connection& conn, const std::string& org_id, const std::string& kind, const std::string& id) {
  const char* sql = kind == "bot"          ? "SELECT 1 AS x FROM bots WHERE id = $1 AND org_id = $2"
                    : kind == "deployment" ? "SELECT 1 AS x FROM deployments WHERE id = $1 AND org_id = $2"
                                           : "SELECT 1 AS x FROM templates WHERE id = $1 AND org_id = $2";
  return conn.query_one(sql, {id, org_id}).has_value();
}

AnalyticsSettings settings(db::Connection& conn, const std::string& org_id) {
  AnalyticsSettings s;
  s.time_zone = store::org_time_zone(conn, org_id);
  if (auto r = conn.query_one("SELECT share_transcripts FROM org_ai_settings WHERE org_id = $1", {org_id}))
    s.share_transcripts = r->integer("share_transcripts") != 0;
  return s;
}

void set_share_transcripts(db::Connection& conn, const std::string& org_id, bool on, std::int64_t now) {
  conn.execute(
      "INSERT INTO org_ai_settings (org_id, share_transcripts, updated_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (org_id) DO UPDATE SET share_transcripts = excluded.share_transcripts, updated_at = excluded.updated_at",
      {org_id, std::int64_t(on ? 1 : 0), now});
}

void insert_run(db::Connection& conn, const InsightRun& run, const std::string& process_id) {
  conn.execute(
      "INSERT INTO insight_runs (id, org_id, created_by, created_by_label, status, kind, filters, model, prompt_version, "
      "transcripts_sent, metrics, created_at, process_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {run.id, run.org_id, opt(run.created_by), run.created_by_label, run.status, run.kind,
       json::serialize(run.filters), opt(run.model), run.prompt_version, std::int64_t(run.transcripts_sent ? 1 : 0),
       json::serialize(run.metrics), run.created_at,
       process_id.empty() ? db::Value(nullptr) : db::Value(process_id)});
}

bool finish_run(db::Connection& conn, const InsightRun& run) {
  return conn.execute(
             "UPDATE insight_runs SET status = $2, summary = $3, themes = $4, recommendations = $5, error = $6, "
             "prompt_tokens = $7, completion_tokens = $8, cost_micros = $9, finished_at = $10, model = $11 "
             "WHERE id = $1 AND status = 'running'",
             {run.id, run.status, opt(run.summary), json::serialize(findings_json(run.themes)),
              json::serialize(findings_json(run.recommendations)), opt(run.error), opt(run.prompt_tokens),
              opt(run.completion_tokens), opt(run.cost_micros), opt(run.finished_at), opt(run.model)}) > 0;
}

std::optional<InsightRun> find_run(db::Connection& conn, const std::string& org_id, const std::string& id) {
  auto r = conn.query_one(std::string("SELECT ") + kRunColumns + " FROM insight_runs WHERE id = $1 AND org_id = $2",
                          {id, org_id});
  if (!r) return std::nullopt;
  return run_from(*r);
}

InsightPage list_runs(db::Connection& conn, const std::string& org_id, std::int64_t limit,
                      const std::optional<RunCursor>& before) {
  db::Params params{org_id};
  std::string sql = std::string("SELECT ") + kRunColumns + " FROM insight_runs WHERE org_id = $1";
  if (before) {
    std::string t = param(params, before->created_at);
    std::string i = param(params, before->id);
    sql += " AND (created_at < " + t + " OR (created_at = " + t + " AND id < " + i + "))";
  }
  sql += " ORDER BY created_at DESC, id DESC LIMIT " + param(params, limit + 1);
  InsightPage page;
  for (const auto& r : conn.query(sql, params)) page.items.push_back(run_from(r));
  if (static_cast<std::int64_t>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next = std::to_string(page.items.back().created_at) + "." + page.items.back().id;
  }
  return page;
}

std::int64_t fail_running(db::Connection& conn, const std::string& error, std::int64_t now) {
  return conn.execute("UPDATE insight_runs SET status = 'failed', error = $1, finished_at = $2 WHERE status = 'running'",
                      {error, now});
}

std::int64_t fail_orphaned(db::Connection& conn, const std::string& error, std::int64_t now, const std::string& me,
                           std::int64_t alive_since) {
  return conn.execute(
      "UPDATE insight_runs SET status = 'failed', error = $1, finished_at = $2 "
      "WHERE status = 'running' AND (process_id IS NULL OR (process_id <> $3 AND NOT EXISTS "
      "(SELECT 1 FROM processes p WHERE p.id = insight_runs.process_id AND p.last_seen >= $4)))",
      {error, now, me, alive_since});
}

std::string scope_filters(const Scope& scope, db::Params& params) {
  std::string where;
  if (scope.bot_id) where += " AND s.bot_id = " + param(params, *scope.bot_id);
  if (scope.platform) where += " AND s.platform = " + param(params, *scope.platform);
  if (scope.deployment_id) where += " AND s.deployment_id = " + param(params, *scope.deployment_id);
  return where;
}

std::vector<Segment> segments(db::Connection& conn, const std::string& org_id, const Scope& scope) {
  std::vector<Segment> out;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  auto seg = [&](const db::Row& r) -> Segment& {
    auto key = std::make_pair(r.text("platform"), r.text("bot_id"));
    auto it = index.find(key);
    if (it != index.end()) return out[it->second];
    index[key] = out.size();
    Segment g;
    g.platform = key.first;
    g.bot_id = key.second;
    g.bot_name = r.text("bot_name");
    out.push_back(std::move(g));
    return out.back();
  };
  {
    db::Params params{org_id, scope.start_ms, scope.end_ms};
    std::string where = scope_filters(scope, params);
    for (const auto& r : conn.query(
             "SELECT s.platform, s.bot_id, b.name AS bot_name, COUNT(*) AS n, COUNT(s.satisfaction_score) AS ratings, "
             "COALESCE(SUM(s.satisfaction_score), 0) AS rating_sum FROM conversation_sessions s "
             "JOIN bots b ON b.id = s.bot_id WHERE s.org_id = $1 AND s.started_at >= $2 AND s.started_at < $3" +
                 where + " GROUP BY s.platform, s.bot_id, b.name",
             params)) {
      auto& g = seg(r);
      g.conversations = r.integer("n");
      g.ratings = r.integer("ratings");
      g.rating_sum = r.integer("rating_sum");
    }
  }
  {
    db::Params params{org_id, scope.previous_start_ms, scope.previous_end_ms};
    std::string where = scope_filters(scope, params);
    for (const auto& r : conn.query(
             "SELECT s.platform, s.bot_id, b.name AS bot_name, COUNT(s.satisfaction_score) AS ratings, "
             "COALESCE(SUM(s.satisfaction_score), 0) AS rating_sum FROM conversation_sessions s "
             "JOIN bots b ON b.id = s.bot_id WHERE s.org_id = $1 AND s.started_at >= $2 AND s.started_at < $3" +
                 where + " GROUP BY s.platform, s.bot_id, b.name",
             params)) {
      auto& g = seg(r);
      g.previous_ratings = r.integer("ratings");
      g.previous_rating_sum = r.integer("rating_sum");
    }
  }
  {
    // Response times of at most 20,000 conversations per range: a heuristic's p90 needs no more.
    db::Params params{org_id, scope.start_ms, scope.end_ms};
    std::string where = scope_filters(scope, params);
    for (const auto& r : conn.query(
             "SELECT s.platform, s.bot_id, b.name AS bot_name, s.first_response_at - s.started_at AS ms "
             "FROM conversation_sessions s JOIN bots b ON b.id = s.bot_id "
             "WHERE s.org_id = $1 AND s.started_at >= $2 AND s.started_at < $3 AND s.first_response_at IS NOT NULL" +
                 where + " ORDER BY s.started_at DESC LIMIT 20000",
             params))
      seg(r).first_response_ms.push_back(r.integer("ms"));
  }
  return out;
}

std::vector<Transcript> recent_transcripts(db::Connection& conn, const std::string& org_id, const Scope& scope,
                                           std::int64_t conversations, std::int64_t per_conversation) {
  db::Params params{org_id, scope.start_ms, scope.end_ms};
  std::string where = scope_filters(scope, params);
  std::vector<Transcript> out;
  for (const auto& r : conn.query("SELECT s.id, s.platform FROM conversation_sessions s WHERE s.org_id = $1 "
                                  "AND s.started_at >= $2 AND s.started_at < $3" +
                                      where + " ORDER BY s.started_at DESC, s.id DESC LIMIT " +
                                      param(params, conversations),
                                  params))
    out.push_back({r.text("id"), r.text("platform"), {}});
  for (auto& t : out) {
    auto rows = conn.query(
        "SELECT direction, text FROM (SELECT direction, text, created_at, id FROM messages WHERE session_id = $1 "
        "AND org_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3) recent ORDER BY created_at, id",
        {t.conversation_id, org_id, per_conversation});
    for (const auto& m : rows) t.lines.emplace_back(m.text("direction"), m.text("text"));
  }
  return out;
}

}  // namespace sb::analytics::store
