// Fake platform APIs on the project's own HTTP server: one block per service, each answering in its wire shape (PLATFORMS.md).
#include "fakes/fake_platforms.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/json.hpp>
#include <boost/url/params_view.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace sb::test {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

const std::vector<std::string> kServices{"telegram", "graph", "slack", "discord", "twilio"};

const std::map<std::string, FakeKind> kKinds{{"ok", FakeKind::ok},
                                             {"unauthorized", FakeKind::unauthorized},
                                             {"forbidden", FakeKind::forbidden},
                                             {"rate_limited", FakeKind::rate_limited},
                                             {"server_error", FakeKind::server_error},
                                             {"timeout", FakeKind::timeout},
                                             {"malformed", FakeKind::malformed},
                                             {"blocked", FakeKind::blocked},
                                             {"invalid_recipient", FakeKind::invalid_recipient}};

bool is_service(const std::string& s) { return std::find(kServices.begin(), kServices.end(), s) != kServices.end(); }

// The kinds that answer with an error before the request is even looked at.
bool fails(const FakeOutcome& o) {
  return o.kind == FakeKind::unauthorized || o.kind == FakeKind::forbidden || o.kind == FakeKind::rate_limited ||
         o.kind == FakeKind::server_error || o.kind == FakeKind::malformed;
}

Response malformed() { return Response::text(200, "{\"ok\": tr", "application/json"); }

Response with_retry_after(Response r, int seconds) {
  r.set_header("Retry-After", std::to_string(seconds));
  return r;
}

// The credential after "<scheme> " in the Authorization header; "" when absent or of another scheme.
std::string credential(const Request& req, std::string_view scheme) {
  std::string h = req.header("Authorization");
  if (h.size() <= scheme.size() + 1 || h[scheme.size()] != ' ' ||
      !boost::beast::iequals(std::string_view(h).substr(0, scheme.size()), scheme))
    return "";
  auto start = h.find_first_not_of(' ', scheme.size());
  return start == std::string::npos ? "" : h.substr(start);
}

std::string base64_decode(std::string_view in) {
  static const std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned value = 0;
  int bits = -8;
  for (char c : in) {
    if (c == '=') break;
    auto d = kAlphabet.find(c);
    if (d == std::string_view::npos) return "";
    value = (value << 6) | static_cast<unsigned>(d);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

// Query string, then a JSON or form body, merged into one object (the body wins).
json::object request_params(const Request& req) {
  json::object out;
  for (const auto& [k, v] : req.query) out[k] = v;
  if (req.body.empty()) return out;
  if (req.header("Content-Type").find("json") != std::string::npos || req.body.front() == '{') {
    boost::system::error_code ec;
    auto body = json::parse(req.body, ec);
    if (!ec && body.is_object())
      for (const auto& [k, v] : body.as_object()) out[k] = v;
    return out;
  }
  try {
    boost::urls::encoding_opts plus_is_space;
    plus_is_space.space_as_plus = true;
    for (auto p : boost::urls::params_view(req.body, plus_is_space)) out[p.key] = p.value;
  } catch (const std::exception&) {
    // Not a form either: the fields count as missing.
  }
  return out;
}

// A string field, with numbers written out (Telegram chat ids come either way).
std::string field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64() || v->is_uint64()) return json::serialize(*v);
  return "";
}

const json::object* object_field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

json::object json_body(const Request& req) {
  boost::system::error_code ec;
  auto body = json::parse(req.body, ec);
  return !ec && body.is_object() ? body.as_object() : json::object{};
}

// A numeric id as a JSON number, anything else as a string.
json::value number_or_string(const std::string& s) {
  long long n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec == std::errc() && end == s.data() + s.size()) return n;
  return json::value(s);
}

long long unix_now() { return static_cast<long long>(std::time(nullptr)); }

// --- Telegram ---------------------------------------------------------------------------------

// "<digits>:<letters, digits, _ or ->", as Telegram issues them.
bool telegram_token_ok(const std::string& token) {
  auto colon = token.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == token.size()) return false;
  for (std::size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    bool ok = i < colon ? std::isdigit(static_cast<unsigned char>(c)) != 0
                        : (i == colon || std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
    if (!ok) return false;
  }
  return true;
}

Response telegram_error(unsigned status, std::string description, int retry_after = 0) {
  json::object body{{"ok", false}, {"error_code", status}, {"description", std::move(description)}};
  if (status == 429) body["parameters"] = json::object{{"retry_after", retry_after}};
  auto res = Response::json(status, body);
  return status == 429 ? with_retry_after(std::move(res), retry_after) : res;
}

