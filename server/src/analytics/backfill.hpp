// Rebuilding the rollups from the raw tables (switchboard admin analytics-backfill; seed-demo).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "db/database.hpp"

namespace sb::analytics {

struct BackfillProgress {
  std::string org_id;
  std::int64_t sessions = 0;  // conversations counted so far in this organisation
  std::int64_t messages = 0;
};

// Deletes the rollups of one organisation (every one without org) and recomputes them from
// conversation_sessions and messages, in batches, one transaction per organisation; then the
// daily level (ADR 0037, part D) up to the former watermark or compaction_target(now_ms),
// whichever is later (now_ms 0: the system clock).
void backfill(db::Database& db, const std::optional<std::string>& org_id,
              const std::function<void(const BackfillProgress&)>& progress = {}, std::int64_t now_ms = 0);

}  // namespace sb::analytics
