// The job runner: workers claim due reply jobs in batches under a lease, generate each reply once,
// respect the platform's rate limits, send, and retry with backoff; a rescuer returns jobs of dead
// workers (within seconds of their process's last heartbeat). Before a batch's sends start, one
// commit marks them started, so a send a crash interrupted is known to be in doubt (ADR 0040). A batch costs two commits whatever its size when templates answer: the claim with the
// inbound messages and the replies (stored before the first send), then the outcomes. A batch
// whose replies need a model is parked while the calls are in flight (kept by the process's
// heartbeat; a runner without one renews the leases) and the
// worker claims more; when the last answer arrives the batch comes back to the worker that claimed
// it, which stores the replies (a third commit), sends and records them.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "conversations/service.hpp"
#include "core/clock.hpp"
#include "core/rate_limiter.hpp"
#include "db/batch_writer.hpp"
#include "db/database.hpp"
#include "integrations/service.hpp"
#include "jobs/model.hpp"
#include "jobs/sent_journal.hpp"
#include "usage/service.hpp"

namespace sb::jobs {

struct JobSettings {
  int workers = 2;                  // threads in this process; 0 runs nothing by itself (tests)
  std::int64_t lease_ms = 60000;    // a worker that holds a job longer is presumed dead
  int max_attempts = 6;
  std::map<std::string, int> max_attempts_by_platform;
  std::int64_t backoff_base_ms = 1000;
  std::int64_t backoff_cap_ms = 10 * 60 * 1000;
  std::int64_t batch_size = 32;     // jobs one worker claims, prepares and records together
  std::size_t sends_in_flight = 32;  // sends one worker has waiting for a platform at once
  std::filesystem::path journal_dir;  // sent-reply journals (sent_journal.hpp); empty: none
  // Jobs waiting for a model in this process, in all and per organisation: past these, a worker
  // claims no more (past the per-organisation one, no more of that organisation's jobs).
  std::size_t parked_max = 2048;
  std::size_t parked_per_org = 128;
  // Each process with workers writes its heartbeat row this often; the jobs of a process silent
  // for process_silent_ms are taken over (ADR 0040), whatever their leases say.
  std::int64_t heartbeat_ms = 2000;
  std::int64_t process_silent_ms = 10000;
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

  // Claims a batch of due jobs and runs each to its next state, waiting for model answers (tests
  // drive the runner with this); returns how many were claimed.
  std::size_t run_batch(const std::string& worker, SentJournal* journal);
  // Jobs parked while their replies are made by a model.
  std::size_t parked() const;
  // Runs due jobs until none is left (tests drive the runner with this and a test clock).
  std::size_t run_until_idle();
  // Records the replies that journals of dead workers hold as sent; returns how many.
  std::size_t recover_sent();
  // Takes over the jobs of dead workers (after recover_sent): those of processes whose heartbeat
  // is older than process_silent_ms, and those whose lease expired and whose process is not seen
  // alive. A job whose send had started goes by its integration's policy (resend: queued again;
  // hold: in_doubt); the others are queued again. Returns how many were taken over.
  std::size_t rescue_expired();
  // Writes this process's heartbeat row now (the heartbeat thread does it every heartbeat_ms).
  void heartbeat();
  // This process's id in the processes table; its workers are "<process_id>/<n>".
  const std::string& process_id() const { return process_; }
  int max_attempts_for(const std::string& platform) const;

  const std::string& name() const { return name_; }
  // The workers' steps go through this batching writer (one commit and one sync for many steps,
  // no lock passed between threads). Without one, each step is a transaction of its own.
  void use_writer(db::BatchWriter* writer) { writer_ = writer; }
  // Platform rate limits counted in `limiter` (shared by processes on PostgreSQL) instead of in
  // this process's memory.
  void use_limiter(BatchRateLimiter* limiter) { limiter_ = limiter; }
  // AI usage of replies is reserved before each model call and settled after (none: not counted).
  // own_key: whether the organisation's replies are paid with its own model key (not AI cost).
  void use_usage(usage::UsageService* usage, std::function<bool(const std::string& org_id)> own_key) {
    usage_ = usage;
    own_key_ = std::move(own_key);
  }

