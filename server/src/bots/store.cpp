// Bot SQL.
#include "bots/store.hpp"

#include <boost/json.hpp>

namespace sb::bots::store {
namespace {

constexpr const char* kColumns =
    "SELECT id, org_id, name, description, avatar_color, avatar_url, system_prompt, model, temperature, max_tokens, "
    "greeting, fallback_message, language, history_turns, ask_satisfaction, status, version, created_at, updated_at, "
    "over_quota_message, resolution_phrases FROM bots ";

Bot from_row(const db::Row& r) {
  Bot b;
  b.id = r.text("id");
  b.org_id = r.text("org_id");
  b.name = r.text("name");
  b.description = r.text("description");
  b.avatar_color = r.text("avatar_color");
  b.avatar_url = r.opt_text("avatar_url");
  b.system_prompt = r.text("system_prompt");
  b.model = r.text("model");
  b.temperature = r.real("temperature");
  b.max_tokens = r.integer("max_tokens");
  b.greeting = r.text("greeting");
  b.fallback_message = r.text("fallback_message");
  b.language = r.text("language");
  b.history_turns = r.integer("history_turns");
  b.ask_satisfaction = r.integer("ask_satisfaction") != 0;
  b.status = r.text("status");
  b.version = r.integer("version");
  b.created_at = r.integer("created_at");
  b.updated_at = r.integer("updated_at");
  b.over_quota_message = r.opt_text("over_quota_message");
  b.resolution_phrases.clear();
  boost::json::value phrases = boost::json::parse(r.text("resolution_phrases"));
  for (const auto& p : phrases.as_array()) b.resolution_phrases.emplace_back(p.as_string());
  return b;
}

db::Params params(const Bot& b) {
  return {b.id,          b.org_id,           b.name,     b.description,   b.avatar_color,
          b.avatar_url ? db::Value(*b.avatar_url) : db::Value(nullptr),
          b.system_prompt, b.model,          b.temperature, b.max_tokens, b.greeting,
          b.fallback_message, b.language,    b.history_turns, std::int64_t{b.ask_satisfaction ? 1 : 0},
          b.status,      b.version,          b.created_at, b.updated_at,
          b.over_quota_message ? db::Value(*b.over_quota_message) : db::Value(nullptr),
          boost::json::serialize(boost::json::value_from(b.resolution_phrases))};
}

}  // namespace

void insert(db::Connection& conn, const Bot& b) {
  conn.execute(
      "INSERT INTO bots (id, org_id, name, description, avatar_color, avatar_url, system_prompt, model, temperature, "
      "max_tokens, greeting, fallback_message, language, history_turns, ask_satisfaction, status, version, created_at, "
      "updated_at, over_quota_message, resolution_phrases) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
      "$13, $14, $15, $16, $17, $18, $19, $20, $21)",
      params(b));
}

void update(db::Connection& conn, const Bot& b) {
  conn.execute(
      "UPDATE bots SET name = $3, description = $4, avatar_color = $5, avatar_url = $6, system_prompt = $7, model = $8, "
      "temperature = $9, max_tokens = $10, greeting = $11, fallback_message = $12, language = $13, history_turns = $14, "
      "ask_satisfaction = $15, status = $16, version = $17, created_at = $18, updated_at = $19, over_quota_message = $20, "
      "resolution_phrases = $21 WHERE id = $1 AND org_id = $2",
      params(b));
}

void remove(db::Connection& conn, const std::string& org_id, const std::string& id) {
  conn.execute("DELETE FROM bots WHERE org_id = $1 AND id = $2", {org_id, id});
}

std::optional<Bot> find(db::Connection& conn, const std::string& org_id, const std::string& id) {
  auto r = conn.query_one(std::string(kColumns) + "WHERE org_id = $1 AND id = $2", {org_id, id});
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::vector<Bot> list(db::Connection& conn, const std::string& org_id) {
  std::vector<Bot> out;
  for (const auto& r : conn.query(std::string(kColumns) + "WHERE org_id = $1 ORDER BY updated_at DESC, id", {org_id}))
    out.push_back(from_row(r));
  return out;
}

bool name_taken(db::Connection& conn, const std::string& org_id, const std::string& name, const std::string& except_id) {
  return conn.query_one("SELECT 1 AS taken FROM bots WHERE org_id = $1 AND name = $2 AND id <> $3",
                        {org_id, name, except_id})
      .has_value();
}

}  // namespace sb::bots::store
