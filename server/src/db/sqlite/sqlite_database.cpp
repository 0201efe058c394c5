// The SQLite driver: opening tuned connections, binding $N parameters, reading rows as text.
#include "db/sqlite/sqlite_database.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <chrono>
#include <thread>

namespace sb::db {
namespace {

// Beyond this many distinct statement texts a connection stops caching (dynamic SQL such as
// IN lists of varying length would otherwise grow the cache without bound).
constexpr std::size_t kMaxCachedStatements = 512;

// SQLite counts every allocation it makes for sqlite3_memory_used() under one process-wide mutex,
// which every connection's statements take (the ingest writer's and the readers' alike). Nothing
// here reads those counts, so they are turned off once, before the first connection opens.
// (sqlite3_config after SQLite has started only returns SQLITE_MISUSE and changes nothing.)
void without_memory_statistics() {
  [[maybe_unused]] static const int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

std::string number_text(std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::string number_text(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that round-trips
  return std::string(buf, end);
}

}  // namespace

// A statement borrowed from the cache (or prepared for one use); reset and unbound on scope exit
// so the next user starts clean and no read transaction is held open by a half-stepped SELECT.
class SqliteConnection::Statement {
 public:
  Statement(SqliteConnection& conn, std::string_view sql) : conn_(conn), sql_(sql) {
    prepared_ = conn.prepare(sql, cached_);
    stmt_ = prepared_->stmt;
  }
  ~Statement() {
    if (cached_) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    } else {
      sqlite3_finalize(stmt_);
      prepared_->stmt = nullptr;
    }
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // The SQLite index of $1…$n; checks that the parameters match the placeholders exactly,
  // as PostgreSQL insists.
  int index_of(std::size_t i, std::size_t count) {
    if (i == 0 && static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt_)) != count) {
      throw DbError("statement expects " + std::to_string(sqlite3_bind_parameter_count(stmt_)) +
                    " parameters, got " + std::to_string(count));
    }
    const int index = i < prepared_->index.size() ? prepared_->index[i] : 0;
    if (index == 0) throw DbError("statement has no placeholder $" + std::to_string(i + 1));
    return index;
  }

  void bind(const Params& params) {
    if (params.empty()) return bind_count(0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = index_of(i, params.size());
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(v)) {
        rc = sqlite3_bind_null(stmt_, index);
      } else if (auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt_, index, *n);
      } else if (auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt_, index, *d);
      } else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(stmt_, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) conn_.fail(rc, sql_);
    }
  }

  // Borrowed text is bound without a copy: it outlives the statement's use (reset on scope exit).
  void bind(std::span<const ValueRef> params) {
    if (params.empty()) return bind_count(0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = index_of(i, params.size());
      const ValueRef& v = params[i];
      int rc = SQLITE_OK;
      if (auto* s = std::get_if<std::string_view>(&v)) {
        rc = sqlite3_bind_text64(stmt_, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else if (auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt_, index, *n);
      } else {
        rc = sqlite3_bind_null(stmt_, index);
      }
      if (rc != SQLITE_OK) conn_.fail(rc, sql_);
    }
  }

  // Advances one row; false when done.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    conn_.fail(rc, sql_);
  }

  sqlite3_stmt* get() const { return stmt_; }

 private:
  void bind_count(std::size_t count) {
    if (static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt_)) != count) {
      throw DbError("statement expects " + std::to_string(sqlite3_bind_parameter_count(stmt_)) +
                    " parameters, got " + std::to_string(count));
    }
  }
  SqliteConnection& conn_;
  std::string_view sql_;
  Prepared* prepared_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  bool cached_ = false;
};

SqliteConnection::SqliteConnection(const std::string& path, std::mutex* writer, WalCheckpointer* checkpointer)
    : path_(path), writer_(writer) {
  without_memory_statistics();
  // NOMUTEX: the pool gives a connection to one thread at a time.
  const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw DbError("sqlite: cannot open " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  try {
    execute_script("PRAGMA busy_timeout = 5000");
    use_wal();
    // FULL, not NORMAL: a webhook we acknowledged must survive a power cut, not only a crash.
    execute_script("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
    // Statement journals and temporary B-trees (a multi-row insert's, RETURNING's) stay in
    // memory: with files, every batch of the ingest writer created and deleted one in /var/tmp.
    execute_script("PRAGMA temp_store = MEMORY");
    if (checkpointer) checkpointer->watch(db_);
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

void SqliteConnection::use_wal() {
  // WAL is stored in the file, so only the first opener of a new file switches it. That switch
  // needs an exclusive lock and may fail at once with SQLITE_BUSY when several connections open
  // a new file together (the busy handler is not used there), so retry for a while.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    const int rc = sqlite3_exec(db_, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline) {
      fail(rc, "PRAGMA journal_mode = WAL");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, p] : cache_) sqlite3_finalize(p.stmt);
  sqlite3_close_v2(db_);
}

SqliteConnection::Prepared* SqliteConnection::prepare(std::string_view sql, bool& cached) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    cached = true;
    return &it->second;
  }
  cached = cache_.size() < kMaxCachedStatements;
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    cached ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, &tail);
  if (rc != SQLITE_OK) fail(rc, sql);
  if (stmt == nullptr) throw DbError("sqlite: empty statement");
  // SQLite would silently ignore everything after the first statement; PostgreSQL refuses it.
  const std::string_view rest(tail, sql.data() + sql.size() - tail);
  if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    sqlite3_finalize(stmt);
    throw DbError("sqlite: one statement per call (use execute_script for several) [" +
                  std::string(sql.substr(0, 200)) + "]");
  }
  // Where each $N went, looked up once per statement rather than by name on every bind.
  Prepared p{stmt, {}};
  const int count = sqlite3_bind_parameter_count(stmt);
  p.index.reserve(static_cast<std::size_t>(count));
  for (int i = 1; i <= count; ++i) {
    char name[24] = "$";
    *std::to_chars(name + 1, name + sizeof name - 1, i).ptr = '\0';
    p.index.push_back(sqlite3_bind_parameter_index(stmt, name));
  }
  if (!cached) {
    uncached_ = std::move(p);
    return &uncached_;
  }
  return &cache_.emplace(std::string(sql), std::move(p)).first->second;
}

