// Organisation service.
#include "orgs/service.hpp"

#include "orgs/store.hpp"

namespace sb::orgs {

Result<Membership> OrgService::get(const AuthContext& ctx, const std::string& org_id) {
  auto conn = db_.acquire();
  auto membership = store::find_membership(*conn, org_id, ctx.user_id);
  if (!membership) return Error::not_found("No such organization.");
  return *membership;
}

}  // namespace sb::orgs
