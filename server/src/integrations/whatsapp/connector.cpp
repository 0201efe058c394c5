// WhatsApp Cloud API connector: phone number lookup, /messages, hub handshake and signature (PLATFORMS.md §2).
#include <boost/json.hpp>

#include "integrations/ids.hpp"
#include "integrations/meta/graph.hpp"

namespace sb::integrations {
namespace {
namespace json = boost::json;
constexpr const char* kName = "WhatsApp";

http::ClientRequest graph_request(const char* method, std::string url, const Credentials& c, std::string body = "") {
  http::ClientRequest req{method, std::move(url), {{"Authorization", "Bearer " + c.at("access_token")}}, std::move(body)};
  if (!req.body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  return req;
}

class WhatsAppConnector final : public Connector {
 public:
  std::string_view platform() const override { return "whatsapp"; }
  std::string_view display_name() const override { return "WhatsApp"; }
  std::string_view webhook_setup() const override { return "verify_token"; }
  std::string_view verify_call() const override { return "phone number lookup"; }

  const std::vector<CredentialField>& credential_schema() const override {
    static const std::vector<CredentialField> fields = {
        {"access_token", "Access token",
         "Meta App Dashboard › WhatsApp › API Setup. A System User token from Business Settings does not expire.",
         "EAAG…", true, true, meta::check_access_token},
        {"phone_number_id", "Phone number ID", "WhatsApp › API Setup, under the sending number (not the number itself).",
         "106540352242922", false, true,
         [](const std::string& v) { return meta::check_numeric_id(v, "The phone number ID"); }},
        {"app_secret", "App secret", "App settings › Basic › App secret: it signs every delivery to Switchboard.",
         "32 hexadecimal characters", true, true, meta::check_app_secret},
        {"verify_token", "Verify token",
         "Any phrase you choose; paste the same one into WhatsApp › Configuration › Webhook.", "a phrase you choose",
         true, true, meta::check_verify_token}};
    return fields;
  }

  PlatformAnswer verify(const Credentials& c, http::HttpClient& client, const PlatformEndpoints& e) const override {
    auto r = call_platform(
        client,
        graph_request("GET", ids::api_url(e.graph, {c.at("phone_number_id")}, {{"fields", "id,display_phone_number,verified_name"}}), c),
        kName, e);
    if (!meta::graph_ok(r)) return meta::graph_failure(r, kName, c);
    PlatformAnswer a;
    a.http_status = r.response.status;
    std::string name = string_at(r.body, {"verified_name"});
    std::string number = string_at(r.body, {"display_phone_number"});
    a.account = name.empty() ? number : (number.empty() ? name : name + " (" + number + ")");
    if (a.account.empty()) a.account = "your WhatsApp number";
    a.message = "WhatsApp knows this number as " + a.account + ".";
    return a;
  }

  std::optional<http::ClientRequest> send_request(const OutboundMessage& m, const Credentials& c,
                                                  const PlatformEndpoints& e) const override {
    json::object body{{"messaging_product", "whatsapp"},
                      {"recipient_type", "individual"},
                      {"to", m.recipient},
                      {"type", "text"},
                      {"text", json::object{{"body", m.text}}}};
    // Reply buttons allow only three, so the rating is an interactive list of five rows (its body
    // holds at most 1,024 characters; a longer reply asks in text alone).
    if (m.ask_rating && m.text.size() <= 1024) {
      json::array rows;
      const char* labels[] = {"1 – Poor", "2 – Fair", "3 – Good", "4 – Very good", "5 – Excellent"};
      for (int score = 1; score <= 5; ++score)
        rows.push_back(json::object{{"id", "rating:" + std::to_string(score)}, {"title", labels[score - 1]}});
      body.erase("text");
      body["type"] = "interactive";
      body["interactive"] = json::object{
          {"type", "list"},
          {"body", json::object{{"text", m.text}}},
          {"action", json::object{{"button", "Rate"},
                                  {"sections", json::array{json::object{{"title", "Your rating"}, {"rows", std::move(rows)}}}}}}};
    }
    return graph_request("POST", ids::api_url(e.graph, {c.at("phone_number_id"), "messages"}), c, json::serialize(body));
  }

  PlatformAnswer read_send(const OutboundMessage&, const CallResult& r, const Credentials& c) const override {
    if (!meta::graph_ok(r)) return meta::graph_failure(r, kName, c);
    PlatformAnswer a;
    a.http_status = r.response.status;
    if (auto* msgs = r.body.as_object().if_contains("messages"); msgs && msgs->is_array() && !msgs->as_array().empty())
      a.platform_message_id = string_at(msgs->as_array().front(), {"id"});
    a.message = "WhatsApp accepted the message (" + a.platform_message_id + ").";
    return a;
  }

  std::optional<std::string> check_recipient(const std::string& r) const override {
    if (ids::whatsapp_recipient(r)) return std::nullopt;
    return "A WhatsApp recipient is a phone number in international form, digits only with an optional + first, "
           "such as 15551234567.";
  }

  ParsedDelivery read_delivery(const InboundRequest& req) const override { return meta::parse_whatsapp(req); }

  std::optional<SimulatedDelivery> simulate(const std::string& text, const std::string& user, const std::string&,
                                            const Credentials& c, std::int64_t now) const override {
    return meta::simulate_whatsapp(text, user, c, now);
  }

  AuthOutcome authenticate(const InboundRequest& req, const Credentials& c) const override {
    return meta::authenticate(req, c);
  }
};
}  // namespace

const Connector& whatsapp_connector() {
  static const WhatsAppConnector c;
  return c;
}

}  // namespace sb::integrations
