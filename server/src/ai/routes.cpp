// AI settings handlers: GET/PUT /api/orgs/:id/ai, DELETE /api/orgs/:id/ai/key, GET /api/ai/models.
#include "ai/routes.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"

namespace sb::ai {
namespace {
namespace json = boost::json;
using http::Request;
using http::Response;

json::value time_or_null(const std::optional<std::int64_t>& ms) {
  return ms && *ms ? json::value(format_rfc3339(*ms)) : json::value(nullptr);
}

json::object view_json(const AiSettingsView& v) {
  const auto& s = v.settings;
  json::array models;
  for (const auto& m : s.allowed_models) models.emplace_back(m);
  json::value own_key = nullptr;
  if (s.key_set_at)
    own_key = json::object{{"set_at", time_or_null(s.key_set_at)}, {"verified_at", time_or_null(s.key_verified_at)}};
  const char* using_key = v.using_key == KeySource::organization   ? "organization"
                          : v.using_key == KeySource::installation ? "installation"
                                                                   : "none";
  return {{"own_key", std::move(own_key)},
          {"allowed_models", std::move(models)},
          {"installation_key", v.installation_key},
          {"using", using_key},
          {"health", json::object{{"state", v.health},
                                  {"reason", v.health_reason},
                                  {"since", time_or_null(v.health_since)}}},
          {"can_manage", v.can_manage}};
}

Result<AiSettingsInput> read_input(const Request& req) {
  auto body = req.json_body();
  if (!body) return body.error();
  sb::json::FieldReader f(*body);
  AiSettingsInput in;
  in.api_key = f.string("api_key", false, 1000);
  if (auto* list = body->if_contains("allowed_models")) {
    std::vector<std::string> models;
    bool ok = list->is_array() && list->as_array().size() <= 1000;
    if (ok)
      for (const auto& m : list->as_array()) {
        if (!m.is_string()) ok = false;
        else models.emplace_back(m.as_string());
      }
    if (ok) in.allowed_models = std::move(models);
    else f.fail("allowed_models", "Must be a list of model ids.");
  }
  if (!f.ok()) return f.error();
  return in;
}

}  // namespace

void add_routes(http::Router& router, AiSettingsService& settings, const accounts::Authenticator& auth) {
  using http::Method;
  router.add(Method::get, "/api/orgs/:id/ai", [&settings, &auth](Request& req) {
    auto ctx = auth.require_in_org(req, req.param("id"));
    if (!ctx) return Response::error(ctx.error());
    return http::respond(settings.get(*ctx), 200, view_json);
  });
  router.add(Method::put, "/api/orgs/:id/ai", [&settings, &auth](Request& req) {
    auto ctx = auth.require_in_org(req, req.param("id"));
    if (!ctx) return Response::error(ctx.error());
    auto input = read_input(req);
    if (!input) return Response::error(input.error());
    return http::respond(settings.update(*ctx, *input), 200, view_json);
  });
  router.add(Method::delete_, "/api/orgs/:id/ai/key", [&settings, &auth](Request& req) {
    auto ctx = auth.require_in_org(req, req.param("id"));
    if (!ctx) return Response::error(ctx.error());
    return http::respond(settings.remove_key(*ctx), 200, view_json);
  });
  router.add(Method::get, "/api/ai/models", [&settings, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto list = settings.models();
    json::array models;
    for (const auto& m : list.models) {
      auto price = [](const std::optional<std::string>& p) { return p ? json::value(*p) : json::value(nullptr); };
      models.push_back(json::object{{"id", m.id},
                                    {"name", m.name},
                                    {"context_length", m.context_length ? json::value(*m.context_length) : json::value(nullptr)},
                                    {"prompt_price", price(m.prompt_price)},
                                    {"completion_price", price(m.completion_price)}});
    }
    return Response::json(200, json::object{{"models", std::move(models)},
                                            {"fetched_at", time_or_null(list.fetched_at)},
                                            {"error", list.error ? json::value(*list.error) : json::value(nullptr)}});
  });
}

}  // namespace sb::ai
