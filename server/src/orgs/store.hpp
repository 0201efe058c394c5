// All SQL of organisations and memberships; every read of org data names the org it is scoped to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "orgs/model.hpp"

namespace sb::orgs::store {

void insert_organization(db::Connection& conn, const Organization& org);
void insert_member(db::Connection& conn, const std::string& org_id, const std::string& user_id,
                   const std::string& role, std::int64_t now);
// The organisation with its role for this user, only if the user is a member.
std::optional<Membership> find_membership(db::Connection& conn, const std::string& org_id, const std::string& user_id);
// The user's oldest membership, for a session that has not chosen an organisation.
std::optional<Membership> first_membership(db::Connection& conn, const std::string& user_id);

}  // namespace sb::orgs::store
