// The PostgreSQL driver: connecting, preparing and running statements in text format, errors.
#include "db/postgres/postgres_database.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <map>

namespace sb::db {
namespace {

// Beyond this many distinct statement texts a connection runs new ones unprepared, so dynamic
// SQL cannot grow the server-side statement list without bound.
constexpr std::size_t kMaxCachedStatements = 512;

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

void log_notice(void*, const char* message) {
  std::string_view m(message);
  while (!m.empty() && m.back() == '\n') m.remove_suffix(1);
  spdlog::warn("postgres: {}", m);
}

// "postgres://user@host:port/db", built from libpq's own parse so the password never appears.
std::string describe_url(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    // libpq's parse error quotes the offending part, which may be the password: not shown.
    PQfreemem(error);
    throw DbError("postgres: invalid database URL");
  }
  std::map<std::string, std::string> v;
  for (auto* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) v[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  std::string out = "postgres://";
  if (!v["user"].empty()) out += v["user"] + "@";
  out += v["host"].empty() ? (v["hostaddr"].empty() ? "localhost" : v["hostaddr"]) : v["host"];
  if (!v["port"].empty()) out += ":" + v["port"];
  if (!v["dbname"].empty()) out += "/" + v["dbname"];
  return out;
}

}  // namespace

PostgresConnection::PostgresConnection(const std::string& url, PostgresDatabase* owner) : owner_(owner) {
  // Our defaults come first; whatever the URL itself says overrides them.
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "switchboard", url.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn_ == nullptr) throw DbError("postgres: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    throw DbError("postgres: cannot connect: " + message);
  }
  PQsetNoticeProcessor(conn_, log_notice, nullptr);
  // Times are integer milliseconds in our schema, but UTC keeps any server-side now() honest.
  ResultPtr r(PQexec(conn_, "SET client_min_messages = warning; SET TimeZone = 'UTC'"), PQclear);
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw DbError("postgres: cannot configure session: " + message);
  }
}

PostgresConnection::~PostgresConnection() {
  if (conn_) PQfinish(conn_);
}

bool PostgresConnection::healthy() {
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  if (PQconsumeInput(conn_) == 0) return false;
  return PQstatus(conn_) == CONNECTION_OK;
}

std::function<void()> PostgresConnection::defer_sync(bool on) {
  if (!owner_) return {};
  if (on != deferred_) {
    ResultPtr r(PQexec(conn_, on ? "SET synchronous_commit = off" : "SET synchronous_commit = on"), PQclear);
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(r.get(), "SET synchronous_commit");
    deferred_ = on;
  }
  if (!on) return {};
  return [db = owner_] { db->sync_commits(); };
}

bool PostgresConnection::reusable() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

void PostgresConnection::fail(const PGresult* result, std::string_view sql) const {
  std::string message = "postgres: ";
  bool constraint = false;
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (primary != nullptr) {
    message += primary;
    // DETAIL is left out on purpose: for a unique violation it quotes the stored value
    // (an email, a token hash), which must not reach logs.
    if (const char* c = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME)) {
      message += std::string(" (constraint ") + c + ")";
    }
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) {
      message += std::string(" [SQLSTATE ") + state + "]";
      constraint = std::string_view(state).starts_with("23");  // class 23: integrity violation
    }
  } else {
    std::string m = PQerrorMessage(conn_);
    while (!m.empty() && m.back() == '\n') m.pop_back();
    message += m.empty() ? "unknown error" : m;
  }
  // The SQL text carries no values (they are bound), so it is safe to show.
  message += " [" + std::string(sql.substr(0, 200)) + "]";
  throw DbError(std::move(message), constraint);
}

PostgresConnection::ResultPtr PostgresConnection::run(std::string_view sql, const Params& params) {
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (auto* n = std::get_if<std::int64_t>(&v)) {
      texts[i] = number_text(*n);
    } else if (auto* d = std::get_if<double>(&v)) {
      texts[i] = number_text(*d);
    } else if (auto* s = std::get_if<std::string>(&v)) {
      values[i] = s->c_str();
      continue;
    } else {
      continue;  // NULL
    }
    values[i] = texts[i].c_str();
  }
  const int n = static_cast<int>(params.size());

  auto it = cache_.find(sql);
  if (it == cache_.end() && cache_.size() >= kMaxCachedStatements) {
    const std::string text(sql);
    ResultPtr r(PQexecParams(conn_, text.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0),
                PQclear);
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r.get(), sql);
    count_changes(r.get());
    return r;
  }
  if (it == cache_.end()) {
    std::string name = "sb_" + std::to_string(next_statement_++);
    const std::string text(sql);
    ResultPtr prepared(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr), PQclear);
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) fail(prepared.get(), sql);
    it = cache_.emplace(text, std::move(name)).first;
  }
  ResultPtr r(PQexecPrepared(conn_, it->second.c_str(), n, values.data(), nullptr, nullptr, 0),
              PQclear);
  const auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r.get(), sql);
  count_changes(r.get());
  return r;
}

