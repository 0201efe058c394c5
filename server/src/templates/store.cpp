// Template SQL; lists and maps are stored as JSON text.
#include "templates/store.hpp"

#include <boost/json.hpp>

namespace sb::templates::store {
namespace {
namespace json = boost::json;

std::string phrases_json(const std::vector<std::string>& v) { return json::serialize(json::value_from(v)); }
std::string variables_json(const std::vector<Variable>& v) {
  json::array a;
  for (const auto& x : v) a.push_back(json::object{{"name", x.name}, {"default", x.default_value}});
  return json::serialize(a);
}
std::string variants_json(const std::map<std::string, std::string>& m) { return json::serialize(json::value_from(m)); }

Template from_row(const db::Row& r) {
  Template t;
  t.id = r.text("id");
  t.org_id = r.text("org_id");
  t.name = r.text("name");
  t.category = r.text("category");
  t.body = r.text("body");
  t.manual = r.integer("manual") != 0;
  t.action = r.opt_text("action");
  t.created_at = r.integer("created_at");
  t.updated_at = r.integer("updated_at");
  // Parsed values are kept in locals: a range-for over a temporary's member would dangle.
  json::value phrases = json::parse(r.text("trigger_phrases"));
  json::value variables = json::parse(r.text("variables"));
  json::value variants = json::parse(r.text("platform_variants"));
  for (const auto& p : phrases.as_array()) t.trigger_phrases.emplace_back(p.as_string());
  for (const auto& v : variables.as_array())
    t.variables.push_back({std::string(v.at("name").as_string()), std::string(v.at("default").as_string())});
  for (const auto& kv : variants.as_object()) t.platform_variants[std::string(kv.key())] = std::string(kv.value().as_string());
  return t;
}

constexpr const char* kColumns =
    "SELECT t.id, t.org_id, t.name, t.category, t.trigger_phrases, t.body, t.variables, t.platform_variants, "
    "t.manual, t.created_at, t.updated_at, t.action FROM templates t ";

}  // namespace

void insert(db::Connection& conn, const Template& t) {
  conn.execute(
      "INSERT INTO templates (id, org_id, name, category, trigger_phrases, body, variables, platform_variants, "
      "manual, created_at, updated_at, action) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {t.id, t.org_id, t.name, t.category, phrases_json(t.trigger_phrases), t.body, variables_json(t.variables),
       variants_json(t.platform_variants), std::int64_t{t.manual ? 1 : 0}, t.created_at, t.updated_at,
       t.action ? db::Value(*t.action) : db::Value(nullptr)});
}

void update(db::Connection& conn, const Template& t) {
  conn.execute(
      "UPDATE templates SET name = $3, category = $4, trigger_phrases = $5, body = $6, variables = $7, "
      "platform_variants = $8, manual = $9, updated_at = $10, action = $11 WHERE org_id = $1 AND id = $2",
      {t.org_id, t.id, t.name, t.category, phrases_json(t.trigger_phrases), t.body, variables_json(t.variables),
       variants_json(t.platform_variants), std::int64_t{t.manual ? 1 : 0}, t.updated_at,
       t.action ? db::Value(*t.action) : db::Value(nullptr)});
}

bool name_taken(db::Connection& conn, const std::string& org_id, const std::string& name, const std::string& except_id) {
  return conn.query_one("SELECT 1 AS taken FROM templates WHERE org_id = $1 AND name = $2 AND id <> $3",
                        {org_id, name, except_id})
      .has_value();
}

void remove(db::Connection& conn, const std::string& org_id, const std::string& id) {
  conn.execute("DELETE FROM templates WHERE org_id = $1 AND id = $2", {org_id, id});
}

std::optional<Template> find(db::Connection& conn, const std::string& org_id, const std::string& id) {
  auto r = conn.query_one(std::string(kColumns) + "WHERE t.org_id = $1 AND t.id = $2", {org_id, id});
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::vector<Template> list(db::Connection& conn, const std::string& org_id) {
  std::vector<Template> out;
  for (const auto& r : conn.query(std::string(kColumns) + "WHERE t.org_id = $1 ORDER BY t.name, t.id", {org_id}))
    out.push_back(from_row(r));
  return out;
}

std::vector<Template> for_bot(db::Connection& conn, const std::string& org_id, const std::string& bot_id) {
  std::vector<Template> out;
  for (const auto& r : conn.query(std::string(kColumns) +
                                      "JOIN bot_templates b ON b.template_id = t.id "
                                      "WHERE t.org_id = $1 AND b.org_id = $1 AND b.bot_id = $2 ORDER BY b.position",
                                  {org_id, bot_id}))
    out.push_back(from_row(r));
  return out;
}

std::vector<std::string> ids_for_bot(db::Connection& conn, const std::string& org_id, const std::string& bot_id) {
  std::vector<std::string> out;
  for (const auto& r : conn.query("SELECT template_id FROM bot_templates WHERE org_id = $1 AND bot_id = $2 ORDER BY position",
                                  {org_id, bot_id}))
    out.push_back(r.text("template_id"));
  return out;
}

void attach(db::Connection& conn, const std::string& org_id, const std::string& bot_id,
            const std::vector<std::string>& template_ids) {
  conn.execute("DELETE FROM bot_templates WHERE org_id = $1 AND bot_id = $2", {org_id, bot_id});
  std::int64_t position = 0;
  for (const auto& id : template_ids)
    conn.execute("INSERT INTO bot_templates (bot_id, template_id, org_id, position) VALUES ($1, $2, $3, $4)",
                 {bot_id, id, org_id, position++});
}

}  // namespace sb::templates::store
