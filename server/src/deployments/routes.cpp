// Deployment handlers, and the public web chat with its CORS answers.
#include "deployments/routes.hpp"

#include "conversations/routes.hpp"
#include "http/event_stream.hpp"

#include "conversations/routes.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"

namespace sb::deployments {
namespace {
namespace json = boost::json;
using http::Request;
using http::Response;

std::optional<std::vector<std::string>> origins_field(const json::object& body, sb::json::FieldReader& f) {
  auto* v = body.if_contains("allowed_origins");
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  if (v->is_array()) {
    for (const auto& o : v->as_array()) {
      if (!o.is_string()) {
        f.fail("allowed_origins", "Must be a list of origins.");
        return std::nullopt;
      }
      out.emplace_back(o.as_string());
    }
    return out;
  }
  f.fail("allowed_origins", "Must be a list of origins.");
  return std::nullopt;
}

// CORS headers for an allowed browser origin; nothing for others (the browser then refuses).
void add_cors(Response& res, DeploymentService& deployments, const Request& req) {
  std::string origin = req.header("Origin");
  res.set_header("Vary", "Origin");
  if (!origin.empty() && deployments.origin_allowed(req.param("key"), origin, req.header("Host"))) {
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", "Content-Type, X-Visitor-Token");
    res.set_header("Access-Control-Max-Age", "600");
  }
}

AppearanceChange appearance_fields(sb::json::FieldReader& f) {
  AppearanceChange a;
  a.color = f.string("color", false, 100);
  a.position = f.string("position", false, 100);
  a.launcher_label = f.string("launcher_label", false, 1000);
  a.greeting = f.string("greeting", false, 10000);
  a.theme = f.string("theme", false, 100);
  return a;
}

// The embedding page's signed identity, when the chat passes one: {"id","name","expires","signature"}.
// Anything malformed counts as none (the visitor stays anonymous), never as an error.
std::optional<SignedIdentity> identity_field(const json::object& body) {
  auto* v = body.if_contains("identity");
  if (!v || !v->is_object()) return std::nullopt;
  const auto& o = v->as_object();
  auto text = [&](const char* name) -> std::optional<std::string> {
    auto* f = o.if_contains(name);
    if (f && f->is_string()) return std::string(f->as_string());
    if (f && f->is_int64()) return std::to_string(f->as_int64());
    return std::nullopt;
  };
  auto id = text("id"), name = text("name"), expires = text("expires"), signature = text("signature");
  if (!id || !expires || !signature) return std::nullopt;
  return SignedIdentity{*id, name.value_or(""), *expires, *signature};
}

// The visitor token: X-Visitor-Token, or "visitor_token" in the body (a page's fetch sets neither
// more easily than the other). A visitor_id of older widgets is not trusted and not read.
std::string visitor_token(const Request& req, sb::json::FieldReader& f) {
  auto in_body = f.string("visitor_token", false, 8000);  // longer than any token: refused as one (401)
  std::string header = req.header("X-Visitor-Token");
  return header.empty() ? in_body.value_or("") : header;
}

std::optional<bool> bool_field(const json::object& body, const char* name, sb::json::FieldReader& f) {
  auto* v = body.if_contains(name);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    f.fail(name, "Must be true or false.");
    return std::nullopt;
  }
  return v->as_bool();
}

// A page of its own (no app, no script) saying why the chat is not shown here.
Response chat_refusal(unsigned status, const std::string& title, const std::string& text) {
  Response res = Response::text(status,
                                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                                "<title>" + title + "</title></head><body><main><h1>" + title + "</h1><p>" + text +
                                    "</p></main></body></html>",
                                "text/html; charset=utf-8");
  res.set_header("Cache-Control", "no-store");
  return res;
}

}  // namespace

