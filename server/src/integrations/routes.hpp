// HTTP routes of integrations, and the platform callbacks at /hooks/{platform}/{integration_id}.
#pragma once

#include "accounts/authenticator.hpp"
#include "http/router.hpp"
#include "integrations/service.hpp"

namespace sb::integrations {

void add_routes(http::Router& router, IntegrationService& integrations, const accounts::Authenticator& auth,
                const Clock& clock, std::string public_base_url);

}  // namespace sb::integrations
