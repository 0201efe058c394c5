// HTTP routes of the AI settings and the model list.
#pragma once

#include "accounts/authenticator.hpp"
#include "ai/service.hpp"
#include "http/router.hpp"

namespace sb::ai {

void add_routes(http::Router& router, AiSettingsService& settings, const accounts::Authenticator& auth);

}  // namespace sb::ai
