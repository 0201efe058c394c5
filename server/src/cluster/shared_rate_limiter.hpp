// Rate limits shared by every process on one PostgreSQL (ADR 0039): fixed windows aligned to the
// clock, counted in the rate_windows table, one statement for a whole batch of sends.
#pragma once

#include <tuple>

#include "core/rate_limiter.hpp"
#include "db/database.hpp"
#include "db/multi_row.hpp"

namespace sb::cluster {

class SharedRateLimiter final : public BatchRateLimiter {
 public:
  explicit SharedRateLimiter(db::Database& db);
  // Adds each ask's count to its key's current window and grants what fits under the limit. Every
  // process's counts land in one row per key, so together they stay within the limit. What was
  // refused is taken off again (a second statement, only when something was refused); until then
  // it fills the window, so a concurrent caller may be refused a place it could have had, never
  // given one too many. A negative count gives back places granted and then not used.
  std::vector<RateGrant> take(const std::vector<RateAsk>& asks, std::int64_t now_ms) override;
  // Removes windows that ended before `before_ms`; returns how many.
  std::int64_t sweep(std::int64_t before_ms);

 private:
  // Takes (key, n, window start) off the windows that still have that start.
  // Through the caller's connection (one from the pool at a time: callers on every thread at once
  // must not wait for a second).
  void give_back(db::Connection& conn, std::vector<std::tuple<std::string, std::int64_t, std::int64_t>>& back);
  db::Database& db_;
  db::MultiRowInsert upsert_;
};

}  // namespace sb::cluster