Response telegram_failure(const FakeOutcome& o) {
  switch (o.kind) {
    case FakeKind::unauthorized: return telegram_error(401, "Unauthorized");
    case FakeKind::forbidden: return telegram_error(403, "Forbidden: bot was blocked by the user");
    case FakeKind::rate_limited:
      return telegram_error(429, "Too Many Requests: retry after " + std::to_string(o.retry_after_seconds),
                            o.retry_after_seconds);
    case FakeKind::server_error: return telegram_error(500, "Internal Server Error");
    default: return malformed();
  }
}

Response telegram_ok(json::value result, std::string description = "") {
  json::object body{{"ok", true}, {"result", std::move(result)}};
  if (!description.empty()) body["description"] = description;
  return Response::json(200, body);
}

// --- Meta Graph (WhatsApp and Messenger) ----------------------------------------------------

Response graph_error(unsigned status, int code, std::string message, int subcode = 0) {
  json::object error{{"message", std::move(message)}, {"type", "OAuthException"}, {"code", code}};
  if (subcode) error["error_subcode"] = subcode;
  error["fbtrace_id"] = "AFakeTraceId0001";
  return Response::json(status, json::object{{"error", std::move(error)}});
}

Response graph_failure(const FakeOutcome& o) {
  switch (o.kind) {
    case FakeKind::unauthorized:
      return graph_error(401, 190, "Error validating access token: Session has expired.");
    case FakeKind::forbidden: return graph_error(403, 200, "(#200) Permissions error");
    case FakeKind::rate_limited:
      return with_retry_after(graph_error(429, 4, "(#4) Application request limit reached"), o.retry_after_seconds);
    case FakeKind::server_error:
      return graph_error(500, 2, "An unexpected error has occurred. Please retry your request later.");
    default: return malformed();
  }
}

// Graph takes the token as a Bearer header or as the access_token query parameter.
bool graph_authorized(const Request& req) {
  return !credential(req, "Bearer").empty() || !req.query_param("access_token").value_or("").empty();
}

Response graph_missing_token() {
  return graph_error(401, 190, "An active access token must be used to query information about the current user.");
}

// --- Slack ------------------------------------------------------------------------------------

Response slack_error(unsigned status, std::string error) {
  return Response::json(status, json::object{{"ok", false}, {"error", std::move(error)}});
}

Response slack_failure(const FakeOutcome& o) {
  switch (o.kind) {
    case FakeKind::unauthorized: return slack_error(200, "invalid_auth");
    case FakeKind::forbidden: return slack_error(200, "account_inactive");
    case FakeKind::rate_limited: return with_retry_after(slack_error(429, "ratelimited"), o.retry_after_seconds);
    case FakeKind::server_error: return slack_error(500, "internal_error");
    default: return malformed();
  }
}

// Slack takes the token as a Bearer header or as a token field.
bool slack_authorized(const Request& req, const json::object& params) {
  return !credential(req, "Bearer").empty() || !field(params, "token").empty();
}

// --- Discord ----------------------------------------------------------------------------------

const char* kDiscordBotId = "234567890123456789";
const char* kDiscordInteractionChannel = "345678901234567890";

Response discord_error(unsigned status, std::string message, int code) {
  return Response::json(status, json::object{{"message", std::move(message)}, {"code", code}});
}

Response discord_failure(const FakeOutcome& o) {
  switch (o.kind) {
    case FakeKind::unauthorized: return discord_error(401, "401: Unauthorized", 0);
    case FakeKind::forbidden: return discord_error(403, "Missing Access", 50001);
    case FakeKind::rate_limited: {
      auto res = with_retry_after(
          Response::json(429, json::object{{"message", "You are being rate limited."},
                                           {"retry_after", static_cast<double>(o.retry_after_seconds)},
                                           {"global", false}}),
          o.retry_after_seconds);
      res.set_header("X-RateLimit-Limit", "5");
      res.set_header("X-RateLimit-Remaining", "0");
      res.set_header("X-RateLimit-Reset-After", std::to_string(o.retry_after_seconds) + ".000");
      res.set_header("X-RateLimit-Bucket", "fakebucket");
      res.set_header("X-RateLimit-Scope", "user");
      return res;
    }
    case FakeKind::server_error: return discord_error(500, "500: Internal Server Error", 0);
    default: return malformed();
  }
}

bool discord_authorized(const Request& req) { return !credential(req, "Bot").empty(); }

json::object discord_bot_user() {
  return json::object{{"id", kDiscordBotId}, {"username", "switchboard-test"}, {"discriminator", "0"}, {"bot", true}};
}

