// The SQLite driver: one database file, a pool of WAL connections, statements cached per connection.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db/connection_pool.hpp"
#include "db/database.hpp"
#include "db/sqlite/wal_checkpointer.hpp"

namespace sb::db {

class SqliteConnection : public Connection {
 public:
  // writer: the database's lock that transactions writing through this connection take.
  // checkpointer: runs this connection's WAL checkpoints (else SQLite's autocheckpoint does).
  SqliteConnection(const std::string& path, std::mutex* writer = nullptr, WalCheckpointer* checkpointer = nullptr);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Rows query(std::string_view sql, const Params& params = {}) override;
  std::int64_t execute(std::string_view sql, const Params& params = {}) override;
  std::int64_t execute_refs(std::string_view sql, std::span<const ValueRef> params) override;
  Rows query_refs(std::string_view sql, std::span<const ValueRef> params) override;
  void execute_script(std::string_view sql) override;
  Dialect dialect() const override { return Dialect::sqlite; }
  bool healthy() override { return db_ != nullptr; }
  std::mutex* writer_lock() override { return writer_; }
  // synchronous = NORMAL while on (WAL commits are written, not synced); the function returned
  // syncs the WAL file, which makes every commit written to it durable.
  std::function<void()> defer_sync(bool on) override;
  std::int64_t total_changes() override;

  // True when no transaction is left open, rolling back one that is; false if that fails.
  bool reset_for_reuse() noexcept;
  std::size_t cached_statements() const { return cache_.size(); }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  class Statement;
  // A prepared statement and, for $N, the index SQLite gave that placeholder (0: none).
  struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    std::vector<int> index;
  };
  void use_wal();
  Prepared* prepare(std::string_view sql, bool& cached);
  [[noreturn]] void fail(int rc, std::string_view sql) const;

  std::string path_;
  bool deferred_ = false;
  sqlite3* db_ = nullptr;
  std::mutex* writer_ = nullptr;
  std::unordered_map<std::string, Prepared, StringHash, std::equal_to<>> cache_;
  Prepared uncached_;
  Rows read_rows(Statement& stmt);  // a statement prepared for one use (the cache is full)
};

class SqliteDatabase : public Database {
 public:
  // ":memory:" gives each connection its own empty database, so its pool holds one connection.
  SqliteDatabase(std::string path, std::size_t pool_size);

  Dialect dialect() const override { return Dialect::sqlite; }
  PooledConnection acquire() override;
  PoolStats stats() const override { return pool_.stats(); }
  std::string describe() const override { return "sqlite:" + path_; }

 protected:
  void release(std::unique_ptr<Connection> conn, bool broken) override;

 private:
  std::string path_;
  std::mutex writer_;  // before pool_: connections point at it
  std::unique_ptr<WalCheckpointer> checkpointer_;  // likewise; none for ":memory:"
  ConnectionPool pool_;
};

}  // namespace sb::db
