// SQL for organisations, memberships and invitations.
#include "orgs/store.hpp"

namespace sb::orgs::store {
namespace {

constexpr const char* kMembershipColumns =
    "SELECT o.id, o.name, o.created_by, o.created_at, o.updated_at, o.require_two_factor, o.time_zone, m.role, "
    "(SELECT COUNT(*) FROM organization_members c WHERE c.org_id = o.id) AS member_count "
    "FROM organizations o JOIN organization_members m ON m.org_id = o.id ";

Membership membership_from(const db::Row& row) {
  return Membership{Organization{row.text("id"), row.text("name"), row.opt_text("created_by"), row.integer("created_at"),
                                 row.integer("updated_at"), row.integer("require_two_factor") != 0,
                                 row.text("time_zone")},
                    row.text("role"), row.integer("member_count")};
}

constexpr const char* kMemberColumns =
    "SELECT m.user_id, u.email, p.name, m.role, m.created_at FROM organization_members m "
    "JOIN users u ON u.id = m.user_id JOIN profiles p ON p.user_id = m.user_id ";

Member member_from(const db::Row& r) {
  return Member{r.text("user_id"), r.text("email"), r.text("name"), r.text("role"), r.integer("created_at")};
}

constexpr const char* kInviteColumns =
    "SELECT i.id, i.org_id, i.email, i.role, i.token_hash, i.invited_by, COALESCE(p.name, '') AS invited_by_name, "
    "i.created_at, i.expires_at, i.accepted_at, i.revoked_at FROM invites i "
    "LEFT JOIN profiles p ON p.user_id = i.invited_by ";

Invite invite_from(const db::Row& r) {
  return Invite{r.text("id"),           r.text("org_id"),         r.text("email"),
                r.text("role"),         r.text("token_hash"),     r.opt_text("invited_by"),
                r.text("invited_by_name"), r.integer("created_at"), r.integer("expires_at"),
                r.opt_integer("accepted_at"), r.opt_integer("revoked_at")};
}

db::Value nullable(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); }

template <typename T, typename F>
std::vector<T> map_rows(const db::Rows& rows, F f) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(f(r));
  return out;
}

}  // namespace

void insert_organization(db::Connection& conn, const Organization& org) {
  conn.execute("INSERT INTO organizations (id, name, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)",
               {org.id, org.name, nullable(org.created_by), org.created_at, org.updated_at});
}

void rename_organization(db::Connection& conn, const std::string& org_id, const std::string& name, std::int64_t now) {
  conn.execute("UPDATE organizations SET name = $2, updated_at = $3 WHERE id = $1", {org_id, name, now});
}

void set_time_zone(db::Connection& conn, const std::string& org_id, const std::string& time_zone, std::int64_t now) {
  conn.execute("UPDATE organizations SET time_zone = $2, updated_at = $3 WHERE id = $1", {org_id, time_zone, now});
}

void set_require_two_factor(db::Connection& conn, const std::string& org_id, bool required, std::int64_t now) {
  conn.execute("UPDATE organizations SET require_two_factor = $2, updated_at = $3 WHERE id = $1",
               {org_id, std::int64_t{required ? 1 : 0}, now});
}

void delete_organization(db::Connection& conn, const std::string& org_id) {
  conn.execute("DELETE FROM organizations WHERE id = $1", {org_id});
}

std::vector<Membership> memberships_of(db::Connection& conn, const std::string& user_id) {
  return map_rows<Membership>(
      conn.query(std::string(kMembershipColumns) + "WHERE m.user_id = $1 ORDER BY m.created_at, o.id", {user_id}),
      membership_from);
}

void insert_member(db::Connection& conn, const std::string& org_id, const std::string& user_id,
                   const std::string& role, std::int64_t now) {
  conn.execute("INSERT INTO organization_members (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
               {org_id, user_id, role, now});
}

std::optional<std::string> member_role(db::Connection& conn, const std::string& org_id, const std::string& user_id) {
  auto row = conn.query_one("SELECT role FROM organization_members WHERE org_id = $1 AND user_id = $2", {org_id, user_id});
  if (!row) return std::nullopt;
  return row->text("role");
}

std::optional<Membership> find_membership(db::Connection& conn, const std::string& org_id,
                                          const std::string& user_id) {
  auto row = conn.query_one(std::string(kMembershipColumns) + "WHERE o.id = $1 AND m.user_id = $2", {org_id, user_id});
  if (!row) return std::nullopt;
  return membership_from(*row);
}

std::optional<Membership> first_membership(db::Connection& conn, const std::string& user_id) {
  auto row = conn.query_one(std::string(kMembershipColumns) + "WHERE m.user_id = $1 ORDER BY m.created_at, o.id LIMIT 1",
                            {user_id});
  if (!row) return std::nullopt;
  return membership_from(*row);
}