json::object discord_message(const std::string& id, const std::string& channel_id, const std::string& content) {
  return json::object{
      {"id", id}, {"type", 0}, {"channel_id", channel_id}, {"content", content}, {"author", discord_bot_user()}};
}

std::string discord_snowflake(long long n) { return std::to_string(1300000000000000000LL + n); }

// --- Twilio -----------------------------------------------------------------------------------

Response twilio_error(unsigned status, int code, std::string message) {
  return Response::json(status, json::object{{"code", code},
                                             {"message", std::move(message)},
                                             {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code)},
                                             {"status", status}});
}

Response twilio_failure(const FakeOutcome& o) {
  switch (o.kind) {
    case FakeKind::unauthorized: return twilio_error(401, 20003, "Authenticate");
    case FakeKind::forbidden: return twilio_error(403, 20403, "Forbidden");
    case FakeKind::rate_limited:
      return with_retry_after(twilio_error(429, 20429, "Too Many Requests"), o.retry_after_seconds);
    case FakeKind::server_error: return twilio_error(500, 20500, "Internal Server Error");
    default: return malformed();
  }
}

// HTTP Basic whose user is the AccountSid of the path and whose password is not empty.
bool twilio_authorized(const Request& req, const std::string& account_sid) {
  std::string pair = base64_decode(credential(req, "Basic"));
  auto colon = pair.find(':');
  return colon != std::string::npos && pair.substr(0, colon) == account_sid && colon + 1 < pair.size();
}

Response twilio_unauthorized() { return twilio_error(401, 20003, "Authenticate"); }

// --- Control ----------------------------------------------------------------------------------

// The path as the control endpoint shows it: bot and interaction tokens left out.
std::string redacted_path(const PlatformRequest& r) {
  auto segments = http::split_path(r.path);
  if (r.service == "telegram" && !segments.empty() && segments[0].rfind("bot", 0) == 0) segments[0] = "bot<token>";
  if (r.service == "discord" && segments.size() >= 3 && segments[0] == "webhooks") segments[2] = "<token>";
  std::string out;
  for (const auto& s : segments) out += "/" + s;
  return out;
}

Response control_error(std::string message) {
  return Response::json(400, json::object{{"error", json::object{{"code", "invalid_script"}, {"message", std::move(message)}}}});
}

}  // namespace

void FakePlatforms::add_route(http::Method method, std::string pattern, http::Handler handler) {
  router_.add(method, std::move(pattern), std::move(handler), {.body_limit = 0, .blocking = !inline_answers_});
}

FakePlatforms::FakePlatforms(int blocking_threads, unsigned short port, bool inline_answers)
    : inline_answers_(inline_answers) {
  for (const auto& s : kServices) outcomes_[s] = {FakeOutcome{}};
  add_telegram_routes();
  add_graph_routes();
  add_slack_routes();
  add_discord_routes();
  add_twilio_routes();
  add_control_routes();
  add_unknown_routes();
  http::ServerOptions options;
  options.port = port;
  options.io_threads = 1;
  options.blocking_threads = blocking_threads;
  options.shutdown_grace_seconds = 1;
  server_ = std::make_unique<http::Server>(options, router_, metrics_, nullptr);
  port_ = server_->start();
}

FakePlatforms::~FakePlatforms() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  server_->stop();
  server_->wait();
}

std::string FakePlatforms::root_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
std::string FakePlatforms::base_url(const std::string& service) const { return root_url() + "/" + service; }

void FakePlatforms::script(const std::string& service, std::vector<FakeOutcome> outcomes) {
  if (!is_service(service)) throw std::invalid_argument("unknown fake service " + service);
  if (outcomes.empty()) outcomes.push_back(FakeOutcome{});
  std::lock_guard lock(mu_);
  outcomes_[service].assign(outcomes.begin(), outcomes.end());
}

void FakePlatforms::reset() {
  std::lock_guard lock(mu_);
  for (const auto& s : kServices) outcomes_[s] = {FakeOutcome{}};
  requests_.clear();
  sent_.clear();
  discord_nonces_.clear();
  telegram_webhook_url_.clear();
  telegram_webhook_secret_.clear();
}

std::vector<PlatformRequest> FakePlatforms::requests() {
  std::lock_guard lock(mu_);
  return requests_;
}

std::vector<SentMessage> FakePlatforms::sent() {
  std::lock_guard lock(mu_);
  return sent_;
}

std::string FakePlatforms::telegram_webhook_url() {
  std::lock_guard lock(mu_);
  return telegram_webhook_url_;
}

std::string FakePlatforms::telegram_webhook_secret() {
  std::lock_guard lock(mu_);
  return telegram_webhook_secret_;
}

