// HTTP route of data retention: GET /api/billing/retention.
#pragma once

#include "accounts/authenticator.hpp"
#include "http/router.hpp"
#include "retention/service.hpp"

namespace sb::retention {

void add_routes(http::Router& router, RetentionService& retention, const accounts::Authenticator& auth);

}  // namespace sb::retention