std::optional<Organization> find_organization(db::Connection& conn, const std::string& org_id) {
  auto r = conn.query_one(
      "SELECT id, name, created_by, created_at, updated_at, require_two_factor, time_zone FROM organizations WHERE id = $1",
      {org_id});
  if (!r) return std::nullopt;
  return Organization{r->text("id"),         r->text("name"),       r->opt_text("created_by"),
                      r->integer("created_at"), r->integer("updated_at"), r->integer("require_two_factor") != 0,
                      r->text("time_zone")};
}

std::vector<Member> list_members(db::Connection& conn, const std::string& org_id) {
  return map_rows<Member>(conn.query(std::string(kMemberColumns) + "WHERE m.org_id = $1 ORDER BY m.created_at, u.email",
                                     {org_id}),
                          member_from);
}

std::optional<Member> find_member(db::Connection& conn, const std::string& org_id, const std::string& user_id) {
  auto r = conn.query_one(std::string(kMemberColumns) + "WHERE m.org_id = $1 AND m.user_id = $2", {org_id, user_id});
  if (!r) return std::nullopt;
  return member_from(*r);
}

std::optional<Member> find_member_by_email(db::Connection& conn, const std::string& org_id, const std::string& email) {
  auto r = conn.query_one(std::string(kMemberColumns) + "WHERE m.org_id = $1 AND u.email = $2", {org_id, email});
  if (!r) return std::nullopt;
  return member_from(*r);
}

void set_member_role(db::Connection& conn, const std::string& org_id, const std::string& user_id,
                     const std::string& role) {
  conn.execute("UPDATE organization_members SET role = $3 WHERE org_id = $1 AND user_id = $2", {org_id, user_id, role});
}

void delete_member(db::Connection& conn, const std::string& org_id, const std::string& user_id) {
  conn.execute("DELETE FROM organization_members WHERE org_id = $1 AND user_id = $2", {org_id, user_id});
}

std::int64_t count_owners(db::Connection& conn, const std::string& org_id) {
  auto r = conn.query_one("SELECT COUNT(*) AS owners FROM organization_members WHERE org_id = $1 AND role = 'owner'",
                          {org_id});
  return r ? r->integer("owners") : 0;
}

void insert_invite(db::Connection& conn, const Invite& i) {
  conn.execute(
      "INSERT INTO invites (id, org_id, email, role, token_hash, invited_by, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {i.id, i.org_id, i.email, i.role, i.token_hash, nullable(i.invited_by), i.created_at, i.expires_at});
}

std::vector<Invite> list_open_invites(db::Connection& conn, const std::string& org_id) {
  return map_rows<Invite>(
      conn.query(std::string(kInviteColumns) +
                     "WHERE i.org_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL ORDER BY i.created_at DESC",
                 {org_id}),
      invite_from);
}

std::optional<Invite> find_open_invite(db::Connection& conn, const std::string& org_id, const std::string& invite_id) {
  auto r = conn.query_one(std::string(kInviteColumns) +
                              "WHERE i.org_id = $1 AND i.id = $2 AND i.accepted_at IS NULL AND i.revoked_at IS NULL",
                          {org_id, invite_id});
  if (!r) return std::nullopt;
  return invite_from(*r);
}

std::optional<Invite> find_pending_invite_for_email(db::Connection& conn, const std::string& org_id,
                                                    const std::string& email, std::int64_t now) {
  auto r = conn.query_one(std::string(kInviteColumns) +
                              "WHERE i.org_id = $1 AND i.email = $2 AND i.accepted_at IS NULL AND i.revoked_at IS NULL "
                              "AND i.expires_at > $3",
                          {org_id, email, now});
  if (!r) return std::nullopt;
  return invite_from(*r);
}

std::optional<Invite> find_invite_by_token(db::Connection& conn, const std::string& token_hash) {
  auto r = conn.query_one(std::string(kInviteColumns) + "WHERE i.token_hash = $1", {token_hash});
  if (!r) return std::nullopt;
  return invite_from(*r);
}

void reissue_invite(db::Connection& conn, const std::string& org_id, const std::string& invite_id,
                    const std::string& token_hash, std::int64_t expires_at) {
  conn.execute("UPDATE invites SET token_hash = $3, expires_at = $4 WHERE org_id = $1 AND id = $2",
               {org_id, invite_id, token_hash, expires_at});
}

void revoke_invite(db::Connection& conn, const std::string& org_id, const std::string& invite_id, std::int64_t now) {
  conn.execute("UPDATE invites SET revoked_at = $3 WHERE org_id = $1 AND id = $2", {org_id, invite_id, now});
}

bool accept_invite(db::Connection& conn, const std::string& invite_id, const std::string& user_id, std::int64_t now) {
  return conn.execute(
             "UPDATE invites SET accepted_at = $3, accepted_by = $2 "
             "WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL",
             {invite_id, user_id, now}) == 1;
}

}  // namespace sb::orgs::store