void add_routes(http::Router& router, DeploymentService& deployments, const accounts::Authenticator& auth,
                const http::StaticFiles& pages) {
  using http::Method;
  auto deployment_json = [&deployments](const Deployment& d) {
    return json::object{{"id", d.id},
                        {"bot_id", d.bot_id},
                        {"bot_name", d.bot_name},
                        {"channel", d.channel},
                        {"integration_id", d.integration_id ? json::value(*d.integration_id) : json::value(nullptr)},
                        {"integration_name", d.integration_name ? json::value(*d.integration_name) : json::value(nullptr)},
                        {"integration_status",
                         d.integration_status ? json::value(*d.integration_status) : json::value(nullptr)},
                        {"allowed_origins", json::value_from(d.allowed_origins)},
                        {"status", d.status},
                        {"key", d.key},
                        {"hosted_page_enabled", d.hosted_page_enabled},
                        {"color", d.color},
                        {"position", d.position},
                        {"launcher_label", d.launcher_label},
                        {"greeting", d.greeting},
                        {"theme", d.theme},
                        {"identity_secret_set", d.identity_secret_sealed.has_value()},
                        {"embed_snippet", deployments.embed_snippet(d)},
                        {"hosted_url", deployments.hosted_url(d)},
                        {"created_at", format_rfc3339(d.created_at)},
                        {"updated_at", format_rfc3339(d.updated_at)}};
  };
  router.add(Method::get, "/api/deployments", [&deployments, &auth, deployment_json](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(deployments.list(*ctx, req.query_param("bot_id")), 200,
                         [&](const std::vector<Deployment>& list) {
                           json::array items;
                           for (const auto& d : list) items.push_back(deployment_json(d));
                           return json::object{{"items", std::move(items)}};
                         });
  });
  router.add(Method::post, "/api/deployments", [&deployments, &auth, deployment_json](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto bot_id = f.string("bot_id", true, 64);
    auto channel = f.string("channel", false, 20);
    auto origins = origins_field(*body, f);
    auto integration_id = f.string("integration_id", false, 64);
    auto hosted_page = bool_field(*body, "hosted_page_enabled", f);
    auto appearance = appearance_fields(f);
    if (!f.ok()) return Response::error(f.error());
    if (integration_id && integration_id->empty()) integration_id.reset();
    return http::respond(deployments.create(*ctx, *bot_id, channel.value_or("webchat"),
                                            origins.value_or(std::vector<std::string>{}), integration_id,
                                            hosted_page.value_or(true), appearance),
                         201, deployment_json);
  });
  router.add(Method::patch, "/api/deployments/:id", [&deployments, &auth, deployment_json](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto status = f.string("status", false, 20);
    auto origins = origins_field(*body, f);
    auto hosted_page = bool_field(*body, "hosted_page_enabled", f);
    auto appearance = appearance_fields(f);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(deployments.update(*ctx, req.param("id"), status, origins, hosted_page, appearance), 200,
                         deployment_json);
  });
  router.add(Method::post, "/api/deployments/:id/identity-secret", [&deployments, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(deployments.rotate_identity_secret(*ctx, req.param("id")), 201, [](const std::string& secret) {
      return json::object{{"identity_secret", secret}};
    });
  });
  router.add(Method::delete_, "/api/deployments/:id", [&deployments, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto done = deployments.remove(*ctx, req.param("id"));
    return done ? Response::no_content() : Response::error(done.error());
  });

  // Public: no sign-in. Every answer, errors included, carries CORS headers for allowed origins.
  auto with_cors = [&deployments](auto handler) {
    return [&deployments, handler](Request& req) {
      Response res = handler(req);
      add_cors(res, deployments, req);
      return res;
    };
  };
  auto preflight = with_cors([](Request&) { return Response::no_content(); });
  router.add(Method::get, "/widget/:key", with_cors([&deployments](Request& req) {
               Response res = http::respond(deployments.widget(req.param("key"), req.header("X-Visitor-Token")), 200,
                                            [](const WidgetInfo& w) {
                 return json::object{
                     {"bot", json::object{{"name", w.bot_name},
                                          {"greeting", w.greeting},
                                          {"avatar_color", w.avatar_color},
                                          {"avatar_url", w.avatar_url ? json::value(*w.avatar_url) : json::value(nullptr)},
                                          {"ask_satisfaction", w.ask_satisfaction}}},
                     {"status", w.status},
                     {"appearance", json::object{{"color", w.color},
                                                 {"position", w.position},
                                                 {"launcher_label", w.launcher_label},
                                                 {"greeting", w.greeting},
                                                 {"theme", w.theme}}},
                     {"visitor_token", w.visitor_token},
                     {"allowed_origins", json::value_from(w.allowed_origins)}};
               });
               res.set_header("Cache-Control", "no-store");  // it carries a visitor token
               return res;
             }));
  router.add(Method::options, "/widget/:key/history", preflight);
  router.add(Method::get, "/widget/:key/history", with_cors([&deployments](Request& req) {
               Response res = http::respond(
                   deployments.widget_history(req.param("key"), req.header("Origin"), req.header("Host"),
                                              req.header("X-Visitor-Token")),
                   200, [](const WidgetHistory& h) {
                     json::array lines;
                     for (const auto& m : h.messages)
                       lines.push_back(json::object{{"direction", m.direction},
                                                    {"text", m.text},
                                                    {"created_at", format_rfc3339(m.created_at)}});
                     return json::object{
                         {"session_id", h.session_id ? json::value(*h.session_id) : json::value(nullptr)},
                         {"messages", std::move(lines)}};
                   });
               res.set_header("Cache-Control", "no-store");
               return res;
             }),
             {.blocking = true});
  router.add(Method::options, "/widget/:key/messages", preflight);
  router.add(Method::options, "/widget/:key/rating", preflight);
  // Deferred: no thread waits while a model writes the answer (a stream with Accept: text/event-stream).
  router.add_deferred(
      Method::post, "/widget/:key/messages",
      [&deployments](Request& req, http::Responder respond_plain) {
        Response cors;
        add_cors(cors, deployments, req);
        http::Responder respond = [respond_plain, headers = cors.headers](Response res) {
          for (const auto& [name, value] : headers) res.set_header(name, value);
          respond_plain(std::move(res));
        };
        auto body = req.json_body();
        if (!body) return respond(Response::error(body.error()));
        sb::json::FieldReader f(*body);
        auto text = f.string("text", false, 10000);
        auto token = visitor_token(req, f);
        auto identity = identity_field(*body);
        if (!f.ok()) return respond(Response::error(f.error()));
        auto callbacks = conversations::answer_over_http(req, respond, [](const conversations::Exchange& e) {
          return json::object{{"session_id", e.session_id},
                              {"reply", json::object{{"text", e.reply.text}, {"source", e.reply.source}}}};
        });
        if (auto error = deployments.widget_message(req.param("key"), req.header("Origin"), req.header("Host"),
                                                    req.remote_ip, token, text.value_or(""),
                                                    http::EventStream::wanted(req), std::move(callbacks), identity))
          respond(Response::error(*error));
      },
      {.body_limit = 16 * 1024, .blocking = true});
  router.add(Method::post, "/widget/:key/rating", with_cors([&deployments](Request& req) {
               auto body = req.json_body();
               if (!body) return Response::error(body.error());
               sb::json::FieldReader f(*body);
               auto session = f.string("session_id", true, 64);
               auto token = visitor_token(req, f);
               auto* score = body->if_contains("score");
               if (!score || !score->is_int64()) f.fail("score", "Rate from 1 to 5.");
               if (!f.ok()) return Response::error(f.error());
               auto done = deployments.widget_rating(req.param("key"), req.header("Origin"), req.header("Host"),
                                                     token, *session, score->as_int64());
               return done ? Response::no_content() : Response::error(done.error());
             }),
             {.body_limit = 4 * 1024, .blocking = true});

  // The chat page: the web app, framed only by the deployment's allowed origins (widget.js), and
  // as a page of its own only while the deployment's hosted page is on.
  router.add(Method::get, "/chat/:key", [&deployments, &pages](Request& req) {
               ChatPageRequest context{req.query_param("embed") == "1", req.header("Origin"), req.header("Referer"),
                                       req.header("Sec-Fetch-Dest")};
               ChatPage page = deployments.chat_page(req.param("key"), context);
               switch (page.kind) {
                 case ChatPage::Kind::unknown_key:
                   return chat_refusal(404, "This chat does not exist", "Check the link you followed.");
                 case ChatPage::Kind::hosted_page_off:
                   return chat_refusal(404, "This chat is not available as a page",
                                       "Its owner offers it only on their own website.");
                 case ChatPage::Kind::embedder_not_allowed:
                   return chat_refusal(403, "This chat cannot be shown on this website",
                                       "The website is not one of the chat's allowed origins.");
                 case ChatPage::Kind::app:
                   break;
               }
               Response res = pages.serve(req);
               res.frame_ancestors = page.frame_ancestors;
               res.set_header("Cache-Control", "no-store");
               return res;
             },
             {.blocking = true});
}

}  // namespace sb::deployments