void FakePlatforms::set_discord_application_id(std::string id) {
  std::lock_guard lock(mu_);
  discord_application_id_ = std::move(id);
}

FakeOutcome FakePlatforms::begin(const std::string& service, const Request& req) {
  FakeOutcome outcome;
  std::unique_lock lock(mu_);
  auto q = req.target.find('?');
  requests_.push_back({service, std::string(http::beast_http::to_string(req.method)), req.path.substr(service.size() + 1),
                       req.target, true, q == std::string::npos ? "" : req.target.substr(q + 1),
                       req.header("Authorization"), req.header("Content-Type"), req.body});
  auto& queue = outcomes_[service];
  outcome = queue.front();
  if (queue.size() > 1) queue.pop_front();
  long delay = outcome.kind == FakeKind::timeout && outcome.delay_ms == 0 ? 3000 : outcome.delay_ms;
  if (delay > 0) stop_cv_.wait_for(lock, std::chrono::milliseconds(delay), [this] { return stopping_; });
  return outcome;
}

void FakePlatforms::record_sent(SentMessage message) {
  std::lock_guard lock(mu_);
  sent_.push_back(std::move(message));
}

long long FakePlatforms::next_number() {
  std::lock_guard lock(mu_);
  return ++counter_;
}

// Telegram: {base}/bot<token>/<method>, GET or POST, parameters in the query, a JSON or a form body.
void FakePlatforms::add_telegram_routes() {
  for (std::string method : {"getMe", "setWebhook", "deleteWebhook", "getWebhookInfo", "sendMessage", "answerCallbackQuery"})
    for (Method verb : {Method::get, Method::post})
      add_route(verb, "/telegram/:bot/" + method, [this, method](Request& req) { return telegram(req, method); });
}

Response FakePlatforms::telegram(const Request& req, const std::string& method) {
  FakeOutcome o = begin("telegram", req);
  if (fails(o)) return telegram_failure(o);
  const std::string& segment = req.param("bot");
  if (segment.rfind("bot", 0) != 0) return telegram_error(404, "Not Found");
  std::string token = segment.substr(3);
  if (!telegram_token_ok(token)) return telegram_error(401, "Unauthorized");
  // A bot's id is the number before the colon of its token.
  json::object bot{{"id", number_or_string(token.substr(0, token.find(':')))},
                   {"is_bot", true},
                   {"first_name", "Switchboard Test"},
                   {"username", "switchboard_test_bot"}};
  json::object params = request_params(req);

  if (method == "getMe") return telegram_ok(bot);
  if (method == "setWebhook" || method == "deleteWebhook") {
    std::string url = method == "setWebhook" ? field(params, "url") : "";
    {
      std::lock_guard lock(mu_);
      telegram_webhook_url_ = url;
      telegram_webhook_secret_ = method == "setWebhook" ? field(params, "secret_token") : "";
    }
    return telegram_ok(true, url.empty() ? "Webhook was deleted" : "Webhook was set");
  }
  if (method == "getWebhookInfo") {
    return telegram_ok(json::object{{"url", telegram_webhook_url()},
                                    {"has_custom_certificate", false},
                                    {"pending_update_count", 0},
                                    {"max_connections", 40}});
  }
  if (method == "answerCallbackQuery") {
    std::string id = field(params, "callback_query_id");
    if (id.empty()) return telegram_error(400, "Bad Request: query_id is empty");
    if (field(params, "text").size() > 200) return telegram_error(400, "Bad Request: MESSAGE_TOO_LONG");
    record_sent({"telegram", "callback:" + id, field(params, "text"), "callback"});
    return telegram_ok(true);
  }
  std::string chat_id = field(params, "chat_id");
  std::string text = field(params, "text");
  if (chat_id.empty()) return telegram_error(400, "Bad Request: chat_id is empty");
  if (text.empty()) return telegram_error(400, "Bad Request: message text is empty");
  if (o.kind == FakeKind::invalid_recipient) return telegram_error(400, "Bad Request: chat not found");
  if (o.kind == FakeKind::blocked) return telegram_error(403, "Forbidden: bot was blocked by the user");
  long long message_id = next_number();
  std::vector<std::string> buttons;
  if (const json::object* markup = object_field(params, "reply_markup"))
    if (const auto* rows = markup->if_contains("inline_keyboard"); rows && rows->is_array())
      for (const auto& row : rows->as_array())
        if (row.is_array())
          for (const auto& button : row.as_array())
            if (button.is_object()) buttons.push_back(field(button.as_object(), "callback_data"));
  record_sent({"telegram", chat_id, text, std::to_string(message_id), buttons});
  return telegram_ok(json::object{{"message_id", message_id},
                                  {"from", bot},
                                  {"chat", json::object{{"id", number_or_string(chat_id)}, {"type", "private"}}},
                                  {"date", unix_now()},
                                  {"text", text}});
}

