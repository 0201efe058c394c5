// Conversation, test console and AI status handlers.
#include "conversations/routes.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"

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
          {"error", opt(m.error)}, {"created_at", format_rfc3339(m.created_at)}};
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
          {"error", opt(r.error)}};
}

void add_routes(http::Router& router, ConversationService& conversations, ai::OpenRouterClient& provider,
                const accounts::Authenticator& auth) {
  using http::Method;
  router.add(Method::post, "/api/bots/:id/chat", [&conversations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto session_id = f.string("session_id", false, 64);
    auto text = f.string("text", false, 4000);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(conversations.console(*ctx, req.param("id"), session_id, text.value_or("")), 200,
                         [](const Exchange& e) { return json::object{{"session_id", e.session_id}, {"reply", reply_json(e.reply)}}; });
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
  router.add(Method::get, "/api/ai/status", [&provider, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto s = provider.status();
    json::object out{{"configured", s.configured}, {"provider", "openrouter"}, {"base_url_host", s.base_url_host}};
    out["last_error"] = s.last_error_status && s.last_error_at > s.last_success_at
                            ? json::value(json::object{{"status", *s.last_error_status},
                                                       {"reason", s.last_error_reason},
                                                       {"at", format_rfc3339(s.last_error_at)}})
                            : json::value(nullptr);
    return Response::json(200, out);
  });
}

}  // namespace sb::conversations
