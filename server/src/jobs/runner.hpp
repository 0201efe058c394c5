// The job runner: workers claim due reply jobs under a lease, generate the reply once, respect
// the platform's rate limits, send, and retry with backoff; a rescuer returns jobs of dead workers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "conversations/service.hpp"
#include "core/clock.hpp"
#include "core/rate_limiter.hpp"
#include "db/database.hpp"
#include "integrations/service.hpp"
#include "jobs/model.hpp"

namespace sb::jobs {

struct JobSettings {
  int workers = 2;                  // threads in this process; 0 runs nothing by itself (tests)
  std::int64_t lease_ms = 60000;    // a worker that holds a job longer is presumed dead
  int max_attempts = 6;
  std::map<std::string, int> max_attempts_by_platform;
  std::int64_t backoff_base_ms = 1000;
  std::int64_t backoff_cap_ms = 10 * 60 * 1000;
};

// Delay before attempt `attempt + 1` after `attempt` failures: exponential from base, capped,
// with "equal jitter" (half fixed, half random) so delays still grow from one attempt to the next.
std::int64_t backoff_ms(int attempt, std::int64_t base_ms, std::int64_t cap_ms, double random01);

class JobRunner {
 public:
  JobRunner(db::Database& db, const Clock& clock, integrations::IntegrationService& integrations,
            conversations::ConversationService& conversations, JobSettings settings, std::string worker_name);
  ~JobRunner();

  void start();
  void stop();
  // Wakes idle workers: a job was just queued.
  void notify();

  // Claims one due job and runs it to its next state; false when none was due.
  bool run_one(const std::string& worker);
  // Runs due jobs until none is left (tests drive the runner with this and a test clock).
  std::size_t run_until_idle();
  // Puts jobs whose lease expired back in the queue; returns how many.
  std::size_t rescue_expired();
  int max_attempts_for(const std::string& platform) const;

  const std::string& name() const { return name_; }

 private:
  void work(int index);
  void process(MessageJob job, const std::string& from_state, const std::string& worker);
  // Writes the job (while the lease holds) and its log rows in one transaction.
  bool commit(const MessageJob& job, const std::string& worker, const std::vector<JobLog>& logs);
  JobLog log_row(const MessageJob& job, const std::string& worker, std::string kind, std::string outcome) const;
  double random01();

  db::Database& db_;
  const Clock& clock_;
  integrations::IntegrationService& integrations_;
  conversations::ConversationService& conversations_;
  JobSettings settings_;
  std::string name_;
  RateLimiter limiter_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::uint64_t wakeups_ = 0;
  std::vector<std::thread> threads_;
  std::mutex random_mu_;
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace sb::jobs