void PostgresConnection::count_changes(const PGresult* r) {
  const std::string_view command = PQcmdStatus(const_cast<PGresult*>(r));
  if (!command.starts_with("INSERT") && !command.starts_with("UPDATE") && !command.starts_with("DELETE") &&
      !command.starts_with("MERGE"))
    return;
  const std::string_view affected = PQcmdTuples(const_cast<PGresult*>(r));
  std::int64_t n = 0;
  std::from_chars(affected.data(), affected.data() + affected.size(), n);
  changes_ += n;
}

Rows PostgresConnection::query(std::string_view sql, const Params& params) {
  ResultPtr r = run(sql, params);
  const int n = PQnfields(r.get());
  auto columns = std::make_shared<std::vector<std::string>>();
  for (int i = 0; i < n; ++i) columns->emplace_back(PQfname(r.get(), i));
  Rows rows;
  const int count = PQntuples(r.get());
  rows.reserve(count);
  for (int row = 0; row < count; ++row) {
    std::vector<std::optional<std::string>> values;
    values.reserve(n);
    for (int i = 0; i < n; ++i) {
      if (PQgetisnull(r.get(), row, i)) {
        values.emplace_back(std::nullopt);
      } else {
        values.emplace_back(std::string(PQgetvalue(r.get(), row, i), PQgetlength(r.get(), row, i)));
      }
    }
    rows.emplace_back(columns, std::move(values));
  }
  return rows;
}

std::int64_t PostgresConnection::execute(std::string_view sql, const Params& params) {
  ResultPtr r = run(sql, params);
  // A SELECT's count is of rows read, not changed; "" for statements without a count.
  if (std::string_view(PQcmdStatus(r.get())).starts_with("SELECT")) return 0;
  const std::string_view affected = PQcmdTuples(r.get());
  std::int64_t out = 0;
  std::from_chars(affected.data(), affected.data() + affected.size(), out);
  return out;
}

void PostgresConnection::execute_script(std::string_view sql) {
  // PQexec uses the simple protocol, the one that accepts several statements in one string.
  const std::string text(sql);
  ResultPtr r(PQexec(conn_, text.c_str()), PQclear);
  const auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r.get(), "script");
}

PostgresDatabase::PostgresDatabase(std::string url, std::size_t pool_size)
    : url_(std::move(url)),
      description_(describe_url(url_)),
      pool_(pool_size, [this] { return std::make_unique<PostgresConnection>(url_, this); }) {}

void PostgresDatabase::sync_commits() {
  std::lock_guard lock(sync_mu_);
  // One caller at a time (the batch writer's syncer); a broken connection is replaced.
  if (sync_conn_ && !sync_conn_->healthy()) sync_conn_.reset();
  if (!sync_conn_) sync_conn_ = std::make_unique<PostgresConnection>(url_);
  try {
    // txid_current() gives the statement's transaction an id, so its COMMIT writes a record and,
    // with synchronous_commit = on, waits until the WAL up to it (every earlier commit) is flushed.
    sync_conn_->query("SELECT pg_catalog.txid_current()");
  } catch (...) {
    sync_conn_.reset();
    throw;
  }
}

PooledConnection PostgresDatabase::acquire() { return PooledConnection(this, pool_.take()); }

void PostgresDatabase::release(std::unique_ptr<Connection> conn, bool broken) {
  // A connection that lost its server, or was left inside a transaction, is closed rather than
  // handed to the next caller; the pool opens a fresh one when needed.
  auto& pg = static_cast<PostgresConnection&>(*conn);
  if (!broken) broken = !pg.reusable();
  if (!broken && pg.deferring()) {
    // A connection goes back to the pool with durable commits.
    try {
      pg.defer_sync(false);
    } catch (...) {
      broken = true;
    }
  }
  pool_.give_back(std::move(conn), broken);
}

}  // namespace sb::db
