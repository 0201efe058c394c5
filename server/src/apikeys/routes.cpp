// API key handlers.
#include "apikeys/routes.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"

namespace sb::apikeys {
namespace {
namespace json = boost::json;
using http::Request;
using http::Response;

json::value opt_time(const std::optional<std::int64_t>& t) { return t ? json::value(format_rfc3339(*t)) : json::value(nullptr); }

json::object key_json(const ApiKey& k) {
  json::object created_by{{"id", k.created_by ? json::value(*k.created_by) : json::value(nullptr)},
                          {"name", k.created_by_name}};
  return {{"id", k.id},
          {"name", k.name},
          {"role", k.role},
          {"prefix", k.prefix},
          {"created_by", std::move(created_by)},
          {"created_at", format_rfc3339(k.created_at)},
          {"expires_at", opt_time(k.expires_at)},
          {"last_used_at", opt_time(k.last_used_at)},
          {"revoked_at", opt_time(k.revoked_at)}};
}

}  // namespace

void add_routes(http::Router& router, ApiKeyService& keys, const accounts::Authenticator& auth) {
  using http::Method;
  router.add(Method::get, "/api/orgs/:id/api-keys", [&keys, &auth](Request& req) {
    auto ctx = auth.require_in_org(req, req.param("id"));
    if (!ctx) return Response::error(ctx.error());
    return http::respond(keys.list(*ctx), 200, [](const std::vector<ApiKey>& list) {
      json::array items;
      for (const auto& k : list) items.push_back(key_json(k));
      return json::object{{"items", std::move(items)}};
    });
  });
  router.add(Method::post, "/api/orgs/:id/api-keys", [&keys, &auth](Request& req) {
    auto ctx = auth.require_in_org(req, req.param("id"));
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    NewKey key;
    key.name = f.string("name", false, 100).value_or("");
    key.role = f.string("role", true, 20).value_or("");
    auto expires = f.nullable_string("expires_at", 64);
    if (expires && *expires) {
      key.expires_at = parse_rfc3339(**expires);
      if (!key.expires_at) f.fail("expires_at", "Use a date and time such as 2026-12-31T23:59:59Z.");
    }
    if (!f.ok()) return Response::error(f.error());
    return http::respond(keys.create(*ctx, key), 201, [](const IssuedKey& issued) {
      json::object out = key_json(issued.key);
      out["key"] = issued.secret;
      return out;
    });
  });
  router.add(Method::delete_, "/api/orgs/:id/api-keys/:key_id", [&keys, &auth](Request& req) {
    auto ctx = auth.require_in_org(req, req.param("id"));
    if (!ctx) return Response::error(ctx.error());
    auto done = keys.revoke(*ctx, req.param("key_id"));
    return done ? Response::no_content() : Response::error(done.error());
  });
}

}  // namespace sb::apikeys
