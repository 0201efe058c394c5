// Bot handlers.
#include "bots/routes.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"

namespace sb::bots {
namespace {
namespace json = boost::json;
using http::Request;
using http::Response;

json::object bot_json(const Bot& b) {
  return {{"id", b.id},
          {"name", b.name},
          {"description", b.description},
          {"avatar_color", b.avatar_color},
          {"avatar_url", b.avatar_url ? json::value(*b.avatar_url) : json::value(nullptr)},
          {"system_prompt", b.system_prompt},
          {"model", b.model},
          {"model_allowed", b.model_allowed},
          {"temperature", b.temperature},
          {"max_tokens", b.max_tokens},
          {"greeting", b.greeting},
          {"fallback_message", b.fallback_message},
          {"over_quota_message", b.over_quota_message ? json::value(*b.over_quota_message) : json::value(nullptr)},
          {"language", b.language},
          {"history_turns", b.history_turns},
          {"ask_satisfaction", b.ask_satisfaction},
          {"template_ids", json::value_from(b.template_ids)},
          {"resolution_phrases", json::value_from(b.resolution_phrases)},
          {"status", b.status},
          {"version", b.version},
          {"created_at", format_rfc3339(b.created_at)},
          {"updated_at", format_rfc3339(b.updated_at)}};
}

// Numbers and booleans of the bot, read with their types checked.
template <typename T>
std::optional<T> number(const json::object& body, const char* name, sb::json::FieldReader& f) {
  auto* v = body.if_contains(name);
  if (!v) return std::nullopt;
  if constexpr (std::is_same_v<T, bool>) {
    if (v->is_bool()) return v->as_bool();
    f.fail(name, "Must be true or false.");
  } else if constexpr (std::is_same_v<T, double>) {
    if (v->is_number()) return v->to_number<double>();
    f.fail(name, "Must be a number.");
  } else {
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() < (1ULL << 62)) return static_cast<std::int64_t>(v->as_uint64());
    f.fail(name, "Must be a whole number.");
  }
  return std::nullopt;
}

Result<BotInput> read_input(const Request& req) {
  auto body = req.json_body();
  if (!body) return body.error();
  sb::json::FieldReader f(*body);
  BotInput in;
  in.name = f.string("name", false, 200);
  in.description = f.string("description", false, 2000);
  in.avatar_color = f.string("avatar_color", false, 20);
  in.avatar_url = f.nullable_string("avatar_url", 4096);
  in.system_prompt = f.string("system_prompt", false, 20000, true);
  in.model = f.string("model", false, 200);
  in.greeting = f.string("greeting", false, 2000, true);
  in.fallback_message = f.string("fallback_message", false, 2000, true);
  in.over_quota_message = f.nullable_string("over_quota_message", 2000);
  in.language = f.string("language", false, 20);
  in.status = f.string("status", false, 20);
  in.temperature = number<double>(*body, "temperature", f);
  in.max_tokens = number<std::int64_t>(*body, "max_tokens", f);
  in.history_turns = number<std::int64_t>(*body, "history_turns", f);
  in.ask_satisfaction = number<bool>(*body, "ask_satisfaction", f);
  if (auto* ids = body->if_contains("template_ids")) {
    std::vector<std::string> list;
    bool ok = ids->is_array();
    if (ok)
      for (const auto& id : ids->as_array()) {
        if (!id.is_string()) ok = false;
        else list.emplace_back(id.as_string());
      }
    if (ok) in.template_ids = list;
    else f.fail("template_ids", "Must be a list of template ids.");
  }
  if (auto* phrases = body->if_contains("resolution_phrases")) {
    std::vector<std::string> list;
    bool ok = phrases->is_array() && phrases->as_array().size() <= 1000;
    if (ok)
      for (const auto& p : phrases->as_array()) {
        if (!p.is_string()) ok = false;
        else list.emplace_back(p.as_string());
      }
    if (ok) in.resolution_phrases = list;
    else f.fail("resolution_phrases", "Must be a list of phrases.");
  }
  if (!f.ok()) return f.error();
  return in;
}

}  // namespace

void add_routes(http::Router& router, BotService& bots, const accounts::Authenticator& auth) {
  using http::Method;
  router.add(Method::get, "/api/bots", [&bots, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(bots.list(*ctx, req.query_param("q").value_or(""), req.query_param("status").value_or("")), 200,
                         [](const std::vector<Bot>& list) {
                           json::array items;
                           for (const auto& b : list) items.push_back(bot_json(b));
                           return json::object{{"items", std::move(items)}};
                         });
  });
  router.add(Method::post, "/api/bots", [&bots, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto input = read_input(req);
    if (!input) return Response::error(input.error());
    return http::respond(bots.create(*ctx, *input), 201, bot_json);
  });
  router.add(Method::get, "/api/bots/:id", [&bots, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(bots.get(*ctx, req.param("id")), 200, bot_json);
  });
  router.add(Method::patch, "/api/bots/:id", [&bots, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto input = read_input(req);
    if (!input) return Response::error(input.error());
    return http::respond(bots.update(*ctx, req.param("id"), *input), 200, bot_json);
  });
  router.add(Method::delete_, "/api/bots/:id", [&bots, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto done = bots.remove(*ctx, req.param("id"));
    return done ? Response::no_content() : Response::error(done.error());
  });
  router.add(Method::post, "/api/bots/:id/duplicate", [&bots, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(bots.duplicate(*ctx, req.param("id")), 201, bot_json);
  });
}

}  // namespace sb::bots
