// Analytics handlers: parse the query, call the service, answer its JSON.
#include "analytics/routes.hpp"

#include <map>

#include "core/text.hpp"

namespace sb::analytics {
using http::Request;
using http::Response;

namespace {
bool is_id(const std::string& v) {
  return !v.empty() && v.size() <= 64 &&
         v.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == std::string::npos;
}
}  // namespace

Result<Query> parse_query(const Request& req, const std::set<std::string>& extra) {
  static const std::set<std::string> kKnown = {"preset",        "from",        "to",     "tz",     "bot_id", "platform",
                                               "deployment_id", "template_id", "compare"};
  std::map<std::string, std::string> errors;
  for (const auto& [name, value] : req.query)
    if (!kKnown.count(name) && !extra.count(name))
      errors[name.size() > 64 ? name.substr(0, 64) : name] = "This parameter is not supported.";
  Query q;
  auto text = [&](const char* name) -> std::optional<std::string> {
    auto v = req.query_param(name);
    if (!v || v->empty()) return std::nullopt;
    if (v->size() > 64 || text::has_forbidden_controls(*v, text::Lines::single)) {
      errors[name] = "Not a valid value.";
      return std::nullopt;
    }
    return v;
  };
  auto id = [&](const char* name) -> std::optional<std::string> {
    auto v = text(name);
    // An id of another shape names nothing here: not found, like another organisation's id.
    return v;
  };
  q.preset = text("preset");
  q.from = text("from");
  q.to = text("to");
  q.tz = text("tz");
  q.bot_id = id("bot_id");
  q.deployment_id = id("deployment_id");
  q.template_id = id("template_id");
  q.platform = text("platform");
  if (auto c = text("compare")) {
    if (*c == "none") q.compare = false;
    else if (*c != "previous") errors["compare"] = "Use previous or none.";
  }
  if (!errors.empty()) return Error::validation(std::move(errors));
  return q;
}

namespace {
// The ids are checked by the service (unknown: 404); one that cannot be an id is unknown too.
std::optional<Error> unknown_id(const Query& q) {
  if (q.bot_id && !is_id(*q.bot_id)) return Error::not_found("No such bot.");
  if (q.deployment_id && !is_id(*q.deployment_id)) return Error::not_found("No such deployment.");
  if (q.template_id && !is_id(*q.template_id)) return Error::not_found("No such template.");
  return std::nullopt;
}
}  // namespace

void add_routes(http::Router& router, AnalyticsService& analytics, const accounts::Authenticator& auth) {
  using http::Method;
  auto handler = [&analytics, &auth](std::set<std::string> extra, auto call) {
    return [&analytics, &auth, extra = std::move(extra), call](Request& req) {
      auto ctx = auth.require(req);
      if (!ctx) return Response::error(ctx.error());
      auto q = parse_query(req, extra);
      if (!q) return Response::error(q.error());
      if (auto e = unknown_id(*q)) return Response::error(*e);
      auto result = call(analytics, *ctx, *q, req);
      if (!result) return Response::error(result.error());
      return Response::json(200, *result);
    };
  };
  router.add(Method::get, "/api/analytics/overview",
             handler({}, [](AnalyticsService& a, const AuthContext& ctx, const Query& q, Request&) {
               return a.overview_json(ctx, q);
             }));
  router.add(Method::get, "/api/analytics/series",
             handler({}, [](AnalyticsService& a, const AuthContext& ctx, const Query& q, Request&) {
               return a.series_json(ctx, q);
             }));
  router.add(Method::get, "/api/analytics/funnel",
             handler({"by"}, [](AnalyticsService& a, const AuthContext& ctx, const Query& q, Request& req) {
               return a.funnel_json(ctx, q, req.query_param("by").value_or("none"));
             }));
  router.add(Method::get, "/api/analytics/breakdown",
             handler({"by"}, [](AnalyticsService& a, const AuthContext& ctx, const Query& q, Request& req) {
               return a.breakdown_json(ctx, q, req.query_param("by").value_or("platform"));
             }));
  router.add(Method::get, "/api/analytics/unanswered",
             handler({"limit"}, [](AnalyticsService& a, const AuthContext& ctx, const Query& q, Request& req) {
               std::int64_t limit = 10;
               if (auto l = req.query_param("limit")) {
                 if (l->empty() || l->size() > 6 || l->find_first_not_of("0123456789") != std::string::npos) limit = -1;
                 else limit = std::stoll(*l);
               }
               return a.unanswered_json(ctx, q, limit);
             }));
}

}  // namespace sb::analytics