 private:
  struct Step;
  struct Replies;
  struct Batch;
  void work(int index);
  // Claims a batch and makes the replies that need no model; starts the model calls of the others,
  // and `ready` runs (on any thread) once their answers are all in. Null when nothing was due.
  std::shared_ptr<Batch> claim(const std::string& worker, const std::vector<std::string>& skip_orgs,
                               std::function<void(std::shared_ptr<Batch>)> ready);
  // Stores the model's replies, sends, and records the outcomes.
  void complete(Batch& batch, SentJournal* journal);
  // Records the inbound message of each job that has no reply yet (in the caller's transaction),
  // with its reply when templates answer.
  void open_turns(db::Connection& conn, std::vector<Step>& steps, Replies& replies);
  // Records the replies made for those jobs (by a model: `by_model`) and stores each on its job;
  // jobs whose lease was lost meanwhile go to `lost`.
  void close_turns(db::Connection& conn, Replies& replies, const std::string& worker, std::vector<JobLog>& logs,
                   bool by_model, std::vector<Step*>& lost);
  void send_replies(std::vector<Step>& steps, const std::string& worker, SentJournal* journal,
                    std::int64_t& lease_from);
  // One commit: marks the sends of `sending` started; those whose lease was lost are dropped.
  void mark_started(std::vector<Step*>& sending, const std::string& worker);
  // Takes over one job of a dead worker `owner`; true when it did.
  bool take_over(MessageJob job, const std::string& owner, const std::string& why,
                 std::map<std::string, std::string>& policies);
  // Writes the decided jobs (those whose lease still holds) and their log rows in one transaction.
  // expired_at: only while the lease has run out by then (the rescuer; a worker may have renewed it
  // or, under the same name after a restart, claimed the job again meanwhile).
  bool commit_steps(std::vector<Step>& steps, const std::string& worker,
                    std::optional<std::int64_t> expired_at = std::nullopt);
  // Renews the batch's leases once half the lease has gone by since `lease_from`; a process that
  // heartbeats renews nothing (its heartbeat keeps its jobs).
  void keep_lease(const std::string& worker, std::int64_t& lease_from);
  void finish(Step& step, const std::string& worker, const std::string& state, const std::string& outcome,
              std::optional<std::string> error, std::optional<std::string> reason_kind = std::nullopt);
  std::unique_ptr<SentJournal> open_journal(const std::string& worker);
  // Runs work in one transaction and returns once it is durable; throws when it failed. work may
  // run more than once (a group commit that fails is run again unit by unit), so it starts from
  // nothing each time and leaves its results in variables it resets.
  void transact(const std::function<void(db::Connection&)>& work);
  JobLog log_row(const MessageJob& job, const std::string& worker, std::string kind, std::string outcome) const;
  double random01();

  db::Database& db_;
  db::BatchWriter* writer_ = nullptr;
  usage::UsageService* usage_ = nullptr;
  std::function<bool(const std::string&)> own_key_;
  const Clock& clock_;
  integrations::IntegrationService& integrations_;
  conversations::ConversationService& conversations_;
  JobSettings settings_;
  std::string name_;
  std::string process_;  // name_ and a random part: a restarted process under the same pid is another
  std::thread heartbeat_thread_;
  std::condition_variable beat_cv_;  // its own: notify() must wake a worker, not the heartbeat
  std::atomic<bool> beating_{false};
  RateLimiter own_limiter_;                       // this process's windows (SQLite: one process)
  BatchRateLimiter* limiter_ = &own_limiter_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::deque<std::shared_ptr<Batch>>> ready_;  // per worker: batches whose answers are in
  std::size_t parked_ = 0;
  std::map<std::string, std::size_t> parked_by_org_;
  bool stopping_ = false;
  std::uint64_t wakeups_ = 0;
  std::vector<std::thread> threads_;
  std::mutex random_mu_;
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace sb::jobs
