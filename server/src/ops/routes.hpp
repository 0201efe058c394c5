// HTTP routes of operations: /healthz, /readyz, /metrics and /api/debug.
#pragma once

#include "accounts/authenticator.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "ops/service.hpp"

namespace sb::ops {

void add_routes(http::Router& router, OpsService& ops, http::Metrics& metrics, const accounts::Authenticator& auth);

}  // namespace sb::ops
