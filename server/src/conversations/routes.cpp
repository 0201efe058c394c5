// Conversation, test console and AI status handlers.
#include "conversations/routes.hpp"

#include <atomic>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "http/event_stream.hpp"

namespace sb::conversations {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {
template <typename T>
json::value opt(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt_time(const std::optional<std::int64_t>& v) {
  return v ? json::value(format_rfc3339(*v)) : json::value(nullptr);
}

json::object session_json(const Session& s) {
  return {{"id", s.id},
          {"bot_id", s.bot_id},
          {"bot_name", s.bot_name},
          {"deployment_id", opt(s.deployment_id)},
          {"platform", s.platform},
          {"external_user_id", s.external_user_id},
          {"display_name", s.display_name},
          {"status", s.status},
          {"started_at", format_rfc3339(s.started_at)},
          {"last_message_at", format_rfc3339(s.last_message_at)},
          {"first_response_at", opt_time(s.first_response_at)},
          {"message_count", s.message_count},
          {"satisfaction_score", opt(s.satisfaction_score)},
          {"last_message", opt(s.last_message)}};
}

json::object message_json(const Message& m) {
  return {{"id", m.id},           {"direction", m.direction},
          {"text", m.text},       {"source", opt(m.source)},
          {"model", opt(m.model)}, {"prompt_tokens", opt(m.prompt_tokens)},
          {"completion_tokens", opt(m.completion_tokens)}, {"latency_ms", opt(m.latency_ms)},
          {"error", opt(m.error)}, {"created_at", format_rfc3339(m.created_at)},
          {"cost_micros", opt(m.cost_micros)}};
}
}  // namespace

json::object reply_json(const ai::Reply& r) {
  return {{"text", r.text},
          {"source", r.source},
          {"template_id", opt(r.template_id)},
          {"model", opt(r.model)},
          {"latency_ms", r.latency_ms},
          {"prompt_tokens", opt(r.prompt_tokens)},
          {"completion_tokens", opt(r.completion_tokens)},
          {"cost_micros", opt(r.cost_micros)},
          {"error", opt(r.error)}};
}

ExchangeCallbacks answer_over_http(const http::Request& req, http::Responder respond,
                                   std::function<json::object(const Exchange&)> to_json) {
  ExchangeCallbacks cb;
  if (!http::EventStream::wanted(req)) {
    cb.done = [respond, to_json](Result<Exchange> exchange) {
      respond(exchange ? Response::json(200, to_json(*exchange)) : Response::error(exchange.error()));
    };
    return cb;
  }
  auto [stream, response] = http::EventStream::open();
  // The response goes out with the first event; it is handed over once (started comes first).
  auto pending = std::make_shared<Response>(std::move(response));
  cb.started = [stream, pending, respond](const std::string& session_id) {
    stream->send("start", json::serialize(json::object{{"session_id", session_id}}));
    respond(std::move(*pending));
  };
  cb.token = [stream](std::string_view piece) {
    stream->send("token", json::serialize(json::object{{"text", piece}}));
  };
  cb.done = [stream, to_json](Result<Exchange> exchange) {
    if (exchange) {
      json::object out = to_json(*exchange);
      out["interrupted"] = exchange->reply.interrupted;
      stream->send("done", json::serialize(out));
    } else {
      const auto& e = exchange.error();
      stream->send("error", json::serialize(json::object{{"error", json::object{{"code", e.code}, {"message", e.message}}}}));
    }
    stream->close();
  };
  return cb;
}

void add_routes(http::Router& router, ConversationService& conversations, ai::OpenRouterClient& provider,
                const ai::ReplyEngine& engine, const accounts::Authenticator& auth) {
  using http::Method;
  // A deferred route: no thread waits while the model writes its answer.
  router.add_deferred(Method::post, "/api/bots/:id/chat", [&conversations, &auth](Request& req, http::Responder respond) {
    auto ctx = auth.require(req);
    if (!ctx) return respond(Response::error(ctx.error()));
    auto body = req.json_body();
    if (!body) return respond(Response::error(body.error()));
    sb::json::FieldReader f(*body);
    auto session_id = f.string("session_id", false, 64);
    auto text = f.string("text", false, 4000);
    if (!f.ok()) return respond(Response::error(f.error()));
    auto callbacks = answer_over_http(req, respond, [](const Exchange& e) {
      return json::object{{"session_id", e.session_id}, {"reply", reply_json(e.reply)}};
    });
    if (auto error = conversations.console(*ctx, req.param("id"), session_id, text.value_or(""),
                                           http::EventStream::wanted(req), std::move(callbacks)))
      respond(Response::error(*error));
  });
  router.add(Method::get, "/api/conversations", [&conversations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    std::int64_t limit = 20;
    if (auto l = req.query_param("limit")) {
      if (l->empty() || l->size() > 3 || l->find_first_not_of("0123456789") != std::string::npos)
        return Response::error(Error::validation({{"limit", "Use a number from 1 to 100."}}));
      limit = std::stoll(*l);
    }
    return http::respond(conversations.recent(*ctx, req.query_param("bot_id"), limit), 200,
                         [](const std::vector<Session>& list) {
                           json::array items;
                           for (const auto& s : list) items.push_back(session_json(s));
                           return json::object{{"items", std::move(items)}};
                         });
  });
  router.add(Method::get, "/api/conversations/:id", [&conversations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(conversations.get(*ctx, req.param("id")), 200, [](const Detail& d) {
      json::object out = session_json(d.session);
      json::array messages;
      for (const auto& m : d.messages) messages.push_back(message_json(m));
      out["messages"] = std::move(messages);
      return out;
    });
  });
  router.add(Method::get, "/api/ai/status", [&provider, &engine, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto s = provider.status();
    std::string fingerprint = engine.fingerprint_for(ctx->org_id);
    json::object out{{"configured", !fingerprint.empty()}, {"provider", "openrouter"}, {"base_url_host", s.base_url_host}};
    // The circuit breaker of the key this organisation's replies use: ok, down or needs_attention.
    auto health = provider.breakers().state(fingerprint);
    out["health"] = json::object{{"state", fingerprint.empty() ? "off" : health.state},
                                 {"reason", health.reason},
                                 {"since", health.since_ms ? json::value(format_rfc3339(health.since_ms)) : json::value(nullptr)}};
    out["last_error"] = s.last_error_status && s.last_error_at > s.last_success_at
                            ? json::value(json::object{{"status", *s.last_error_status},
                                                       {"reason", s.last_error_reason},
                                                       {"at", format_rfc3339(s.last_error_at)}})
                            : json::value(nullptr);
    return Response::json(200, out);
  });
}

}  // namespace sb::conversations
