// HTTP routes of the getting-started checklist.
#pragma once

#include "accounts/authenticator.hpp"
#include "http/router.hpp"
#include "onboarding/service.hpp"

namespace sb::onboarding {

void add_routes(http::Router& router, OnboardingService& onboarding, const accounts::Authenticator& auth);

}  // namespace sb::onboarding