// Graph: GET /{phone_number_id}, /{page_id}?fields=id,name or /me to verify; POST /{id}/messages for both WhatsApp and Messenger.
void FakePlatforms::add_graph_routes() {
  add_route(Method::get, "/graph/:id", [this](Request& req) {
    FakeOutcome o = begin("graph", req);
    if (fails(o)) return graph_failure(o);
    if (!graph_authorized(req)) return graph_missing_token();
    const std::string& id = req.param("id");
    if (id == "me") return Response::json(200, json::object{{"id", "100000000000001"}, {"name", "Switchboard Test Page"}});
    // A Page looked up by id, as Messenger's verify does (it asks for fields=id,name).
    if (req.query_param("fields").value_or("").find("name") != std::string::npos &&
        req.query_param("fields").value_or("").find("verified_name") == std::string::npos)
      return Response::json(200, json::object{{"id", id}, {"name", "Switchboard Test Page"}});
    return Response::json(200, json::object{{"id", id},
                                            {"display_phone_number", "+1 555 0100"},
                                            {"verified_name", "Switchboard Test"},
                                            {"quality_rating", "GREEN"}});
  });

  add_route(Method::post, "/graph/:id/messages", [this](Request& req) {
    FakeOutcome o = begin("graph", req);
    if (fails(o)) return graph_failure(o);
    if (!graph_authorized(req)) return graph_missing_token();
    json::object body = json_body(req);
    if (field(body, "messaging_product") == "whatsapp") {
      std::string to = field(body, "to");
      const json::object* text = object_field(body, "text");
      std::string text_body = text ? field(*text, "body") : "";
      std::vector<std::string> buttons;
      if (const json::object* interactive = object_field(body, "interactive")) {
        if (const json::object* b = object_field(*interactive, "body")) text_body = field(*b, "text");
        if (text_body.size() > 1024) return graph_error(400, 100, "(#100) Param interactive['body']['text'] is too long.");
        if (const json::object* action = object_field(*interactive, "action"))
          if (const auto* sections = action->if_contains("sections"); sections && sections->is_array())
            for (const auto& section : sections->as_array())
              if (const auto* rows = section.is_object() ? section.as_object().if_contains("rows") : nullptr;
                  rows && rows->is_array())
                for (const auto& row : rows->as_array())
                  if (row.is_object()) buttons.push_back(field(row.as_object(), "id"));
        if (buttons.size() > 10) return graph_error(400, 100, "(#100) A list has at most 10 rows.");
      }
      if (to.empty()) return graph_error(400, 100, "(#100) The parameter to is required.");
      if (text_body.empty()) return graph_error(400, 100, "(#100) The parameter text['body'] is required.");
      if (o.kind == FakeKind::invalid_recipient) return graph_error(400, 100, "(#100) Invalid parameter");
      if (o.kind == FakeKind::blocked)
        return graph_error(400, 131047, "Re-engagement message: more than 24 hours have passed since the recipient last replied");
      std::string wamid = "wamid.fake" + std::to_string(next_number());
      record_sent({"graph", to, text_body, wamid, buttons});
      std::string wa_id;
      for (char c : to)
        if (std::isdigit(static_cast<unsigned char>(c))) wa_id += c;
      return Response::json(200, json::object{{"messaging_product", "whatsapp"},
                                              {"contacts", json::array{json::object{{"input", to}, {"wa_id", wa_id}}}},
                                              {"messages", json::array{json::object{{"id", wamid}}}}});
    }
    const json::object* recipient = object_field(body, "recipient");
    const json::object* message = object_field(body, "message");
    std::string psid = recipient ? field(*recipient, "id") : "";
    std::string text = message ? field(*message, "text") : "";
    if (psid.empty()) return graph_error(400, 100, "(#100) param recipient must be non-empty.");
    if (text.empty()) return graph_error(400, 100, "(#100) param message must be non-empty.");
    if (o.kind == FakeKind::invalid_recipient) return graph_error(400, 100, "(#100) No matching user found", 2018001);
    if (o.kind == FakeKind::blocked) return graph_error(400, 551, "This person isn't available right now.", 1545041);
    std::vector<std::string> buttons;
    if (const auto* replies = message->if_contains("quick_replies"); replies && replies->is_array()) {
      for (const auto& r : replies->as_array())
        if (r.is_object()) buttons.push_back(field(r.as_object(), "payload"));
      if (buttons.size() > 13) return graph_error(400, 100, "(#100) At most 13 quick replies.");
    }
    std::string mid = "m_fake" + std::to_string(next_number());
    record_sent({"graph", psid, text, mid, buttons});
    return Response::json(200, json::object{{"recipient_id", psid}, {"message_id", mid}});
  });
}

