// HTTP routes of organisations, members, invitations and the permission table.
#pragma once

#include <boost/json/object.hpp>

#include "accounts/authenticator.hpp"
#include "accounts/service.hpp"
#include "http/router.hpp"
#include "orgs/service.hpp"

namespace sb::orgs {

boost::json::object membership_json(const Membership& m);

void add_routes(http::Router& router, OrgService& orgs, accounts::AccountService& accounts,
                const accounts::Authenticator& auth);

}  // namespace sb::orgs
