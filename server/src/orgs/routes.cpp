// Organisation handlers.
#include "orgs/routes.hpp"

#include "core/clock.hpp"

namespace sb::orgs {

boost::json::object membership_json(const Membership& m) {
  return {{"id", m.org.id}, {"name", m.org.name}, {"created_at", format_rfc3339(m.org.created_at)}, {"role", m.role}};
}

void add_routes(http::Router& router, OrgService& orgs, const accounts::Authenticator& auth) {
  router.add(http::Method::get, "/api/orgs/:id", [&orgs, &auth](http::Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return http::Response::error(ctx.error());
    return http::respond(orgs.get(*ctx, req.param("id")), 200, membership_json);
  });
}

}  // namespace sb::orgs
