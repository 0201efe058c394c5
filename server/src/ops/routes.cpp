// Operations handlers.
#include "ops/routes.hpp"

#include "core/clock.hpp"

namespace sb::ops {
namespace {
namespace json = boost::json;

json::object report_json(const DebugReport& r, const AuthContext& ctx) {
  json::array checks;
  for (const auto& c : r.checks)
    checks.push_back(json::object{{"name", c.name}, {"status", health_name(c.status)}, {"reason", c.reason}});
  json::array applied, pending;
  for (const auto& m : r.migrations.applied)
    applied.push_back(
        json::object{{"version", m.version}, {"name", m.name}, {"applied_at", format_rfc3339(m.applied_at_ms)}});
  for (const auto& m : r.migrations.pending) pending.push_back(json::object{{"version", m.version}, {"name", m.name}});
  json::object database{{"driver", r.database_driver}, {"description", r.database}};
  database["latency_ms"] = r.database_latency_ms ? json::value(*r.database_latency_ms) : json::value(nullptr);
  json::object session{
      {"user", json::object{{"id", ctx.user_id},
                            {"email", ctx.email},
                            {"name", ctx.name},
                            {"is_platform_admin", ctx.is_platform_admin}}},
      {"role", ctx.role},
      {"expires_at", format_rfc3339(ctx.session_expires_at)}};
  session["organization"] = ctx.org_id.empty() ? json::value(nullptr) : json::value(json::object{{"id", ctx.org_id}, {"name", r.organization_name}});
  return {{"checks", std::move(checks)},
          {"database", std::move(database)},
          {"migrations", json::object{{"applied", std::move(applied)}, {"pending", std::move(pending)}}},
          {"session", std::move(session)},
          {"build", json::object{{"version", r.version}, {"commit", r.commit}}}};
}

}  // namespace

void add_routes(http::Router& router, OpsService& ops, http::Metrics& metrics, const accounts::Authenticator& auth) {
  router.add(
      http::Method::get, "/healthz",
      [](http::Request&) { return http::Response::json(200, json::object{{"status", "ok"}}); },
      {.body_limit = 0, .blocking = false});

  router.add(http::Method::get, "/readyz", [&ops](http::Request&) {
    Readiness r = ops.readiness();
    json::object body{{"status", r.ready ? "ready" : "not_ready"},
                      {"database_latency_ms", r.database_latency_ms},
                      {"pending_migrations", r.pending_migrations}};
    if (!r.ready) body["reason"] = r.reason;
    return http::Response::json(r.ready ? 200 : 503, body);
  });

  router.add(http::Method::get, "/metrics", [&metrics](http::Request&) {
    return http::Response::text(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  });

  router.add(http::Method::get, "/api/debug", [&ops, &auth](http::Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return http::Response::error(ctx.error());
    auto report = ops.debug_report(*ctx);
    if (!report) return http::Response::error(report.error());
    return http::Response::json(200, report_json(*report, *ctx));
  });
}

}  // namespace sb::ops
