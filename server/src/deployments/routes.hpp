// HTTP routes of deployments and the public web chat endpoints.
#pragma once

#include "accounts/authenticator.hpp"
#include "deployments/service.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace sb::deployments {

// pages: the built web UI, whose app shows the chat at /chat/<key>.
void add_routes(http::Router& router, DeploymentService& deployments, const accounts::Authenticator& auth,
                const http::StaticFiles& pages);

}  // namespace sb::deployments
