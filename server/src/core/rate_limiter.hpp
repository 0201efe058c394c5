// Fixed-window rate limiters: one kept in this process's memory (per-process limits; see ADR 0006),
// and the interface of limits counted for many sends at once, which PostgreSQL installations share
// between processes (cluster/shared_rate_limiter, ADR 0039).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace sb {

// `count` events asked under `key` at most `limit` a window of `window_ms`.
struct RateAsk {
  std::string key;
  int limit = 0;
  std::int64_t window_ms = 1000;
  int count = 1;
};
// How many of them may happen now; when fewer than asked, the time until the window ends.
struct RateGrant {
  int granted = 0;
  std::int64_t retry_after_ms = 0;
};

// Limits counted for a batch of events in one step (one round trip when they are shared).
class BatchRateLimiter {
 public:
  virtual ~BatchRateLimiter() = default;
  // One grant per ask, in order. Keys are distinct.
  virtual std::vector<RateGrant> take(const std::vector<RateAsk>& asks, std::int64_t now_ms) = 0;
};

class RateLimiter : public BatchRateLimiter {
 public:
  // allow() for each ask, granting up to its count.
  std::vector<RateGrant> take(const std::vector<RateAsk>& asks, std::int64_t now_ms) override;
  // Counts one event for key; false when the key already had `limit` events in the current
  // window, with retry_after_ms set to the time until the window ends.
  // Keys of one limiter may use different windows (a second for an account, a minute for a chat).
  bool allow(const std::string& key, int limit, std::int64_t window_ms, std::int64_t now_ms,
             std::int64_t& retry_after_ms);
  // How many keys are held now (finished windows are forgotten every ten seconds or so).
  std::size_t tracked();

 private:
  struct Window {
    std::int64_t started_at = 0;
    std::int64_t length_ms = 0;
    int count = 0;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
  std::int64_t last_sweep_ = 0;
};

}  // namespace sb
