// Conversation SQL.
#include "conversations/store.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "db/multi_row.hpp"

namespace sb::conversations::store {
namespace {

db::Value opt(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); }
db::Value opt(const std::optional<std::int64_t>& v) { return v ? db::Value(*v) : db::Value(nullptr); }

constexpr const char* kSessionColumns =
    "SELECT s.id, s.org_id, s.bot_id, b.name AS bot_name, s.deployment_id, s.platform, s.external_user_id, "
    "s.display_name, s.started_at, s.last_message_at, s.first_response_at, s.resolved_at, s.status, "
    "s.satisfaction_score, s.resolved_by, s.user_messages, s.fallback_replies, s.converted_at, s.rating_asked_at, "
    "s.rated_at, (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS message_count, "
    "(SELECT m.text FROM messages m WHERE m.session_id = s.id ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS last_message "
    "FROM conversation_sessions s JOIN bots b ON b.id = s.bot_id ";

// The columns of the session row itself.
Session session_row(const db::Row& r) {
  Session s;
  s.id = r.text("id");
  s.org_id = r.text("org_id");
  s.bot_id = r.text("bot_id");
  s.deployment_id = r.opt_text("deployment_id");
  s.platform = r.text("platform");
  s.external_user_id = r.text("external_user_id");
  s.display_name = r.text("display_name");
  s.started_at = r.integer("started_at");
  s.last_message_at = r.integer("last_message_at");
  s.first_response_at = r.opt_integer("first_response_at");
  s.resolved_at = r.opt_integer("resolved_at");
  s.status = r.text("status");
  s.satisfaction_score = r.opt_integer("satisfaction_score");
  s.resolved_by = r.opt_text("resolved_by");
  s.user_messages = r.integer("user_messages");
  s.fallback_replies = r.integer("fallback_replies");
  s.converted_at = r.opt_integer("converted_at");
  s.rating_asked_at = r.opt_integer("rating_asked_at");
  s.rated_at = r.opt_integer("rated_at");
  return s;
}

// A row of kSessionColumns: the session with its bot's name, message count and last message.
Session session_from(const db::Row& r) {
  Session s = session_row(r);
  s.bot_name = r.text("bot_name");
  s.message_count = r.integer("message_count");
  s.last_message = r.opt_text("last_message");
  return s;
}

constexpr const char* kMessageColumns =
    "SELECT id, org_id, session_id, direction, text, source, model, prompt_tokens, completion_tokens, latency_ms, "
    "error, created_at, cost_micros, template_id FROM messages ";

Message message_from(const db::Row& r) {
  return Message{r.text("id"),         r.text("org_id"),           r.text("session_id"),
                 r.text("direction"),  r.text("text"),             r.opt_text("source"),
                 r.opt_text("model"),  r.opt_integer("prompt_tokens"), r.opt_integer("completion_tokens"),
                 r.opt_integer("latency_ms"), r.opt_text("error"), r.integer("created_at"),
                 r.opt_integer("cost_micros"),  r.opt_text("template_id")};
}

}  // namespace

void insert_session(db::Connection& conn, const Session& s) {
  conn.execute(
      "INSERT INTO conversation_sessions (id, org_id, bot_id, deployment_id, platform, external_user_id, display_name, "
      "started_at, last_message_at, first_response_at, status, user_messages, fallback_replies) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12)",
      {s.id, s.org_id, s.bot_id, opt(s.deployment_id), s.platform, s.external_user_id, s.display_name, s.started_at,
       s.last_message_at, opt(s.first_response_at), s.user_messages, s.fallback_replies});
}

std::optional<Session> find_session(db::Connection& conn, const std::string& org_id, const std::string& id) {
  auto r = conn.query_one(std::string(kSessionColumns) + "WHERE s.org_id = $1 AND s.id = $2", {org_id, id});
  if (!r) return std::nullopt;
  return session_from(*r);
}

