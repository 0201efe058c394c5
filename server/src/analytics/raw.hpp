// The analytics numbers computed directly from conversation_sessions and messages, by the
// definitions of ADR 0037: what the rollups must equal (tests, switchboard admin analytics-check).
#pragma once

#include "analytics/model.hpp"
#include "db/database.hpp"

namespace sb::analytics::raw {

// The totals of the conversations started and the messages created in the hours [start, end).
Totals totals(db::Connection& conn, const std::string& org_id, std::int64_t start, std::int64_t end,
              const Filters& filters);

}  // namespace sb::analytics::raw