// Slack Web API: errors are ok:false with HTTP 200, except 429 and 5xx.
void FakePlatforms::add_slack_routes() {
  auto auth_test = [this](Request& req) {
    FakeOutcome o = begin("slack", req);
    if (fails(o)) return slack_failure(o);
    if (!slack_authorized(req, request_params(req))) return slack_error(200, "not_authed");
    return Response::json(200, json::object{{"ok", true},
                                            {"url", "https://switchboard-test.slack.com/"},
                                            {"team", "Switchboard Test"},
                                            {"user", "switchboard"},
                                            {"team_id", "T0001"},
                                            {"user_id", "U0001"},
                                            {"bot_id", "B0001"}});
  };
  add_route(Method::post, "/slack/auth.test", auth_test);
  add_route(Method::get, "/slack/auth.test", auth_test);

  add_route(Method::post, "/slack/chat.postMessage", [this](Request& req) {
    FakeOutcome o = begin("slack", req);
    if (fails(o)) return slack_failure(o);
    json::object params = request_params(req);
    if (!slack_authorized(req, params)) return slack_error(200, "not_authed");
    std::string channel = field(params, "channel");
    std::string text = field(params, "text");
    if (channel.empty() || o.kind == FakeKind::invalid_recipient) return slack_error(200, "channel_not_found");
    if (o.kind == FakeKind::blocked) return slack_error(200, "is_archived");
    if (text.empty()) return slack_error(200, "no_text");
    char ts[48];
    std::snprintf(ts, sizeof ts, "%lld.%06lld", unix_now(), next_number() % 1000000);
    std::vector<std::string> buttons;
    if (const auto* blocks = params.if_contains("blocks"); blocks && blocks->is_array())
      for (const auto& block : blocks->as_array())
        if (const auto* elements = block.is_object() ? block.as_object().if_contains("elements") : nullptr;
            elements && elements->is_array())
          for (const auto& element : elements->as_array())
            if (element.is_object() && field(element.as_object(), "type") == "button")
              buttons.push_back(field(element.as_object(), "value"));
    record_sent({"slack", channel, text, ts, buttons});
    return Response::json(200, json::object{{"ok", true},
                                            {"channel", channel},
                                            {"ts", ts},
                                            {"message", json::object{{"type", "message"},
                                                                     {"text", text},
                                                                     {"user", "U0001"},
                                                                     {"bot_id", "B0001"},
                                                                     {"ts", ts}}}});
  });
}