std::optional<Session> latest_open_session(db::Connection& conn, const std::string& org_id, const std::string& bot_id,
                                           const std::string& platform, const std::string& external_user_id) {
  // A user has one open session per bot and platform, rarely a few: the latest is picked here. An
  // ORDER BY would have SQLite sort (a temporary B-tree each call) or walk the organization's
  // sessions in last_message_at order instead of using the lookup index. Every message asks this,
  // so it reads the session's own row only (no bot name, no message count or last message).
  static const std::string sql =
      "SELECT id, org_id, bot_id, deployment_id, platform, external_user_id, display_name, started_at, "
      "last_message_at, first_response_at, resolved_at, status, satisfaction_score, resolved_by, user_messages, "
      "fallback_replies, converted_at, rating_asked_at, rated_at FROM conversation_sessions "
      "WHERE org_id = $1 AND bot_id = $2 AND platform = $3 AND external_user_id = $4 AND status = 'open'";
  std::optional<Session> latest;
  for (const auto& r : conn.query(sql, {org_id, bot_id, platform, external_user_id})) {
    std::int64_t at = r.integer("last_message_at");
    std::string id = r.text("id");
    if (latest && std::tie(at, id) <= std::tie(latest->last_message_at, latest->id)) continue;
    latest = session_row(r);
  }
  return latest;
}

void end_session(db::Connection& conn, const std::string& org_id, const std::string& id) {
  conn.execute("UPDATE conversation_sessions SET status = 'ended' WHERE org_id = $1 AND id = $2", {org_id, id});
}

std::optional<Activity> record_activity(db::Connection& conn, const std::string& org_id, const std::string& id,
                                        std::int64_t at, bool is_response, std::int64_t inbound,
                                        std::int64_t fallbacks) {
  // One statement per message: the session's counters move and come back with what keys its
  // analytics rows (ADR 0037), so the recorder needs no second read.
  static const std::string sql =
      "UPDATE conversation_sessions SET last_message_at = $3, "
      "first_response_at = CASE WHEN $4 = 1 THEN COALESCE(first_response_at, $3) ELSE first_response_at END, "
      "user_messages = user_messages + $5, fallback_replies = fallback_replies + $6 "
      "WHERE org_id = $1 AND id = $2 RETURNING bot_id, platform, deployment_id, started_at, first_response_at, "
      "user_messages, fallback_replies";
  auto r = conn.query_one(sql, {org_id, id, at, std::int64_t{is_response ? 1 : 0}, inbound, fallbacks});
  if (!r) return std::nullopt;
  Activity a;
  a.key = analytics::SessionKey{org_id, r->text("bot_id"), r->text("platform"), r->opt_text("deployment_id").value_or(""),
                                r->integer("started_at")};
  a.first_response_at = r->opt_integer("first_response_at");
  a.user_messages = r->integer("user_messages");
  a.fallback_replies = r->integer("fallback_replies");
  return a;
}

bool rate_session(db::Connection& conn, const std::string& org_id, const std::string& id,
                  const std::string& external_user_id, std::int64_t score, std::int64_t at) {
  return conn.execute(
             "UPDATE conversation_sessions SET satisfaction_score = $4, rated_at = COALESCE(rated_at, $5) "
             "WHERE org_id = $1 AND id = $2 AND external_user_id = $3",
             {org_id, id, external_user_id, score, at}) == 1;
}

void insert_message(db::Connection& conn, const Message& m) { insert_messages(conn, {m}); }

void insert_messages(db::Connection& conn, const std::vector<Message>& messages) {
  static const db::MultiRowInsert insert(
      "INSERT INTO messages (id, org_id, session_id, direction, text, source, model, prompt_tokens, completion_tokens, "
      "latency_ms, error, created_at, cost_micros, template_id)",
      14);
  insert.insert(conn, messages, [](std::vector<db::ValueRef>& p, const Message& m) {
    p.insert(p.end(), {m.id, m.org_id, m.session_id, m.direction, m.text, db::ref(m.source), db::ref(m.model),
                       db::ref(m.prompt_tokens), db::ref(m.completion_tokens), db::ref(m.latency_ms), db::ref(m.error),
                       m.created_at, db::ref(m.cost_micros), db::ref(m.template_id)});
  });
}

