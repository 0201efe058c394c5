// The batching writer: one thread, one transaction per batch; a failing unit is retried alone.
#include "db/batch_writer.hpp"

#include <chrono>

#include "core/logging.hpp"
#include "core/thread_name.hpp"

namespace sb::db {
namespace {

// How long the writer keeps its connection with nothing to write.
constexpr auto kKeepConnection = std::chrono::milliseconds(200);

// Work + Done as a unit of its own kind, run one at a time.
class FunctionUnit final : public BatchWriter::Unit {
 public:
  FunctionUnit(BatchWriter::Work work, BatchWriter::Done done)
      : Unit(&FunctionUnit::run), work_(std::move(work)), done_(std::move(done)) {}
  void done(std::optional<std::string> error) override { done_(std::move(error)); }

 private:
  static void run(Connection& conn, std::span<Unit* const> units) {
    for (auto* u : units) static_cast<FunctionUnit*>(u)->work_(conn);
  }
  BatchWriter::Work work_;
  BatchWriter::Done done_;
};

}  // namespace

BatchWriter::BatchWriter(Database& db, std::size_t max_batch, std::size_t lanes) : db_(db), max_batch_(max_batch) {
  if (lanes == 0) lanes = 1;
  queue_.reserve(max_batch_);
  syncer_ = std::thread([this] {
    name_this_thread("sb-db-sync");
    run_syncer();
  });
  for (std::size_t i = 0; i < lanes; ++i)
    lanes_.emplace_back([this] {
      name_this_thread("sb-db-writer");
      run();
    });
}

BatchWriter::~BatchWriter() { stop(); }

void BatchWriter::submit(Work work, Done done) {
  submit(std::make_unique<FunctionUnit>(std::move(work), std::move(done)));
}

void BatchWriter::submit(std::unique_ptr<Unit> unit) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      unit->done(std::string("the server is shutting down"));
      return;
    }
    queue_.push_back(std::move(unit));
    // A writer that is busy committing takes this unit into its next batch without being told.
    wake = waiting_ > 0;
  }
  if (wake) cv_.notify_one();
}

void BatchWriter::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && lanes_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& lane : lanes_) lane.join();
  lanes_.clear();
  {
    std::lock_guard lock(sync_mu_);
    syncer_stopping_ = true;
  }
  sync_cv_.notify_one();
  if (syncer_.joinable()) syncer_.join();
}

void BatchWriter::run_syncer() {
  std::vector<Committed> group;
  for (;;) {
    {
      std::unique_lock lock(sync_mu_);
      sync_cv_.wait(lock, [this] { return syncer_stopping_ || !to_sync_.empty(); });
      if (to_sync_.empty()) return;  // stopping, and every commit is answered
      group.swap(to_sync_);
    }
    // One sync covers every commit made before it started: all the batches waiting now.
    std::optional<std::string> error;
    try {
      group.back().sync();
    } catch (const std::exception& e) {
      error = e.what();
      log::error("ingest sync failed", {{"error", *error}});
    }
    for (auto& c : group) answer(c.units, error);
    group.clear();
  }
}

void BatchWriter::answer(std::vector<std::unique_ptr<Unit>>& units, const std::optional<std::string>& error) {
  for (auto& u : units) u->done(error);
  units.clear();
}

std::size_t BatchWriter::depth() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

