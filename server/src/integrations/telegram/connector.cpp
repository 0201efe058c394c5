// Telegram Bot API connector: getMe, sendMessage, setWebhook, and the secret-token header (PLATFORMS.md §1).
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>

#include "core/crypto.hpp"
#include "integrations/connector.hpp"
#include "integrations/ids.hpp"
#include "integrations/platform_call.hpp"

namespace sb::integrations {
namespace {
namespace json = boost::json;
constexpr const char* kName = "Telegram";

// Telegram answers {ok:false, error_code, description, parameters:{retry_after}} on every failure.
PlatformAnswer failure(const CallResult& r, const Credentials& creds, std::string_view what) {
  if (r.failure) return *r.failure;
  if (!r.json_ok) return not_json(kName, r.response.status);
  std::string description = scrub(string_at(r.body, {"description"}), creds);
  auto a = answer_for_status(kName, r.response.status, description, what);
  if (r.response.status == 429) {
    std::string after = string_at(r.body, {"parameters", "retry_after"});
    a.retry_after_seconds = after.empty() ? retry_after_header(r.response) : std::stoi(after);
    a.message = "Telegram is limiting requests (429); try again in " +
                std::to_string(a.retry_after_seconds ? a.retry_after_seconds : 1) + " s.";
  }
  return a;
}

// A send Telegram refused because of the chat, not the token: a bad token is 401 there, so a 403
// on sendMessage is always about the chat ("Forbidden: bot was blocked by the user"), and a 400
// "chat not found" names a chat that does not exist or never talked to the bot.
std::optional<PlatformAnswer> recipient_failure(const CallResult& r, const Credentials& creds) {
  if (r.failure || !r.json_ok) return std::nullopt;
  long status = r.response.status;
  std::string description = scrub(string_at(r.body, {"description"}), creds);
  std::string lower = description;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto has = [&](std::string_view s) { return lower.find(s) != std::string::npos; };
  if (status == 400 && has("chat not found")) return recipient_unreachable(kName, status, "The chat was not found", description);
  if (status != 403) return std::nullopt;
  std::string_view what = "Telegram will not deliver to this chat";
  if (has("blocked by the user")) what = "The recipient blocked the bot";
  else if (has("user is deactivated")) what = "The recipient's Telegram account was deleted";
  else if (has("kicked") || has("not a member")) what = "The bot was removed from this chat";
  else if (has("initiate conversation")) what = "The person has never started a chat with the bot";
  return recipient_unreachable(kName, status, what, description);
}

bool telegram_ok(const CallResult& r) {
  return !r.failure && r.json_ok && r.response.status == 200 && r.body.is_object() &&
         r.body.as_object().if_contains("ok") && r.body.at("ok") == true;
}

std::string method_url(const PlatformEndpoints& e, const Credentials& c, const char* method) {
  const std::string& token = c.at("bot_token");
  // The token is a path segment; one of another shape is refused before any call (refuse_unsafe).
  if (!ids::telegram_bot_token(token)) throw std::invalid_argument("the stored Telegram bot token has the wrong shape");
  return ids::api_url(e.telegram, {"bot" + token, method});
}

// "callback:<id>": a reply target that answers a button press (answerCallbackQuery) instead of
// writing to the chat. Telegram's callback query ids are opaque strings of letters and digits.
std::optional<std::string> callback_id(const std::string& recipient) {
  constexpr std::string_view prefix = "callback:";
  if (recipient.size() <= prefix.size() || recipient.size() > prefix.size() + 64 ||
      recipient.compare(0, prefix.size(), prefix) != 0)
    return std::nullopt;
  std::string id = recipient.substr(prefix.size());
  for (char ch : id)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-') return std::nullopt;
  return id;
}

class TelegramConnector final : public Connector {
 public:
  std::string_view platform() const override { return "telegram"; }
  std::string_view display_name() const override { return kName; }
  std::string_view webhook_setup() const override { return "set_webhook"; }
  std::string_view verify_call() const override { return "getMe"; }

  const std::vector<CredentialField>& credential_schema() const override {
    static const std::vector<CredentialField> fields = {
        {"bot_token", "Bot token",
         "Talk to @BotFather in Telegram: /newbot creates a bot and shows its token; /token shows it again.",
         "123456789:AAE…", true, true, [](const std::string& v) {
           return check_pattern(v, "[0-9]{5,15}:[A-Za-z0-9_-]{30,60}",
                                "A Telegram bot token looks like 123456789:AAE… — digits, a colon, then about 35 "
                                "letters, digits, - or _.");
         }}};
    return fields;
  }

