// Conversation, test console and AI status handlers.
#include "conversations/routes.hpp"

#include <atomic>
#include <map>
#include <set>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
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
          {"last_message", opt(s.last_message)},
          {"resolved_at", opt_time(s.resolved_at)},
          {"resolved_by", opt(s.resolved_by)},
          {"converted_at", opt_time(s.converted_at)},
          {"rating_asked_at", opt_time(s.rating_asked_at)},
          {"first_response_ms", s.first_response_at ? json::value(*s.first_response_at - s.started_at)
                                                    : json::value(nullptr)}};
}

json::object message_json(const Message& m) {
  return {{"id", m.id},           {"direction", m.direction},
          {"text", m.text},       {"source", opt(m.source)},
          {"model", opt(m.model)}, {"prompt_tokens", opt(m.prompt_tokens)},
          {"completion_tokens", opt(m.completion_tokens)}, {"latency_ms", opt(m.latency_ms)},
          {"error", opt(m.error)}, {"created_at", format_rfc3339(m.created_at)},
          {"cost_micros", opt(m.cost_micros)}};
}

// The query of GET /api/conversations: every parameter known and well-formed, or a 422 naming it.
struct ListQuery {
  Filter filter;
  std::optional<Cursor> before;
  std::int64_t limit = 20;
};

// Query parameters arrive percent-decoded as raw bytes; PostgreSQL refuses text that is not UTF-8
// with an error, so such a value is a 422 here instead of a 500 there.
bool is_utf8(std::string_view v) {
  std::size_t i = 0;
  while (i < v.size()) {
    auto c = static_cast<unsigned char>(v[i]);
    std::size_t n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 4;
    if (n == 4 || (n == 1 && c < 0xC2) || (n == 3 && c > 0xF4) || i + n >= v.size() + (n ? 0 : 1)) return false;
    std::uint32_t cp = n == 0 ? c : n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k <= n; ++k) {
      auto d = static_cast<unsigned char>(v[i + k]);
      if ((d >> 6) != 0x2) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    i += n + 1;
  }
  return true;
}

bool is_id(const std::string& v) {
  return !v.empty() && v.size() <= 64 &&
         v.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == std::string::npos;
}

// A cursor is "<last_message_at ms>.<session id>" of the last conversation of the previous page.
std::string encode_cursor(const Cursor& c) { return std::to_string(c.last_message_at) + "." + c.id; }

std::optional<Cursor> decode_cursor(const std::string& v) {
  auto dot = v.find('.');
  if (dot == std::string::npos || dot == 0 || dot > 15) return std::nullopt;
  std::string ms = v.substr(0, dot);
  if (ms.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  Cursor c{std::stoll(ms), v.substr(dot + 1)};
  if (!is_id(c.id)) return std::nullopt;
  return c;
}

Result<ListQuery> parse_list_query(const Request& req) {
  static const std::set<std::string> kKnown = {"bot_id", "platform", "deployment_id", "status", "user",
                                               "from",   "to",       "q",             "before", "limit",
                                               "resolved", "started_from", "started_to"};
  static const std::set<std::string> kPlatforms = {"console",  "webchat", "telegram", "whatsapp",
                                                   "messenger", "slack",   "discord",  "twilio"};
  std::map<std::string, std::string> errors;
  for (const auto& [name, value] : req.query)
    if (!kKnown.count(name)) errors[name.size() > 64 ? name.substr(0, 64) : name] = "This filter is not supported.";
  ListQuery out;
  auto text = [&](const char* name, std::size_t max) -> std::optional<std::string> {
    auto v = req.query_param(name);
    if (!v || v->empty()) return std::nullopt;  // an empty parameter is no filter, as a cleared form field sends it
    if (v->size() > max) {
      errors[name] = "Use at most " + std::to_string(max) + " characters.";
      return std::nullopt;
    }
    if (!is_utf8(*v) || text::has_forbidden_controls(*v, text::Lines::single)) {
      errors[name] = "Use printable text.";
      return std::nullopt;
    }
    return v;
  };
  auto id = [&](const char* name) -> std::optional<std::string> {
    auto v = text(name, 64);
    if (v && !is_id(*v)) {
      errors[name] = "Not a valid id.";
      return std::nullopt;
    }
    return v;
  };
  auto time = [&](const char* name) -> std::optional<std::int64_t> {
    auto v = text(name, 40);
    if (!v) return std::nullopt;
    auto ms = parse_rfc3339(*v);
    if (!ms) errors[name] = "Use an RFC 3339 time, such as 2026-01-31T09:00:00Z.";
    return ms;
  };
  out.filter.bot_id = id("bot_id");
  out.filter.deployment_id = id("deployment_id");
  out.filter.platform = text("platform", 32);
  if (out.filter.platform && !kPlatforms.count(*out.filter.platform))
    errors["platform"] = "Use one of console, webchat, telegram, whatsapp, messenger, slack, discord, twilio.";
  out.filter.status = text("status", 16);
  if (out.filter.status && *out.filter.status != "open" && *out.filter.status != "ended")
    errors["status"] = "Use open or ended.";
  if (auto r = text("resolved", 8)) {
    if (*r == "true") out.filter.resolved = true;
    else if (*r == "false") out.filter.resolved = false;
    else errors["resolved"] = "Use true or false.";
  }
  out.filter.user = text("user", 200);
  out.filter.q = text("q", 500);
  out.filter.from = time("from");
  out.filter.to = time("to");
  if (out.filter.from && out.filter.to && *out.filter.from > *out.filter.to)
    errors["to"] = "The end of the time range must not be before its start.";
  // Started in a range (the analytics page's): milliseconds since the epoch, the end excluded.
  auto millis = [&](const char* name) -> std::optional<std::int64_t> {
    auto v = text(name, 16);
    if (!v) return std::nullopt;
    if (v->size() > 15 || v->find_first_not_of("0123456789") != std::string::npos) {
      errors[name] = "Use a time in milliseconds since 1970, such as 1764547200000.";
      return std::nullopt;
    }
    return std::stoll(*v);
  };
  out.filter.started_from = millis("started_from");
  out.filter.started_to = millis("started_to");
  if (out.filter.started_from && out.filter.started_to && *out.filter.started_from > *out.filter.started_to)
    errors["started_to"] = "The end of the time range must not be before its start.";
  if (auto b = text("before", 100)) {
    out.before = decode_cursor(*b);
    if (!out.before) errors["before"] = "Use the next_cursor of the previous page.";
  }
  if (auto l = req.query_param("limit")) {
    if (l->empty() || l->size() > 3 || l->find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(*l) < 1 || std::stoll(*l) > 100)
      errors["limit"] = "Use a number from 1 to 100.";
    else
      out.limit = std::stoll(*l);
  }
  if (!errors.empty()) return Error::validation(std::move(errors));
  return out;
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
    auto query = parse_list_query(req);
    if (!query) return Response::error(query.error());
    return http::respond(conversations.list(*ctx, query->filter, query->before, query->limit), 200, [](const Page& page) {
      json::array items;
      for (const auto& s : page.items) items.push_back(session_json(s));
      return json::object{{"items", std::move(items)},
                          {"next_cursor", page.next ? json::value(encode_cursor(*page.next)) : json::value(nullptr)}};
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
  router.add(Method::post, "/api/conversations/:id/resolve", [&conversations, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(conversations.resolve(*ctx, req.param("id")), 200, session_json);
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
