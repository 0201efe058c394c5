// Organisation rules: what a caller may read or change about organisations.
#pragma once

#include "core/auth_context.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "orgs/model.hpp"

namespace sb::orgs {

class OrgService {
 public:
  explicit OrgService(db::Database& db) : db_(db) {}
  // An organisation the caller belongs to; another organisation's id answers not_found.
  Result<Membership> get(const AuthContext& ctx, const std::string& org_id);

 private:
  db::Database& db_;
};

}  // namespace sb::orgs
