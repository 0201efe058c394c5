// Discord connector: application lookup, channel messages, Ed25519 interaction signatures and PING (PLATFORMS.md §5).
#include <boost/json.hpp>

#include <charconv>
#include <cstdlib>

#include "core/crypto.hpp"
#include "integrations/ids.hpp"
#include "integrations/connector.hpp"
#include "integrations/platform_call.hpp"

namespace sb::integrations {
namespace {
namespace json = boost::json;
constexpr const char* kName = "Discord";
// Discord documents no replay window; Slack's five minutes keeps an old signed interaction from
// being replayed for ever (PLATFORMS.md §5.1, ADR 0017).
constexpr std::int64_t kReplayWindowSeconds = 300;
constexpr std::string_view kInteraction = "interaction:";

PlatformAnswer failure(const CallResult& r, const Credentials& c) {
  if (r.failure) return *r.failure;
  if (!r.json_ok) return not_json(kName, r.response.status);
  std::string message = scrub(string_at(r.body, {"message"}), c);
  auto a = answer_for_status(kName, r.response.status, message, "the bot token");
  if (r.response.status == 429) {
    double after = 0;
    if (auto* v = r.body.as_object().if_contains("retry_after"); v && v->is_number()) after = v->to_number<double>();
    a.retry_after_seconds = after > 0 ? static_cast<int>(after + 0.999) : retry_after_header(r.response);
    a.message = "Discord is limiting requests (429); try again in " +
                std::to_string(a.retry_after_seconds ? a.retry_after_seconds : 1) + " s.";
  } else if (std::string code = string_at(r.body, {"code"});
             code == "10003" || code == "10013" || code == "50007" || code == "10062" || code == "10015") {
    const char* what = code == "10003"   ? "The Discord channel no longer exists"
                       : code == "10013" ? "The Discord user no longer exists"
                       : code == "50007" ? "Discord does not let the bot message this user (direct messages closed or blocked)"
                                         : "The slash command can no longer be answered (its interaction expired)";
    return recipient_unreachable(kName, r.response.status, what, "code " + code + (message.empty() ? "" : ", " + message));
  } else if (r.response.status == 404) {
    a.message = "Discord does not know this channel or application (404" + (message.empty() ? "" : ": " + message) + ").";
  }
  return a;
}

// 25 hexadecimal characters (100 bits) of the key's SHA-256: Discord takes nonces of up to 25.
std::string discord_nonce(const std::string& key) { return crypto::sha256_hex(key).substr(0, 25); }

bool discord_ok(const CallResult& r) {
  return !r.failure && r.json_ok && r.response.status >= 200 && r.response.status < 300 && r.body.is_object();
}

class DiscordConnector final : public Connector {
 public:
  std::string_view platform() const override { return "discord"; }
  std::string_view display_name() const override { return kName; }
  std::string_view webhook_setup() const override { return "public_key"; }
  std::string_view verify_call() const override { return "application lookup"; }

  const std::vector<CredentialField>& credential_schema() const override {
    static const std::vector<CredentialField> fields = {
        {"application_id", "Application ID", "discord.com/developers › your app › General Information.",
         "123456789012345678", false, true, [](const std::string& v) {
           if (ids::discord_snowflake(v)) return std::optional<std::string>();
           return std::optional<std::string>("A Discord application ID is a number of 17 to 20 digits.");
         }},
        {"public_key", "Public key", "The same General Information page, under Application ID.",
         "64 hexadecimal characters", false, true, [](const std::string& v) {
           return check_pattern(v, "[0-9a-fA-F]{64}", "A Discord public key is 64 hexadecimal characters.");
         }},
        {"bot_token", "Bot token", "Your app › Bot › Reset Token (Discord shows it once).", "MTA…", true, true,
         [](const std::string& v) {
           return check_pattern(v, "[A-Za-z0-9._-]{50,120}",
                                "A Discord bot token is 50 to 120 letters, digits, dots, - or _.");
         }}};
    return fields;
  }