  std::optional<std::string> check_recipient(const std::string& r) const override {
    if (ids::telegram_chat_id(r)) return std::nullopt;
    if (callback_id(r)) return std::nullopt;
    return "A Telegram chat id is a whole number (negative for groups), or @channelname for a public channel.";
  }

  PlatformAnswer verify(const Credentials& c, http::HttpClient& client, const PlatformEndpoints& e) const override {
    auto r = call_platform(client, {"GET", method_url(e, c, "getMe"), {}, ""}, kName, e);
    if (!telegram_ok(r)) return failure(r, c, "the bot token");
    PlatformAnswer a;
    a.http_status = 200;
    std::string username = string_at(r.body, {"result", "username"});
    a.account = username.empty() ? string_at(r.body, {"result", "first_name"}) : "@" + username;
    a.message = "Telegram knows this bot as " + a.account + ".";
    return a;
  }

  std::optional<http::ClientRequest> send_request(const OutboundMessage& m, const Credentials& c,
                                                  const PlatformEndpoints& e) const override {
    if (auto id = callback_id(m.recipient)) {
      // The answer to a rating button: Telegram shows it on the button's press (at most 200 characters).
      std::size_t end = std::min<std::size_t>(m.text.size(), 200);
      while (end > 0 && end < m.text.size() && (static_cast<unsigned char>(m.text[end]) & 0xC0) == 0x80) --end;
      json::object body{{"callback_query_id", *id}, {"text", m.text.substr(0, end)}};
      return http::ClientRequest{"POST", method_url(e, c, "answerCallbackQuery"),
                                 {{"Content-Type", "application/json"}}, json::serialize(body)};
    }
    json::object body{{"text", m.text}};
    if (m.ask_rating) {
      json::array row;
      for (int score = 1; score <= 5; ++score)
        row.push_back(json::object{{"text", std::to_string(score)}, {"callback_data", "rating:" + std::to_string(score)}});
      body["reply_markup"] = json::object{{"inline_keyboard", json::array{std::move(row)}}};
    }
    // Chat ids are 64-bit integers; channel names (@name) stay strings. check_recipient has passed: anything but @channelname is a 64-bit integer.
    if (!m.recipient.empty() && m.recipient[0] != '@') body["chat_id"] = std::stoll(m.recipient);
    else body["chat_id"] = m.recipient;
    return http::ClientRequest{"POST", method_url(e, c, "sendMessage"), {{"Content-Type", "application/json"}},
                               json::serialize(body)};
  }

  PlatformAnswer read_send(const OutboundMessage& m, const CallResult& r, const Credentials& c) const override {
    if (auto unreachable = recipient_failure(r, c)) return *unreachable;
    if (!telegram_ok(r)) {
      auto a = failure(r, c, "the bot token");
      if (a.kind == PlatformAnswer::Kind::refused && !a.message.empty())
        a.message = "Telegram could not deliver to chat " + m.recipient + " (" + std::to_string(a.http_status) +
                    ": " + scrub(string_at(r.body, {"description"}), c) + ").";
      return a;
    }
    PlatformAnswer a;
    a.http_status = 200;
    if (auto id = callback_id(m.recipient)) {
      a.platform_message_id = "callback:" + *id;
      a.message = "Telegram accepted the answer to the button press.";
      return a;
    }
    a.platform_message_id = string_at(r.body, {"result", "message_id"});
    a.message = "Telegram accepted the message (message id " + a.platform_message_id + ").";
    return a;
  }

