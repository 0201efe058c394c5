// Twilio SMS connector: account lookup, Messages.json, and X-Twilio-Signature (PLATFORMS.md §6).
#include <boost/json.hpp>
#include <boost/url/parse_query.hpp>

#include <algorithm>

#include "core/crypto.hpp"
#include "integrations/connector.hpp"
#include "integrations/ids.hpp"
#include "integrations/platform_call.hpp"

namespace sb::integrations {
namespace {
namespace json = boost::json;
constexpr const char* kName = "Twilio";

// Twilio errors: {code, message, more_info, status}; 20003 bad credentials, 20429 too many requests.
PlatformAnswer failure(const CallResult& r, const Credentials& c) {
  if (r.failure) return *r.failure;
  if (!r.json_ok) return not_json(kName, r.response.status);
  std::string code = string_at(r.body, {"code"});
  std::string message = scrub(string_at(r.body, {"message"}), c);
  std::string detail = code.empty() ? message : "error " + code + (message.empty() ? "" : ", " + message);
  auto a = answer_for_status(kName, r.response.status, detail, "the Account SID or auth token");
  a.retry_after_seconds = retry_after_header(r.response);
  if (code == "20003") a.kind = PlatformAnswer::Kind::rejected;
  if (code == "20429") a.kind = PlatformAnswer::Kind::unavailable;
  // Refusals about the number, not the account; 21408 (a region not enabled) is the account's setting.
  const char* unreachable = code == "21610"   ? "The recipient has opted out of messages from this number (replied STOP)"
                            : code == "21211" ? "This is not a valid phone number"
                            : code == "21614" ? "This number cannot receive SMS (it is not a mobile number)"
                            : code == "21612" ? "Twilio cannot route a message to this number"
                            : code == "63016" ? "The 24-hour window to reply to this person on WhatsApp has closed"
                                              : nullptr;
  if (unreachable) return recipient_unreachable(kName, r.response.status, unreachable, detail);
  if (code == "21408")
    a.message = "Twilio cannot send to this number from this account (error " + code + (message.empty() ? "" : ", " + message) + ").";
  return a;
}

bool twilio_ok(const CallResult& r) {
  return !r.failure && r.json_ok && r.response.status >= 200 && r.response.status < 300 && r.body.is_object();
}

// The account's resource ("<sid>.json") or one below it ("<sid>/Messages.json").
std::string account_url(const PlatformEndpoints& e, const Credentials& c, std::string_view resource = "") {
  const std::string& sid = c.at("account_sid");
  if (resource.empty()) return ids::api_url(e.twilio, {"2010-04-01", "Accounts", sid + ".json"});
  return ids::api_url(e.twilio, {"2010-04-01", "Accounts", sid, resource});
}

class TwilioConnector final : public Connector {
 public:
  std::string_view platform() const override { return "twilio"; }
  std::string_view display_name() const override { return "Twilio SMS"; }
  std::string_view webhook_setup() const override { return "console_url"; }
  std::string_view verify_call() const override { return "account lookup"; }

  const std::vector<CredentialField>& credential_schema() const override {
    static const std::vector<CredentialField> fields = {
        {"account_sid", "Account SID", "console.twilio.com › Account Info.", "AC followed by 32 hexadecimal characters",
         false, true, [](const std::string& v) {
           if (ids::twilio_account_sid(v)) return std::optional<std::string>();
           return std::optional<std::string>("An Account SID is AC followed by 32 hexadecimal characters.");
         }},
        {"auth_token", "Auth token", "console.twilio.com › Account Info › Auth Token (click to show).",
         "32 hexadecimal characters", true, true, [](const std::string& v) {
           return check_pattern(v, "[0-9a-fA-F]{32}", "A Twilio auth token is 32 hexadecimal characters.");
         }},
        {"from_number", "Sending number",
         "Your Twilio number in international form (+15550001111), or a Messaging Service SID (MG…).",
         "+15550001111", false, true, [](const std::string& v) {
           return check_pattern(v, "(whatsapp:)?\\+[1-9][0-9]{6,14}|MG[0-9a-fA-F]{32}",
                                "Use the number in international form, such as +15550001111, or an MG… "
                                "Messaging Service SID.");
         }}};
    return fields;
  }

  PlatformAnswer verify(const Credentials& c, http::HttpClient& client, const PlatformEndpoints& e) const override {
    auto r = call_platform(
        client, {"GET", account_url(e, c), {{"Authorization", basic_auth(c.at("account_sid"), c.at("auth_token"))}}, ""},
        kName, e);
    if (!twilio_ok(r)) return failure(r, c);
    PlatformAnswer a;
    a.http_status = r.response.status;
    std::string status = string_at(r.body, {"status"});
    a.account = string_at(r.body, {"friendly_name"});
    if (a.account.empty()) a.account = "your Twilio account";
    if (!status.empty() && status != "active") {
      a.kind = PlatformAnswer::Kind::rejected;
      a.message = "The Twilio account " + a.account + " is " + status + ", not active.";
      return a;
    }
    a.message = "Twilio knows this account as " + a.account + ".";
    return a;
  }

