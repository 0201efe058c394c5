// Scheduler: periodic background tasks (housekeeping now; retries and rollups later) with their last outcome.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "ops/model.hpp"

namespace sb::ops {

class Scheduler {
 public:
  explicit Scheduler(const Clock& clock) : clock_(clock) {}
  ~Scheduler();
  // The task returns a short summary of what it did; an exception marks the run failed.
  void add(std::string name, std::chrono::milliseconds interval, std::function<std::string()> task);
  void start();
  void stop();
  // Green when every task ran successfully within twice its interval.
  CheckResult health() const;

 private:
  struct Task {
    std::string name;
    std::chrono::milliseconds interval;
    std::function<std::string()> run;
    std::int64_t next_at = 0;
    std::int64_t last_run_at = 0;
    std::string last_summary;
    std::string last_error;
  };
  void loop();
  const Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Task> tasks_;
  std::thread thread_;
  bool stopping_ = false;
  std::int64_t started_at_ = 0;
};

}  // namespace sb::ops
