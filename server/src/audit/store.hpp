// SQL of the append-only audit log.
#pragma once

#include <vector>

#include "audit/model.hpp"
#include "db/database.hpp"

namespace sb::audit::store {

void insert(db::Connection& conn, const AuditEvent& event);
// Newest first; at most query.limit + 1 rows so the caller can tell whether more exist.
std::vector<AuditEvent> list(db::Connection& conn, const std::string& org_id, const AuditQuery& query);

}  // namespace sb::audit::store