  std::optional<http::ClientRequest> send_request(const OutboundMessage& m, const Credentials& c,
                                                  const PlatformEndpoints& e) const override {
    const std::string& from = c.at("from_number");
    std::vector<std::pair<std::string, std::string>> form = {{"To", m.recipient}, {"Body", m.text}};
    form.emplace_back(from.rfind("MG", 0) == 0 ? "MessagingServiceSid" : "From", from);
    return http::ClientRequest{"POST",
                               account_url(e, c, "Messages.json"),
                               {{"Authorization", basic_auth(c.at("account_sid"), c.at("auth_token"))},
                                {"Content-Type", "application/x-www-form-urlencoded"}},
                               form_encode(form)};
  }

  PlatformAnswer read_send(const OutboundMessage&, const CallResult& r, const Credentials& c) const override {
    if (!twilio_ok(r)) return failure(r, c);
    PlatformAnswer a;
    a.http_status = r.response.status;
    a.platform_message_id = string_at(r.body, {"sid"});
    a.message = "Twilio queued the message (" + a.platform_message_id + ").";
    return a;
  }

  // HMAC-SHA1 over the full URL followed by every POST parameter sorted by name, as name + value.
  std::optional<std::string> check_recipient(const std::string& r) const override {
    if (ids::twilio_address(r)) return std::nullopt;
    return "A Twilio recipient is a phone number in international form, such as +15551234567 (or "
           "whatsapp:+15551234567).";
  }

  ParsedDelivery read_delivery(const InboundRequest& req) const override {
    ParsedDelivery out;
    auto parsed = boost::urls::parse_query(req.body);
    if (!parsed) {
      out.error = "the delivery is not a form";
      return out;
    }
    boost::urls::encoding_opts form;
    form.space_as_plus = true;
    std::map<std::string, std::string> f;
    for (auto p : *parsed) f[p.key.decode(form)] = p.value.decode(form);
    if (f["MessageSid"].empty()) {
      out.error = "the delivery has no MessageSid";
      return out;
    }
    if (f["Body"].empty()) {
      out.ignored.emplace_back(f["MessageSid"], "message_without_text");
      return out;
    }
    std::string name = f["ProfileName"].empty() ? f["From"] : f["ProfileName"];
    out.messages.push_back({f["MessageSid"], f["From"], name, f["From"], f["Body"]});
    return out;
  }

  // Empty TwiML: the answer goes out through the REST API once it is ready.
  Acknowledgement acknowledgement() const override { return {"<Response></Response>", "text/xml"}; }

  std::optional<SimulatedDelivery> simulate(const std::string& text, const std::string& user, const std::string& url,
                                            const Credentials& c, std::int64_t) const override {
    std::string sid = "SM" + crypto::to_hex(crypto::random_bytes(16));
    std::vector<std::pair<std::string, std::string>> form = {
        {"AccountSid", c.count("account_sid") ? c.at("account_sid") : ""},
        {"Body", text},
        {"From", user},
        {"MessageSid", sid},
        {"NumMedia", "0"},
        {"To", c.count("from_number") ? c.at("from_number") : ""}};
    std::string data = url;
    for (const auto& [k, v] : form) data += k + v;  // already sorted by name
    auto token = c.find("auth_token");
    std::string signature = crypto::base64_encode(crypto::hmac_sha1(token == c.end() ? "" : token->second, data));
    return SimulatedDelivery{form_encode(form), "application/x-www-form-urlencoded", {{"X-Twilio-Signature", signature}},
                             sid};
  }

  AuthOutcome authenticate(const InboundRequest& req, const Credentials& c) const override {
    std::string signature = req.header("X-Twilio-Signature");
    if (signature.empty()) return {false, "missing X-Twilio-Signature", {}};
    auto token = c.find("auth_token");
    if (token == c.end()) return {false, "no auth token is configured", {}};
    std::vector<std::pair<std::string, std::string>> params;
    if (req.method == "POST") {
      auto parsed = boost::urls::parse_query(req.body);
      if (!parsed) return {false, "the form body cannot be read", {}};
      boost::urls::encoding_opts form;
      form.space_as_plus = true;  // form bodies encode spaces as +
      for (auto p : *parsed) params.emplace_back(p.key.decode(form), p.value.decode(form));
      std::stable_sort(params.begin(), params.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    std::string data = req.url;
    for (const auto& [k, v] : params) data += k + v;
    std::string expected = crypto::base64_encode(crypto::hmac_sha1(token->second, data));
    if (!crypto::constant_time_equals(signature, expected)) return {false, "wrong X-Twilio-Signature", {}};
    return {true, "", {}};
  }
};
}  // namespace

const Connector& twilio_connector() {
  static const TwilioConnector c;
  return c;
}

}  // namespace sb::integrations
