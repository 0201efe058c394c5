// A single background thread running periodic tasks.
#include "ops/scheduler.hpp"

#include "core/logging.hpp"
#include "core/thread_name.hpp"

namespace sb::ops {

Scheduler::~Scheduler() { stop(); }

void Scheduler::add(std::string name, std::chrono::milliseconds interval, std::function<std::string()> task) {
  std::lock_guard lock(mu_);
  Task t;
  t.name = std::move(name);
  t.interval = interval;
  t.run = std::move(task);
  tasks_.push_back(std::move(t));
}

void Scheduler::start() {
  started_at_ = clock_.now_ms();
  thread_ = std::thread([this] {
    name_this_thread("sb-scheduler");
    loop();
  });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    std::int64_t now = clock_.now_ms();
    std::int64_t next_wake = now + 60'000;
    for (auto& task : tasks_) {
      if (task.next_at <= now) {
        auto run = task.run;
        lock.unlock();
        std::string summary, error;
        try {
          summary = run();
        } catch (const std::exception& e) {
          error = e.what();
          log::error("scheduled task failed", {{"task", task.name}, {"error", error}});
        }
        lock.lock();
        task.last_run_at = clock_.now_ms();
        task.last_summary = summary;
        task.last_error = error;
        task.next_at = task.last_run_at + task.interval.count();
        if (stopping_) return;
      }
      next_wake = std::min(next_wake, task.next_at);
    }
    cv_.wait_for(lock, std::chrono::milliseconds(std::max<std::int64_t>(10, next_wake - clock_.now_ms())));
  }
}

CheckResult Scheduler::health() const {
  std::lock_guard lock(mu_);
  std::int64_t now = clock_.now_ms();
  if (!thread_.joinable()) return {"background tasks", Health::red, "The scheduler is not running."};
  for (const auto& task : tasks_) {
    if (!task.last_error.empty()) return {"background tasks", Health::red, task.name + " failed: " + task.last_error};
    if (task.last_run_at == 0 && now - started_at_ > 2 * task.interval.count())
      return {"background tasks", Health::amber, task.name + " has not run yet"};
    if (task.last_run_at != 0 && now - task.last_run_at > 2 * task.interval.count())
      return {"background tasks", Health::amber, task.name + " is overdue"};
  }
  std::string summary = std::to_string(tasks_.size()) + " task(s) on schedule";
  for (const auto& task : tasks_)
    if (!task.last_summary.empty()) summary += "; " + task.name + ": " + task.last_summary;
  return {"background tasks", Health::green, summary};
}

}  // namespace sb::ops
