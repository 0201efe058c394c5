// HTTP routes of platform callbacks (/hooks/{platform}/{integration_id}), webhook events and the simulator.
#pragma once

#include "accounts/authenticator.hpp"
#include "http/router.hpp"
#include "webhooks/service.hpp"

namespace sb::webhooks {

// An event as the API shows it (payload already redacted by the service).
boost::json::object event_json(const WebhookEvent& e);

void add_routes(http::Router& router, WebhookService& webhooks, const accounts::Authenticator& auth, const Clock& clock,
                std::string public_base_url);

}  // namespace sb::webhooks
