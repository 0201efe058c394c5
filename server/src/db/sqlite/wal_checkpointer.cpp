// WAL checkpoints on a background thread, with the committing connection as the fallback.
#include "db/sqlite/wal_checkpointer.hpp"

#include <chrono>

#include "core/logging.hpp"
#include "core/thread_name.hpp"

namespace sb::db {

WalCheckpointer::WalCheckpointer(std::string path, std::mutex* writers, Limits limits)
    : path_(std::move(path)), writers_(writers), limits_(limits) {
  thread_ = std::thread([this] {
    name_this_thread("sb-checkpoint");
    run();
  });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
  if (background_ || inline_)
    log::info("sqlite checkpoints", {{"background", std::to_string(background_.load())},
                                     {"restarts", std::to_string(restarts_.load())},
                                     {"inline", std::to_string(inline_.load())}});
}

void WalCheckpointer::watch(sqlite3* db) { sqlite3_wal_hook(db, &WalCheckpointer::on_commit, this); }

int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int pages) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (pages >= c->limits_.inline_pages) {
    // Whatever the result, the commit itself stands; a checkpoint that could not finish is tried
    // again by the next commit.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    c->inline_.fetch_add(1, std::memory_order_relaxed);
  } else if (pages >= c->limits_.background_pages && !c->requested_.exchange(true)) {
    { std::lock_guard lock(c->mu_); }  // the thread is either before its check or asleep
    c->cv_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  sqlite3* db = nullptr;
  const auto pause = std::chrono::milliseconds(limits_.pause_ms);
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || requested_.load(); });
    if (stopping_) break;
    lock.unlock();
    requested_ = false;  // commits from now on ask again
    // A connection opens the WAL when it first reads; until then its checkpoints do nothing.
    if (!db && (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK ||
                sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", nullptr, nullptr, nullptr) != SQLITE_OK)) {
      log::warn("sqlite: cannot open the database to checkpoint it", {{"error", sqlite3_errmsg(db)}});
      sqlite3_close_v2(db);
      db = nullptr;
    }
    if (db) {
      int pages = 0;
      auto pass = [&] {
        int copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &pages, &copied);
        if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
          log::warn("sqlite: checkpoint failed", {{"error", sqlite3_errstr(rc)}});
        background_.fetch_add(1, std::memory_order_relaxed);
      };
      pass();
      if (pages >= limits_.restart_pages && writers_) {
        // Nothing of this process writes meanwhile: this pass copies the rest of the log, and the
        // next write transaction starts it again from the beginning.
        std::lock_guard write(*writers_);
        pass();
        restarts_.fetch_add(1, std::memory_order_relaxed);
      }
    }
    lock.lock();
    // Each pass syncs the log and the database file: spacing them keeps those syncs few.
    cv_.wait_for(lock, pause, [this] { return stopping_; });
  }
  lock.unlock();
  sqlite3_close_v2(db);
}

}  // namespace sb::db