  PlatformAnswer verify(const Credentials& c, http::HttpClient& client, const PlatformEndpoints& e) const override {
    auto r = call_platform(
        client, {"GET", ids::api_url(e.discord, {"applications", "@me"}), {{"Authorization", "Bot " + c.at("bot_token")}}, ""},
        kName, e);
    if (!discord_ok(r)) return failure(r, c);
    PlatformAnswer a;
    a.http_status = r.response.status;
    std::string id = string_at(r.body, {"id"});
    if (id != c.at("application_id")) {
      a.kind = PlatformAnswer::Kind::rejected;
      a.message = "The bot token belongs to another Discord application than the Application ID you entered.";
      return a;
    }
    a.account = string_at(r.body, {"name"});
    if (a.account.empty()) a.account = "your Discord application";
    a.message = "Discord knows this application as " + a.account + ".";
    return a;
  }

  std::optional<http::ClientRequest> send_request(const OutboundMessage& m, const Credentials& c,
                                                  const PlatformEndpoints& e) const override {
    // An interaction's answer replaces its deferred response (the token in the path is the
    // authority); anything else is a channel id.
    json::object message{{"content", m.text}};
    if (m.ask_rating) {
      // Message components: one action row of five buttons; a press is an interaction of type 3.
      json::array buttons;
      for (int score = 1; score <= 5; ++score)
        buttons.push_back(json::object{{"type", 2}, {"style", 1}, {"label", std::to_string(score)},
                                       {"custom_id", "rating:" + std::to_string(score)}});
      message["components"] = json::array{json::object{{"type", 1}, {"components", std::move(buttons)}}};
    }
    // Editing an interaction's response is safe to repeat. A channel message is not: with a nonce
    // and enforce_nonce, Discord returns the message it already created with that nonce (for a few
    // minutes) instead of posting another. The nonce is derived from the job id (at most 25 characters).
    if (m.recipient.rfind(kInteraction, 0) != 0 && !m.idempotency_key.empty()) {
      message["nonce"] = discord_nonce(m.idempotency_key);
      message["enforce_nonce"] = true;
    }
    const std::string body = json::serialize(message);
    if (m.recipient.rfind(kInteraction, 0) == 0)
      return http::ClientRequest{"PATCH",
                                 ids::api_url(e.discord, {"webhooks", c.at("application_id"),
                                                          std::string_view(m.recipient).substr(kInteraction.size()),
                                                          "messages", "@original"}),
                                 {{"Content-Type", "application/json"}},
                                 body};
    return http::ClientRequest{"POST",
                               ids::api_url(e.discord, {"channels", m.recipient, "messages"}),
                               {{"Authorization", "Bot " + c.at("bot_token")}, {"Content-Type", "application/json"}},
                               body};
  }

  PlatformAnswer read_send(const OutboundMessage&, const CallResult& r, const Credentials& c) const override {
    if (!discord_ok(r)) return failure(r, c);
    PlatformAnswer a;
    a.http_status = r.response.status;
    a.platform_message_id = string_at(r.body, {"id"});
    a.message = "Discord posted the message (id " + a.platform_message_id + ").";
    return a;
  }

  // A channel id, or "interaction:<token>" for the answer to a slash command.
  std::optional<std::string> check_recipient(const std::string& r) const override {
    if (r.rfind(kInteraction, 0) == 0) {
      if (ids::discord_interaction_token(std::string_view(r).substr(kInteraction.size()))) return std::nullopt;
      return "A Discord interaction token is letters, digits, - and _.";
    }
    if (ids::discord_snowflake(r)) return std::nullopt;
    return "A Discord channel id is a number of 17 to 20 digits (right-click the channel › Copy Channel ID).";
  }

