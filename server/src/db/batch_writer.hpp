// Group commit: many small units of work share one durable transaction, and each caller hears
// back after the commit that holds its work is durable (DESIGN.md §6). The sync is apart from the
// commit (SQLite: synchronous=NORMAL and an fdatasync; PostgreSQL: synchronous_commit off and one
// durable commit after): a second thread syncs what the writers committed and answers the callers,
// while the writer already runs the next batch. More writer threads ("lanes"), each with its own
// connection, can commit batches at the same time; one is the default on both databases, since the
// batches share hot rows (the usage counter) and a second lane waits for them (ADR 0038).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "db/database.hpp"

namespace sb::db {

class BatchWriter {
 public:
  // One unit of work. Units of one kind (the same run_all) that follow each other in a batch are
  // run by one call, so a kind can write all of them with few statements (the ingest units do).
  // A unit that throws rolls the batch back; the units then run again one transaction each, so
  // only the failing one fails. A unit must therefore be safe to run twice: run_all starts from
  // nothing each time (the ingest units are: a repeated event insert does nothing).
  class Unit {
   public:
    using RunAll = void (*)(Connection& conn, std::span<Unit* const> units);
    explicit Unit(RunAll run_all) : run_all_(run_all) {}
    virtual ~Unit() = default;
    // After the commit, on the writer's thread: nullopt when the work is durable, else what went
    // wrong. Called exactly once; keep it short (hand the answer to another thread).
    virtual void done(std::optional<std::string> error) = 0;
    RunAll run_all() const { return run_all_; }

   private:
    RunAll run_all_;
  };

  // A unit as two functions: work runs inside the batch's transaction, done after the commit.
  using Work = std::function<void(Connection&)>;
  using Done = std::function<void(std::optional<std::string> error)>;

  // lanes: writer threads; 0 for one. kPostgresLanes: what ADR 0038 measured against one lane on
  // PostgreSQL (slower with billing on; worth trying again where batches share no counter row).
  BatchWriter(Database& db, std::size_t max_batch = 512, std::size_t lanes = 0);
  static constexpr std::size_t kPostgresLanes = 2;
  ~BatchWriter();
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  void submit(std::unique_ptr<Unit> unit);
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
  // Committed units waiting for their sync, with what failed (those are answered at once).
  struct Committed {
    std::vector<std::unique_ptr<Unit>> units;
    std::function<void()> sync;
  };
  void run();
  void run_syncer();
  // held: the lane's connection while it has work (taken from the pool when empty).
  void commit_batch(std::vector<std::unique_ptr<Unit>>& batch, std::optional<PooledConnection>& held);
  void answer(std::vector<std::unique_ptr<Unit>>& units, const std::optional<std::string>& error);

  Database& db_;
  std::size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Unit>> queue_;
  bool stopping_ = false;
  std::size_t waiting_ = 0;  // lanes asleep on cv_: a submit must wake one
  Stats stats_;
  std::mutex sync_mu_;
  std::condition_variable sync_cv_;
  std::vector<Committed> to_sync_;
  bool syncer_stopping_ = false;
  std::vector<std::thread> lanes_;
  std::thread syncer_;
};

}  // namespace sb::db
