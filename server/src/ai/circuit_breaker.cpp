// Circuit breakers per provider and key.
#include "ai/circuit_breaker.hpp"

#include <algorithm>

#include "core/crypto.hpp"

namespace sb::ai {

std::string key_fingerprint(const std::string& base_url, const std::string& api_key) {
  return crypto::sha256_hex(base_url + "\n" + api_key).substr(0, 16);
}

bool CircuitBreakers::allow(const std::string& fingerprint, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(fingerprint);
  if (it == entries_.end() || it->second.s.state == "ok") return true;
  auto& e = it->second;
  if (now_ms < e.s.retry_at_ms) return false;
  if (e.probing) {
    // A probe that never reported back (lost) must not keep the breaker shut for ever.
    if (now_ms < e.s.retry_at_ms + 60'000) return false;
  }
  e.probing = true;
  e.s.retry_at_ms = now_ms;
  return true;
}

void CircuitBreakers::record_success(const std::string& fingerprint, std::int64_t) {
  std::lock_guard lock(mu_);
  entries_.erase(fingerprint);
}

void CircuitBreakers::record_failure(const std::string& fingerprint, int status, const std::string& reason,
                                     std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto& e = entries_[fingerprint];
  e.s.last_status = status;
  bool key_problem = status == 401 || status == 402;
  bool provider_problem = status == 0 || status == 408 || status >= 500;
  if (!key_problem && !provider_problem) {
    // 429 and request errors (400, 403, 404) say nothing about the provider's health.
    if (e.s.state == "ok") entries_.erase(fingerprint);
    else e.probing = false;
    return;
  }
  bool was_ok = e.s.state == "ok";
  if (key_problem) {
    e.s.state = "needs_attention";
    e.s.reason = reason;
    if (was_ok) e.s.since_ms = now_ms;
    e.s.retry_at_ms = now_ms + settings_.key_rejected_ms;
    e.probing = false;
    return;
  }
  ++e.failures;
  if (e.s.state == "ok" && e.failures < settings_.failures_to_open) return;
  // Opens (or re-opens after a failed probe) for an interval that doubles each time.
  e.open_ms = e.open_ms == 0 ? settings_.first_open_ms : std::min(e.open_ms * 2, settings_.max_open_ms);
  if (was_ok) e.s.since_ms = now_ms;
  e.s.state = "down";
  e.s.reason = reason;
  e.s.retry_at_ms = now_ms + e.open_ms;
  e.probing = false;
}

BreakerState CircuitBreakers::state(const std::string& fingerprint) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(fingerprint);
  return it == entries_.end() ? BreakerState{} : it->second.s;
}

BreakerState CircuitBreakers::worst() const {
  std::lock_guard lock(mu_);
  BreakerState out;
  auto rank = [](const std::string& s) { return s == "down" ? 2 : s == "needs_attention" ? 1 : 0; };
  for (const auto& [fp, e] : entries_)
    if (rank(e.s.state) > rank(out.state) || (rank(e.s.state) == rank(out.state) && rank(out.state) > 0 &&
                                              e.s.since_ms < out.since_ms))
      out = e.s;
  return out;
}

std::map<std::string, int> CircuitBreakers::counts() const {
  std::lock_guard lock(mu_);
  std::map<std::string, int> out{{"down", 0}, {"needs_attention", 0}};
  for (const auto& [fp, e] : entries_)
    if (e.s.state != "ok") ++out[e.s.state];
  return out;
}

}  // namespace sb::ai