  // One update per delivery: a text message is answered, anything else is acknowledged and ignored.
  ParsedDelivery read_delivery(const InboundRequest& req) const override {
    ParsedDelivery out;
    boost::system::error_code ec;
    // The parsed update lives only in this call: its nodes go in a stack buffer, not one by one on the heap.
    unsigned char scratch[4096];
    json::monotonic_resource arena(scratch, sizeof scratch);
    auto body = json::parse(req.body, ec, &arena);
    std::string update_id = ec ? "" : string_at(body, {"update_id"});
    if (update_id.empty()) {
      out.error = "the delivery is not a Telegram update (no update_id)";
      return out;
    }
    const auto& update = body.as_object();
    if (const auto* query = update.if_contains("callback_query")) {
      // A rating button (ADR 0037): its score is the message; the reply answers the button press.
      std::string data = string_at(*query, {"data"});
      std::string id = string_at(*query, {"id"});
      InboundMessage m;
      m.idempotency_key = update_id;
      m.external_user_id = string_at(*query, {"from", "id"});
      std::string first = string_at(*query, {"from", "first_name"});
      std::string last = string_at(*query, {"from", "last_name"});
      m.display_name = last.empty() ? first : first + " " + last;
      m.reply_to = "callback:" + id;
      if (data.size() != 8 || data.compare(0, 7, "rating:") != 0 || data[7] < '1' || data[7] > '5' ||
          m.external_user_id.empty() || !callback_id(m.reply_to)) {
        out.ignored.emplace_back(update_id, "callback_query");
        return out;
      }
      m.text = data.substr(7);
      out.messages.push_back(std::move(m));
      return out;
    }
    const auto* message = update.if_contains("message");
    std::string text = message ? string_at(*message, {"text"}) : "";
    bool from_bot = message && message->is_object() && message->as_object().if_contains("from") &&
                    message->at("from").is_object() && message->at("from").as_object().if_contains("is_bot") &&
                    message->at("from").at("is_bot") == true;
    if (!message || text.empty() || from_bot) {
      std::string kind = "unknown";
      for (const auto& kv : update)
        if (kv.key() != "update_id") kind = std::string(kv.key());
      if (message) kind = from_bot ? "message_from_bot" : "message_without_text";
      out.ignored.emplace_back(update_id, kind);
      return out;
    }
    InboundMessage m;
    m.idempotency_key = update_id;
    m.external_user_id = string_at(*message, {"from", "id"});
    std::string first = string_at(*message, {"from", "first_name"});
    std::string last = string_at(*message, {"from", "last_name"});
    m.display_name = last.empty() ? first : first + " " + last;
    if (m.display_name.empty()) m.display_name = string_at(*message, {"from", "username"});
    m.reply_to = string_at(*message, {"chat", "id"});
    m.text = text;
    if (m.external_user_id.empty()) m.external_user_id = m.reply_to;
    out.messages.push_back(std::move(m));
    return out;
  }

  std::optional<SimulatedDelivery> simulate(const std::string& text, const std::string& user, const std::string&,
                                            const Credentials& c, std::int64_t now) const override {
    auto secret = c.find(std::string(kWebhookSecretField));
    // A random id (a simulated update must not look like a repeat of another); below 2^53 for JSON readers.
    std::string r = crypto::random_bytes(4);
    std::uint32_t n = 0;
    for (unsigned char b : r) n = (n << 8) | b;
    std::string update_id = std::to_string(1000000000LL + n);
    json::object from{{"id", std::stoll(user)}, {"is_bot", false}, {"first_name", "Simulated"}, {"last_name", "Customer"}};
    json::object body{{"update_id", std::stoll(update_id)},
                      {"message", json::object{{"message_id", now % 100000},
                                               {"date", now},
                                               {"from", from},
                                               {"chat", json::object{{"id", std::stoll(user)}, {"type", "private"}}},
                                               {"text", text}}}};
    return SimulatedDelivery{json::serialize(body),
                             "application/json",
                             {{"X-Telegram-Bot-Api-Secret-Token", secret == c.end() ? "" : secret->second}},
                             update_id};
  }

  AuthOutcome authenticate(const InboundRequest& req, const Credentials& c) const override {
    auto secret = c.find(std::string(kWebhookSecretField));
    if (secret == c.end() || secret->second.empty())
      return {false, "the webhook was never registered, so there is no secret token to compare", {}};
    if (req.method != "POST") return {false, "Telegram delivers with POST", {}};
    std::string got = req.header("X-Telegram-Bot-Api-Secret-Token");
    if (got.empty()) return {false, "missing X-Telegram-Bot-Api-Secret-Token", {}};
    if (!crypto::constant_time_equals(got, secret->second)) return {false, "wrong secret token", {}};
    return {true, "", {}};
  }

  std::optional<PlatformAnswer> register_webhook(const std::string& url, const Credentials& c,
                                                 http::HttpClient& client,
                                                 const PlatformEndpoints& e) const override {
    json::object body{{"url", url},
                      {"secret_token", c.at(std::string(kWebhookSecretField))},
                      {"allowed_updates", json::array{"message", "callback_query"}}};
    http::ClientRequest req{"POST", method_url(e, c, "setWebhook"), {{"Content-Type", "application/json"}},
                            json::serialize(body)};
    auto r = call_platform(client, req, kName, e);
    if (!telegram_ok(r)) {
      auto a = failure(r, c, "the bot token");
      if (a.kind == PlatformAnswer::Kind::refused)
        a.message = "Telegram refused the webhook URL (" + std::to_string(a.http_status) + ": " +
                    scrub(string_at(r.body, {"description"}), c) + ").";
      return a;
    }
    PlatformAnswer a;
    a.http_status = 200;
    a.message = "Telegram will deliver this bot's messages to " + url + ".";
    return a;
  }
};
}  // namespace

const Connector& telegram_connector() {
  static const TelegramConnector c;
  return c;
}

}  // namespace sb::integrations
