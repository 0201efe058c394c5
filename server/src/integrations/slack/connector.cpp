// Slack connector: auth.test, chat.postMessage, v0 signatures and url_verification (PLATFORMS.md §4).
#include <boost/json.hpp>
#include <boost/url/parse_query.hpp>

#include <cstdlib>

#include "core/crypto.hpp"
#include "integrations/connector.hpp"
#include "integrations/ids.hpp"
#include "integrations/platform_call.hpp"

namespace sb::integrations {
namespace {
namespace json = boost::json;
constexpr const char* kName = "Slack";
constexpr std::int64_t kReplayWindowSeconds = 300;

// Slack reports most failures as HTTP 200 with {ok:false, error:"…"}.
PlatformAnswer failure(const CallResult& r, const Credentials& c) {
  if (r.failure) return *r.failure;
  if (r.response.status == 429) {
    auto a = answer_for_status(kName, 429, "", "");
    a.retry_after_seconds = retry_after_header(r.response);
    a.message = "Slack is limiting requests (429); try again in " +
                std::to_string(a.retry_after_seconds ? a.retry_after_seconds : 1) + " s.";
    return a;
  }
  if (!r.json_ok) return not_json(kName, r.response.status);
  std::string error = scrub(string_at(r.body, {"error"}), c);
  if (r.response.status != 200 || error.empty()) return answer_for_status(kName, r.response.status, error, "the bot token");
  PlatformAnswer a;
  a.http_status = r.response.status;
  if (error == "invalid_auth" || error == "not_authed" || error == "account_inactive" || error == "token_revoked" ||
      error == "token_expired" || error == "no_permission" || error == "missing_scope" || error == "not_allowed_token_type") {
    a.kind = PlatformAnswer::Kind::rejected;
    a.message = "Slack rejected the bot token (" + error + ").";
  } else if (error == "channel_not_found" || error == "is_archived" || error == "not_in_channel" ||
             error == "user_not_found" || error == "user_disabled" || error == "cannot_dm_bot") {
    const char* what = error == "channel_not_found" ? "The Slack channel was not found (deleted, or the bot cannot see it)"
                       : error == "is_archived"     ? "The Slack channel is archived"
                       : error == "not_in_channel"  ? "The bot is not a member of this channel; invite it to the channel"
                       : error == "cannot_dm_bot"   ? "The recipient is a bot, which cannot receive direct messages"
                                                    : "The Slack user was not found or is deactivated";
    return recipient_unreachable(kName, r.response.status, what, error);
  } else if (error == "ratelimited" || error == "rate_limited" || error == "internal_error" ||
             error == "fatal_error" || error == "service_unavailable" || error == "request_timeout") {
    a.kind = PlatformAnswer::Kind::unavailable;
    a.message = "Slack could not do it right now (" + error + "); try again later.";
  } else {
    a.kind = PlatformAnswer::Kind::refused;
    a.message = "Slack refused the request (" + error + ").";
  }
  return a;
}

bool slack_ok(const CallResult& r) {
  return !r.failure && r.json_ok && r.response.status == 200 && r.body.is_object() &&
         r.body.as_object().if_contains("ok") && r.body.at("ok") == true;
}

http::ClientRequest api_request(const PlatformEndpoints& e, const char* method, const Credentials& c, std::string body) {
  return {"POST",
          ids::api_url(e.slack, {method}),
          {{"Authorization", "Bearer " + c.at("bot_token")}, {"Content-Type", "application/json; charset=utf-8"}},
          std::move(body)};
}

class SlackConnector final : public Connector {
 public:
  std::string_view platform() const override { return "slack"; }
  std::string_view display_name() const override { return kName; }
  std::string_view webhook_setup() const override { return "signing_secret"; }
  std::string_view verify_call() const override { return "auth.test"; }

  const std::vector<CredentialField>& credential_schema() const override {
    static const std::vector<CredentialField> fields = {
        {"bot_token", "Bot token", "api.slack.com/apps › your app › OAuth & Permissions › Bot User OAuth Token.",
         "xoxb-…", true, true, [](const std::string& v) {
           return check_pattern(v, "xoxb-[A-Za-z0-9-]{10,250}", "A Slack bot token starts with xoxb-.");
         }},
        {"signing_secret", "Signing secret",
         "api.slack.com/apps › your app › Basic Information › App Credentials › Signing Secret.",
         "32 hexadecimal characters", true, true, [](const std::string& v) {
           return check_pattern(v, "[0-9a-f]{32}", "A Slack signing secret is 32 hexadecimal characters.");
         }}};
    return fields;
  }

