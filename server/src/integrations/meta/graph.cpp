// Meta Graph helpers for the WhatsApp and Messenger connectors (PLATFORMS.md §2, §3).
#include "integrations/meta/graph.hpp"

#include <charconv>

#include "core/crypto.hpp"

namespace sb::integrations::meta {

bool graph_ok(const CallResult& r) {
  return !r.failure && r.json_ok && r.response.status >= 200 && r.response.status < 300 && r.body.is_object() &&
         !r.body.as_object().if_contains("error");
}

// A numeric member of the error, or 0 (a platform answering "code": "abc" must not throw).
long error_number(const boost::json::value& body, std::string_view key) {
  std::string text = string_at(body, {"error", key});
  long n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

PlatformAnswer graph_failure(const CallResult& r, std::string_view name, const Credentials& creds) {
  if (r.failure) return *r.failure;
  if (!r.json_ok) return not_json(name, r.response.status);
  std::string n(name);
  std::string code_text = string_at(r.body, {"error", "code"});
  std::string message = scrub(string_at(r.body, {"error", "message"}), creds);
  long code = error_number(r.body, "code");
  PlatformAnswer a = answer_for_status(name, r.response.status, message, "the access token");
  a.retry_after_seconds = retry_after_header(r.response);
  std::string where = " (" + std::to_string(r.response.status) + (code ? ", code " + code_text : "") + ")";
  long subcode = error_number(r.body, "error_subcode");
  // Refusals about the person, not the token (WhatsApp 1310xx; Messenger 551 and the subcodes of
  // codes 10, 100 and 200 that name the person): checked before the generic permission codes.
  const char* unreachable = nullptr;
  if (code == 131047) unreachable = "The 24-hour window to reply to this person has closed; only a template message can reach them now";
  else if (code == 131026) unreachable = "WhatsApp could not deliver to this number (it is not on WhatsApp, or cannot receive this message)";
  else if (code == 131030) unreachable = "This number is not on the account's list of allowed recipients";
  else if (code == 131021) unreachable = "The recipient is the business's own number";
  else if (code == 551 || (code == 200 && subcode == 1545041)) unreachable = "This person is not available on Messenger right now";
  else if (code == 10 && subcode == 2018278) unreachable = "The 24-hour window to reply to this person has closed";
  else if (code == 100 && subcode == 2018001) unreachable = "No one on Messenger matches this id (the person may have left or blocked the Page)";
  if (unreachable) return recipient_unreachable(name, r.response.status, unreachable, "code " + code_text + (message.empty() ? "" : ", " + message));
  if (code == 190) {
    a.kind = PlatformAnswer::Kind::rejected;
    a.message = n + " rejected the access token: it is invalid or has expired" + where + ".";
  } else if (code == 10 || (code >= 200 && code <= 299)) {
    a.kind = PlatformAnswer::Kind::rejected;
    a.message = n + " says the token is missing a permission" + where + (message.empty() ? "" : ": " + message) + ".";
  } else if (code == 4 || code == 17 || code == 32 || code == 341 || code == 613 || code == 80007 || code == 130429) {
    a.kind = PlatformAnswer::Kind::unavailable;
    a.message = n + " is limiting requests" + where + "; try again later.";
  } else if (code == 1 || code == 2) {
    a.kind = PlatformAnswer::Kind::unavailable;
    a.message = n + " had a temporary problem" + where + "; try again later.";
  } else if (code == 368) {
    a.kind = PlatformAnswer::Kind::unavailable;
    a.message = n + " has temporarily blocked this account for a policy reason" + where + ".";
  } else if (code == 100) {
    a.kind = PlatformAnswer::Kind::refused;
    a.message = n + " does not accept this id" + where + (message.empty() ? "" : ": " + message) + ".";
  }
  return a;
}

AuthOutcome authenticate(const InboundRequest& req, const Credentials& c) {
  if (req.method == "GET") {
    auto get = [&](const char* k) {
      auto it = req.query.find(k);
      return it == req.query.end() ? std::string() : it->second;
    };
    if (get("hub.mode") != "subscribe") return {false, "hub.mode is not subscribe", {}};
    auto token = c.find("verify_token");
    if (token == c.end() || !crypto::constant_time_equals(get("hub.verify_token"), token->second))
      return {false, "wrong verify token", {}};
    return {true, "", get("hub.challenge"), "text/plain; charset=utf-8"};
  }
  std::string header = req.header("X-Hub-Signature-256");
  if (header.empty()) return {false, "missing X-Hub-Signature-256", {}};
  auto secret = c.find("app_secret");
  if (secret == c.end()) return {false, "no app secret is configured", {}};
  std::string expected = "sha256=" + crypto::to_hex(crypto::hmac_sha256(secret->second, req.body));
  if (!crypto::constant_time_equals(header, expected)) return {false, "wrong X-Hub-Signature-256", {}};
  return {true, "", {}};
}

namespace {
namespace json = boost::json;

const json::array* array_at(const json::value& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  const auto* a = v.as_object().if_contains(key);
  return a && a->is_array() ? &a->as_array() : nullptr;
}

std::optional<json::value> parse_body(const InboundRequest& req, ParsedDelivery& out) {
  boost::system::error_code ec;
  auto body = json::parse(req.body, ec);
  if (ec || !body.is_object() || !array_at(body, "entry")) {
    out.error = "the delivery is not a Meta webhook (no entry list)";
    return std::nullopt;
  }
  return body;
}
}  // namespace

namespace {
SimulatedDelivery signed_delivery(const json::value& body, const Credentials& c, std::string key) {
  std::string text = json::serialize(body);
  auto secret = c.find("app_secret");
  std::string signature =
      "sha256=" + crypto::to_hex(crypto::hmac_sha256(secret == c.end() ? "" : secret->second, text));
  return {text, "application/json", {{"X-Hub-Signature-256", signature}}, std::move(key)};
}
}  // namespace

SimulatedDelivery simulate_whatsapp(const std::string& text, const std::string& user, const Credentials& c,
                                    std::int64_t now) {
  std::string id = "wamid.SIM" + crypto::to_hex(crypto::random_bytes(12));
  json::object value{
      {"messaging_product", "whatsapp"},
      {"metadata", json::object{{"display_phone_number", ""}, {"phone_number_id", c.count("phone_number_id") ? c.at("phone_number_id") : ""}}},
      {"contacts", json::array{json::object{{"profile", json::object{{"name", "Simulated Customer"}}}, {"wa_id", user}}}},
      {"messages", json::array{json::object{{"from", user},
                                            {"id", id},
                                            {"timestamp", std::to_string(now)},
                                            {"type", "text"},
                                            {"text", json::object{{"body", text}}}}}}};
  json::object body{{"object", "whatsapp_business_account"},
                    {"entry", json::array{json::object{
                                  {"id", "0"}, {"changes", json::array{json::object{{"field", "messages"}, {"value", value}}}}}}}};
  return signed_delivery(body, c, id);
}

SimulatedDelivery simulate_messenger(const std::string& text, const std::string& user, const Credentials& c,
                                     std::int64_t now) {
  std::string mid = "m_SIM" + crypto::to_hex(crypto::random_bytes(12));
  std::string page = c.count("page_id") ? c.at("page_id") : "";
  json::object event{{"sender", json::object{{"id", user}}},
                     {"recipient", json::object{{"id", page}}},
                     {"timestamp", now * 1000},
                     {"message", json::object{{"mid", mid}, {"text", text}}}};
  json::object body{{"object", "page"},
                    {"entry", json::array{json::object{{"id", page}, {"time", now * 1000}, {"messaging", json::array{event}}}}}};
  return signed_delivery(body, c, mid);
}

ParsedDelivery parse_whatsapp(const InboundRequest& req) {
  ParsedDelivery out;
  auto body = parse_body(req, out);
  if (!body) return out;
  for (const auto& entry : *array_at(*body, "entry")) {
    const auto* changes = array_at(entry, "changes");
    if (!changes) continue;
    for (const auto& change : *changes) {
      if (!change.is_object() || !change.as_object().if_contains("value")) continue;
      const auto& value = change.at("value");
      std::map<std::string, std::string> names;  // wa_id → profile name
      if (const auto* contacts = array_at(value, "contacts"))
        for (const auto& c : *contacts) names[string_at(c, {"wa_id"})] = string_at(c, {"profile", "name"});
      if (const auto* messages = array_at(value, "messages"))
        for (const auto& msg : *messages) {
          std::string id = string_at(msg, {"id"});
          if (id.empty()) continue;
          std::string type = string_at(msg, {"type"});
          std::string text = string_at(msg, {"text", "body"});
          // A row of the rating list (ADR 0037): its score is the message.
          if (type == "interactive") {
            std::string row = string_at(msg, {"interactive", "list_reply", "id"});
            if (row.size() == 8 && row.compare(0, 7, "rating:") == 0 && row[7] >= '1' && row[7] <= '5') text = row.substr(7);
            else text.clear();
            if (!text.empty()) type = "text";
          }
          if (type != "text" || text.empty()) {
            out.ignored.emplace_back(id, "message:" + (type.empty() ? std::string("unknown") : type));
            continue;
          }
          std::string from = string_at(msg, {"from"});
          out.messages.push_back({id, from, names[from].empty() ? from : names[from], from, text});
        }
      if (const auto* statuses = array_at(value, "statuses"))
        for (const auto& st : *statuses)
          out.ignored.emplace_back(string_at(st, {"id"}) + ":" + string_at(st, {"status"}), "status");
    }
  }
  return out;
}

ParsedDelivery parse_messenger(const InboundRequest& req) {
  ParsedDelivery out;
  auto body = parse_body(req, out);
  if (!body) return out;
  for (const auto& entry : *array_at(*body, "entry")) {
    const auto* messaging = array_at(entry, "messaging");
    if (!messaging) continue;
    for (const auto& event : *messaging) {
      std::string sender = string_at(event, {"sender", "id"});
      std::string mid = string_at(event, {"message", "mid"});
      std::string text = string_at(event, {"message", "text"});
      // A rating quick reply (ADR 0037): its payload's score is the message, whatever its title says.
      std::string payload = string_at(event, {"message", "quick_reply", "payload"});
      if (payload.size() == 8 && payload.compare(0, 7, "rating:") == 0 && payload[7] >= '1' && payload[7] <= '5')
        text = payload.substr(7);
      bool echo = event.is_object() && event.as_object().if_contains("message") && event.at("message").is_object() &&
                  event.at("message").as_object().if_contains("is_echo") && event.at("message").at("is_echo") == true;
      if (!mid.empty() && !echo && !text.empty()) {
        out.messages.push_back({mid, sender, sender, sender, text});
        continue;
      }
      std::string kind = echo ? "echo" : mid.empty() ? "event" : "message_without_text";
      if (event.is_object())
        for (const char* k : {"delivery", "read", "postback", "reaction", "optin", "referral"})
          if (event.as_object().if_contains(k)) kind = k;
      out.ignored.emplace_back(mid.empty() ? kind + ":" + sender + ":" + string_at(event, {"timestamp"}) : mid, kind);
    }
  }
  return out;
}

std::optional<std::string> check_app_secret(const std::string& v) {
  return check_pattern(v, "[0-9a-fA-F]{32}",
                       "A Meta app secret is 32 hexadecimal characters (App settings › Basic › App secret).");
}
std::optional<std::string> check_verify_token(const std::string& v) {
  return check_pattern(v, "[\\x21-\\x7e]{8,128}", "Choose 8 to 128 characters without spaces.");
}
std::optional<std::string> check_access_token(const std::string& v) {
  return check_pattern(v, "[A-Za-z0-9_|.-]{20,1024}", "This does not look like a Meta access token (letters and digits, no spaces).");
}
std::optional<std::string> check_numeric_id(const std::string& v, const std::string& what) {
  return check_pattern(v, "[0-9]{5,25}", what + " is a number, for example 106540352242922.");
}

}  // namespace sb::integrations::meta
