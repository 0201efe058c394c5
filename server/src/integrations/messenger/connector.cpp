// Facebook Messenger connector: Page lookup, Send API, hub handshake and signature (PLATFORMS.md §3).
#include <boost/json.hpp>

#include "integrations/ids.hpp"
#include "integrations/meta/graph.hpp"

namespace sb::integrations {
namespace {
namespace json = boost::json;
constexpr const char* kName = "Messenger";

http::ClientRequest graph_request(const char* method, std::string url, const Credentials& c, std::string body = "") {
  http::ClientRequest req{method, std::move(url), {{"Authorization", "Bearer " + c.at("page_access_token")}},
                          std::move(body)};
  if (!req.body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  return req;
}

class MessengerConnector final : public Connector {
 public:
  std::string_view platform() const override { return "messenger"; }
  std::string_view display_name() const override { return kName; }
  std::string_view webhook_setup() const override { return "verify_token"; }
  std::string_view verify_call() const override { return "Page lookup"; }

  const std::vector<CredentialField>& credential_schema() const override {
    static const std::vector<CredentialField> fields = {
        {"page_access_token", "Page access token",
         "Meta App Dashboard › Messenger › Settings › Access tokens: generate one for your Page.", "EAAG…", true,
         true, meta::check_access_token},
        {"page_id", "Page ID", "Your Facebook Page › About › Page transparency, or the same Settings screen.",
         "104626132345678", false, true, [](const std::string& v) { return meta::check_numeric_id(v, "The Page ID"); }},
        {"app_secret", "App secret", "App settings › Basic › App secret: it signs every delivery to Switchboard.",
         "32 hexadecimal characters", true, true, meta::check_app_secret},
        {"verify_token", "Verify token",
         "Any phrase you choose; paste the same one into Messenger › Settings › Webhooks.", "a phrase you choose", true,
         true, meta::check_verify_token}};
    return fields;
  }

  PlatformAnswer verify(const Credentials& c, http::HttpClient& client, const PlatformEndpoints& e) const override {
    auto r = call_platform(
        client, graph_request("GET", ids::api_url(e.graph, {c.at("page_id")}, {{"fields", "id,name"}}), c), kName, e);
    if (!meta::graph_ok(r)) return meta::graph_failure(r, kName, c);
    PlatformAnswer a;
    a.http_status = r.response.status;
    std::string name = string_at(r.body, {"name"});
    a.account = name.empty() ? "your Facebook Page" : name;
    a.message = "Messenger knows this Page as " + a.account + ".";
    return a;
  }

  std::optional<http::ClientRequest> send_request(const OutboundMessage& m, const Credentials& c,
                                                  const PlatformEndpoints& e) const override {
    json::object body{{"recipient", json::object{{"id", m.recipient}}},
                      {"messaging_type", "RESPONSE"},
                      {"message", json::object{{"text", m.text}}}};
    if (m.ask_rating) {
      // Quick replies: five buttons under the message; the chosen one comes back as quick_reply.payload.
      json::array replies;
      for (int score = 1; score <= 5; ++score)
        replies.push_back(json::object{{"content_type", "text"},
                                       {"title", std::to_string(score)},
                                       {"payload", "rating:" + std::to_string(score)}});
      body["message"].as_object()["quick_replies"] = std::move(replies);
    }
    return graph_request("POST", ids::api_url(e.graph, {c.at("page_id"), "messages"}), c, json::serialize(body));
  }

  PlatformAnswer read_send(const OutboundMessage&, const CallResult& r, const Credentials& c) const override {
    if (!meta::graph_ok(r)) return meta::graph_failure(r, kName, c);
    PlatformAnswer a;
    a.http_status = r.response.status;
    a.platform_message_id = string_at(r.body, {"message_id"});
    a.message = "Messenger accepted the message (" + a.platform_message_id + ").";
    return a;
  }

  std::optional<std::string> check_recipient(const std::string& r) const override {
    if (ids::meta_numeric_id(r)) return std::nullopt;
    return "A Messenger recipient is the page-scoped id (PSID) of someone who wrote to your Page: a number.";
  }

  ParsedDelivery read_delivery(const InboundRequest& req) const override { return meta::parse_messenger(req); }

  std::optional<SimulatedDelivery> simulate(const std::string& text, const std::string& user, const std::string&,
                                            const Credentials& c, std::int64_t now) const override {
    return meta::simulate_messenger(text, user, c, now);
  }

  AuthOutcome authenticate(const InboundRequest& req, const Credentials& c) const override {
    return meta::authenticate(req, c);
  }
};
}  // namespace

const Connector& messenger_connector() {
  static const MessengerConnector c;
  return c;
}

}  // namespace sb::integrations
