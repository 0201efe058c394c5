// The batching writer: one thread, one transaction per batch; a failing unit is retried alone.
#include "db/batch_writer.hpp"

#include "core/logging.hpp"

namespace sb::db {

BatchWriter::BatchWriter(Database& db, std::size_t max_batch) : db_(db), max_batch_(max_batch) {
  thread_ = std::thread([this] { run(); });
}

BatchWriter::~BatchWriter() { stop(); }

void BatchWriter::submit(Work work, Done done) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      done(std::string("the server is shutting down"));
      return;
    }
    queue_.push_back({std::move(work), std::move(done)});
  }
  cv_.notify_one();
}

void BatchWriter::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
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
  for (;;) {
    std::deque<Unit> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is committed
      // Whatever arrived while the last commit ran goes into this one: the busier, the bigger.
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
  }
}

void BatchWriter::commit_batch(std::deque<Unit>& batch) {
  std::vector<std::optional<std::string>> errors(batch.size());
  // Optimistic: every unit in one transaction. Should one fail, the batch is rolled back and each
  // unit runs again in a transaction of its own, so one bad unit cannot sink the others.
  auto run_units = [&](std::size_t from, std::size_t to) {
    auto conn = db_.acquire();
    try {
      Transaction tx(*conn);
      for (std::size_t i = from; i < to; ++i) batch[i].work(*conn);
      tx.commit();
    } catch (...) {
      conn.discard();
      throw;
    }
  };
  try {
    run_units(0, batch.size());
  } catch (const std::exception& whole) {
    if (batch.size() == 1) {
      errors[0] = whole.what();
    } else {
      for (std::size_t i = 0; i < batch.size(); ++i) {
        try {
          run_units(i, i + 1);
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      }
    }
  }
  std::uint64_t failed = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (errors[i]) {
      ++failed;
      log::error("ingest unit failed", {{"error", *errors[i]}});
    }
    batch[i].done(errors[i]);
  }
  std::lock_guard lock(mu_);
  stats_.batches += 1;
  stats_.units += batch.size();
  stats_.failed_units += failed;
}

}  // namespace sb::db
