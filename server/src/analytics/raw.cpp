// The raw recomputation (ADR 0037 definitions), straight from sessions and messages. Slow on
// purpose: it is the reference the rollups are checked against, never what a dashboard reads.
#include "analytics/raw.hpp"

#include "analytics/sketch.hpp"

namespace sb::analytics::raw {
namespace {
std::string session_filters(const Filters& f, db::Params& params) {
  std::string out = " AND s.platform <> 'console'";
  auto bind = [&params](const std::string& v) {
    params.push_back(v);
    return "$" + std::to_string(params.size());
  };
  if (f.bot_id) out += " AND s.bot_id = " + bind(*f.bot_id);
  if (f.platform) out += " AND s.platform = " + bind(*f.platform);
  if (f.deployment_id) out += " AND COALESCE(s.deployment_id, '') = " + bind(*f.deployment_id);
  return out;
}
}  // namespace

Totals totals(db::Connection& conn, const std::string& org_id, std::int64_t start, std::int64_t end,
              const Filters& filters) {
  Totals t;
  {
    db::Params p{org_id, start, end};
    std::string where = "WHERE s.org_id = $1 AND s.started_at >= $2 AND s.started_at < $3" + session_filters(filters, p);
    auto r = conn.query_one(
        "SELECT COUNT(*) AS conversations, "
        "SUM(CASE WHEN s.user_messages >= 2 THEN 1 ELSE 0 END) AS engaged, "
        "SUM(CASE WHEN s.resolved_at IS NOT NULL THEN 1 ELSE 0 END) AS resolved, "
        "SUM(CASE WHEN s.converted_at IS NOT NULL THEN 1 ELSE 0 END) AS converted, "
        "SUM(CASE WHEN s.fallback_replies >= 1 THEN 1 ELSE 0 END) AS handoffs, "
        "COUNT(s.first_response_at) AS first_responses, "
        "SUM(s.first_response_at - s.started_at) AS first_response_ms_sum, "
        "SUM(CASE WHEN s.rating_asked_at IS NOT NULL OR s.satisfaction_score IS NOT NULL THEN 1 ELSE 0 END) AS rating_asked, "
        "COUNT(s.satisfaction_score) AS ratings, SUM(s.satisfaction_score) AS rating_sum, "
        "SUM(CASE WHEN s.satisfaction_score = 1 THEN 1 ELSE 0 END) AS r1, "
        "SUM(CASE WHEN s.satisfaction_score = 2 THEN 1 ELSE 0 END) AS r2, "
        "SUM(CASE WHEN s.satisfaction_score = 3 THEN 1 ELSE 0 END) AS r3, "
        "SUM(CASE WHEN s.satisfaction_score = 4 THEN 1 ELSE 0 END) AS r4, "
        "SUM(CASE WHEN s.satisfaction_score = 5 THEN 1 ELSE 0 END) AS r5, "
        "COUNT(DISTINCT s.bot_id || '/' || s.platform || '/' || s.external_user_id) AS unique_users "
        "FROM conversation_sessions s " + where,
        p);
    if (r) {
      t.conversations = r->integer("conversations");
      t.engaged = r->integer("engaged");
      t.resolved = r->integer("resolved");
      t.converted = r->integer("converted");
      t.handoffs = r->integer("handoffs");
      t.first_responses = r->integer("first_responses");
      t.first_response_ms_sum = r->integer("first_response_ms_sum");
      t.rating_asked = r->integer("rating_asked");
      t.ratings = r->integer("ratings");
      t.rating_sum = r->integer("rating_sum");
      for (int i = 0; i < 5; ++i) t.rating_counts[i] = r->integer("r" + std::to_string(i + 1));
      t.unique_users = r->integer("unique_users");
    }
    for (const auto& row : conn.query("SELECT s.first_response_at - s.started_at AS ms FROM conversation_sessions s " +
                                          where + " AND s.first_response_at IS NOT NULL",
                                      p))
      t.first_response_histogram[histogram_bucket(row.integer("ms"))] += 1;
  }
  {
    db::Params p{org_id, start, end};
    std::string where = "WHERE m.org_id = $1 AND m.created_at >= $2 AND m.created_at < $3" + session_filters(filters, p);
    if (filters.template_id) {
      p.push_back(*filters.template_id);
      auto r = conn.query_one(
          "SELECT COUNT(*) AS n FROM messages m JOIN conversation_sessions s ON s.id = m.session_id " + where +
              " AND m.direction = 'out' AND m.source = 'template' AND m.template_id = $" + std::to_string(p.size()),
          p);
      t.messages_out = t.template_replies = r ? r->integer("n") : 0;
      return t;
    }
    auto r = conn.query_one(
        "SELECT SUM(CASE WHEN m.direction = 'in' THEN 1 ELSE 0 END) AS messages_in, "
        "SUM(CASE WHEN m.direction = 'out' THEN 1 ELSE 0 END) AS messages_out, "
        "SUM(CASE WHEN m.direction = 'out' AND m.source = 'ai' THEN 1 ELSE 0 END) AS ai_replies, "
        "SUM(CASE WHEN m.direction = 'out' AND m.source = 'template' THEN 1 ELSE 0 END) AS template_replies, "
        "SUM(CASE WHEN m.direction = 'out' AND m.source = 'fallback' THEN 1 ELSE 0 END) AS fallback_replies, "
        "SUM(CASE WHEN m.direction = 'out' THEN COALESCE(m.prompt_tokens, 0) + COALESCE(m.completion_tokens, 0) "
        "ELSE 0 END) AS ai_tokens, "
        "SUM(CASE WHEN m.direction = 'out' THEN COALESCE(m.cost_micros, 0) ELSE 0 END) AS ai_cost_micros "
        "FROM messages m JOIN conversation_sessions s ON s.id = m.session_id " + where,
        p);
    if (r) {
      t.messages_in = r->integer("messages_in");
      t.messages_out = r->integer("messages_out");
      t.ai_replies = r->integer("ai_replies");
      t.template_replies = r->integer("template_replies");
      t.fallback_replies = r->integer("fallback_replies");
      t.ai_tokens = r->integer("ai_tokens");
      t.ai_cost_micros = r->integer("ai_cost_micros");
    }
  }
  return t;
}

}  // namespace sb::analytics::raw
