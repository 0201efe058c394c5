// Checkpoints of one SQLite file's write-ahead log on a thread of their own.
//
// SQLite's own autocheckpoint runs on the connection that committed, right after its commit: it
// copies the WAL's pages into the database file and syncs both. On the batch writer's thread that
// was a tenth of its time, and every waiting delivery waited for it. Here each connection's commit
// hook only wakes a background thread, which runs PASSIVE checkpoints (they never block a writer)
// from a connection of its own.
//
// A WAL starts again from its beginning only when the next write transaction finds all of it
// copied. Under a writer that never pauses, passes beside it never catch up that exactly, and the
// WAL would grow without bound. So once the WAL is past `restart_pages`, the thread follows its
// pass with a second one while it holds the process's write lock: that one only copies the few
// pages committed since, and the next transaction starts the log again. Should the thread fall
// behind all the same (a reader holding an old snapshot for long), a commit that finds the WAL
// past `inline_pages` checkpoints on its own connection, as SQLite's autocheckpoint would.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace sb::db {

// Measured (ADR 0013): passes four times as far apart (4,000 / 8,000 pages, 200 ms) copied half as
// much per reply, but each one's sync of the database file held up the WAL's syncs behind it, and
// the ingest p99 grew by 1–3 ms. Those limits were not kept.
struct WalCheckpointLimits {
  int background_pages = 1000;  // the WAL size (pages) that wakes the background thread
  int restart_pages = 2000;     // the size past which a pass ends holding the write lock
  int inline_pages = 32000;     // the size at which the committing connection checkpoints itself
  int pause_ms = 50;            // the least time between two background passes
};

class WalCheckpointer {
 public:
  using Limits = WalCheckpointLimits;
  // writers: the lock every write transaction of this process takes on this file.
  WalCheckpointer(std::string path, std::mutex* writers, Limits limits = {});
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Hands a connection of this file's checkpoints to this checkpointer (replacing SQLite's
  // autocheckpoint on it).
  void watch(sqlite3* db);

  struct Stats {
    std::uint64_t background = 0;  // passes of the background thread
    std::uint64_t restarts = 0;    // of those, the passes made under the write lock
    std::uint64_t inline_ = 0;     // checkpoints a committing connection ran past the hard limit
  };
  Stats stats() const { return {background_.load(), restarts_.load(), inline_.load()}; }

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
  void run();

  std::string path_;
  std::mutex* writers_;
  Limits limits_;
  std::atomic<bool> requested_{false};
  std::atomic<std::uint64_t> background_{0};
  std::atomic<std::uint64_t> restarts_{0};
  std::atomic<std::uint64_t> inline_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sb::db
