// CSV export store.
#include "analytics/export_store.hpp"

#include "analytics/insights_store.hpp"

namespace sb::analytics::store {
namespace {

std::string param(db::Params& params, db::Value v) {
  params.push_back(std::move(v));
  std::string name = "$";
  name += std::to_string(params.size());
  return name;
}

}  // namespace

std::vector<ConversationRow> export_conversations(db::Connection& conn, const std::string& org_id, const Scope& scope,
                                                  const std::optional<ExportKey>& after, std::int64_t limit) {
  db::Params params{org_id, scope.start_ms, scope.end_ms};
  std::string sql =
      "SELECT s.id, b.name AS bot, s.platform, s.deployment_id, s.display_name, s.external_user_id, s.status, "
      "s.started_at, s.last_message_at, s.first_response_at, s.resolved_at, s.resolved_by, s.satisfaction_score, "
      "s.converted_at, (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS messages "
      "FROM conversation_sessions s JOIN bots b ON b.id = s.bot_id "
      "WHERE s.org_id = $1 AND s.started_at >= $2 AND s.started_at < $3" +
      scope_filters(scope, params);
  if (after) {
    std::string t = param(params, after->time), i = param(params, after->id);
    // The first bound lets the index start at the cursor; the rest breaks ties.
    sql += " AND s.started_at >= " + t + " AND (s.started_at > " + t + " OR (s.started_at = " + t + " AND s.id > " + i + "))";
  }
  sql += " ORDER BY s.started_at, s.id LIMIT " + param(params, limit);
  std::vector<ConversationRow> out;
  for (const auto& r : conn.query(sql, params)) {
    ConversationRow c;
    c.id = r.text("id");
    c.bot = r.text("bot");
    c.platform = r.text("platform");
    c.deployment_id = r.text("deployment_id");
    c.user = r.text("display_name").empty() ? r.text("external_user_id") : r.text("display_name");
    c.status = r.text("status");
    c.started_at = r.integer("started_at");
    c.last_message_at = r.integer("last_message_at");
    c.messages = r.integer("messages");
    c.first_response_at = r.opt_integer("first_response_at");
    c.resolved_at = r.opt_integer("resolved_at");
    c.resolved_by = r.opt_text("resolved_by");
    c.satisfaction = r.opt_integer("satisfaction_score");
    c.converted_at = r.opt_integer("converted_at");
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<MessageRow> export_messages(db::Connection& conn, const std::string& org_id, const Scope& scope,
                                        const std::optional<ExportKey>& after, std::int64_t limit) {
  db::Params params{org_id, scope.start_ms, scope.end_ms};
  std::string sql =
      "SELECT s.started_at, m.session_id, m.id, m.created_at, m.direction, m.source, t.name AS template_name, m.model, "
      "m.text, m.prompt_tokens, m.completion_tokens, m.cost_micros "
      "FROM conversation_sessions s JOIN messages m ON m.session_id = s.id "
      "LEFT JOIN templates t ON t.id = m.template_id AND t.org_id = s.org_id "
      "WHERE s.org_id = $1 AND s.started_at >= $2 AND s.started_at < $3" +
      scope_filters(scope, params);
  if (scope.template_id) sql += " AND m.template_id = " + param(params, *scope.template_id);
  if (after) {
    std::string t = param(params, after->time), i = param(params, after->id);
    std::string mt = param(params, after->inner_time), mi = param(params, after->inner_id);
    sql += " AND s.started_at >= " + t + " AND (s.started_at > " + t + " OR (s.started_at = " + t + " AND (s.id > " + i + " OR (s.id = " + i +
           " AND (m.created_at > " + mt + " OR (m.created_at = " + mt + " AND m.id > " + mi + "))))))";
  }
  sql += " ORDER BY s.started_at, s.id, m.created_at, m.id LIMIT " + param(params, limit);
  std::vector<MessageRow> out;
  for (const auto& r : conn.query(sql, params)) {
    MessageRow m;
    m.started_at = r.integer("started_at");
    m.conversation_id = r.text("session_id");
    m.id = r.text("id");
    m.created_at = r.integer("created_at");
    m.direction = r.text("direction");
    m.source = r.opt_text("source");
    m.template_name = r.opt_text("template_name");
    m.model = r.opt_text("model");
    m.text = r.text("text");
    auto p = r.opt_integer("prompt_tokens"), c = r.opt_integer("completion_tokens");
    if (p || c) m.tokens = p.value_or(0) + c.value_or(0);
    m.cost_micros = r.opt_integer("cost_micros");
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<EventRow> export_events(db::Connection& conn, const std::string& org_id, const Scope& scope,
                                    const std::optional<ExportKey>& after, std::int64_t limit) {
  db::Params params{org_id, scope.start_ms, scope.end_ms};
  // Only the event's envelope: its payload (what people wrote, and platform headers) never leaves.
  std::string sql =
      "SELECT e.id, e.received_at, e.platform, i.name AS integration, e.kind, e.status FROM webhook_events e "
      "JOIN integrations i ON i.id = e.integration_id "
      "WHERE e.org_id = $1 AND e.received_at >= $2 AND e.received_at < $3";
  if (scope.platform) sql += " AND e.platform = " + param(params, *scope.platform);
  if (scope.bot_id)
    sql += " AND EXISTS (SELECT 1 FROM message_jobs j WHERE j.event_id = e.id AND j.bot_id = " +
           param(params, *scope.bot_id) + ")";
  if (scope.deployment_id)
    sql += " AND EXISTS (SELECT 1 FROM message_jobs j WHERE j.event_id = e.id AND j.deployment_id = " +
           param(params, *scope.deployment_id) + ")";
  if (after) {
    std::string t = param(params, after->time), i = param(params, after->id);
    sql += " AND e.received_at >= " + t + " AND (e.received_at > " + t + " OR (e.received_at = " + t + " AND e.id > " + i + "))";
  }
  sql += " ORDER BY e.received_at, e.id LIMIT " + param(params, limit);
  std::vector<EventRow> out;
  for (const auto& r : conn.query(sql, params))
    out.push_back({r.text("id"), r.text("platform"), r.text("integration"), r.text("kind"), r.text("status"),
                   r.integer("received_at")});
  return out;
}

}  // namespace sb::analytics::store
