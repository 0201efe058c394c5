// HTTP routes of deployments and the public web chat endpoints.
#pragma once

#include "accounts/authenticator.hpp"
#include "deployments/service.hpp"
#include "http/router.hpp"

namespace sb::deployments {

void add_routes(http::Router& router, DeploymentService& deployments, const accounts::Authenticator& auth);

}  // namespace sb::deployments
