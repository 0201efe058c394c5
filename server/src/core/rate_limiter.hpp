// A fixed-window rate limiter kept in this process's memory (per-process limits; see ADR 0006).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sb {

class RateLimiter {
 public:
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
