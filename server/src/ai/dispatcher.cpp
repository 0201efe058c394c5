// Dispatcher: global and per-organisation bounds, round-robin between organisations.
#include "ai/dispatcher.hpp"

#include <algorithm>
#include <vector>


namespace sb::ai {

Dispatcher::Dispatcher(OpenRouterClient& provider, const Clock& clock, DispatchSettings settings)
    : provider_(provider), clock_(clock), settings_(settings) {
  settings_.in_flight = std::max<std::size_t>(1, settings_.in_flight);
  settings_.in_flight_per_org = std::max<std::size_t>(1, settings_.in_flight_per_org);
}

Error Dispatcher::degraded(const std::string& fingerprint) const {
  auto s = provider_.breakers().state(fingerprint);
  std::string why = s.state == "needs_attention" ? "The organisation's OpenRouter key needs attention: "
                                                 : "OpenRouter is down: ";
  return Error{"ai_failed", why + s.reason + " Replies come from templates meanwhile.",
               {{"status", s.last_status}, {"degraded", true}}};
}

void Dispatcher::submit(const std::string& org_id, const std::string& api_key, CompletionRequest request, bool stream,
                        OpenRouterClient::OnToken on_token, OpenRouterClient::OnDone done) {
  if (!api_key.empty()) {
    std::string fingerprint = key_fingerprint(provider_.base_url(), api_key);
    if (!provider_.breakers().allow(fingerprint, clock_.now_ms())) {
      {
        std::lock_guard lock(mu_);
        ++refused_;
      }
      done(degraded(fingerprint));
      return;
    }
  }
  {
    std::lock_guard lock(mu_);
    auto& org = orgs_[org_id];
    if (org.waiting.empty()) turn_.push_back(org_id);
    org.waiting.push_back({org_id, api_key, std::move(request), stream, std::move(on_token), std::move(done)});
    ++waiting_;
  }
  pump();
}

void Dispatcher::pump() {
  std::vector<Pending> starting;
  {
    std::lock_guard lock(mu_);
    // Each pass over the organisations that wait takes at most one call from each.
    while (in_flight_ < settings_.in_flight && !turn_.empty()) {
      bool started = false;
      for (auto it = turn_.begin(); it != turn_.end() && in_flight_ < settings_.in_flight;) {
        auto& org = orgs_[*it];
        if (org.in_flight >= settings_.in_flight_per_org) {
          ++it;
          continue;
        }
        starting.push_back(std::move(org.waiting.front()));
        org.waiting.pop_front();
        --waiting_;
        ++org.in_flight;
        ++in_flight_;
        started = true;
        // Served: to the back of the line, or out of it when nothing else waits.
        std::string id = *it;
        it = turn_.erase(it);
        if (!org.waiting.empty()) turn_.push_back(id);
        break;
      }
      if (!started) break;
    }
  }
  for (auto& p : starting) start(std::move(p));
}

void Dispatcher::start(Pending p) {
  auto org_id = p.org_id;
  auto done = std::move(p.done);
  provider_.complete(p.request, p.api_key, p.stream, std::move(p.on_token),
                     [this, org_id, done = std::move(done)](Result<Completion> result) {
                       {
                         std::lock_guard lock(mu_);
                         --in_flight_;
                         auto it = orgs_.find(org_id);
                         if (it != orgs_.end()) {
                           --it->second.in_flight;
                           if (it->second.in_flight == 0 && it->second.waiting.empty()) orgs_.erase(it);
                         }
                       }
                       pump();
                       done(std::move(result));
                     });
}

Dispatcher::Stats Dispatcher::stats() const {
  std::lock_guard lock(mu_);
  return {in_flight_, waiting_, turn_.size(), refused_};
}

}  // namespace sb::ai
