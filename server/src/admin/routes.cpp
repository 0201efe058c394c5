// Platform admin handlers. The only rule is "platform admins only", which the authenticator enforces,
// so these read their store directly.
#include "admin/routes.hpp"

#include "admin/store.hpp"
#include "core/clock.hpp"
#include "mail/mailer.hpp"

namespace sb::admin {
namespace json = boost::json;

void add_routes(http::Router& router, db::Database& db, const accounts::Authenticator& auth,
                billing::BillingService& billing) {
  using http::Request;
  using http::Response;
  router.add(http::Method::get, "/api/admin/organizations", [&db, &auth, &billing](Request& req) {
    auto ctx = auth.require_platform_admin(req);
    if (!ctx) return Response::error(ctx.error());
    auto plans = billing.plans_of_orgs();
    auto conn = db.acquire();
    json::array items;
    for (const auto& o : store::organizations(*conn)) {
      auto it = plans.find(o.id);
      auto plan = it != plans.end() ? it->second : billing.plan_of(o.id, std::nullopt);
      items.push_back(json::object{{"id", o.id}, {"name", o.name}, {"created_at", format_rfc3339(o.created_at)},
                                   {"member_count", o.member_count}, {"owner_email", o.owner_email},
                                   {"plan", json::object{{"key", plan.plan}, {"name", plan.plan_name},
                                                         {"status", plan.status},
                                                         {"grandfathered", plan.grandfathered},
                                                         {"source", plan.plan_source}}}});
    }
    return Response::json(200, json::object{{"items", std::move(items)}});
  });
  router.add(http::Method::get, "/api/admin/users", [&db, &auth](Request& req) {
    auto ctx = auth.require_platform_admin(req);
    if (!ctx) return Response::error(ctx.error());
    auto conn = db.acquire();
    json::array items;
    for (const auto& u : store::users(*conn))
      items.push_back(json::object{{"id", u.id}, {"email", u.email}, {"name", u.name},
                                   {"created_at", format_rfc3339(u.created_at)},
                                   {"is_platform_admin", u.is_platform_admin},
                                   {"two_factor_enabled", u.two_factor_enabled},
                                   {"organization_count", u.organization_count}});
    return Response::json(200, json::object{{"items", std::move(items)}});
  });
  router.add(http::Method::get, "/api/debug/mailbox", [&db, &auth](Request& req) {
    auto ctx = auth.require_platform_admin(req);
    if (!ctx) return Response::error(ctx.error());
    auto conn = db.acquire();
    json::array items;
    for (const auto& m : mail::list_outbox(*conn, 200))
      items.push_back(json::object{{"id", m.id}, {"to", m.to}, {"subject", m.subject}, {"body", m.body},
                                   {"created_at", format_rfc3339(m.created_at)}});
    return Response::json(200, json::object{{"items", std::move(items)}});
  });
}

}  // namespace sb::admin
