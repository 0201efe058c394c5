// The driver-independent parts of the Database interface: rows, pooled connections,
// transactions, and open_database, which picks the driver from the URL.
#include "db/database.hpp"

#include <charconv>

#include "db/postgres/postgres_database.hpp"
#include "db/sqlite/sqlite_database.hpp"

namespace sb::db {

std::string_view dialect_name(Dialect d) {
  return d == Dialect::sqlite ? "sqlite" : "postgres";
}

// ---- Row ----

Row::Row(std::shared_ptr<const std::vector<std::string>> columns,
         std::vector<std::optional<std::string>> values)
    : columns_(std::move(columns)), values_(std::move(values)) {}

std::size_t Row::index_of(std::string_view column) const {
  for (std::size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) return i;
  }
  throw DbError("result has no column '" + std::string(column) + "'");
}

bool Row::is_null(std::string_view column) const { return !values_[index_of(column)]; }

std::string Row::text(std::string_view column) const {
  return values_[index_of(column)].value_or(std::string());
}

std::optional<std::string> Row::opt_text(std::string_view column) const {
  return values_[index_of(column)];
}

std::int64_t Row::integer(std::string_view column) const {
  return opt_integer(column).value_or(0);
}

std::optional<std::int64_t> Row::opt_integer(std::string_view column) const {
  const auto& v = values_[index_of(column)];
  if (!v) return std::nullopt;
  // PostgreSQL prints booleans as t/f where SQLite gives 1/0; accept both so a boolean
  // expression (EXISTS, a = b) reads the same in either dialect.
  if (*v == "t") return 1;
  if (*v == "f") return 0;
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size()) {
    throw DbError("column '" + std::string(column) + "' is not an integer");
  }
  return out;
}

double Row::real(std::string_view column) const {
  const auto& v = values_[index_of(column)];
  if (!v) return 0.0;
  double out = 0.0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size()) {
    throw DbError("column '" + std::string(column) + "' is not a number");
  }
  return out;
}

// ---- Connection ----

std::optional<Row> Connection::query_one(std::string_view sql, const Params& params) {
  Rows rows = query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

namespace {
Params owned(std::span<const ValueRef> refs) {
  Params params;
  params.reserve(refs.size());
  for (const auto& r : refs) {
    if (auto* n = std::get_if<std::int64_t>(&r)) params.emplace_back(*n);
    else if (auto* s = std::get_if<std::string_view>(&r)) params.emplace_back(std::string(*s));
    else params.emplace_back(nullptr);
  }
  return params;
}
}  // namespace

std::int64_t Connection::execute_refs(std::string_view sql, std::span<const ValueRef> refs) {
  return execute(sql, owned(refs));
}

Rows Connection::query_refs(std::string_view sql, std::span<const ValueRef> refs) { return query(sql, owned(refs)); }

// ---- PooledConnection ----

PooledConnection::PooledConnection(Database* owner, std::unique_ptr<Connection> conn)
    : owner_(owner), conn_(std::move(conn)) {}

PooledConnection::PooledConnection(PooledConnection&& other) noexcept
    : owner_(other.owner_), conn_(std::move(other.conn_)), broken_(other.broken_) {}

PooledConnection::~PooledConnection() {
  if (conn_ && owner_) owner_->release(std::move(conn_), broken_);
}

// ---- Transaction ----

Transaction::Transaction(Connection& conn, bool immediate) : conn_(conn) {
  bool sqlite_writer = immediate && conn_.dialect() == Dialect::sqlite;
  if (sqlite_writer && conn_.writer_lock()) writer_ = std::unique_lock(*conn_.writer_lock());
  conn_.execute(sqlite_writer ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    conn_.execute("ROLLBACK");
  } catch (...) {
    // The connection may be gone; the pool notices an unhealthy or still-open transaction
    // when it is returned and closes it, so nothing more to do here.
  }
}

void Transaction::commit() {
  conn_.execute("COMMIT");
  done_ = true;
  if (writer_.owns_lock()) writer_.unlock();
}

// ---- open_database ----

std::unique_ptr<Database> open_database(const std::string& url, std::size_t pool_size) {
  const std::string_view u(url);
  if (u.starts_with("postgres://") || u.starts_with("postgresql://")) {
    return std::make_unique<PostgresDatabase>(url, pool_size);
  }
  std::string_view path = u;
  if (path.starts_with("sqlite:")) {
    path.remove_prefix(7);
    if (path.starts_with("//")) path.remove_prefix(2);  // sqlite:///abs/path.db
  }
  if (path.empty()) throw DbError("database URL names no file: '" + url + "'");
  return std::make_unique<SqliteDatabase>(std::string(path), pool_size);
}

}  // namespace sb::db
