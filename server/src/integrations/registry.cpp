// The list of connectors: one per platform folder.
#include "integrations/connector.hpp"

namespace sb::integrations {

const Connector& telegram_connector();
const Connector& whatsapp_connector();
const Connector& messenger_connector();
const Connector& slack_connector();
const Connector& discord_connector();
const Connector& twilio_connector();
const Connector& webchat_connector();

const std::vector<const Connector*>& all_connectors() {
  static const std::vector<const Connector*> list = {&telegram_connector(), &whatsapp_connector(),
                                                     &messenger_connector(), &slack_connector(),
                                                     &discord_connector(),   &twilio_connector(),
                                                     &webchat_connector()};
  return list;
}

const Connector* find_connector(std::string_view platform) {
  for (const auto* c : all_connectors())
    if (c->platform() == platform) return c;
  return nullptr;
}

}  // namespace sb::integrations
