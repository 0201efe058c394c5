// Fixed-window rate limiting.
#include "core/rate_limiter.hpp"

namespace sb {

bool RateLimiter::allow(const std::string& key, int limit, std::int64_t window_ms, std::int64_t now_ms,
                        std::int64_t& retry_after_ms) {
  std::lock_guard lock(mu_);
  // Forget finished windows now and then so idle keys do not accumulate.
  if (now_ms - last_sweep_ > 10 * window_ms) {
    std::erase_if(windows_, [&](const auto& kv) { return now_ms - kv.second.started_at >= window_ms; });
    last_sweep_ = now_ms;
  }
  Window& w = windows_[key];
  if (now_ms - w.started_at >= window_ms) w = Window{now_ms, 0};
  if (w.count >= limit) {
    retry_after_ms = w.started_at + window_ms - now_ms;
    return false;
  }
  ++w.count;
  return true;
}

}  // namespace sb
