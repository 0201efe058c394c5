// Template service.
#include "templates/service.hpp"

#include "audit/service.hpp"

#include <algorithm>
#include <set>

#include "core/ids.hpp"
#include "core/text.hpp"
#include "orgs/permissions.hpp"
#include "templates/renderer.hpp"
#include "templates/store.hpp"

namespace sb::templates {

Result<void> validate_template(const Template& t) {
  std::map<std::string, std::string> errors;
  if (t.name.empty()) errors["name"] = "Enter a name.";
  else if (t.name.size() > 100) errors["name"] = "Use at most 100 characters.";
  if (t.category.size() > 50) errors["category"] = "Use at most 50 characters.";
  if (t.trigger_phrases.size() > 20) errors["trigger_phrases"] = "Use at most 20 trigger phrases.";
  // A template with no phrase can never fire on its own, so it must say it is meant that way.
  if (t.trigger_phrases.empty() && !t.manual)
    errors["trigger_phrases"] = "Add a trigger phrase, or mark the template as manual (used only by the AI).";
  for (const auto& p : t.trigger_phrases)
    if (normalize(p).empty() || p.size() > 100)
      errors["trigger_phrases"] = "Each trigger phrase needs a word or two, at most 100 characters.";
  std::set<std::string> declared;
  if (t.variables.size() > 20) errors["variables"] = "Use at most 20 variables.";
  for (const auto& v : t.variables) {
    if (builtin_variables().count(v.name)) errors["variables"] = "{{" + v.name + "}} is built in; do not declare it.";
    else if (v.name.empty() || v.name.size() > 40 || v.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos ||
             std::isdigit(static_cast<unsigned char>(v.name[0])))
      errors["variables"] = "Variable names use lower-case letters, digits and _, starting with a letter.";
    else if (!declared.insert(v.name).second) errors["variables"] = "{{" + v.name + "}} is declared twice.";
    else if (v.default_value.size() > 200) errors["variables"] = "Defaults are at most 200 characters.";
  }
  if (auto ok = validate(t.body, declared); !ok) errors["body"] = ok.error().details.at("fields").at("body").as_string().c_str();
  for (const auto& [platform, body] : t.platform_variants) {
    if (std::find(platforms().begin(), platforms().end(), platform) == platforms().end())
      errors["platform_variants"] = "\"" + platform + "\" is not a platform Switchboard supports.";
    else if (auto ok = validate(body, declared); !ok)
      errors["platform_variants"] = platform + ": " + std::string(ok.error().details.at("fields").at("body").as_string());
  }
  if (t.action && *t.action != "resolve" && *t.action != "convert")
    errors["action"] = "Use resolve, convert or null.";
  text::check(errors, "name", t.name, text::Lines::single);
  text::check(errors, "category", t.category, text::Lines::single);
  for (const auto& p : t.trigger_phrases) text::check(errors, "trigger_phrases", p, text::Lines::single);
  for (const auto& v : t.variables) text::check(errors, "variables", v.default_value, text::Lines::single);
  text::check(errors, "body", t.body, text::Lines::multi);
  for (const auto& [platform, body] : t.platform_variants)
    text::check(errors, "platform_variants", body, text::Lines::multi);
  if (!errors.empty()) return Error::validation(errors);
  return {};
}

namespace {
void apply(Template& t, const TemplateInput& in) {
  if (in.name) t.name = *in.name;
  if (in.category) t.category = *in.category;
  if (in.body) t.body = *in.body;
  if (in.trigger_phrases) t.trigger_phrases = *in.trigger_phrases;
  if (in.variables) t.variables = *in.variables;
  if (in.platform_variants) t.platform_variants = *in.platform_variants;
  if (in.manual) t.manual = *in.manual;
  if (in.action) t.action = *in.action;
  if (t.category.empty()) t.category = "General";
}

// What the audit log keeps of a template.
boost::json::object audit_fields(const Template& t) {
  boost::json::array variables;
  for (const auto& v : t.variables) variables.push_back(boost::json::object{{"name", v.name}, {"default", v.default_value}});
  boost::json::object variants;
  for (const auto& [platform, body] : t.platform_variants) variants[platform] = body;
  return {{"name", t.name},
          {"category", t.category},
          {"trigger_phrases", boost::json::value_from(t.trigger_phrases)},
          {"manual", t.manual},
          {"action", t.action ? boost::json::value(*t.action) : boost::json::value(nullptr)},
          {"body", t.body},
          {"variables", std::move(variables)},
          {"platform_variants", std::move(variants)}};
}

Error name_taken() {
  Error e = Error::conflict("A template with this name already exists in this organization.");
  e.details["fields"] = boost::json::object{{"name", "A template with this name already exists."}};
  return e;
}

bool contains_ci(const std::string& haystack, const std::string& needle) {
  return normalize(haystack).find(normalize(needle)) != std::string::npos;
}
}  // namespace

Result<std::vector<Template>> TemplateService::list(const AuthContext& ctx, const std::string& q,
                                                     const std::string& category) {
  if (!orgs::can(ctx, orgs::Action::bots_read)) return Error::forbidden();
  auto conn = db_.acquire();
  auto all = store::list(*conn, ctx.org_id);
  std::erase_if(all, [&](const Template& t) {
    return (!q.empty() && !contains_ci(t.name, q) && !contains_ci(t.body, q)) ||
           (!category.empty() && t.category != category);
  });
  return all;
}

Result<Template> TemplateService::get(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::bots_read)) return Error::forbidden();
  auto conn = db_.acquire();
  auto t = store::find(*conn, ctx.org_id, id);
  if (!t) return Error::not_found("No such template.");
  return *t;
}

