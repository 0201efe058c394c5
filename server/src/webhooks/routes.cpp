// Webhook handlers: the platforms' deliveries answer only after their commit; parse → service → serialise.
#include "webhooks/routes.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"

namespace sb::webhooks {
namespace {
namespace json = boost::json;
using http::Request;
using http::Response;
}  // namespace

json::object event_json(const WebhookEvent& e) {
  return json::object{{"id", e.id},
                      {"platform", e.platform},
                      {"integration_id", e.integration_id},
                      {"idempotency_key", e.idempotency_key},
                      {"kind", e.kind},
                      {"status", e.status},
                      {"payload_hash", e.payload_hash},
                      {"received_at", format_rfc3339(e.received_at)},
                      {"payload", e.payload}};
}

void add_routes(http::Router& router, WebhookService& webhooks, const accounts::Authenticator& auth, const Clock& clock,
                std::string public_base_url) {
  using http::Method;
  // Each platform proves itself (PLATFORMS.md); handshakes are answered, deliveries stored first.
  auto hook = [&webhooks, &clock, public_base_url](Request& req, http::Responder respond) {
    integrations::InboundRequest in;
    in.method = req.method == Method::get ? "GET" : "POST";
    in.url = public_base_url + req.target;  // what the platform called, as Twilio signs it
    in.query = req.query;
    in.header = [&req](std::string_view name) { return req.header(name); };
    in.body = std::move(req.body);  // stored as the event's payload; the access log has its size already
    in.now_seconds = clock.now_ms() / 1000;
    bool get = req.method == Method::get;
    webhooks.ingest(req.param("platform"), req.param("integration_id"), in,
                    [respond, get](Result<IngestOutcome> outcome) {
                      if (!outcome) {
                        // Meta expects 403 for a failed subscription handshake.
                        if (get && outcome.error().code == "unauthenticated")
                          return respond(Response::error(Error::forbidden("The verify token does not match.")));
                        return respond(Response::error(outcome.error()));
                      }
                      if (outcome->ack.body.empty()) return respond(Response::text(200, ""));
                      respond(Response::text(200, outcome->ack.body, outcome->ack.content_type));
                    });
  };
  // Starts on the I/O thread: the integration and its credentials come from memory (a database
  // read only every few seconds per integration), and the commit is awaited without a thread.
  router.add_deferred(Method::get, "/hooks/:platform/:integration_id", hook, {.blocking = false});
  router.add_deferred(Method::post, "/hooks/:platform/:integration_id", hook, {.blocking = false});

  router.add(Method::get, "/api/webhook-events/:id", [&webhooks, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(webhooks.event(*ctx, req.param("id")), 200, event_json);
  });
  router.add(Method::post, "/api/integrations/:id/simulate", [&webhooks, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto text = f.string("text", false, 10000);
    auto user = f.string("external_user_id", false, 1000);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(webhooks.simulate(*ctx, req.param("id"), text.value_or(""), user), 202,
                         [](const SimulateOutcome& s) {
                           return json::object{{"event_id", s.event_id},
                                               {"job_id", s.job_id.empty() ? json::value(nullptr) : json::value(s.job_id)},
                                               {"duplicate", s.duplicate}};
                         });
  });
}

}  // namespace sb::webhooks
