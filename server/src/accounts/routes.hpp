// HTTP routes of accounts: sign-up, sign-in, sign-out, session, password, profile.
#pragma once

#include <boost/json/object.hpp>

#include "accounts/authenticator.hpp"
#include "accounts/service.hpp"
#include "http/router.hpp"

namespace sb::accounts {

// The session object of GET /api/auth/session, also answered by sign-in and organisation switches.
boost::json::object session_json(const SessionView& view);

void add_routes(http::Router& router, AccountService& accounts, TwoFactorService& two_factor, const Authenticator& auth,
                CookieSettings cookies);

}  // namespace sb::accounts
