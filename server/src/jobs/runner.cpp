// Job runner: claim, reply once, throttle, send, retry or give up; every step logged.
#include "jobs/runner.hpp"

#include "analytics/recorder.hpp"

#include <algorithm>
#include <cmath>
#include <future>
#include <set>

#include "bots/store.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "core/thread_name.hpp"
#include "jobs/store.hpp"
#include "templates/store.hpp"

namespace sb::jobs {

std::int64_t backoff_ms(int attempt, std::int64_t base_ms, std::int64_t cap_ms, double random01) {
  double exp = static_cast<double>(base_ms) * std::pow(2.0, std::max(0, attempt - 1));
  double capped = std::min(exp, static_cast<double>(cap_ms));
  return static_cast<std::int64_t>(capped / 2 + capped / 2 * random01);
}

JobRunner::JobRunner(db::Database& db, const Clock& clock, integrations::IntegrationService& integrations,
                     conversations::ConversationService& conversations, JobSettings settings, std::string worker_name)
    : db_(db), clock_(clock), integrations_(integrations), conversations_(conversations),
      settings_(std::move(settings)), name_(std::move(worker_name)) {
  // The id's random tail: a process started again under the same host and pid (a container's pid 1)
  // is another process, and the jobs of the one that died are not taken for its own.
  std::string random = new_id("p");
  process_ = name_ + "." + random.substr(random.size() - 6);
}

JobRunner::~JobRunner() { stop(); }

void JobRunner::start() {
  // Replies a killed predecessor sent but did not record are recorded before anything is resent.
  if (std::size_t n = recover_sent())
    log::warn("recorded replies sent before a worker stopped", {{"replies", static_cast<std::int64_t>(n)}});
  if (settings_.workers > 0) {
    {
      std::lock_guard lock(mu_);
      stopping_ = false;
    }
    heartbeat();
    beating_ = true;
    heartbeat_thread_ = std::thread([this] {
      name_this_thread("sb-heartbeat");
      std::unique_lock lock(mu_);
      while (!stopping_) {
        beat_cv_.wait_for(lock, std::chrono::milliseconds(settings_.heartbeat_ms), [this] { return stopping_; });
        if (stopping_) break;
        lock.unlock();
        try {
          heartbeat();
        } catch (const std::exception& e) {
          log::error("process heartbeat not written", {{"process", process_}, {"error", e.what()}});
        }
        lock.lock();
      }
    });
  }
  std::lock_guard lock(mu_);
  stopping_ = false;
  ready_.assign(static_cast<std::size_t>(std::max(0, settings_.workers)), {});
  for (int i = 0; i < settings_.workers; ++i) threads_.emplace_back([this, i] {
      name_this_thread("sb-worker-" + std::to_string(i));
      work(i);
    });
}

void JobRunner::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  beat_cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  if (heartbeat_thread_.joinable()) heartbeat_thread_.join();
  if (beating_) {
    beating_ = false;
    // A clean stop: its workers' jobs are recorded, and nobody need wait for this process to fall silent.
    try {
      auto conn = db_.acquire();
      store::remove_process(*conn, process_);
    } catch (const std::exception& e) {
      log::warn("process row not removed", {{"process", process_}, {"error", e.what()}});
    }
  }
}

