// The daily level of the rollups (ADR 0037, part D): compaction of whole UTC days from the hourly
// rows into the daily ones, behind a per-organisation watermark (analytics_daily_until).
#pragma once

#include <cstdint>
#include <string>

#include "db/database.hpp"

namespace sb::analytics {

// Where the scheduled compaction moves the watermark at `now_ms`: the start of yesterday (UTC), so
// the daily rows hold whole UTC days before yesterday.
std::int64_t compaction_target(std::int64_t now_ms);

// Fills the daily rows of the organisation's days from its watermark up to `until` (a UTC day
// start) and moves the watermark there: one transaction per day (a short write lock on SQLite),
// the watermark row locked FOR UPDATE on PostgreSQL. Idempotent; never moves the watermark back.
// Returns the number of days compacted.
std::int64_t compact_org(db::Database& db, const std::string& org_id, std::int64_t until);
// The same, all days in the caller's transaction (the backfill).
std::int64_t compact_org_in(db::Connection& conn, const std::string& org_id, std::int64_t until);

struct CompactionResult {
  std::int64_t organizations = 0;  // whose watermark moved
  std::int64_t days = 0;
};
// Every organisation up to compaction_target(now_ms): the scheduled task ("analytics daily").
CompactionResult compact_all(db::Database& db, std::int64_t now_ms);

}  // namespace sb::analytics
