// Data retention handlers.
#include "retention/routes.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"

namespace sb::retention {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

json::value opt(std::optional<std::int64_t> v) { return v ? json::value(*v) : json::value(nullptr); }

}  // namespace

void add_routes(http::Router& router, RetentionService& retention, const accounts::Authenticator& auth) {
  router.add(http::Method::get, "/api/billing/retention", [&retention, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(retention.policies(*ctx), 200, [](const std::vector<Policy>& policies) {
      json::array items;
      for (const auto& p : policies)
        items.push_back(json::object{{"kind", kind_name(p.kind)},
                                     {"applied_days", opt(p.applied_days)},
                                     {"pending_days", opt(p.pending_days)},
                                     {"pending_effective_at", p.pending_effective_at
                                                                  ? json::value(format_rfc3339(*p.pending_effective_at))
                                                                  : json::value(nullptr)}});
      return json::object{{"items", std::move(items)}};
    });
  });
}

}  // namespace sb::retention