Result<Template> TemplateService::create(const AuthContext& ctx, const TemplateInput& input) {
  if (!orgs::can(ctx, orgs::Action::bots_manage)) return Error::forbidden("Viewers cannot create templates.");
  std::int64_t now = clock_.now_ms();
  Template t;
  t.id = new_id("tpl", now);
  t.org_id = ctx.org_id;
  t.created_at = t.updated_at = now;
  apply(t, input);
  if (auto ok = validate_template(t); !ok) return ok.error();
  auto conn = db_.acquire();
  if (store::name_taken(*conn, ctx.org_id, t.name, t.id)) return name_taken();
  db::Transaction tx(*conn);
  try {
    store::insert(*conn, t);
  } catch (const db::DbError& e) {
    if (e.constraint_violation()) return name_taken();  // a concurrent save took the name first
    throw;
  }
  audit::record(*conn, ctx, ctx.org_id, "template.created", {"template", t.id, t.name}, now, std::nullopt, audit_fields(t));
  tx.commit();
  return t;
}

Result<Template> TemplateService::update(const AuthContext& ctx, const std::string& id, const TemplateInput& input) {
  if (!orgs::can(ctx, orgs::Action::bots_manage)) return Error::forbidden("Viewers cannot change templates.");
  auto conn = db_.acquire();
  auto t = store::find(*conn, ctx.org_id, id);
  if (!t) return Error::not_found("No such template.");
  Template before = *t;
  apply(*t, input);
  t->updated_at = clock_.now_ms();
  if (auto ok = validate_template(*t); !ok) return ok.error();
  if (store::name_taken(*conn, ctx.org_id, t->name, t->id)) return name_taken();
  db::Transaction tx(*conn);
  try {
    store::update(*conn, *t);
  } catch (const db::DbError& e) {
    if (e.constraint_violation()) return name_taken();
    throw;
  }
  audit::record_change(*conn, ctx, ctx.org_id, "template.updated", {"template", t->id, t->name}, t->updated_at,
                       audit_fields(before), audit_fields(*t));
  tx.commit();
  return *t;
}

Result<void> TemplateService::remove(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::bots_manage)) return Error::forbidden("Viewers cannot delete templates.");
  auto conn = db_.acquire();
  auto t = store::find(*conn, ctx.org_id, id);
  if (!t) return Error::not_found("No such template.");
  db::Transaction tx(*conn);
  store::remove(*conn, ctx.org_id, id);
  audit::record(*conn, ctx, ctx.org_id, "template.deleted", {"template", t->id, t->name}, clock_.now_ms(),
                audit_fields(*t));
  tx.commit();
  return {};
}

Result<std::string> TemplateService::preview(const AuthContext& ctx, const PreviewRequest& request) {
  if (!orgs::can(ctx, orgs::Action::bots_read)) return Error::forbidden();
  std::map<std::string, std::string> defaults;
  for (const auto& v : request.defaults) defaults[v.name] = v.default_value;
  // Sample values for the built-in variables, so a preview reads like a real answer.
  std::map<std::string, std::string> values = {{"user_name", "Alex"}, {"bot_name", "Your bot"}, {"platform", "webchat"}};
  for (const auto& [k, v] : request.values) values[k] = v;
  return render(request.body, values, defaults);
}

}  // namespace sb::templates
