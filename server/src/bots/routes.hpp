// HTTP routes of bots.
#pragma once

#include "accounts/authenticator.hpp"
#include "bots/service.hpp"
#include "http/router.hpp"

namespace sb::bots {

void add_routes(http::Router& router, BotService& bots, const accounts::Authenticator& auth);

}  // namespace sb::bots