std::vector<Message> messages(db::Connection& conn, const std::string& org_id, const std::string& session_id) {
  std::vector<Message> out;
  for (const auto& r : conn.query(std::string(kMessageColumns) + "WHERE org_id = $1 AND session_id = $2 ORDER BY created_at, id",
                                  {org_id, session_id}))
    out.push_back(message_from(r));
  return out;
}

std::optional<Message> find_message(db::Connection& conn, const std::string& org_id, const std::string& id) {
  auto r = conn.query_one(std::string(kMessageColumns) + "WHERE org_id = $1 AND id = $2", {org_id, id});
  if (!r) return std::nullopt;
  return message_from(*r);
}

std::vector<Message> recent_messages(db::Connection& conn, const std::string& org_id, const std::string& session_id,
                                     std::int64_t limit, std::optional<std::int64_t> before_at) {
  std::vector<Message> out;
  for (const auto& r : conn.query(std::string(kMessageColumns) + "WHERE org_id = $1 AND session_id = $2 AND created_at < $4 "
                                                                  "ORDER BY created_at DESC, id DESC LIMIT $3",
                                  {org_id, session_id, limit, before_at.value_or(INT64_MAX)}))
    out.push_back(message_from(r));
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<Session> recent_sessions(db::Connection& conn, const std::string& org_id,
                                     const std::optional<std::string>& bot_id, std::int64_t limit) {
  std::vector<Session> out;
  for (const auto& r : conn.query(std::string(kSessionColumns) +
                                      "WHERE s.org_id = $1 AND (CAST($2 AS TEXT) IS NULL OR s.bot_id = $2) "
                                      "ORDER BY s.last_message_at DESC, s.id DESC LIMIT $3",
                                  {org_id, opt(bot_id), limit}))
    out.push_back(session_from(r));
  return out;
}

std::string fts5_query(const std::string& words) {
  std::string out;
  std::size_t i = 0;
  while (i < words.size()) {
    while (i < words.size() && std::isspace(static_cast<unsigned char>(words[i]))) ++i;
    if (i == words.size()) break;
    std::string phrase = "\"";
    for (; i < words.size() && !std::isspace(static_cast<unsigned char>(words[i])); ++i) {
      if (words[i] == '"') phrase += '"';  // FTS5 escapes a quote inside a phrase by doubling it
      phrase += words[i];
    }
    phrase += '"';
    if (!out.empty()) out += ' ';
    out += phrase;
  }
  return out;
}

std::vector<Session> find_sessions(db::Connection& conn, const std::string& org_id, const Filter& filter,
                                   const std::optional<Cursor>& before, std::int64_t limit) {
  // The statement is assembled from fixed pieces, one per filter given; every value is bound.
  db::Params params{org_id};
  std::string where = "WHERE s.org_id = $1";
  auto bind = [&params](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (filter.bot_id) where += " AND s.bot_id = " + bind(*filter.bot_id);
  if (filter.platform) where += " AND s.platform = " + bind(*filter.platform);
  if (filter.deployment_id) where += " AND s.deployment_id = " + bind(*filter.deployment_id);
  if (filter.status) where += " AND s.status = " + bind(*filter.status);
  if (filter.resolved) where += *filter.resolved ? " AND s.resolved_at IS NOT NULL" : " AND s.resolved_at IS NULL";
  if (filter.user) {
    // A part of the name, any case (LIKE's wildcards in it are searched for as themselves), or the
    // platform's user id exactly.
    std::string pattern = "%";
    for (char c : *filter.user) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    pattern += '%';
    std::string p = bind(pattern);
    where += " AND (LOWER(s.display_name) LIKE " + p + " ESCAPE '\\' OR s.external_user_id = " + bind(*filter.user) + ")";
  }
  // A conversation is in a time range when it was active in it: started before its end, and its
  // last message after its start.
  if (filter.from) where += " AND s.last_message_at >= " + bind(*filter.from);
  if (filter.to) where += " AND s.started_at <= " + bind(*filter.to);
  // Started in a range, its end excluded (conversation_sessions_started_idx: org_id, started_at).
  if (filter.started_from) where += " AND s.started_at >= " + bind(*filter.started_from);
  if (filter.started_to) where += " AND s.started_at < " + bind(*filter.started_to);
  if (filter.q) {
    if (conn.dialect() == db::Dialect::postgres)
      where += " AND s.id IN (SELECT m.session_id FROM messages m WHERE m.org_id = $1 AND "
               "to_tsvector('simple', m.text) @@ plainto_tsquery('simple', " + bind(*filter.q) + "))";
    else
      where += " AND s.id IN (SELECT r.session_id FROM message_search JOIN message_search_rows r "
               "ON r.id = message_search.rowid WHERE message_search MATCH " + bind(fts5_query(*filter.q)) +
               " AND r.org_id = $1)";
  }
  if (before) {
    std::string at = bind(before->last_message_at);
    where += " AND (s.last_message_at < " + at + " OR (s.last_message_at = " + at + " AND s.id < " + bind(before->id) + "))";
  }
  std::string sql = std::string(kSessionColumns) + where + " ORDER BY s.last_message_at DESC, s.id DESC LIMIT " + bind(limit);
  std::vector<Session> out;
  for (const auto& r : conn.query(sql, params)) out.push_back(session_from(r));
  return out;
}

bool resolve_session(db::Connection& conn, const std::string& org_id, const std::string& id, const std::string& by,
                     std::int64_t at) {
  return conn.execute(
             "UPDATE conversation_sessions SET resolved_at = $3, resolved_by = $4 "
             "WHERE org_id = $1 AND id = $2 AND resolved_at IS NULL",
             {org_id, id, at, by}) == 1;
}

bool convert_session(db::Connection& conn, const std::string& org_id, const std::string& id, std::int64_t at) {
  return conn.execute(
             "UPDATE conversation_sessions SET converted_at = $3 WHERE org_id = $1 AND id = $2 AND converted_at IS NULL",
             {org_id, id, at}) == 1;
}

std::optional<ReplyRoute> reply_route(db::Connection& conn, const Session& s) {
  std::string sql =
      "SELECT integration_id, reply_to, created_at FROM message_jobs "
      "WHERE org_id = $1 AND platform = $2 AND external_user_id = $3 AND reply_to NOT LIKE 'callback:%' AND ";
  sql += s.deployment_id ? "deployment_id = $4" : "bot_id = $4";
  sql += " ORDER BY created_at DESC LIMIT 1";
  auto r = conn.query_one(sql, {s.org_id, s.platform, s.external_user_id, s.deployment_id.value_or(s.bot_id)});
  if (!r) return std::nullopt;
  return ReplyRoute{r->text("integration_id"), r->text("reply_to"), r->integer("created_at")};
}

bool mark_rating_asked(db::Connection& conn, const std::string& org_id, const std::string& id, std::int64_t at) {
  return conn.execute(
             "UPDATE conversation_sessions SET rating_asked_at = $3 "
             "WHERE org_id = $1 AND id = $2 AND rating_asked_at IS NULL AND rated_at IS NULL",
             {org_id, id, at}) == 1;
}

bool record_rating(db::Connection& conn, const std::string& org_id, const std::string& id, std::int64_t score,
                   std::int64_t at) {
  return conn.execute(
             "UPDATE conversation_sessions SET satisfaction_score = $3, rated_at = $4 "
             "WHERE org_id = $1 AND id = $2 AND rating_asked_at IS NOT NULL AND rated_at IS NULL",
             {org_id, id, score, at}) == 1;
}

}  // namespace sb::conversations::store
