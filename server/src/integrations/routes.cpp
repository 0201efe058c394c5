// Integration handlers: parse → service → serialise. Credentials never appear in an answer.
#include "integrations/routes.hpp"

#include <cstdint>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/public_url.hpp"

namespace sb::integrations {
namespace {
namespace json = boost::json;
using http::Request;
using http::Response;

json::value opt_time(const std::optional<std::int64_t>& t) { return t ? json::value(format_rfc3339(*t)) : json::value(nullptr); }

json::object integration_json(const IntegrationView& v) {
  const Integration& i = v.integration;
  json::object creds;
  for (const auto& c : v.credentials)
    creds[c.field] = json::object{{"set", c.set}, {"hint", c.hint ? json::value(*c.hint) : json::value(nullptr)}};
  return json::object{{"id", i.id},
                      {"platform", i.platform},
                      {"name", i.name},
                      {"status", i.status},
                      {"status_reason", i.status_reason},
                      {"checked_at", opt_time(i.checked_at)},
                      {"account", i.account ? json::value(*i.account) : json::value(nullptr)},
                      {"credentials", std::move(creds)},
                      {"webhook_url", v.webhook_url},
                      {"webhook_registered_at", opt_time(i.webhook_registered_at)},
                      {"deployment_count", i.deployment_count},
                      {"in_doubt_policy", i.in_doubt_policy},
                      {"created_at", format_rfc3339(i.created_at)},
                      {"updated_at", format_rfc3339(i.updated_at)}};
}

json::object action_json(const ActionResult& r) {
  json::object o{{"ok", r.ok}, {"message", r.message}, {"http_status", r.http_status}};
  o["platform_message_id"] = r.platform_message_id.empty() ? json::value(nullptr) : json::value(r.platform_message_id);
  if (r.integration) o["integration"] = integration_json(*r.integration);
  return o;
}

json::object platform_json(const Connector& c) {
  json::array fields;
  for (const auto& f : c.credential_schema())
    fields.push_back(json::object{{"name", f.name},
                                  {"label", f.label},
                                  {"help", f.help},
                                  {"placeholder", f.placeholder},
                                  {"secret", f.secret},
                                  {"required", f.required}});
  return json::object{{"platform", c.platform()},
                      {"name", c.display_name()},
                      {"fields", std::move(fields)},
                      {"webhook_setup", c.webhook_setup()},
                      {"verify_call", c.verify_call()}};
}

// Whether platforms can call this installation back, and which setting changes it.
json::object public_base_url_json(const std::string& url) {
  const auto check = check_public_base_url(url);
  return json::object{{"url", url},
                      {"reachable", check.reachable()},
                      {"problem", check.reachable() ? json::value(nullptr) : json::value(check.code())},
                      {"message", check.message()},
                      {"setting", "--public-base-url"},
                      {"environment_variable", "SWITCHBOARD_PUBLIC_BASE_URL"}};
}

// {"credentials": {field: "value" | null}}; null and "" keep the stored value.
CredentialInput credentials_field(const json::object& body, sb::json::FieldReader& f) {
  CredentialInput out;
  auto* v = body.if_contains("credentials");
  if (!v || v->is_null()) return out;
  if (!v->is_object()) {
    f.fail("credentials", "Send the credentials as an object of field names and values.");
    return out;
  }
  for (const auto& kv : v->as_object()) {
    std::string field(kv.key());
    if (kv.value().is_null()) continue;
    if (!kv.value().is_string()) {
      f.fail("credentials." + field, "Must be text.");
      continue;
    }
    std::string value(kv.value().as_string());
    auto first = value.find_first_not_of(" \t\r\n");
    auto last = value.find_last_not_of(" \t\r\n");
    out[field] = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  }
  return out;
}

}  // namespace

void add_routes(http::Router& router, IntegrationService& integrations, const accounts::Authenticator& auth) {
  using http::Method;
  router.add(Method::get, "/api/integrations/platforms", [&integrations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    json::array items;
    for (const auto* c : all_connectors()) items.push_back(platform_json(*c));
    return Response::json(200, json::object{{"items", std::move(items)},
                                            {"public_base_url", public_base_url_json(integrations.public_base_url())}});
  });
  router.add(Method::get, "/api/integrations", [&integrations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(integrations.list(*ctx, req.query_param("platform")), 200,
                         [](const std::vector<IntegrationView>& list) {
                           json::array items;
                           for (const auto& v : list) items.push_back(integration_json(v));
                           return json::object{{"items", std::move(items)}};
                         });
  });
  router.add(Method::post, "/api/integrations", [&integrations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto platform = f.string("platform", true, 20);
    auto name = f.string("name", true, 200);
    auto creds = credentials_field(*body, f);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(integrations.create(*ctx, *platform, *name, creds), 201, integration_json);
  });
  router.add(Method::get, "/api/integrations/:id", [&integrations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(integrations.get(*ctx, req.param("id")), 200, integration_json);
  });
  router.add(Method::patch, "/api/integrations/:id", [&integrations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto name = f.string("name", false, 200);
    auto policy = f.string("in_doubt_policy", false, 20);
    auto creds = credentials_field(*body, f);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(integrations.update(*ctx, req.param("id"), name, creds, policy), 200, integration_json);
  });
  router.add(Method::delete_, "/api/integrations/:id", [&integrations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto done = integrations.remove(*ctx, req.param("id"));
    return done ? Response::no_content() : Response::error(done.error());
  });
  router.add(Method::post, "/api/integrations/:id/verify", [&integrations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(integrations.verify(*ctx, req.param("id")), 200, integration_json);
  });
  router.add(Method::post, "/api/integrations/:id/webhook", [&integrations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(integrations.register_webhook(*ctx, req.param("id")), 200, action_json);
  });
  auto limits_json = [](const RateLimitView& v) {
    auto pair = [](const RateLimit& l) {
      return json::object{{"per_second", l.per_second}, {"per_chat_per_minute", l.per_chat_per_minute}};
    };
    return json::object{{"per_second", v.effective.per_second},
                        {"per_chat_per_minute", v.effective.per_chat_per_minute},
                        {"defaults", pair(v.defaults)},
                        {"bounds", json::object{{"per_second", json::object{{"min", 1}, {"max", v.max.per_second}}},
                                                {"per_chat_per_minute",
                                                 json::object{{"min", 1}, {"max", v.max.per_chat_per_minute}}}}},
                        {"customised", v.customised}};
  };
  router.add(Method::get, "/api/integrations/:id/rate-limits", [&integrations, &auth, limits_json](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(integrations.rate_limits(*ctx, req.param("id")), 200, limits_json);
  });
  router.add(Method::put, "/api/integrations/:id/rate-limits", [&integrations, &auth, limits_json](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    RateLimit limit;
    for (auto [name, target] : {std::pair{"per_second", &limit.per_second},
                                std::pair{"per_chat_per_minute", &limit.per_chat_per_minute}}) {
      auto* v = body->if_contains(name);
      if (!v || !v->is_int64() || v->as_int64() < INT32_MIN || v->as_int64() > INT32_MAX) f.fail(name, "Give a whole number.");
      else *target = static_cast<int>(v->as_int64());
    }
    if (!f.ok()) return Response::error(f.error());
    return http::respond(integrations.set_rate_limits(*ctx, req.param("id"), limit), 200, limits_json);
  });
  router.add(Method::delete_, "/api/integrations/:id/rate-limits", [&integrations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto done = integrations.reset_rate_limits(*ctx, req.param("id"));
    return done ? Response::no_content() : Response::error(done.error());
  });
  router.add(Method::post, "/api/integrations/:id/test-message", [&integrations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto recipient = f.string("recipient", false, 1000);
    auto text = f.string("text", false, 10000);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(integrations.send_test_message(*ctx, req.param("id"), recipient.value_or(""), text.value_or("")),
                         200, action_json);
  });
}

}  // namespace sb::integrations
