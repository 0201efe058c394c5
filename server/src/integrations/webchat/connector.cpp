// The built-in web chat as a connector: nothing outside to verify or call; visitors use its own endpoints.
#include "integrations/connector.hpp"

namespace sb::integrations {
namespace {

class WebchatConnector final : public Connector {
 public:
  std::string_view platform() const override { return "webchat"; }
  std::string_view display_name() const override { return "Web chat"; }
  std::string_view webhook_setup() const override { return "none"; }
  std::string_view verify_call() const override { return "none"; }
  const std::vector<CredentialField>& credential_schema() const override {
    static const std::vector<CredentialField> none;
    return none;
  }
  PlatformAnswer verify(const Credentials&, http::HttpClient&, const PlatformEndpoints&) const override {
    PlatformAnswer a;
    a.account = "Switchboard web chat";
    a.message = "The web chat needs no outside account.";
    return a;
  }
  std::optional<http::ClientRequest> send_request(const OutboundMessage&, const Credentials&,
                                                  const PlatformEndpoints&) const override {
    return std::nullopt;
  }

  PlatformAnswer read_send(const OutboundMessage&, const CallResult&, const Credentials&) const override {
    PlatformAnswer a;
    a.kind = PlatformAnswer::Kind::refused;
    a.message = "The web chat answers visitors on its own page; there is no one to send a message to.";
    return a;
  }
  // The web chat sends nothing anywhere (read_send says so), so there is no id to check.
  std::optional<std::string> check_recipient(const std::string&) const override { return std::nullopt; }
  ParsedDelivery read_delivery(const InboundRequest&) const override {
    ParsedDelivery out;
    out.error = "the web chat has no webhook";
    return out;
  }
  std::optional<SimulatedDelivery> simulate(const std::string&, const std::string&, const std::string&,
                                            const Credentials&, std::int64_t) const override {
    return std::nullopt;
  }
  AuthOutcome authenticate(const InboundRequest&, const Credentials&) const override {
    return {false, "the web chat has no webhook", {}};
  }
};
}  // namespace

const Connector& webchat_connector() {
  static const WebchatConnector c;
  return c;
}

}  // namespace sb::integrations
