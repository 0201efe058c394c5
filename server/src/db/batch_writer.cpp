// The batching writer: one thread, one transaction per batch, a savepoint per unit.
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
  std::optional<std::string> batch_error;
  try {
    auto conn = db_.acquire();
    try {
      Transaction tx(*conn);
      for (std::size_t i = 0; i < batch.size(); ++i) {
        conn->execute("SAVEPOINT unit");
        try {
          batch[i].work(*conn);
          conn->execute("RELEASE SAVEPOINT unit");
        } catch (const std::exception& e) {
          conn->execute("ROLLBACK TO SAVEPOINT unit");
          conn->execute("RELEASE SAVEPOINT unit");
          errors[i] = e.what();
        }
      }
      tx.commit();
    } catch (...) {
      conn.discard();
      throw;
    }
  } catch (const std::exception& e) {
    batch_error = e.what();
    log::error("batch commit failed", {{"units", batch.size()}, {"error", e.what()}});
  }
  std::uint64_t failed = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto error = batch_error ? batch_error : errors[i];
    if (error) ++failed;
    batch[i].done(error);
  }
  std::lock_guard lock(mu_);
  stats_.batches += 1;
  stats_.units += batch.size();
  stats_.failed_units += failed;
}

}  // namespace sb::db