// Discord REST: "Bot <token>" for the bot's own calls; interaction webhooks authenticate by the token in the path.
void FakePlatforms::add_discord_routes() {
  add_route(Method::get, "/discord/applications/@me", [this](Request& req) {
    FakeOutcome o = begin("discord", req);
    if (fails(o)) return discord_failure(o);
    if (!discord_authorized(req)) return discord_error(401, "401: Unauthorized", 0);
    std::lock_guard lock(mu_);
    return Response::json(200, json::object{{"id", discord_application_id_},
                                            {"name", "Switchboard Test App"},
                                            {"bot", discord_bot_user()}});
  });

  add_route(Method::get, "/discord/users/@me", [this](Request& req) {
    FakeOutcome o = begin("discord", req);
    if (fails(o)) return discord_failure(o);
    if (!discord_authorized(req)) return discord_error(401, "401: Unauthorized", 0);
    return Response::json(200, discord_bot_user());
  });

  add_route(Method::post, "/discord/channels/:channel_id/messages", [this](Request& req) {
    FakeOutcome o = begin("discord", req);
    if (fails(o)) return discord_failure(o);
    if (!discord_authorized(req)) return discord_error(401, "401: Unauthorized", 0);
    std::string content = field(json_body(req), "content");
    if (content.empty()) return discord_error(400, "Cannot send an empty message", 50006);
    if (o.kind == FakeKind::invalid_recipient) return discord_error(404, "Unknown Channel", 10003);
    if (o.kind == FakeKind::blocked) return discord_error(403, "Cannot send messages to this user", 50007);
    const std::string& channel_id = req.param("channel_id");
    // Discord's nonce with enforce_nonce: a second message with the same nonce from the same author
    // (within a few minutes; the fake keeps them until reset) returns the first, and posts nothing.
    json::object body = json_body(req);
    std::string nonce = field(body, "nonce");
    const auto* enforce = body.if_contains("enforce_nonce");
    bool enforced = !nonce.empty() && enforce && enforce->is_bool() && enforce->as_bool();
    if (nonce.size() > 25) return discord_error(400, "Invalid Form Body: nonce is longer than 25 characters", 50035);
    if (enforced) {
      std::lock_guard lock(mu_);
      if (auto it = discord_nonces_.find(channel_id + "\n" + nonce); it != discord_nonces_.end())
        return Response::json(200, discord_message(it->second.first, channel_id, it->second.second));
    }
    std::string id = discord_snowflake(next_number());
    if (enforced) {
      std::lock_guard lock(mu_);
      discord_nonces_[channel_id + "\n" + nonce] = {id, content};
    }
    record_sent({"discord", channel_id, content, id});
    return Response::json(200, discord_message(id, channel_id, content));
  });

  // Editing the deferred reply and posting a follow-up both answer with the message.
  auto interaction_reply = [this](Request& req) {
    FakeOutcome o = begin("discord", req);
    if (fails(o)) return discord_failure(o);
    {
      std::lock_guard lock(mu_);
      if (req.param("application_id") != discord_application_id_) return discord_error(404, "Unknown Webhook", 10015);
    }
    json::object sent = json_body(req);
    std::string content = field(sent, "content");
    if (content.empty()) return discord_error(400, "Cannot send an empty message", 50006);
    if (o.kind == FakeKind::invalid_recipient) return discord_error(404, "Unknown Webhook", 10015);
    if (o.kind == FakeKind::blocked) return discord_error(404, "Unknown interaction", 10062);
    std::vector<std::string> buttons;
    if (const auto* rows = sent.if_contains("components"); rows && rows->is_array())
      for (const auto& row : rows->as_array())
        if (const auto* items = row.is_object() ? row.as_object().if_contains("components") : nullptr;
            items && items->is_array())
          for (const auto& item : items->as_array())
            if (item.is_object()) buttons.push_back(field(item.as_object(), "custom_id"));
    if (buttons.size() > 5) return discord_error(400, "Invalid Form Body: an action row holds at most 5 buttons", 50035);
    std::string id = discord_snowflake(next_number());
    record_sent({"discord", req.param("token"), content, id, buttons});
    auto message = discord_message(id, kDiscordInteractionChannel, content);
    message["application_id"] = req.param("application_id");
    message["webhook_id"] = req.param("application_id");
    return Response::json(200, message);
  };
  add_route(Method::patch, "/discord/webhooks/:application_id/:token/messages/@original", interaction_reply);
  add_route(Method::post, "/discord/webhooks/:application_id/:token", interaction_reply);
}

