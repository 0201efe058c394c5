// SQL for organisations and memberships.
#include "orgs/store.hpp"

namespace sb::orgs::store {
namespace {

constexpr const char* kMembershipColumns =
    "SELECT o.id, o.name, o.created_by, o.created_at, o.updated_at, m.role "
    "FROM organizations o JOIN organization_members m ON m.org_id = o.id ";

Membership membership_from(const db::Row& row) {
  return Membership{Organization{row.text("id"), row.text("name"), row.opt_text("created_by"), row.integer("created_at"),
                                 row.integer("updated_at")},
                    row.text("role")};
}

}  // namespace

void insert_organization(db::Connection& conn, const Organization& org) {
  conn.execute("INSERT INTO organizations (id, name, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)",
               {org.id, org.name, org.created_by ? db::Value(*org.created_by) : db::Value(nullptr), org.created_at,
                org.updated_at});
}

void insert_member(db::Connection& conn, const std::string& org_id, const std::string& user_id,
                   const std::string& role, std::int64_t now) {
  conn.execute("INSERT INTO organization_members (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
               {org_id, user_id, role, now});
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

}  // namespace sb::orgs::store