void SqliteConnection::fail(int rc, std::string_view sql) const {
  // The SQL text carries no values (they are bound), so it is safe to show.
  std::string message = std::string("sqlite: ") + sqlite3_errmsg(db_) + " [" +
                        std::string(sql.substr(0, 200)) + "]";
  throw DbError(std::move(message), (rc & 0xff) == SQLITE_CONSTRAINT);
}

Rows SqliteConnection::query(std::string_view sql, const Params& params) {
  Statement stmt(*this, sql);
  stmt.bind(params);
  return read_rows(stmt);
}

Rows SqliteConnection::query_refs(std::string_view sql, std::span<const ValueRef> params) {
  Statement stmt(*this, sql);
  stmt.bind(params);
  return read_rows(stmt);
}

Rows SqliteConnection::read_rows(Statement& stmt) {
  const int n = sqlite3_column_count(stmt.get());
  auto columns = std::make_shared<std::vector<std::string>>();
  for (int i = 0; i < n; ++i) columns->emplace_back(sqlite3_column_name(stmt.get(), i));

  Rows rows;
  while (stmt.step()) {
    std::vector<std::optional<std::string>> values;
    values.reserve(n);
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(stmt.get(), i)) {
        case SQLITE_NULL:
          values.emplace_back(std::nullopt);
          break;
        case SQLITE_INTEGER:
          values.emplace_back(number_text(std::int64_t{sqlite3_column_int64(stmt.get(), i)}));
          break;
        case SQLITE_FLOAT:  // SQLite's own text form keeps only 15 digits
          values.emplace_back(number_text(sqlite3_column_double(stmt.get(), i)));
          break;
        default: {
          const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt.get(), i));
          values.emplace_back(std::string(p ? p : "", sqlite3_column_bytes(stmt.get(), i)));
        }
      }
    }
    rows.emplace_back(columns, std::move(values));
  }
  return rows;
}

std::int64_t SqliteConnection::execute(std::string_view sql, const Params& params) {
  Statement stmt(*this, sql);
  stmt.bind(params);
  const std::int64_t total_before = sqlite3_total_changes64(db_);
  while (stmt.step()) {
  }
  // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE even across DDL and
  // SELECTs, so it only counts when this statement changed rows at all.
  return sqlite3_total_changes64(db_) == total_before ? 0 : sqlite3_changes64(db_);
}

std::int64_t SqliteConnection::execute_refs(std::string_view sql, std::span<const ValueRef> params) {
  Statement stmt(*this, sql);
  stmt.bind(params);
  const std::int64_t total_before = sqlite3_total_changes64(db_);
  while (stmt.step()) {
  }
  return sqlite3_total_changes64(db_) == total_before ? 0 : sqlite3_changes64(db_);
}

void SqliteConnection::execute_script(std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec needs a terminated string
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = "sqlite: " + std::string(error ? error : sqlite3_errstr(rc)) + " [" +
                          std::string(sql.substr(0, 200)) + "]";
    sqlite3_free(error);
    throw DbError(std::move(message), (rc & 0xff) == SQLITE_CONSTRAINT);
  }
}

std::function<void()> SqliteConnection::defer_sync(bool on) {
  if (path_ == ":memory:" || path_.empty()) return {};
  if (on != deferred_) {
    execute(on ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
    deferred_ = on;
  }
  if (!on) return {};
  return [wal = path_ + "-wal"] {
    // fdatasync works on the file, whichever descriptor names it. A WAL that is gone was
    // checkpointed into the database, which SQLite synced before removing it.
    const int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return;
      throw DbError("sqlite: cannot open " + wal + " to sync it: " + std::strerror(errno));
    }
    const int rc = ::fdatasync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) throw DbError("sqlite: syncing " + wal + " failed: " + std::strerror(error));
  };
}

std::int64_t SqliteConnection::total_changes() { return sqlite3_total_changes64(db_); }

bool SqliteConnection::reset_for_reuse() noexcept {
  if (sqlite3_get_autocommit(db_)) return true;
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  return sqlite3_get_autocommit(db_) != 0;
}

SqliteDatabase::SqliteDatabase(std::string path, std::size_t pool_size)
    : path_(std::move(path)),
      checkpointer_(path_ == ":memory:" || path_.empty() ? nullptr : std::make_unique<WalCheckpointer>(path_, &writer_)),
      pool_(path_ == ":memory:" ? 1 : pool_size,
            [this] { return std::make_unique<SqliteConnection>(path_, &writer_, checkpointer_.get()); }) {}

PooledConnection SqliteDatabase::acquire() { return PooledConnection(this, pool_.take()); }

void SqliteDatabase::release(std::unique_ptr<Connection> conn, bool broken) {
  if (!broken) broken = !static_cast<SqliteConnection&>(*conn).reset_for_reuse();
  if (!broken) {
    // A connection goes back to the pool with durable commits (synchronous = FULL).
    try {
      static_cast<SqliteConnection&>(*conn).defer_sync(false);
    } catch (...) {
      broken = true;
    }
  }
  pool_.give_back(std::move(conn), broken);
}

}  // namespace sb::db