BatchWriter::Stats BatchWriter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void BatchWriter::run() {
  std::vector<std::unique_ptr<Unit>> batch;
  batch.reserve(max_batch_);
  std::optional<PooledConnection> held_;  // this lane's connection while it has work
  for (;;) {
    {
      std::unique_lock lock(mu_);
      // Between batches the queue is often empty for a moment (every caller waits on the sync).
      // The connection is kept through such pauses: giving it back and taking it again costs two
      // PRAGMAs, which SQLite compiles anew each time. After a longer pause it goes back to the
      // pool (with durable commits again) until work comes.
      const auto keep_until = std::chrono::steady_clock::now() + kKeepConnection;
      while (!stopping_ && queue_.empty()) {
        ++waiting_;
        if (!held_) {
          cv_.wait(lock);
          --waiting_;
        } else if (cv_.wait_until(lock, keep_until) == std::cv_status::timeout && queue_.empty()) {
          --waiting_;
          lock.unlock();
          held_.reset();
          lock.lock();
        } else {
          --waiting_;
        }
      }
      if (queue_.empty()) {  // stopping, and everything is committed
        lock.unlock();
        held_.reset();  // back to the pool before the thread ends
        return;
      }
      // Whatever arrived while the last commit ran goes into this one: the busier, the bigger.
      if (queue_.size() <= max_batch_) {
        batch.swap(queue_);
      } else {
        batch.assign(std::make_move_iterator(queue_.begin()),
                     std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(max_batch_)));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(max_batch_));
        // More units than this lane takes: another lane, if one sleeps, starts on them now.
        if (waiting_ > 0) cv_.notify_one();
      }
    }
    commit_batch(batch, held_);
    batch.clear();
  }
}

void BatchWriter::commit_batch(std::vector<std::unique_ptr<Unit>>& batch, std::optional<PooledConnection>& held_) {
  std::vector<Unit*> units;
  units.reserve(batch.size());
  for (auto& u : batch) units.push_back(u.get());
  // The sync that makes this batch's commits durable; empty when each COMMIT is durable itself.
  std::function<void()> sync;
  // Optimistic: every unit in one transaction. Should one fail, the batch is rolled back and each
  // unit runs again in a transaction of its own, so one bad unit cannot sink the others.
  auto run_units = [&](std::span<Unit* const> some) {
    // While batches follow each other the writer keeps one connection (switching a connection to
    // deferred syncs and back costs two statements).
    if (!held_) held_.emplace(db_.acquire());
    auto& conn = *held_;
    try {
      sync = conn->defer_sync(true);
      const std::int64_t changes_before = conn->total_changes();
      {
        Transaction tx(*conn);
        for (std::size_t i = 0; i < some.size();) {
          std::size_t j = i + 1;
          while (j < some.size() && some[j]->run_all() == some[i]->run_all()) ++j;
          some[i]->run_all()(*conn, some.subspan(i, j - i));
          i = j;
        }
        tx.commit();
      }
      // A batch that wrote nothing (idle workers finding no job) has nothing to sync.
      if (changes_before >= 0 && conn->total_changes() == changes_before) sync = {};
      // The pool turns the deferred sync off again when the connection goes back.
    } catch (...) {
      conn.discard();
      held_.reset();
      throw;
    }
  };
  std::vector<std::optional<std::string>> errors(units.size());
  try {
    run_units(units);
  } catch (const std::exception& whole) {
    if (units.size() == 1) {
      errors[0] = whole.what();
    } else {
      for (std::size_t i = 0; i < units.size(); ++i) {
        try {
          run_units(std::span<Unit* const>(&units[i], 1));
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      }
    }
  }
  std::uint64_t failed = 0;
  std::vector<std::unique_ptr<Unit>> committed;
  committed.reserve(batch.size());
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (errors[i]) {
      ++failed;
      log::error("ingest unit failed", {{"error", *errors[i]}});
      batch[i]->done(std::move(errors[i]));  // nothing of it was committed: no sync to wait for
    } else {
      committed.push_back(std::move(batch[i]));
    }
  }
  {
    std::lock_guard lock(mu_);
    stats_.batches += 1;
    stats_.units += units.size();
    stats_.failed_units += failed;
  }
  if (committed.empty()) return;
  if (!sync) return answer(committed, std::nullopt);
  {
    std::lock_guard lock(sync_mu_);
    to_sync_.push_back({std::move(committed), std::move(sync)});
  }
  sync_cv_.notify_one();
}

}  // namespace sb::db
