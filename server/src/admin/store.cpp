// Platform admin SQL.
#include "admin/store.hpp"

namespace sb::admin::store {

std::vector<OrgSummary> organizations(db::Connection& conn) {
  std::vector<OrgSummary> out;
  for (const auto& r : conn.query(
           "SELECT o.id, o.name, o.created_at, "
           "(SELECT COUNT(*) FROM organization_members m WHERE m.org_id = o.id) AS member_count, "
           "COALESCE((SELECT MIN(u.email) FROM organization_members m JOIN users u ON u.id = m.user_id "
           "WHERE m.org_id = o.id AND m.role = 'owner'), '') AS owner_email "
           "FROM organizations o ORDER BY o.created_at DESC, o.id DESC"))
    out.push_back({r.text("id"), r.text("name"), r.text("owner_email"), r.integer("created_at"),
                   r.integer("member_count")});
  return out;
}

std::vector<UserSummary> users(db::Connection& conn) {
  std::vector<UserSummary> out;
  for (const auto& r : conn.query(
           "SELECT u.id, u.email, p.name, u.created_at, "
           "(SELECT COUNT(*) FROM organization_members m WHERE m.user_id = u.id) AS organization_count, "
           "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'admin') AS is_admin, "
           "EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL) AS has_two_factor "
           "FROM users u JOIN profiles p ON p.user_id = u.id ORDER BY u.created_at DESC, u.id DESC"))
    out.push_back({r.text("id"), r.text("email"), r.text("name"), r.integer("created_at"),
                   r.integer("organization_count"), r.integer("is_admin") != 0, r.integer("has_two_factor") != 0});
  return out;
}

}  // namespace sb::admin::store
