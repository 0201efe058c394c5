// HTTP routes of conversions.
#pragma once

#include "accounts/authenticator.hpp"
#include "conversions/service.hpp"
#include "http/router.hpp"

namespace sb::conversions {

void add_routes(http::Router& router, ConversionService& conversions, const accounts::Authenticator& auth);

}  // namespace sb::conversions
