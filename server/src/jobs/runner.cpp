// Job runner: claim, reply once, throttle, send, retry or give up; every step logged.
#include "jobs/runner.hpp"

#include <algorithm>
#include <cmath>

#include "bots/store.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "jobs/store.hpp"

namespace sb::jobs {

std::int64_t backoff_ms(int attempt, std::int64_t base_ms, std::int64_t cap_ms, double random01) {
  double exp = static_cast<double>(base_ms) * std::pow(2.0, std::max(0, attempt - 1));
  double capped = std::min(exp, static_cast<double>(cap_ms));
  return static_cast<std::int64_t>(capped / 2 + capped / 2 * random01);
}

JobRunner::JobRunner(db::Database& db, const Clock& clock, integrations::IntegrationService& integrations,
                     conversations::ConversationService& conversations, JobSettings settings, std::string worker_name)
    : db_(db), clock_(clock), integrations_(integrations), conversations_(conversations),
      settings_(std::move(settings)), name_(std::move(worker_name)) {}

JobRunner::~JobRunner() { stop(); }

void JobRunner::start() {
  std::lock_guard lock(mu_);
  stopping_ = false;
  for (int i = 0; i < settings_.workers; ++i) threads_.emplace_back([this, i] { work(i); });
}

void JobRunner::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void JobRunner::notify() {
  {
    std::lock_guard lock(mu_);
    ++wakeups_;
  }
  cv_.notify_one();
}

double JobRunner::random01() {
  std::lock_guard lock(random_mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

int JobRunner::max_attempts_for(const std::string& platform) const {
  auto it = settings_.max_attempts_by_platform.find(platform);
  return it == settings_.max_attempts_by_platform.end() ? settings_.max_attempts : it->second;
}

void JobRunner::work(int index) {
  std::string worker = name_ + "/" + std::to_string(index);
  for (;;) {
    bool did = false;
    try {
      did = run_one(worker);
    } catch (const std::exception& e) {
      log::error("job worker failed", {{"worker", worker}, {"error", e.what()}});
    }
    std::unique_lock lock(mu_);
    if (stopping_) return;
    if (!did) {
      // Idle: wait for a new job or the next due retry (checked at least every 200 ms).
      std::uint64_t seen = wakeups_;
      cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stopping_ || wakeups_ != seen; });
    }
  }
}

JobLog JobRunner::log_row(const MessageJob& job, const std::string& worker, std::string kind, std::string outcome) const {
  JobLog l;
  std::int64_t now = clock_.now_ms();
  l.id = new_id("jlg", now);
  l.job_id = job.id;
  l.org_id = job.org_id;
  l.at = now;
  l.worker = worker;
  l.kind = std::move(kind);
  l.outcome = std::move(outcome);
  return l;
}

bool JobRunner::commit(const MessageJob& job, const std::string& worker, const std::vector<JobLog>& logs) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  if (!store::update_leased(*conn, job, worker)) {
    // The lease ran out and another worker owns the job now: this result is dropped.
    log::warn("job lease lost", {{"job_id", job.id}, {"worker", worker}});
    return false;
  }
  for (const auto& l : logs) store::insert_log(*conn, l);
  tx.commit();
  return true;
}

bool JobRunner::run_one(const std::string& worker) {
  std::optional<std::pair<MessageJob, std::string>> claimed;
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    claimed = store::claim_next(*conn, worker, clock_.now_ms(), settings_.lease_ms);
    if (!claimed) return false;
    auto l = log_row(claimed->first, worker, "state", "claimed");
    l.from_state = claimed->second;
    l.to_state = "processing";
    store::insert_log(*conn, l);
    tx.commit();
  }
  process(std::move(claimed->first), claimed->second, worker);
  return true;
}

std::size_t JobRunner::run_until_idle() {
  std::size_t n = 0;
  while (run_one(name_ + "/direct")) ++n;
  return n;
}

