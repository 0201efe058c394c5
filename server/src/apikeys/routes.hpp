// HTTP routes of API keys.
#pragma once

#include "accounts/authenticator.hpp"
#include "apikeys/service.hpp"
#include "http/router.hpp"

namespace sb::apikeys {

void add_routes(http::Router& router, ApiKeyService& keys, const accounts::Authenticator& auth);

}  // namespace sb::apikeys