// Twilio REST 2010-04-01: HTTP Basic with the AccountSid as user; form-encoded writes.
void FakePlatforms::add_twilio_routes() {
  add_route(Method::get, "/twilio/2010-04-01/Accounts/:sid_json", [this](Request& req) {
    FakeOutcome o = begin("twilio", req);
    const std::string& segment = req.param("sid_json");
    constexpr std::string_view kSuffix = ".json";
    if (segment.size() <= kSuffix.size() || segment.compare(segment.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
      return twilio_error(404, 20404, "The requested resource " + req.path.substr(7) + " was not found");
    if (fails(o)) return twilio_failure(o);
    std::string sid = segment.substr(0, segment.size() - kSuffix.size());
    if (!twilio_authorized(req, sid)) return twilio_unauthorized();
    return Response::json(200, json::object{{"sid", sid},
                                            {"friendly_name", "Switchboard Test"},
                                            {"status", "active"},
                                            {"type", "Full"}});
  });

  add_route(Method::post, "/twilio/2010-04-01/Accounts/:sid/Messages.json", [this](Request& req) {
    FakeOutcome o = begin("twilio", req);
    if (fails(o)) return twilio_failure(o);
    const std::string& sid = req.param("sid");
    if (!twilio_authorized(req, sid)) return twilio_unauthorized();
    json::object params = request_params(req);
    std::string to = field(params, "To");
    std::string from = field(params, "From");
    std::string body = field(params, "Body");
    if (to.empty()) return twilio_error(400, 21604, "A 'To' phone number is required.");
    if (from.empty() && field(params, "MessagingServiceSid").empty())
      return twilio_error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
    if (body.empty()) return twilio_error(400, 21602, "Message body is required.");
    if (o.kind == FakeKind::invalid_recipient)
      return twilio_error(400, 21211, "Invalid 'To' Phone Number: " + to);
    if (o.kind == FakeKind::blocked) return twilio_error(400, 21610, "Attempt to send to unsubscribed recipient");
    char message_sid[40];
    std::snprintf(message_sid, sizeof message_sid, "SM%032llx", next_number());
    record_sent({"twilio", to, body, message_sid});
    return Response::json(201, json::object{{"sid", message_sid},
                                            {"account_sid", sid},
                                            {"status", "queued"},
                                            {"direction", "outbound-api"},
                                            {"to", to},
                                            {"from", from},
                                            {"body", body},
                                            {"num_segments", "1"},
                                            {"error_code", nullptr},
                                            {"error_message", nullptr}});
  });
}

void FakePlatforms::add_unknown_routes() {
  http::RouteOptions immediate;
  immediate.blocking = false;
  auto unknown = [this](Request& req) {
    auto segments = http::split_path(req.path);
    std::string service = !segments.empty() && is_service(segments[0]) ? segments[0] : "";
    auto q = req.target.find('?');
    {
      std::lock_guard lock(mu_);
      requests_.push_back({service, std::string(http::beast_http::to_string(req.method)),
                           service.empty() ? req.path : req.path.substr(service.size() + 1), req.target, false,
                           q == std::string::npos ? "" : req.target.substr(q + 1), req.header("Authorization"),
                           req.header("Content-Type"), req.body});
    }
    return Response::json(404, json::object{{"message", "404: Not Found"}, {"code", 0}});
  };
  std::string pattern;
  for (int n = 1; n <= 16; ++n) {
    pattern += "/:s" + std::to_string(n);
    for (Method m : {Method::get, Method::post, Method::put, Method::patch, Method::delete_})
      router_.add(m, pattern, unknown, immediate);
  }
}

// For a browser test driving the standalone process; never waits behind slow platform answers.
void FakePlatforms::add_control_routes() {
  http::RouteOptions immediate;
  immediate.blocking = false;

  router_.add(Method::post, "/_control/script", [this](Request& req) {
    boost::system::error_code ec;
    auto parsed = json::parse(req.body, ec);
    if (ec || !parsed.is_object()) return control_error("The body must be a JSON object.");
    const json::object& body = parsed.as_object();
    std::string service = field(body, "service");
    if (!is_service(service)) return control_error("Unknown service '" + service + "'.");
    const json::value* list = body.if_contains("outcomes");
    if (!list || !list->is_array()) return control_error("outcomes must be an array.");
    std::vector<FakeOutcome> outcomes;
    for (const auto& item : list->as_array()) {
      if (!item.is_object()) return control_error("Each outcome must be an object.");
      const json::object& o = item.as_object();
      auto kind = kKinds.find(field(o, "kind"));
      if (kind == kKinds.end()) return control_error("Unknown kind '" + field(o, "kind") + "'.");
      FakeOutcome outcome;
      outcome.kind = kind->second;
      if (auto* v = o.if_contains("retry_after_seconds"); v && v->is_int64()) outcome.retry_after_seconds = static_cast<int>(v->as_int64());
      if (auto* v = o.if_contains("delay_ms"); v && v->is_int64()) outcome.delay_ms = static_cast<long>(v->as_int64());
      outcomes.push_back(outcome);
    }
    script(service, std::move(outcomes));
    return Response::no_content();
  }, immediate);

  router_.add(Method::post, "/_control/reset", [this](Request&) {
    reset();
    return Response::no_content();
  }, immediate);

  router_.add(Method::get, "/_control/sent", [this](Request&) {
    json::array items;
    for (const auto& m : sent())
      items.push_back(json::object{{"service", m.service},
                                   {"recipient", m.recipient},
                                   {"text", m.text},
                                   {"platform_message_id", m.platform_message_id}});
    return Response::json(200, json::object{{"items", std::move(items)}});
  }, immediate);

  // Credentials stay out: tokens in paths are masked, and only whether any were sent is shown.
  router_.add(Method::get, "/_control/requests", [this](Request&) {
    json::array items;
    for (const auto& r : requests()) {
      bool credentials = !r.authorization.empty() || r.query.find("access_token=") != std::string::npos;
      items.push_back(json::object{{"service", r.service},
                                   {"method", r.method},
                                   {"path", redacted_path(r)},
                                   {"authorization_present", credentials}});
    }
    return Response::json(200, json::object{{"items", std::move(items)}});
  }, immediate);

  router_.add(Method::get, "/_control/telegram-webhook", [this](Request&) {
    return Response::json(200, json::object{{"url", telegram_webhook_url()}, {"secret_token", telegram_webhook_secret()}});
  }, immediate);
}

}  // namespace sb::test