  PlatformAnswer verify(const Credentials& c, http::HttpClient& client, const PlatformEndpoints& e) const override {
    auto r = call_platform(client, api_request(e, "auth.test", c, "{}"), kName, e);
    if (!slack_ok(r)) return failure(r, c);
    PlatformAnswer a;
    a.http_status = 200;
    std::string team = string_at(r.body, {"team"});
    std::string user = string_at(r.body, {"user"});
    a.account = team.empty() ? "@" + user : team + (user.empty() ? "" : " (@" + user + ")");
    a.message = "Slack knows this app as " + a.account + ".";
    return a;
  }

  std::optional<http::ClientRequest> send_request(const OutboundMessage& m, const Credentials& c,
                                                  const PlatformEndpoints& e) const override {
    json::object body{{"channel", m.recipient}, {"text", m.text}};
    // Block buttons under the text (a section holds at most 3,000 characters; a longer reply asks in
    // text alone). A press comes back as a block_actions interactivity payload.
    if (m.ask_rating && m.text.size() <= 3000) {
      json::array buttons;
      for (int score = 1; score <= 5; ++score)
        buttons.push_back(json::object{{"type", "button"},
                                       {"text", json::object{{"type", "plain_text"}, {"text", std::to_string(score)}}},
                                       {"action_id", "rating_" + std::to_string(score)},
                                       {"value", "rating:" + std::to_string(score)}});
      body["blocks"] = json::array{
          json::object{{"type", "section"}, {"text", json::object{{"type", "plain_text"}, {"text", m.text}}}},
          json::object{{"type", "actions"}, {"block_id", "rating"}, {"elements", std::move(buttons)}}};
    }
    return api_request(e, "chat.postMessage", c, json::serialize(body));
  }

  PlatformAnswer read_send(const OutboundMessage&, const CallResult& r, const Credentials& c) const override {
    if (!slack_ok(r)) return failure(r, c);
    PlatformAnswer a;
    a.http_status = 200;
    a.platform_message_id = string_at(r.body, {"ts"});
    a.message = "Slack posted the message (ts " + a.platform_message_id + ").";
    return a;
  }

  // Events API: message and app_mention events are answered; a bot's own messages (bot_id or a
  // subtype) are ignored so the bot never answers itself.
  std::optional<std::string> check_recipient(const std::string& r) const override {
    if (ids::slack_conversation_id(r)) return std::nullopt;
    return "A Slack channel id starts with C, D or G (U for a person) followed by capital letters and digits, such "
           "as C0123456789 (the channel's details › About).";
  }

  ParsedDelivery read_delivery(const InboundRequest& req) const override {
    if (req.body.rfind("payload=", 0) == 0) return read_interaction(req);
    ParsedDelivery out;
    boost::system::error_code ec;
    auto body = json::parse(req.body, ec);
    std::string event_id = ec ? "" : string_at(body, {"event_id"});
    if (ec || !body.is_object()) {
      out.error = "the delivery is not a Slack event";
      return out;
    }
    if (event_id.empty()) {
      out.ignored.emplace_back("type:" + string_at(body, {"type"}), string_at(body, {"type"}));
      return out;
    }
    std::string type = string_at(body, {"event", "type"});
    std::string text = string_at(body, {"event", "text"});
    std::string subtype = string_at(body, {"event", "subtype"});
    std::string bot_id = string_at(body, {"event", "bot_id"});
    if ((type != "message" && type != "app_mention") || !subtype.empty() || !bot_id.empty() || text.empty()) {
      out.ignored.emplace_back(event_id, !bot_id.empty() ? "bot_message" : subtype.empty() ? type : subtype);
      return out;
    }
    std::string user = string_at(body, {"event", "user"});
    out.messages.push_back({event_id, user, user, string_at(body, {"event", "channel"}), text});
    return out;
  }