  // Slash commands (type 2): the first string option is the question. The answer edits the
  // deferred response through the interaction token, so reply_to is "interaction:<token>".
  ParsedDelivery read_delivery(const InboundRequest& req) const override {
    ParsedDelivery out;
    boost::system::error_code ec;
    auto body = json::parse(req.body, ec);
    std::string id = ec ? "" : string_at(body, {"id"});
    if (id.empty()) {
      out.error = "the delivery is not a Discord interaction";
      return out;
    }
    if (string_at(body, {"type"}) == "3") {
      // A rating button (ADR 0037): its score is the message, answered like a command's.
      std::string custom_id = string_at(body, {"data", "custom_id"});
      std::string user = string_at(body, {"member", "user", "id"});
      std::string name = string_at(body, {"member", "user", "username"});
      if (user.empty()) user = string_at(body, {"user", "id"}), name = string_at(body, {"user", "username"});
      if (custom_id.size() != 8 || custom_id.compare(0, 7, "rating:") != 0 || custom_id[7] < '1' || custom_id[7] > '5' ||
          user.empty()) {
        out.ignored.emplace_back(id, "component");
        return out;
      }
      out.messages.push_back({id, user, name.empty() ? user : name, "interaction:" + string_at(body, {"token"}),
                              custom_id.substr(7)});
      return out;
    }
    if (string_at(body, {"type"}) != "2") {
      out.ignored.emplace_back(id, "interaction_type_" + string_at(body, {"type"}));
      return out;
    }
    std::string text;
    if (const auto* data = body.as_object().if_contains("data"); data && data->is_object())
      if (const auto* options = data->as_object().if_contains("options"); options && options->is_array())
        for (const auto& o : options->as_array())
          if (text.empty()) text = string_at(o, {"value"});
    std::string user = string_at(body, {"member", "user", "id"});
    std::string name = string_at(body, {"member", "user", "username"});
    if (user.empty()) user = string_at(body, {"user", "id"}), name = string_at(body, {"user", "username"});
    if (text.empty()) {
      out.ignored.emplace_back(id, "command_without_text");
      return out;
    }
    out.messages.push_back({id, user, name.empty() ? user : name, "interaction:" + string_at(body, {"token"}), text});
    return out;
  }

  // Discord shows "thinking…" until the answer replaces it.
  Acknowledgement acknowledgement() const override { return {"{\"type\":5}", "application/json"}; }

  // Discord signs interactions with its own private key; nobody else can make a valid one.
  std::optional<SimulatedDelivery> simulate(const std::string&, const std::string&, const std::string&,
                                            const Credentials&, std::int64_t) const override {
    return std::nullopt;
  }

  AuthOutcome authenticate(const InboundRequest& req, const Credentials& c) const override {
    std::string signature_hex = req.header("X-Signature-Ed25519");
    std::string ts = req.header("X-Signature-Timestamp");
    if (signature_hex.empty() || ts.empty()) return {false, "missing X-Signature-Ed25519 or X-Signature-Timestamp", {}};
    std::int64_t signed_at = 0;
    auto read = std::from_chars(ts.data(), ts.data() + ts.size(), signed_at);
    if (ts.size() > 12 || read.ec != std::errc() || read.ptr != ts.data() + ts.size() || signed_at < 0)
      return {false, "X-Signature-Timestamp is not a number", {}};
    if (std::llabs(req.now_seconds - signed_at) > kReplayWindowSeconds)
      return {false, "timestamp outside the 5-minute window", {}};
    auto key = c.find("public_key");
    if (key == c.end()) return {false, "no public key is configured", {}};
    auto public_key = crypto::from_hex(key->second);
    auto signature = crypto::from_hex(signature_hex);
    if (!public_key || !signature || !crypto::ed25519_verify(*public_key, *signature, ts + req.body))
      return {false, "wrong Ed25519 signature", {}};
    boost::system::error_code ec;
    auto body = json::parse(req.body, ec);
    if (!ec && body.is_object() && body.as_object().if_contains("type") && body.at("type") == 1)
      return {true, "", std::string("{\"type\":1}")};
    return {true, "", {}};
  }
};
}  // namespace

const Connector& discord_connector() {
  static const DiscordConnector c;
  return c;
}

}  // namespace sb::integrations
