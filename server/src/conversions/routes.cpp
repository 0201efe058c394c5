// Conversion handlers.
#include "conversions/routes.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"

namespace sb::conversions {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {
json::object conversion_json(const Conversion& c) {
  return {{"id", c.id},
          {"conversation_id", c.session_id},
          {"name", c.name},
          {"value_cents", c.value_cents ? json::value(*c.value_cents) : json::value(nullptr)},
          {"source", c.source},
          {"external_id", c.external_id ? json::value(*c.external_id) : json::value(nullptr)},
          {"created_at", format_rfc3339(c.created_at)}};
}

Result<ConversionInput> read_input(const Request& req) {
  auto body = req.json_body();
  if (!body) return body.error();
  sb::json::FieldReader f(*body);
  ConversionInput in;
  in.conversation_id = f.string("conversation_id", false, 64);
  in.deployment_key = f.string("deployment_key", false, 128);
  in.user_token = f.string("user_token", false, 256);
  in.name = f.string("name", true, 200).value_or("");
  in.external_id = f.string("external_id", false, 200);
  if (auto* v = body->if_contains("value_cents"); v && !v->is_null()) {
    if (v->is_int64()) in.value_cents = v->as_int64();
    else if (v->is_uint64()) f.fail("value_cents", "Use a whole number of cents from 0 to 1,000,000,000,000.");
    else f.fail("value_cents", "Must be a whole number of cents.");
  }
  if (!f.ok()) return f.error();
  return in;
}
}  // namespace

void add_routes(http::Router& router, ConversionService& conversions, const accounts::Authenticator& auth) {
  router.add(http::Method::post, "/api/conversions", [&conversions, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto input = read_input(req);
    if (!input) return Response::error(input.error());
    auto recorded = conversions.record(*ctx, *input);
    if (!recorded) return Response::error(recorded.error());
    // A retried call (the same external_id) answers 200 with the conversion first recorded.
    return Response::json(recorded->created ? 201 : 200, conversion_json(recorded->conversion));
  });
}

}  // namespace sb::conversions
