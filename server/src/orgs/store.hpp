// All SQL of organisations, memberships and invitations; every read of org data names the org it is scoped to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "orgs/model.hpp"

namespace sb::orgs::store {

void insert_organization(db::Connection& conn, const Organization& org);
void rename_organization(db::Connection& conn, const std::string& org_id, const std::string& name, std::int64_t now);
void set_time_zone(db::Connection& conn, const std::string& org_id, const std::string& time_zone, std::int64_t now);
void set_require_two_factor(db::Connection& conn, const std::string& org_id, bool required, std::int64_t now);
void delete_organization(db::Connection& conn, const std::string& org_id);
// Every organisation of the user, oldest membership first.
std::vector<Membership> memberships_of(db::Connection& conn, const std::string& user_id);

void insert_member(db::Connection& conn, const std::string& org_id, const std::string& user_id,
                   const std::string& role, std::int64_t now);
// The organisation with its role for this user, only if the user is a member.
// The user's role in the organisation, if a member: the check behind every organisation route.
std::optional<std::string> member_role(db::Connection& conn, const std::string& org_id, const std::string& user_id);
std::optional<Membership> find_membership(db::Connection& conn, const std::string& org_id, const std::string& user_id);
// The user's oldest membership, for a session that has not chosen an organisation.
std::optional<Membership> first_membership(db::Connection& conn, const std::string& user_id);
std::optional<Organization> find_organization(db::Connection& conn, const std::string& org_id);
std::vector<Member> list_members(db::Connection& conn, const std::string& org_id);
std::optional<Member> find_member(db::Connection& conn, const std::string& org_id, const std::string& user_id);
std::optional<Member> find_member_by_email(db::Connection& conn, const std::string& org_id, const std::string& email);
void set_member_role(db::Connection& conn, const std::string& org_id, const std::string& user_id, const std::string& role);
void delete_member(db::Connection& conn, const std::string& org_id, const std::string& user_id);
std::int64_t count_owners(db::Connection& conn, const std::string& org_id);

void insert_invite(db::Connection& conn, const Invite& invite);
// Pending and expired invitations (not accepted, not revoked), newest first.
std::vector<Invite> list_open_invites(db::Connection& conn, const std::string& org_id);
std::optional<Invite> find_open_invite(db::Connection& conn, const std::string& org_id, const std::string& invite_id);
std::optional<Invite> find_pending_invite_for_email(db::Connection& conn, const std::string& org_id,
                                                    const std::string& email, std::int64_t now);
// By token hash across organisations: the token itself is the proof of access.
std::optional<Invite> find_invite_by_token(db::Connection& conn, const std::string& token_hash);
void reissue_invite(db::Connection& conn, const std::string& org_id, const std::string& invite_id,
                    const std::string& token_hash, std::int64_t expires_at);
void revoke_invite(db::Connection& conn, const std::string& org_id, const std::string& invite_id, std::int64_t now);
// Marks it accepted only if it still was open; false when another request used it first.
bool accept_invite(db::Connection& conn, const std::string& invite_id, const std::string& user_id, std::int64_t now);

}  // namespace sb::orgs::store
