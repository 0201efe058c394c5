// Rate limits shared by every process on one PostgreSQL (ADR 0039): fixed windows aligned to the
// clock, counted in the rate_windows table, one statement for a whole batch of sends.
#pragma once

#include "core/rate_limiter.hpp"
#include "db/database.hpp"
#include "db/multi_row.hpp"

namespace sb::cluster {

class SharedRateLimiter final : public BatchRateLimiter {
 public:
  explicit SharedRateLimiter(db::Database& db);
  // Adds each ask's count to its key's current window and grants what fits under the limit. Every
  // process's counts land in one row per key, so together they stay within the limit; counts asked
  // and refused still fill the window (a send is refused rather than risk passing the limit).
  std::vector<RateGrant> take(const std::vector<RateAsk>& asks, std::int64_t now_ms) override;
  // Removes windows that ended before `before_ms`; returns how many.
  std::int64_t sweep(std::int64_t before_ms);

 private:
  db::Database& db_;
  db::MultiRowInsert upsert_;
};

}  // namespace sb::cluster
