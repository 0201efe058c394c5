// HTTP routes of integrations (the platform callbacks at /hooks/… are in webhooks/).
#pragma once

#include "accounts/authenticator.hpp"
#include "http/router.hpp"
#include "integrations/service.hpp"

namespace sb::integrations {

void add_routes(http::Router& router, IntegrationService& integrations, const accounts::Authenticator& auth);

}  // namespace sb::integrations
