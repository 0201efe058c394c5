// Billing handlers: parse, call the billing service, serialise.
#include "billing/routes.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"

namespace sb::billing {
namespace json = boost::json;
using http::Request;
using http::Response;

json::object plan_json(const Plan& p) {
  return {{"key", p.key},
          {"name", p.name},
          {"price_label", p.price_label},
          {"limits", limits_json(p.limits)},
          {"features", features_json(p.features)},
          {"purchasable", !p.stripe_price_id.empty()}};
}

namespace {

json::value time_or_null(const std::optional<std::int64_t>& ms) {
  return ms ? json::value(format_rfc3339(*ms)) : json::value(nullptr);
}

json::object overview_json(const Overview& o) {
  const auto& e = o.entitlements;
  return {{"enabled", e.billing_enabled},
          {"stripe_configured", o.stripe_configured},
          {"plan", json::object{{"key", e.plan.key}, {"name", e.grandfathered ? "Grandfathered" : e.plan.name}}},
          {"status", e.status},
          {"grandfathered", e.grandfathered},
          {"current_period_end", time_or_null(o.current_period_end)},
          {"cancel_at_period_end", o.cancel_at_period_end},
          {"past_due_grace_ends_at", time_or_null(o.past_due_grace_ends_at)},
          {"period_start", format_rfc3339(e.period_start)},
          {"period_end", format_rfc3339(e.period_end)},
          {"limits", limits_json(e.plan.limits)},
          {"features", features_json(e.plan.features)},
          {"usage", json::object{{"bots", o.bots},
                                 {"integrations", o.integrations},
                                 {"members", o.members},
                                 {"messages", o.period.messages},
                                 {"insight_runs", o.period.insight_runs},
                                 {"ai_cost_micros", o.period.ai_cost_micros},
                                 {"ai_tokens", o.period.ai_tokens}}},
          {"exceeded", json::value_from(o.exceeded)}};
}

json::object org_plan_json(const OrgPlan& p) {
  return {{"org_id", p.org_id},   {"plan", p.plan},         {"plan_name", p.plan_name},
          {"status", p.status},   {"grandfathered", p.grandfathered}, {"plan_source", p.plan_source}};
}

}  // namespace

void add_routes(http::Router& router, BillingService& billing, const accounts::Authenticator& auth) {
  using http::Method;
  router.add(Method::get, "/api/billing", [&billing, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(billing.overview(*ctx), 200, overview_json);
  });
  router.add(Method::get, "/api/billing/plans", [&billing, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    json::array items;
    for (const auto& p : billing.plans().all())
      if (p.key != "unlimited") items.push_back(plan_json(p));
    return Response::json(200, items);  // the contract's shape, and the shape of --plans-file
  });
  router.add(Method::post, "/api/billing/checkout", [&billing, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto plan = f.string("plan", true, 40);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(billing.checkout(*ctx, *plan), 200, [](const std::string& url) { return json::object{{"url", url}}; });
  });
  router.add(Method::post, "/api/billing/portal", [&billing, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(billing.portal(*ctx), 200, [](const std::string& url) { return json::object{{"url", url}}; });
  });
  router.add(Method::get, "/api/billing/invoices", [&billing, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(billing.invoices(*ctx), 200, [](const std::vector<StripeInvoice>& list) {
      json::array items;
      for (const auto& i : list)
        items.push_back(json::object{{"id", i.id},
                                     {"number", i.number},
                                     {"status", i.status},
                                     {"amount_due", i.amount_due},
                                     {"amount_paid", i.amount_paid},
                                     {"currency", i.currency},
                                     {"created", format_rfc3339(i.created)},
                                     {"hosted_invoice_url", i.hosted_invoice_url}});
      return json::object{{"invoices", std::move(items)}};
    });
  });
  // Stripe's deliveries: the raw body is what is signed. Stored, answered, processed later.
  router.add(Method::post, "/hooks/stripe", [&billing](Request& req) {
    auto stored = billing.receive_event(req.header("Stripe-Signature"), req.body);
    if (!stored) return Response::error(stored.error());
    return Response::json(200, json::object{{"received", true}});
  });
  router.add(Method::put, "/api/admin/orgs/:id/plan", [&billing, &auth](Request& req) {
    auto ctx = auth.require_platform_admin(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto plan = f.string("plan", true, 40);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(billing.set_plan(*ctx, req.param("id"), *plan), 200, org_plan_json);
  });
}

}  // namespace sb::billing
