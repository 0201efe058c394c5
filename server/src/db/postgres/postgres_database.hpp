// The PostgreSQL driver: libpq connections in a pool, statements prepared once per connection.
#pragma once

#include <libpq-fe.h>

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "db/connection_pool.hpp"
#include "db/database.hpp"

namespace sb::db {

class PostgresDatabase;

class PostgresConnection : public Connection {
 public:
  // owner: the database whose sync_commits() a deferred sync calls (null: no deferred syncs).
  explicit PostgresConnection(const std::string& url, PostgresDatabase* owner = nullptr);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Rows query(std::string_view sql, const Params& params = {}) override;
  std::int64_t execute(std::string_view sql, const Params& params = {}) override;
  void execute_script(std::string_view sql) override;
  Dialect dialect() const override { return Dialect::postgres; }
  // Local check, no round trip: reads whatever the server sent, which notices a closed socket.
  bool healthy() override;

  // Group commit with the sync apart: while on, this connection commits with
  // synchronous_commit = off (COMMIT returns before its WAL is flushed, and its row locks are free
  // at once); the function returned flushes every commit made so far (PostgresDatabase::sync_commits).
  std::function<void()> defer_sync(bool on) override;
  // Rows inserted, updated or deleted through this connection so far.
  std::int64_t total_changes() override { return changes_; }

  // True when the connection is usable and outside any transaction.
  bool reusable() const;
  bool deferring() const { return deferred_; }
  std::size_t cached_statements() const { return cache_.size(); }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;
  ResultPtr run(std::string_view sql, const Params& params);
  [[noreturn]] void fail(const PGresult* result, std::string_view sql) const;
  void count_changes(const PGresult* result);

  PGconn* conn_ = nullptr;
  PostgresDatabase* owner_ = nullptr;
  bool deferred_ = false;
  std::int64_t changes_ = 0;
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> cache_;  // SQL → name
  std::uint64_t next_statement_ = 0;
};

class PostgresDatabase : public Database {
 public:
  // Checks the URL's syntax now; connects lazily on first acquire().
  PostgresDatabase(std::string url, std::size_t pool_size);

  Dialect dialect() const override { return Dialect::postgres; }
  PooledConnection acquire() override;
  PoolStats stats() const override { return pool_.stats(); }
  std::string describe() const override { return description_; }
  // Makes every transaction committed before the call durable (those committed with
  // synchronous_commit = off too): a transaction with an id of its own commits on a connection of
  // its own with synchronous_commit = on, and its flush takes the WAL before it along.
  void sync_commits();

 protected:
  void release(std::unique_ptr<Connection> conn, bool broken) override;

 private:
  std::string url_;
  std::string description_;
  ConnectionPool pool_;
  std::mutex sync_mu_;
  std::unique_ptr<PostgresConnection> sync_conn_;  // outside the pool: a sync never waits for it
};

}  // namespace sb::db
