// SQL of the platform admin views: organisations and users across the installation (no org data).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace sb::admin::store {

struct OrgSummary {
  std::string id, name, owner_email;
  std::int64_t created_at = 0, member_count = 0;
};
struct UserSummary {
  std::string id, email, name;
  std::int64_t created_at = 0, organization_count = 0;
  bool is_platform_admin = false;
  bool two_factor_enabled = false;
};

std::vector<OrgSummary> organizations(db::Connection& conn);
std::vector<UserSummary> users(db::Connection& conn);

}  // namespace sb::admin::store