void JobRunner::heartbeat() {
  // Through the group commit on SQLite, like the workers' steps: no write lock taken of its own.
  std::int64_t now = clock_.now_ms();
  transact([&](db::Connection& conn) { store::heartbeat(conn, process_, now); });
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

// One claimed job on its way through a batch: its new state and log rows, written at the end.
struct JobRunner::Step {
  MessageJob job;
  std::vector<JobLog> logs;
  const integrations::IntegrationService::Account* sender = nullptr;  // set when it is to be sent
  std::optional<integrations::PlatformAnswer> answer;
  std::int64_t latency_ms = 0;
  bool decided = false;  // the job reached its next state (succeeded, failed, dead, queued again)
  bool dropped = false;  // the lease was lost: another worker owns the job now
};

// Bots and templates loaded once for a batch, and each job's exchange while its reply is made.
struct JobRunner::Replies {
  struct Loaded {
    std::optional<bots::Bot> bot;
    std::vector<templates::Template> templates;
  };
  struct Exchange {
    const bots::Bot* bot = nullptr;
    conversations::Turn turn;
    ai::Reply reply;
    bool by_model = false;  // the reply comes from a model, after the claim's transaction
    usage::Reservation reserved;  // the model call's estimated usage, settled with its reply
  };
  std::map<std::string, Loaded> bots;  // by organisation and bot id
  std::map<Step*, Exchange> exchanges;
  std::vector<std::pair<Step*, std::string>> without_bot;  // and why
  std::vector<Step*> lost;                                 // the lease went to another worker
};

// A claimed batch; parked while its model calls are in flight.
struct JobRunner::Batch {
  std::string worker;
  std::int64_t lease_from = 0;
  std::vector<Step> steps;
  Replies replies;
  bool parked = false;
  std::atomic<std::size_t> waiting{0};  // model answers still to come (+1 while they are being asked)
  std::function<void(std::shared_ptr<Batch>)> ready;
  std::map<std::string, std::size_t> parked_by_org;  // what this batch adds to the runner's counts
};

std::unique_ptr<SentJournal> JobRunner::open_journal(const std::string& worker) {
  if (settings_.journal_dir.empty()) return nullptr;
  try {
    return std::make_unique<SentJournal>(settings_.journal_dir, worker);
  } catch (const std::exception& e) {
    log::error("sent-reply journal unavailable", {{"worker", worker}, {"error", e.what()}});
    return nullptr;
  }
}

void JobRunner::work(int index) {
  std::string worker = process_ + "/" + std::to_string(index);
  auto journal = open_journal(worker);
  std::int64_t renewed_at = clock_.now_ms();
  std::size_t mine = 0;  // jobs of this worker parked while a model answers
  for (;;) {
    bool did = false;
    std::deque<std::shared_ptr<Batch>> ready;
    {
      std::lock_guard lock(mu_);
      ready.swap(ready_[static_cast<std::size_t>(index)]);
    }
    for (auto& batch : ready) {
      try {
        complete(*batch, journal.get());
      } catch (const std::exception& e) {
        log::error("job worker failed", {{"worker", worker}, {"error", e.what()}});
      }
      mine -= batch->steps.size();
      did = true;
    }
    try {
      if (mine > 0) keep_lease(worker, renewed_at);
      else renewed_at = clock_.now_ms();
      std::vector<std::string> skip;
      bool room;
      {
        std::lock_guard lock(mu_);
        room = parked_ < settings_.parked_max;
        for (const auto& [org, n] : parked_by_org_)
          if (n >= settings_.parked_per_org) skip.push_back(org);
      }
      if (room) {
        auto batch = claim(worker, skip, [this, index](std::shared_ptr<Batch> answered) {
          {
            std::lock_guard lock(mu_);
            ready_[static_cast<std::size_t>(index)].push_back(std::move(answered));
          }
          cv_.notify_all();
        });
        if (batch) {
          did = true;
          if (batch->parked) mine += batch->steps.size();
          else complete(*batch, journal.get());
        }
      }
    } catch (const std::exception& e) {
      log::error("job worker failed", {{"worker", worker}, {"error", e.what()}});
    }
    std::unique_lock lock(mu_);
    if (stopping_) return;
    if (!did) {
      // Idle: wait for a new job, an answer, or the next due retry (checked at least every 200 ms).
      std::uint64_t seen = wakeups_;
      cv_.wait_for(lock, std::chrono::milliseconds(200), [&] {
        return stopping_ || wakeups_ != seen || !ready_[static_cast<std::size_t>(index)].empty();
      });
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

void JobRunner::finish(Step& step, const std::string& worker, const std::string& state, const std::string& outcome,
                       std::optional<std::string> error, std::optional<std::string> reason_kind) {
  auto& job = step.job;
  // A job stored past the quota stays one when it waits its turn again (throttled, rescued).
  if (reason_kind || job.reason_kind != "quota") job.reason_kind = std::move(reason_kind);
  std::int64_t now = clock_.now_ms();
  auto l = log_row(job, worker, "state", outcome);
  l.from_state = "processing";
  l.to_state = state;
  l.error = error;
  step.logs.push_back(std::move(l));
  job.state = state;
  job.last_error = std::move(error);
  job.updated_at = now;
  job.lease_owner.reset();
  job.lease_expires_at.reset();
  if (state == "succeeded" || state == "dead" || state == "cancelled" || state == "skipped") job.finished_at = now;
  step.decided = true;
}

void JobRunner::transact(const std::function<void(db::Connection&)>& work) {
  // The analytics rollups of the batch's exchanges are written once, together (ADR 0037).
  auto counted = [&work](db::Connection& conn) {
    analytics::BatchScope rollups;
    work(conn);
    rollups.flush(conn);
  };
  if (!writer_) {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    counted(*conn);
    tx.commit();
    return;
  }
  std::promise<std::optional<std::string>> done;
  auto result = done.get_future();
  writer_->submit([&counted](db::Connection& conn) { counted(conn); },
                  [&done](std::optional<std::string> error) { done.set_value(std::move(error)); });
  if (auto error = result.get()) throw db::DbError(*error);
}

bool JobRunner::commit_steps(std::vector<Step>& steps, const std::string& worker,
                             std::optional<std::int64_t> expired_at) {
  // A failed commit is tried again: the platform may already have accepted these replies.
  for (int attempt = 1;; ++attempt) {
    try {
      std::vector<Step*> lost;
      transact([&](db::Connection& conn) {
        lost.clear();
        std::vector<JobLog> logs;
        for (auto& step : steps) {
          if (step.dropped || !step.decided) continue;
          // The lease ran out and another worker owns the job now: this result is dropped.
          if (!store::update_leased(conn, step.job, worker, expired_at)) {
            lost.push_back(&step);
            continue;
          }
          logs.insert(logs.end(), step.logs.begin(), step.logs.end());
        }
        store::insert_logs(conn, logs);
      });
      for (Step* step : lost) {
        log::warn("job lease lost", {{"job_id", step->job.id}, {"worker", worker}});
        step->dropped = true;
      }
      for (auto& step : steps) step.logs.clear();
      return true;
    } catch (const std::exception& e) {
      if (attempt >= 3) {
        log::error("job results not recorded", {{"worker", worker}, {"error", e.what()}});
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
    }
  }
}

void JobRunner::keep_lease(const std::string& worker, std::int64_t& lease_from) {
  // A process that heartbeats keeps its jobs through its row in processes (the rescuer and the AI
  // usage release both treat its jobs as alive, ADR 0040): nothing to renew. Only a runner without
  // a heartbeat (workers driven by a test) renews.
  if (beating_) return;
  std::int64_t now = clock_.now_ms();
  if (now - lease_from < settings_.lease_ms / 2) return;
  auto conn = db_.acquire();
  store::renew_leases(*conn, worker, now + settings_.lease_ms);
  lease_from = now;
}

std::size_t JobRunner::parked() const {
  std::lock_guard lock(mu_);
  return parked_;
}

std::shared_ptr<JobRunner::Batch> JobRunner::claim(const std::string& worker, const std::vector<std::string>& skip_orgs,
                                                   std::function<void(std::shared_ptr<Batch>)> ready) {
  auto batch = std::make_shared<Batch>();
  batch->worker = worker;
  batch->lease_from = clock_.now_ms();
  auto& steps = batch->steps;
  auto& replies = batch->replies;
  // Templates answer without a network call, so their replies are made in the claim's own
  // transaction: one commit claims the jobs, records the inbound messages and stores the replies.
  transact([&](db::Connection& conn) {
    steps.clear();
    std::vector<JobLog> logs;
    for (auto& c : store::claim_batch(conn, worker, batch->lease_from, settings_.lease_ms, settings_.batch_size,
                                      skip_orgs)) {
      auto l = log_row(c.job, worker, "state", "claimed");
      l.from_state = c.from_state;
      l.to_state = "processing";
      logs.push_back(std::move(l));
      steps.emplace_back().job = std::move(c.job);
    }
    open_turns(conn, steps, replies);
    close_turns(conn, replies, worker, logs, false, replies.lost);
    store::insert_logs(conn, logs);
  });
  if (steps.empty()) return nullptr;
  std::vector<Replies::Exchange*> asking;
  for (auto& [step, exchange] : replies.exchanges)
    if (exchange.by_model) {
      asking.push_back(&exchange);
      ++batch->parked_by_org[step->job.org_id];
    }
  if (asking.empty()) return batch;
  batch->parked = true;
  batch->ready = std::move(ready);
  {
    std::lock_guard lock(mu_);
    parked_ += steps.size();
    for (const auto& [org, n] : batch->parked_by_org) parked_by_org_[org] += n;
  }
  // Each answer lands in its exchange; the last one hands the batch back. A call that fails at
  // once (a provider marked down) answers on this thread, hence the extra count until all are asked.
  batch->waiting = asking.size() + 1;
  auto arrived = [batch] {
    if (--batch->waiting == 0) {
      auto ready_fn = std::move(batch->ready);
      batch->ready = nullptr;
      ready_fn(batch);
    }
  };
  for (auto* exchange : asking)
    conversations_.answer(*exchange->bot, exchange->turn, false, {}, [exchange, arrived](ai::Reply reply) {
      exchange->reply = std::move(reply);
      arrived();
    });
  arrived();
  return batch;
}

void JobRunner::complete(Batch& batch, SentJournal* journal) {
  const std::string& worker = batch.worker;
  auto& replies = batch.replies;
  if (batch.parked) {
    {
      std::lock_guard lock(mu_);
      parked_ -= batch.steps.size();
      for (const auto& [org, n] : batch.parked_by_org)
        if ((parked_by_org_[org] -= n) == 0) parked_by_org_.erase(org);
    }
    std::vector<Step*> lost;
    transact([&](db::Connection& conn) {
      lost.clear();
      std::vector<JobLog> logs;
      close_turns(conn, replies, worker, logs, true, lost);
      store::insert_logs(conn, logs);
    });
    replies.lost.insert(replies.lost.end(), lost.begin(), lost.end());
  }
  for (auto& [step, why] : replies.without_bot) finish(*step, worker, "dead", "no_bot", why, "setup");
  for (Step* step : replies.lost) {
    log::warn("job lease lost", {{"job_id", step->job.id}, {"worker", worker}});
    step->dropped = true;
  }
  send_replies(batch.steps, worker, journal, batch.lease_from);
  if (commit_steps(batch.steps, worker) && journal) journal->clear();
}

std::size_t JobRunner::run_batch(const std::string& worker, SentJournal* journal) {
  auto answered = std::make_shared<std::promise<void>>();
  auto arrived = answered->get_future();
  auto batch = claim(worker, {}, [answered](std::shared_ptr<Batch>) { answered->set_value(); });
  if (!batch) return 0;
  // Waits for the model here (tests and run_until_idle), keeping the leases meanwhile.
  if (batch->parked)
    while (arrived.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
      keep_lease(worker, batch->lease_from);
  complete(*batch, journal);
  return batch->steps.size();
}

std::size_t JobRunner::run_until_idle() {
  std::string worker = process_ + "/direct";
  auto journal = open_journal(worker);
  std::size_t n = 0;
  while (std::size_t batch = run_batch(worker, journal.get())) n += batch;
  return n;
}

// 1. Each reply is generated once and stored before the first send, so a retry resends it. Both
// halves run inside a transaction that may run twice, so each starts from nothing. Where templates
// answer, open_turns records each whole exchange, and close_turns only stores the replies on the jobs.
void JobRunner::open_turns(db::Connection& conn, std::vector<Step>& steps, Replies& replies) {
  replies = {};
  for (auto& step : steps) {
    const auto& job = step.job;
    if (job.reply_text) continue;  // a retry: its reply was stored by an earlier attempt
    std::string key = job.org_id + "/" + job.bot_id.value_or("");
    auto it = replies.bots.find(key);
    if (it == replies.bots.end()) {
      Replies::Loaded loaded;
      if (job.bot_id) loaded.bot = bots::store::find(conn, job.org_id, *job.bot_id);
      if (loaded.bot) loaded.templates = templates::store::for_bot(conn, job.org_id, *job.bot_id);
      it = replies.bots.emplace(key, std::move(loaded)).first;
    }
    if (!it->second.bot) {
      auto full = store::find_any(conn, job.id);
      replies.without_bot.emplace_back(&step, "No bot is deployed on " +
                                                  (full ? full->integration_name : std::string("this account")) +
                                                  " any more.");
      continue;
    }
    const bots::Bot& bot = *it->second.bot;
    conversations::Inbound inbound{job.deployment_id, job.platform, job.external_user_id,
                                   job.display_name,  std::nullopt, job.inbound_text};
    inbound.message_id = "msg_in_" + job.id;  // one inbound message per job, however often it is opened
    auto& exchange = replies.exchanges[&step];
    exchange.bot = &bot;
    if (job.reason_kind == "quota") {
      // Stored past the monthly quota: the bot's notice answers, without a model.
      ai::Reply notice;
      notice.text = bot.over_quota_notice();
      notice.source = "fallback";
      notice.error = "The organization used its monthly messages.";
      exchange.reply = conversations_.answer_at_once(conn, bot, inbound, &it->second.templates, &notice).reply;
    } else if (auto rated = conversations_.answer_rating(conn, bot, inbound)) {
      // The answer to the rating question: recorded and thanked, never sent to a model.
      exchange.reply = std::move(rated->reply);
    } else if (conversations_.answers_at_once(job.org_id)) {
      exchange.reply = conversations_.answer_at_once(conn, bot, inbound, &it->second.templates).reply;
    } else {
      exchange.by_model = true;
      exchange.turn = conversations_.open_turn(conn, bot, inbound, &it->second.templates);
      if (usage_ && !(own_key_ && own_key_(job.org_id))) {
        // The estimate: the history and message read (about 4 characters a token) and the longest answer.
        std::int64_t chars = static_cast<std::int64_t>(exchange.turn.text.size() + bot.system_prompt.size());
        for (const auto& m : exchange.turn.history) chars += static_cast<std::int64_t>(m.content.size());
        exchange.reserved = usage_->reserve_ai(conn, job.org_id, job.id, chars / 4 + bot.max_tokens,
                                               clock_.now_ms() + settings_.lease_ms);
      }
    }
  }
}

void JobRunner::close_turns(db::Connection& conn, Replies& replies, const std::string& worker,
                            std::vector<JobLog>& logs, bool by_model, std::vector<Step*>& lost) {
  for (auto& [step, exchange] : replies.exchanges) {
    if (exchange.by_model != by_model) continue;
    auto& job = step->job;
    if (by_model) {
      conversations_.close_turn(conn, *exchange.bot, exchange.turn, exchange.reply);
      if (usage_)
        usage_->settle_ai(conn, exchange.reserved,
                          exchange.reply.prompt_tokens.value_or(0) + exchange.reply.completion_tokens.value_or(0),
                          exchange.reply.cost_micros.value_or(0));
    }
    job.reply_text = exchange.reply.text;
    job.reply_source = exchange.reply.source;
    job.updated_at = clock_.now_ms();
    if (!store::store_reply(conn, job, worker)) {
      lost.push_back(step);
      continue;
    }
    logs.push_back(log_row(job, worker, "state", "reply_generated"));
  }
}

// 2. Throttle, send, and decide each job's next state from the platform's answer. Replies to
// different chats are sent side by side (a platform round trip is tens of milliseconds); replies
// to one chat go one after another, in the order the messages came.
void JobRunner::send_replies(std::vector<Step>& steps, const std::string& worker, SentJournal* journal,
                             std::int64_t& lease_from) {
  std::map<std::string, Result<std::shared_ptr<const integrations::IntegrationService::Account>>> senders;
  std::map<std::string, std::vector<Step*>> chats;  // integration and chat → its steps in order
  // The platform's limits, counted for the whole batch at once (one round trip when processes
  // share them, ADR 0039): per account a second, per chat a minute.
  std::int64_t now = clock_.now_ms();
  std::vector<RateAsk> asks;
  std::map<std::string, std::size_t> ask_of;  // key → its ask
  auto ask = [&](std::string key, int limit, std::int64_t window_ms) {
    auto [it, added] = ask_of.try_emplace(std::move(key), asks.size());
    if (added) asks.push_back(RateAsk{it->first, limit, window_ms, 0});
    ++asks[it->second].count;
    return it->second;
  };
  std::vector<std::pair<std::size_t, std::size_t>> asked(steps.size());  // per step: account ask, chat ask
  for (std::size_t i = 0; i < steps.size(); ++i) {
    auto& job = steps[i].job;
    if (steps[i].decided || steps[i].dropped) continue;
    auto limit = integrations_.effective_rate_limit(job.org_id, job.integration_id, job.platform);
    asked[i] = {ask("i:" + job.integration_id, limit.per_second, 1000),
                ask("c:" + job.integration_id + ":" + job.reply_to, limit.per_chat_per_minute, 60000)};
  }
  auto grants = limiter_->take(asks, now);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    auto& step = steps[i];
    if (step.decided || step.dropped) continue;
    auto& job = step.job;
    // A throttled job waits its turn; it has not failed.
    auto& account = grants[asked[i].first];
    auto& chat = grants[asked[i].second];
    if (account.granted == 0 || chat.granted == 0) {
      finish(step, worker, "queued", "throttled", std::nullopt);
      job.next_run_at = now + std::max<std::int64_t>(1, account.granted == 0 ? account.retry_after_ms
                                                                             : chat.retry_after_ms);
      continue;
    }
    --account.granted;
    --chat.granted;
    auto sender = senders.find(job.integration_id);
    if (sender == senders.end())
      sender = senders.emplace(job.integration_id, integrations_.sender(job.org_id, job.integration_id)).first;
    if (!sender->second) {
      job.attempts += 1;
      finish(step, worker, "dead", "integration_unavailable", sender->second.error().message, "setup");
      continue;
    }
    step.sender = sender->second->get();
    chats[job.integration_id + "\n" + job.reply_to].push_back(&step);
  }
  // Slots granted to steps that the other limit held back go back to their windows (a negative count).
  std::vector<RateAsk> unused;
  for (std::size_t k = 0; k < asks.size(); ++k)
    if (grants[k].granted > 0) unused.push_back(RateAsk{asks[k].key, asks[k].limit, asks[k].window_ms, -grants[k].granted});
  if (!unused.empty()) limiter_->take(unused, now);

  // Send from this thread, side by side; replies to one chat go one per round, in order. Each
  // platform acceptance goes to the journal at once, to the database with the batch.
  for (std::size_t round = 0;; ++round) {
    std::vector<Step*> sending;
    std::vector<integrations::IntegrationService::Delivery> deliveries;
    for (auto& [chat, in_order] : chats) {
      if (round >= in_order.size()) continue;
      Step* step = in_order[round];
      sending.push_back(step);
    }
    if (sending.empty()) break;
    // Before the round's sends start, one commit marks them started: a crash from here on leaves
    // them in doubt, and the process that takes them over knows it (ADR 0040).
    mark_started(sending, worker);
    if (sending.empty()) continue;
    for (Step* step : sending) {
      integrations::OutboundMessage message{step->job.reply_to, *step->job.reply_text};
      message.ask_rating = conversations::asks_rating(message.text);
      message.idempotency_key = step->job.id;
      deliveries.push_back({step->sender, std::move(message)});
    }
    std::int64_t started = clock_.now_ms();
    integrations_.deliver_all(
        deliveries, settings_.sends_in_flight,
        [&](std::size_t i, integrations::PlatformAnswer answer) {
          Step* step = sending[i];
          step->latency_ms = clock_.now_ms() - started;
          if (answer.ok() && journal)
            journal->record({step->job.id, worker, answer.platform_message_id, clock_.now_ms(),
                             answer.http_status ? std::optional<std::int64_t>(answer.http_status) : std::nullopt,
                             step->latency_ms});
          step->answer = std::move(answer);
        },
        [&] { keep_lease(worker, lease_from); });  // a slow platform can hold a batch for a while
  }

  for (auto& step : steps) {
    if (!step.answer) continue;
    auto& job = step.job;
    const auto& answer = *step.answer;
    job.attempts += 1;
    // No answer after the request went out (a read timeout, a connection broken after the write):
    // the platform may have accepted the reply, so the send is in doubt, as when a crash interrupts
    // it (ADR 0040), and goes by the integration's policy. Discord's sends stay plain retries: an
    // interaction's answer is an edit, and a channel message carries a nonce Discord enforces, so
    // sending again cannot show the reply twice.
    bool in_doubt = !answer.ok() && answer.maybe_delivered && job.platform != "discord";
    auto attempt = log_row(job, worker, "attempt", answer.ok() ? "sent" : in_doubt ? "in_doubt" : "platform_error");
    attempt.http_status = answer.http_status ? std::optional<std::int64_t>(answer.http_status) : std::nullopt;
    attempt.latency_ms = step.latency_ms;
    if (!answer.ok()) attempt.error = answer.message;
    if (in_doubt) *attempt.error += " It may or may not have accepted this reply.";
    step.logs.push_back(std::move(attempt));
    if (job.reason_kind == "quota") {
      // The notice is sent once, whatever the platform answered: a skipped job is never retried.
      if (answer.ok()) job.platform_message_id = answer.platform_message_id;
      finish(step, worker, "skipped", answer.ok() ? "over_quota_notice_sent" : "over_quota_notice_not_sent",
             answer.ok() ? std::optional<std::string>("Past the monthly message quota: the over-quota notice was sent.")
                         : std::optional<std::string>("Past the monthly message quota; the over-quota notice was not "
                                                      "delivered: " + answer.message),
             "quota");
      continue;
    }
    if (answer.ok()) {
      job.platform_message_id = answer.platform_message_id;
      finish(step, worker, "succeeded", "sent", std::nullopt);
      continue;
    }
    using Kind = integrations::PlatformAnswer::Kind;
    // Retrying cannot fix these: the job stops at once.
    if (answer.kind == Kind::recipient) {
      finish(step, worker, "dead", "recipient_unreachable", answer.message, "recipient");
      continue;
    }
    if (answer.kind == Kind::rejected || answer.kind == Kind::refused) {
      finish(step, worker, "dead", "permanent_error", answer.message,
             answer.kind == Kind::rejected ? "credentials" : "request");
      continue;
    }
    if (in_doubt && step.sender && step.sender->integration.in_doubt_policy == "hold") {
      finish(step, worker, "in_doubt", "held_in_doubt",
             "Held in doubt: " + answer.message + " It may have delivered this reply. Resend or discard it.");
      continue;
    }
    if (job.attempts >= job.max_attempts) {
      finish(step, worker, "dead", "attempts_exhausted",
             "Gave up after " + std::to_string(job.attempts) + " attempts: " + answer.message, "unavailable");
      continue;
    }
    std::int64_t delay = answer.retry_after_seconds > 0
                             ? static_cast<std::int64_t>(answer.retry_after_seconds) * 1000
                             : backoff_ms(static_cast<int>(job.attempts), settings_.backoff_base_ms,
                                          settings_.backoff_cap_ms, random01());
    finish(step, worker, "failed", "will_retry",
           in_doubt ? answer.message + " It may have delivered this reply; it will be sent again (this account resends "
                                       "replies in doubt)."
                    : answer.message);
    job.next_run_at = clock_.now_ms() + delay;
  }
}

std::size_t JobRunner::recover_sent() {
  if (settings_.journal_dir.empty()) return 0;
  return SentJournal::recover(settings_.journal_dir, [this](const std::vector<SentJournal::Entry>& entries) {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    std::vector<JobLog> logs;
    for (const auto& e : entries) {
      auto job = store::find_any(*conn, e.job_id);
      // Already recorded (the kill came after the commit), or sent again since: nothing to do.
      if (!job || job->finished() || job->platform_message_id) continue;
      std::string from = job->state;
      job->attempts += 1;
      job->platform_message_id = e.platform_message_id;
      // A notice sent past the quota ends the job skipped, as the worker would have recorded it.
      job->state = job->reason_kind == "quota" ? "skipped" : "succeeded";
      job->last_error.reset();
      job->lease_owner.reset();
      job->lease_expires_at.reset();
      job->updated_at = clock_.now_ms();
      job->finished_at = job->updated_at;
      if (!store::update_if_state(*conn, *job, {"processing", "queued", "failed", "in_doubt"})) continue;
      auto attempt = log_row(*job, e.worker, "attempt", "sent");
      attempt.at = e.at;
      attempt.http_status = e.http_status;
      attempt.latency_ms = e.latency_ms;
      logs.push_back(attempt);
      auto l = log_row(*job, name_ + "/recovery", "state", "recovered");
      l.from_state = from;
      l.to_state = job->state;
      l.error = "The worker " + e.worker +
                " stopped after the platform accepted this reply and before recording it; recorded from its journal, "
                "not sent again.";
      logs.push_back(l);
    }
    store::insert_logs(*conn, logs);
    tx.commit();
    return logs.size() / 2;  // an attempt row and a state row per job recorded
  });
}

void JobRunner::mark_started(std::vector<Step*>& sending, const std::string& worker) {
  std::vector<std::string> ids;
  for (Step* step : sending) ids.push_back(step->job.id);
  std::vector<std::string> marked;
  transact([&](db::Connection& conn) { marked = store::mark_sends_started(conn, worker, ids, clock_.now_ms()); });
  std::sort(marked.begin(), marked.end());
  std::vector<Step*> kept;
  for (Step* step : sending) {
    if (std::binary_search(marked.begin(), marked.end(), step->job.id)) {
      step->job.send_attempt = step->job.attempts + 1;
      kept.push_back(step);
      continue;
    }
    // Taken over meanwhile (this process was silent too long): the new owner sends it.
    log::warn("job lease lost", {{"job_id", step->job.id}, {"worker", worker}});
    step->dropped = true;
  }
  sending.swap(kept);
}

bool JobRunner::take_over(MessageJob job, const std::string& owner, const std::string& why,
                          std::map<std::string, std::string>& policies) {
  std::int64_t now = clock_.now_ms();
  std::string rescuer = name_ + "/rescuer";
  // Tried with the send mark as read first, then the other way: a mark or a result committed since
  // the read decides (the UPDATE re-checks it under the row's lock).
  for (bool in_doubt : {job.send_in_doubt(), !job.send_in_doubt()}) {
    MessageJob j = job;
    std::vector<JobLog> logs;
    std::string outcome;
    if (!in_doubt) {
      j.state = "queued";
      j.last_error = "The worker " + owner + " " + why + " before sending this reply; it goes back in the queue.";
      outcome = "lease_expired";
    } else {
      auto policy = policies.find(j.integration_id);
      if (policy == policies.end())
        policy = policies.emplace(j.integration_id, integrations_.in_doubt_policy(j.org_id, j.integration_id)).first;
      bool hold = policy->second == "hold";
      // The send that may or may not have reached the platform counts as an attempt.
      j.attempts = job.attempts + 1;
      auto attempt = log_row(j, owner, "attempt", "in_doubt");
      attempt.error = "The worker " + owner + " " + why +
                      " while this reply was being sent: the platform may or may not have accepted it.";
      logs.push_back(std::move(attempt));
      j.state = hold ? "in_doubt" : "queued";
      j.last_error = hold ? "Held in doubt: the worker " + owner + " " + why +
                                " while sending this reply, and it may have been delivered. Resend or discard it."
                          : "Sent again: the worker " + owner + " " + why +
                                " while sending this reply, and it may have been delivered (this account resends "
                                "replies in doubt).";
      outcome = hold ? "held_in_doubt" : "resent_in_doubt";
    }
    auto l = log_row(j, rescuer, "state", outcome);
    l.from_state = "processing";
    l.to_state = j.state;
    l.error = j.last_error;
    logs.push_back(std::move(l));
    j.next_run_at = now;
    j.updated_at = now;
    j.finished_at.reset();
    bool done = false;
    transact([&](db::Connection& conn) {
      done = store::rescue(conn, j, owner, in_doubt, in_doubt ? 1 : 0);
      if (done) store::insert_logs(conn, logs);
    });
    if (done) return true;
  }
  return false;
}

std::size_t JobRunner::rescue_expired() {
  recover_sent();
  std::int64_t now = clock_.now_ms();
  std::int64_t silent_since = now - settings_.process_silent_ms;
  std::vector<std::string> alive, silent;
  std::vector<std::pair<std::string, std::vector<MessageJob>>> of_silent;
  std::vector<MessageJob> expired;
  {
    auto conn = db_.acquire();
    alive = store::processes_seen_since(*conn, silent_since);
    silent = store::processes_silent_since(*conn, silent_since);
    for (const auto& p : silent) of_silent.emplace_back(p, store::processing_of(*conn, p, 500));
    expired = store::expired_leases(*conn, now, 500);
  }
  auto process_of = [](const std::string& owner) {
    auto slash = owner.rfind('/');
    return slash == std::string::npos ? owner : owner.substr(0, slash);
  };
  std::map<std::string, std::string> policies;
  std::set<std::string> seen;
  std::size_t rescued = 0;
  // Jobs of processes whose heartbeat stopped: taken over at once, whatever their leases say.
  for (auto& [process, jobs] : of_silent) {
    for (auto& job : jobs) {
      seen.insert(job.id);
      std::string owner = job.lease_owner.value_or("");
      if (take_over(std::move(job), owner, "stopped (its process fell silent)", policies)) ++rescued;
    }
    if (jobs.size() < 500) {
      auto conn = db_.acquire();
      store::forget_process(*conn, process, silent_since);
    }
  }
  // Leases that ran out, of workers whose process is not seen alive (no heartbeat row: a process
  // of an older version, or one whose row was already removed).
  for (auto& job : expired) {
    std::string owner = job.lease_owner.value_or("");
    if (seen.count(job.id) || std::find(alive.begin(), alive.end(), process_of(owner)) != alive.end()) continue;
    if (take_over(std::move(job), owner, "stopped answering", policies)) ++rescued;
  }
  if (rescued) notify();
  return rescued;
}

}  // namespace sb::jobs
