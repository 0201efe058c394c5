// Circuit breakers for the AI provider, one per provider and key (a key is known only by its
// fingerprint). A run of timeouts and 5xx answers marks the provider down for a short interval that
// grows while it stays down; a rejected or exhausted key (401, 402) marks only that key as needing
// attention; 429 means "back off", never "down". While a breaker is open, calls fail at once and
// replies come from templates or the fallback.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace sb::ai {

// What identifies a provider and key without holding the key: sha256 of base URL and key, 16 hex.
std::string key_fingerprint(const std::string& base_url, const std::string& api_key);

struct BreakerSettings {
  int failures_to_open = 5;            // consecutive timeouts / 5xx / unreachable
  std::int64_t first_open_ms = 5000;   // first interval down; doubles each time it opens again
  std::int64_t max_open_ms = 5 * 60 * 1000;
  std::int64_t key_rejected_ms = 60 * 1000;  // 401/402: how long before the key is tried again
};

struct BreakerState {
  std::string state = "ok";  // ok, down (provider failing), needs_attention (key rejected or out of credit)
  std::string reason;        // in words, no secrets
  std::int64_t since_ms = 0;     // when it left "ok"
  std::int64_t retry_at_ms = 0;  // when the next call is let through (a probe)
  int last_status = 0;
};

class CircuitBreakers {
 public:
  explicit CircuitBreakers(BreakerSettings settings = {}) : settings_(settings) {}
  // True when a call with this key may go out now. When the interval has passed, lets one probe
  // through (half-open) and holds the others until it answers.
  bool allow(const std::string& fingerprint, std::int64_t now_ms);
  // status: the HTTP status of the final answer, 0 when there was none (timeout, unreachable).
  void record_success(const std::string& fingerprint, std::int64_t now_ms);
  void record_failure(const std::string& fingerprint, int status, const std::string& reason, std::int64_t now_ms);
  BreakerState state(const std::string& fingerprint) const;
  // The worst breaker of all (for /debug and the dashboard): down before needs_attention before ok.
  BreakerState worst() const;
  // Counts by state, for metrics.
  std::map<std::string, int> counts() const;

 private:
  struct Entry {
    BreakerState s;
    int failures = 0;
    std::int64_t open_ms = 0;  // the current interval
    bool probing = false;
  };
  BreakerSettings settings_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace sb::ai