  // Interactivity (a form with one field, payload=<JSON>, signed like events): a rating button's
  // press is the message whose text is its score; other interactions are acknowledged and ignored.
  static ParsedDelivery read_interaction(const InboundRequest& req) {
    ParsedDelivery out;
    auto parsed = boost::urls::parse_query(req.body);
    if (!parsed) {
      out.error = "the interaction is not a form";
      return out;
    }
    boost::urls::encoding_opts form;
    form.space_as_plus = true;
    std::string payload;
    for (auto p : *parsed)
      if (p.key.decode(form) == "payload") payload = p.value.decode(form);
    boost::system::error_code ec;
    auto body = json::parse(payload, ec);
    if (ec || !body.is_object()) {
      out.error = "the interaction payload is not JSON";
      return out;
    }
    std::string type = string_at(body, {"type"});
    std::string trigger = string_at(body, {"trigger_id"});
    const auto* actions = body.as_object().if_contains("actions");
    const json::value* first = actions && actions->is_array() && !actions->as_array().empty() ? &actions->as_array()[0] : nullptr;
    std::string value = first ? string_at(*first, {"value"}) : "";
    // Deduplicated by the press's trigger_id (its action_ts when there is none).
    std::string key = "interaction:" + (trigger.empty() && first ? string_at(*first, {"action_ts"}) : trigger);
    std::string user = string_at(body, {"user", "id"});
    std::string channel = string_at(body, {"channel", "id"});
    if (type != "block_actions" || key == "interaction:" || value.size() != 8 || value.compare(0, 7, "rating:") != 0 ||
        value[7] < '1' || value[7] > '5' || user.empty() || channel.empty()) {
      out.ignored.emplace_back(key, type.empty() ? "interaction" : type);
      return out;
    }
    out.messages.push_back({key, user, user, channel, value.substr(7)});
    return out;
  }

  std::optional<SimulatedDelivery> simulate(const std::string& text, const std::string& user, const std::string&,
                                            const Credentials& c, std::int64_t now) const override {
    std::string event_id = "EvSIM" + crypto::to_hex(crypto::random_bytes(8));
    json::object body{{"type", "event_callback"},
                      {"team_id", "T0SIMULATED"},
                      {"event_id", event_id},
                      {"event_time", now},
                      {"event", json::object{{"type", "message"},
                                             {"channel_type", "im"},
                                             {"channel", "D" + user},
                                             {"user", user},
                                             {"text", text},
                                             {"ts", std::to_string(now) + ".000100"}}}};
    std::string raw = json::serialize(body);
    std::string ts = std::to_string(now);
    auto secret = c.find("signing_secret");
    std::string signature =
        "v0=" + crypto::to_hex(crypto::hmac_sha256(secret == c.end() ? "" : secret->second, "v0:" + ts + ":" + raw));
    return SimulatedDelivery{raw, "application/json", {{"X-Slack-Request-Timestamp", ts}, {"X-Slack-Signature", signature}},
                             event_id};
  }

  AuthOutcome authenticate(const InboundRequest& req, const Credentials& c) const override {
    std::string ts = req.header("X-Slack-Request-Timestamp");
    std::string signature = req.header("X-Slack-Signature");
    if (ts.empty() || signature.empty()) return {false, "missing X-Slack-Signature or X-Slack-Request-Timestamp", {}};
    if (ts.size() > 12 || ts.find_first_not_of("0123456789") != std::string::npos)
      return {false, "X-Slack-Request-Timestamp is not a number", {}};
    if (std::llabs(req.now_seconds - std::stoll(ts)) > kReplayWindowSeconds)
      return {false, "timestamp outside the 5-minute window", {}};
    auto secret = c.find("signing_secret");
    if (secret == c.end()) return {false, "no signing secret is configured", {}};
    std::string expected = "v0=" + crypto::to_hex(crypto::hmac_sha256(secret->second, "v0:" + ts + ":" + req.body));
    if (!crypto::constant_time_equals(signature, expected)) return {false, "wrong X-Slack-Signature", {}};
    boost::system::error_code ec;
    auto body = json::parse(req.body, ec);
    if (!ec && string_at(body, {"type"}) == "url_verification")
      return {true, "", json::serialize(json::object{{"challenge", string_at(body, {"challenge"})}})};
    return {true, "", {}};
  }
};
}  // namespace

const Connector& slack_connector() {
  static const SlackConnector c;
  return c;
}

}  // namespace sb::integrations
