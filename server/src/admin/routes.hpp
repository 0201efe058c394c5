// HTTP routes for platform admins: organisations, users, the mail outbox.
#pragma once

#include "accounts/authenticator.hpp"
#include "db/database.hpp"
#include "http/router.hpp"

namespace sb::admin {

void add_routes(http::Router& router, db::Database& db, const accounts::Authenticator& auth);

}  // namespace sb::admin
