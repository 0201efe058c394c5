// HTTP routes for platform admins: organisations, users, the mail outbox.
#pragma once

#include "accounts/authenticator.hpp"
#include "billing/service.hpp"
#include "db/database.hpp"
#include "http/router.hpp"

namespace sb::admin {

// The organisation list shows each one's plan (from billing).
void add_routes(http::Router& router, db::Database& db, const accounts::Authenticator& auth,
                billing::BillingService& billing);

}  // namespace sb::admin
