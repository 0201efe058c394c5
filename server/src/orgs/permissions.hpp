// The one permission table: which organisation role may do which action. Every service asks can().
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/auth_context.hpp"

namespace sb::orgs {

enum class Action {
  org_read,
  org_update,
  org_delete,
  org_security,
  members_read,
  members_manage,
  ownership_transfer,
  invites_read,
  invites_manage,
  api_keys_read,
  api_keys_manage,
  audit_read,
  bots_read,
  bots_manage,
  integrations_read,
  integrations_manage,
  jobs_read,
  jobs_manage,
  jobs_in_doubt,
  ai_manage,
  billing_read,
  billing_manage,
  analytics_read,
  analytics_export,
  analytics_manage,
};

inline constexpr std::array<std::string_view, 4> kRoles = {"owner", "admin", "member", "viewer"};

struct Permission {
  Action action;
  std::string_view name;         // as the API and docs show it: "members.manage"
  std::string_view description;
  std::array<bool, 4> allowed;   // by kRoles: owner, admin, member, viewer
};

const std::vector<Permission>& permission_table();
bool can(const AuthContext& ctx, Action action);
bool can(std::string_view role, Action action);
// owner 3, admin 2, member 1, viewer 0; -1 for anything else.
int role_rank(std::string_view role);
bool valid_role(std::string_view role);

}  // namespace sb::orgs
