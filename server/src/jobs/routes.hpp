// HTTP routes of reply jobs: the operations console's list, detail, actions, statistics and export.
#pragma once

#include "accounts/authenticator.hpp"
#include "http/router.hpp"
#include "jobs/service.hpp"

namespace sb::jobs {

void add_routes(http::Router& router, JobService& jobs, const accounts::Authenticator& auth);

}  // namespace sb::jobs