void JobRunner::process(MessageJob job, const std::string& from_state, const std::string& worker) {
  (void)from_state;
  auto finish = [&](const std::string& state, const std::string& outcome, std::optional<std::string> error,
                    std::vector<JobLog> logs) {
    std::int64_t now = clock_.now_ms();
    auto l = log_row(job, worker, "state", outcome);
    l.from_state = "processing";
    l.to_state = state;
    l.error = error;
    logs.push_back(l);
    job.state = state;
    job.last_error = error;
    job.updated_at = now;
    job.lease_owner.reset();
    job.lease_expires_at.reset();
    if (state == "succeeded" || state == "dead" || state == "cancelled") job.finished_at = now;
    commit(job, worker, logs);
  };

  // 1. The reply is generated once and stored before the first send, so a retry resends it.
  if (!job.reply_text) {
    std::optional<bots::Bot> bot;
    if (job.bot_id) {
      auto conn = db_.acquire();
      bot = bots::store::find(*conn, job.org_id, *job.bot_id);
    }
    if (!bot) {
      finish("dead", "no_bot", "No bot is deployed on " + job.integration_name + " any more.", {});
      return;
    }
    auto exchange = conversations_.converse(
        *bot, {job.deployment_id, job.platform, job.external_user_id, job.display_name, std::nullopt, job.inbound_text});
    job.reply_text = exchange.reply.text;
    job.reply_source = exchange.reply.source;
    job.updated_at = clock_.now_ms();
    if (!commit(job, worker, {log_row(job, worker, "state", "reply_generated")})) return;
  }

  // 2. The platform's limits: a throttled job waits its turn; it has not failed.
  auto limit = integrations_.effective_rate_limit(job.org_id, job.integration_id, job.platform);
  std::int64_t wait_ms = 0, chat_wait_ms = 0;
  std::int64_t now = clock_.now_ms();
  bool account_ok = limiter_.allow("i:" + job.integration_id, limit.per_second, 1000, now, wait_ms);
  bool chat_ok = account_ok &&
                 limiter_.allow("c:" + job.integration_id + ":" + job.reply_to, limit.per_chat_per_minute, 60000, now, chat_wait_ms);
  if (!account_ok || !chat_ok) {
    auto l = log_row(job, worker, "state", "throttled");
    l.from_state = "processing";
    l.to_state = "queued";
    job.state = "queued";
    job.next_run_at = now + std::max<std::int64_t>(1, account_ok ? chat_wait_ms : wait_ms);
    job.lease_owner.reset();
    job.lease_expires_at.reset();
    job.updated_at = now;
    commit(job, worker, {l});
    return;
  }

  // 3. Send, then record the platform's answer with the change of state in one transaction.
  std::int64_t started = clock_.now_ms();
  auto delivered = integrations_.deliver(job.org_id, job.integration_id, {job.reply_to, *job.reply_text});
  std::int64_t latency = clock_.now_ms() - started;
  job.attempts += 1;
  if (!delivered) {
    finish("dead", "integration_unavailable", delivered.error().message, {});
    return;
  }
  const auto& answer = *delivered;
  auto attempt = log_row(job, worker, "attempt", answer.ok() ? "sent" : "platform_error");
  attempt.http_status = answer.http_status ? std::optional<std::int64_t>(answer.http_status) : std::nullopt;
  attempt.latency_ms = latency;
  if (!answer.ok()) attempt.error = answer.message;
  if (answer.ok()) {
    job.platform_message_id = answer.platform_message_id;
    finish("succeeded", "sent", std::nullopt, {attempt});
    return;
  }
  using Kind = integrations::PlatformAnswer::Kind;
  if (answer.kind == Kind::rejected || answer.kind == Kind::refused) {
    finish("dead", "permanent_error", answer.message, {attempt});  // retrying cannot fix it
    return;
  }
  if (job.attempts >= job.max_attempts) {
    finish("dead", "attempts_exhausted",
           "Gave up after " + std::to_string(job.attempts) + " attempts: " + answer.message, {attempt});
    return;
  }
  std::int64_t delay = answer.retry_after_seconds > 0
                           ? static_cast<std::int64_t>(answer.retry_after_seconds) * 1000
                           : backoff_ms(static_cast<int>(job.attempts), settings_.backoff_base_ms,
                                        settings_.backoff_cap_ms, random01());
  job.next_run_at = clock_.now_ms() + delay;
  finish("failed", "will_retry", answer.message, {attempt});
}

std::size_t JobRunner::rescue_expired() {
  std::int64_t now = clock_.now_ms();
  std::vector<MessageJob> expired;
  {
    auto conn = db_.acquire();
    expired = store::expired_leases(*conn, now, 500);
  }
  std::size_t rescued = 0;
  for (auto job : expired) {
    std::string owner = job.lease_owner.value_or("");
    auto l = log_row(job, name_ + "/rescuer", "state", "lease_expired");
    l.from_state = "processing";
    l.to_state = "queued";
    l.error = "The worker " + owner + " stopped answering; the job goes back in the queue.";
    job.state = "queued";
    job.next_run_at = now;
    job.lease_owner.reset();
    job.lease_expires_at.reset();
    job.updated_at = now;
    if (commit(job, owner, {l})) ++rescued;
  }
  if (rescued) notify();
  return rescued;
}

}  // namespace sb::jobs
