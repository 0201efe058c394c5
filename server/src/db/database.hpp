// The one Database interface: connections from a pool, parameters, rows, scoped transactions.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sb::db {

enum class Dialect { sqlite, postgres };
std::string_view dialect_name(Dialect d);

// A bound parameter. SQL text uses PostgreSQL placeholders ($1, $2, …) in both dialects;
// the SQLite driver binds them by name, so one statement text serves both.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using Params = std::vector<Value>;
// A parameter that borrows the caller's data for the length of one call: hot paths (the ingest
// writer) bind these without copying a string.
using ValueRef = std::variant<std::nullptr_t, std::int64_t, std::string_view>;

// Thrown for database failures (lost connection, syntax error). Constraint violations are
// reported with `constraint_violation` set so stores can turn them into Result errors.
class DbError : public std::runtime_error {
 public:
  DbError(std::string message, bool constraint_violation = false)
      : std::runtime_error(std::move(message)), constraint_violation_(constraint_violation) {}
  bool constraint_violation() const { return constraint_violation_; }

 private:
  bool constraint_violation_;
};

// One result row; values arrive as text or NULL (both drivers), typed on access.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<std::optional<std::string>> values);
  std::size_t size() const { return values_.size(); }
  bool is_null(std::string_view column) const;
  std::string text(std::string_view column) const;               // "" when NULL
  std::optional<std::string> opt_text(std::string_view column) const;
  std::int64_t integer(std::string_view column) const;           // 0 when NULL
  std::optional<std::int64_t> opt_integer(std::string_view column) const;
  double real(std::string_view column) const;
  const std::optional<std::string>& at(std::size_t index) const { return values_.at(index); }
  const std::vector<std::string>& columns() const { return *columns_; }

 private:
  std::size_t index_of(std::string_view column) const;
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<std::optional<std::string>> values_;
};

using Rows = std::vector<Row>;

// A live connection. Statements are prepared once per connection and reused by SQL text.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
  // Runs a statement, returns affected rows.
  virtual std::int64_t execute(std::string_view sql, const Params& params = {}) = 0;
  // execute() with borrowed parameters. The default copies them into Params.
  virtual std::int64_t execute_refs(std::string_view sql, std::span<const ValueRef> params);
  // query() with borrowed parameters. The default copies them into Params.
  virtual Rows query_refs(std::string_view sql, std::span<const ValueRef> params);
  // Runs several statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
  virtual bool healthy() = 0;
  // SQLite allows one writer per file; writers of this process queue on this lock in order
  // instead of polling SQLite's busy handler, which can starve one of them for seconds.
  virtual std::mutex* writer_lock() { return nullptr; }
  // Group commit with the sync apart (the batch writer): while on, a COMMIT through this
  // connection is written but not yet durable, and the function returned makes every commit made
  // so far durable; it may be called from another thread. An empty function when the driver
  // cannot do this: every COMMIT is then durable by itself. Turn it off before the connection
  // goes back to the pool.
  virtual std::function<void()> defer_sync(bool on) {
    (void)on;
    return {};
  }

  // Rows changed through this connection so far (SQLite), so a caller can tell whether a
  // transaction wrote anything; -1 when the driver does not count them.
  virtual std::int64_t total_changes() { return -1; }

  std::optional<Row> query_one(std::string_view sql, const Params& params = {});
};

struct PoolStats {
  std::size_t size = 0;       // connections open
  std::size_t in_use = 0;     // borrowed now
  std::size_t capacity = 0;   // most connections the pool will open
  std::uint64_t acquired_total = 0;
  std::uint64_t waited_total = 0;  // acquisitions that had to wait for a free connection
  std::size_t waiting = 0;    // callers blocked in acquire() now
};

class Database;

// A borrowed connection, returned to the pool when it goes out of scope.
class PooledConnection {
 public:
  PooledConnection(Database* owner, std::unique_ptr<Connection> conn);
  PooledConnection(PooledConnection&&) noexcept;
  PooledConnection& operator=(PooledConnection&&) = delete;
  PooledConnection(const PooledConnection&) = delete;
  ~PooledConnection();
  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }
  void discard() { broken_ = true; }  // do not return to the pool (connection is broken)

 private:
  Database* owner_;
  std::unique_ptr<Connection> conn_;
  bool broken_ = false;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  virtual PooledConnection acquire() = 0;
  virtual PoolStats stats() const = 0;
  // A human description without credentials: "sqlite:/path/db" or "postgres://host:port/db".
  virtual std::string describe() const = 0;

 protected:
  friend class PooledConnection;
  virtual void release(std::unique_ptr<Connection> conn, bool broken) = 0;
};

// Opens the database named by url: "sqlite:/path/file.db", a plain file path, or
// "postgres://user:pass@host:port/db?…" / "postgresql://…". pool_size bounds connections.
std::unique_ptr<Database> open_database(const std::string& url, std::size_t pool_size);

// A scoped transaction: BEGIN on construction, ROLLBACK on destruction unless committed.
// `immediate` takes the write lock at BEGIN on SQLite (BEGIN IMMEDIATE) to avoid upgrade deadlocks.
class Transaction {
 public:
  explicit Transaction(Connection& conn, bool immediate = true);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();
  Connection& conn() { return conn_; }

 private:
  Connection& conn_;
  std::unique_lock<std::mutex> writer_;
  bool done_ = false;
};

}  // namespace sb::db
