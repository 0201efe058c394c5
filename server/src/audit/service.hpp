// Audit service: recording events inside the caller's transaction, and reading them back.
#pragma once

#include <boost/json/object.hpp>
#include <optional>

#include "audit/model.hpp"
#include "core/auth_context.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::audit {

// Appends an event in the same transaction as the change it describes. Values whose names
// suggest secrets (token, secret, password, key, credential) are removed from before/after.
void record(db::Connection& conn, const AuthContext& actor, const std::string& org_id, const std::string& action,
            const Target& target, std::int64_t now, std::optional<boost::json::object> before = std::nullopt,
            std::optional<boost::json::object> after = std::nullopt);

// An update: records only the fields whose values differ between before and after, and nothing
// when none does.
void record_change(db::Connection& conn, const AuthContext& actor, const std::string& org_id,
                   const std::string& action, const Target& target, std::int64_t now,
                   const boost::json::object& before, const boost::json::object& after);

boost::json::object redact(boost::json::object values);

class AuditService {
 public:
  explicit AuditService(db::Database& db) : db_(db) {}
  // ctx must already act in org_id with its role (owners and admins read the log).
  Result<AuditPage> list(const AuthContext& ctx, AuditQuery query);

 private:
  db::Database& db_;
};

}  // namespace sb::audit
