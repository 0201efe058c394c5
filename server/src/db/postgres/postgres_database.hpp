// The PostgreSQL driver: libpq connections in a pool, statements prepared once per connection.
#pragma once

#include <libpq-fe.h>

#include <string>
#include <string_view>
#include <unordered_map>

#include "db/connection_pool.hpp"
#include "db/database.hpp"

namespace sb::db {

class PostgresConnection : public Connection {
 public:
  explicit PostgresConnection(const std::string& url);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Rows query(std::string_view sql, const Params& params = {}) override;
  std::int64_t execute(std::string_view sql, const Params& params = {}) override;
  void execute_script(std::string_view sql) override;
  Dialect dialect() const override { return Dialect::postgres; }
  // Local check, no round trip: reads whatever the server sent, which notices a closed socket.
  bool healthy() override;

  // True when the connection is usable and outside any transaction.
  bool reusable() const;
  std::size_t cached_statements() const { return cache_.size(); }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;
  ResultPtr run(std::string_view sql, const Params& params);
  [[noreturn]] void fail(const PGresult* result, std::string_view sql) const;

  PGconn* conn_ = nullptr;
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

 protected:
  void release(std::unique_ptr<Connection> conn, bool broken) override;

 private:
  std::string url_;
  std::string description_;
  ConnectionPool pool_;
};

}  // namespace sb::db
