// HTTP routes of accounts: sign-up, sign-in, sign-out, session, password, profile.
#pragma once

#include "accounts/authenticator.hpp"
#include "accounts/service.hpp"
#include "http/router.hpp"

namespace sb::accounts {

void add_routes(http::Router& router, AccountService& accounts, const Authenticator& auth, CookieSettings cookies);

}  // namespace sb::accounts
