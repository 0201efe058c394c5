// HTTP routes of the audit log.
#pragma once

#include "accounts/authenticator.hpp"
#include "audit/service.hpp"
#include "http/router.hpp"

namespace sb::audit {

void add_routes(http::Router& router, AuditService& audit, const accounts::Authenticator& auth);

}  // namespace sb::audit
