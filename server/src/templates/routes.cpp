// Template handlers.
#include "templates/routes.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"

namespace sb::templates {
namespace json = boost::json;
using http::Request;
using http::Response;

json::object template_json(const Template& t) {
  json::array vars;
  for (const auto& v : t.variables) vars.push_back(json::object{{"name", v.name}, {"default", v.default_value}});
  return {{"id", t.id},
          {"name", t.name},
          {"category", t.category},
          {"trigger_phrases", json::value_from(t.trigger_phrases)},
          {"body", t.body},
          {"variables", std::move(vars)},
          {"platform_variants", json::value_from(t.platform_variants)},
          {"manual", t.manual},
          {"action", t.action ? json::value(*t.action) : json::value(nullptr)},
          {"created_at", format_rfc3339(t.created_at)},
          {"updated_at", format_rfc3339(t.updated_at)}};
}

namespace {

std::optional<std::vector<std::string>> string_list(const json::object& body, const char* name, sb::json::FieldReader& f) {
  auto* v = body.if_contains(name);
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  if (!v->is_array()) {
    f.fail(name, "Must be a list of strings.");
    return std::nullopt;
  }
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) {
      f.fail(name, "Must be a list of strings.");
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

std::optional<std::vector<Variable>> variable_list(const json::object& body, const char* name, sb::json::FieldReader& f) {
  auto* v = body.if_contains(name);
  if (!v) return std::nullopt;
  std::vector<Variable> out;
  bool ok = v->is_array();
  if (ok)
    for (const auto& item : v->as_array()) {
      const auto* o = item.if_object();
      const json::value* n = o ? o->if_contains("name") : nullptr;
      const json::value* d = o ? o->if_contains("default") : nullptr;
      if (!n || !n->is_string() || (d && !d->is_string() && !d->is_null())) {
        ok = false;
        break;
      }
      out.push_back({std::string(n->as_string()), d && d->is_string() ? std::string(d->as_string()) : ""});
    }
  if (!ok) {
    f.fail(name, "Must be a list of {name, default}.");
    return std::nullopt;
  }
  return out;
}

std::optional<std::map<std::string, std::string>> string_map(const json::object& body, const char* name,
                                                             sb::json::FieldReader& f) {
  auto* v = body.if_contains(name);
  if (!v) return std::nullopt;
  std::map<std::string, std::string> out;
  if (!v->is_object()) {
    f.fail(name, "Must map names to text.");
    return std::nullopt;
  }
  for (const auto& kv : v->as_object()) {
    if (!kv.value().is_string()) {
      f.fail(name, "Must map names to text.");
      return std::nullopt;
    }
    if (!kv.value().as_string().empty()) out[std::string(kv.key())] = std::string(kv.value().as_string());
  }
  return out;
}

Result<TemplateInput> read_input(const Request& req) {
  auto body = req.json_body();
  if (!body) return body.error();
  sb::json::FieldReader f(*body);
  TemplateInput in;
  in.name = f.string("name", false, 100);
  in.category = f.string("category", false, 50);
  in.body = f.string("body", false, 5000, true);
  in.trigger_phrases = string_list(*body, "trigger_phrases", f);
  in.variables = variable_list(*body, "variables", f);
  in.platform_variants = string_map(*body, "platform_variants", f);
  in.manual = f.boolean("manual");
  in.action = f.nullable_string("action", 20);
  if (!f.ok()) return f.error();
  return in;
}

}  // namespace

void add_routes(http::Router& router, TemplateService& templates, const accounts::Authenticator& auth) {
  using http::Method;
  auto one = [](const Template& t) { return template_json(t); };
  router.add(Method::get, "/api/templates", [&templates, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(templates.list(*ctx, req.query_param("q").value_or(""), req.query_param("category").value_or("")),
                         200, [](const std::vector<Template>& list) {
                           json::array items;
                           for (const auto& t : list) items.push_back(template_json(t));
                           return json::object{{"items", std::move(items)}};
                         });
  });
  router.add(Method::post, "/api/templates", [&templates, &auth, one](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto input = read_input(req);
    if (!input) return Response::error(input.error());
    return http::respond(templates.create(*ctx, *input), 201, one);
  });
  router.add(Method::get, "/api/templates/:id", [&templates, &auth, one](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(templates.get(*ctx, req.param("id")), 200, one);
  });
  router.add(Method::patch, "/api/templates/:id", [&templates, &auth, one](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto input = read_input(req);
    if (!input) return Response::error(input.error());
    return http::respond(templates.update(*ctx, req.param("id"), *input), 200, one);
  });
  router.add(Method::delete_, "/api/templates/:id", [&templates, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto done = templates.remove(*ctx, req.param("id"));
    return done ? Response::no_content() : Response::error(done.error());
  });
  router.add(Method::post, "/api/templates/preview", [&templates, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    PreviewRequest preview;
    preview.body = f.string("body", false, 5000, true).value_or("");
    if (auto defaults = variable_list(*body, "defaults", f)) preview.defaults = *defaults;
    if (auto values = string_map(*body, "variables", f)) preview.values = *values;
    if (!f.ok()) return Response::error(f.error());
    return http::respond(templates.preview(*ctx, preview), 200,
                         [](const std::string& text) { return json::object{{"text", text}}; });
  });
}

}  // namespace sb::templates
