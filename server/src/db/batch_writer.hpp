// Group commit: many small units of work share one durable transaction, and each caller hears
// back after the commit that holds its work (DESIGN.md §6).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "db/database.hpp"

namespace sb::db {

class BatchWriter {
 public:
  // Runs inside the batch's transaction. A unit that throws rolls the batch back; the units then
  // run again one transaction each, so only the failing one fails. A unit must therefore be safe
  // to run twice (the ingest units are: a repeated event insert does nothing).
  using Work = std::function<void(Connection&)>;
  // After the commit: nullopt when the work is durable, else what went wrong.
  using Done = std::function<void(std::optional<std::string> error)>;

  BatchWriter(Database& db, std::size_t max_batch = 512);
  ~BatchWriter();
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  void submit(Work work, Done done);
  // Waits for queued work to commit, then stops the writer thread.
  void stop();
  std::size_t depth() const;

  struct Stats {
    std::uint64_t batches = 0;
    std::uint64_t units = 0;
    std::uint64_t failed_units = 0;
  };
  Stats stats() const;

 private:
  struct Unit {
    Work work;
    Done done;
  };
  void run();
  void commit_batch(std::deque<Unit>& batch);

  Database& db_;
  std::size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Unit> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace sb::db
