// Fixed-window rate limiting.
#include "core/rate_limiter.hpp"

#include <algorithm>

namespace sb {

bool RateLimiter::allow(const std::string& key, int limit, std::int64_t window_ms, std::int64_t now_ms,
                        std::int64_t& retry_after_ms) {
  constexpr std::int64_t kSweepEveryMs = 10'000;
  std::lock_guard lock(mu_);
  // Forget finished windows now and then so idle keys do not accumulate. Each key's own window
  // decides: a minute-long window is not cut short by a sweep that a per-second key set off.
  if (now_ms - last_sweep_ >= kSweepEveryMs) {
    std::erase_if(windows_, [&](const auto& kv) { return now_ms - kv.second.started_at >= kv.second.length_ms; });
    last_sweep_ = now_ms;
  }
  auto [it, added] = windows_.try_emplace(key);
  Window& w = it->second;
  if (added || now_ms - w.started_at >= window_ms) w = Window{now_ms, window_ms, 0};
  if (w.count >= limit) {
    retry_after_ms = w.started_at + window_ms - now_ms;
    return false;
  }
  ++w.count;
  return true;
}

// A negative count gives back that many events of the key's current window: granted, then not
// made (the job runner's sends whose other limit refused them).
std::vector<RateGrant> RateLimiter::take(const std::vector<RateAsk>& asks, std::int64_t now_ms) {
  std::vector<RateGrant> out(asks.size());
  for (std::size_t i = 0; i < asks.size(); ++i) {
    if (asks[i].count < 0) {
      std::lock_guard lock(mu_);
      auto it = windows_.find(asks[i].key);
      if (it != windows_.end() && now_ms - it->second.started_at < it->second.length_ms)
        it->second.count = std::max(0, it->second.count + asks[i].count);
      continue;
    }
    for (int n = 0; n < asks[i].count; ++n) {
      if (!allow(asks[i].key, asks[i].limit, asks[i].window_ms, now_ms, out[i].retry_after_ms)) break;
      ++out[i].granted;
    }
  }
  return out;
}

std::size_t RateLimiter::tracked() {
  std::lock_guard lock(mu_);
  return windows_.size();
}

}  // namespace sb
