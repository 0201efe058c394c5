// Every model call of the process goes through the dispatcher: at most `in_flight` calls at once in
// all, at most `in_flight_per_org` for one organisation, and calls that wait are started round-robin
// across organisations, so one organisation's burst cannot starve the others. A key whose circuit
// breaker is open is not called: its calls fail at once (the caller answers from templates).
#pragma once

#include <cstddef>
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <string>

#include "ai/openrouter.hpp"

namespace sb::ai {

struct DispatchSettings {
  std::size_t in_flight = 1024;
  std::size_t in_flight_per_org = 64;
};

class Dispatcher {
 public:
  Dispatcher(OpenRouterClient& provider, const Clock& clock, DispatchSettings settings);
  // Queues one call; callbacks as OpenRouterClient::complete (on the HTTP client's thread, or on
  // the caller's thread when the call fails at once).
  void submit(const std::string& org_id, const std::string& api_key, CompletionRequest request, bool stream,
              OpenRouterClient::OnToken on_token, OpenRouterClient::OnDone done);
  struct Stats {
    std::size_t in_flight = 0;
    std::size_t waiting = 0;
    std::size_t organizations_waiting = 0;
    std::uint64_t refused_by_breaker = 0;
  };
  Stats stats() const;
  const DispatchSettings& settings() const { return settings_; }
  OpenRouterClient& provider() { return provider_; }
  const OpenRouterClient& provider() const { return provider_; }

 private:
  struct Pending {
    std::string org_id;
    std::string api_key;
    CompletionRequest request;
    bool stream = false;
    OpenRouterClient::OnToken on_token;
    OpenRouterClient::OnDone done;
  };
  struct Org {
    std::deque<Pending> waiting;
    std::size_t in_flight = 0;
  };
  // Starts what the bounds allow (taking calls round-robin); the calls start after the lock is let go.
  void pump();
  void start(Pending p);
  Error degraded(const std::string& fingerprint) const;

  OpenRouterClient& provider_;
  const Clock& clock_;
  DispatchSettings settings_;
  mutable std::mutex mu_;
  std::map<std::string, Org> orgs_;
  std::list<std::string> turn_;  // organisations with waiting calls, next first
  std::size_t in_flight_ = 0;
  std::size_t waiting_ = 0;
  std::uint64_t refused_ = 0;
};

}  // namespace sb::ai
