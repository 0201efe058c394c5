// Schema migrations: parsing the embedded files, reading schema_migrations, applying under a lock.
#include "db/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <stdexcept>

#include "db/embedded_migrations.hpp"

namespace sb::db {
namespace {

// Any fixed number will do, as long as nothing else in the database uses it as a lock key.
constexpr std::int64_t kMigrationLockKey = 0x5357'4d49'4752;  // "SWMIGR"

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

// "sqlite/0001_foundation.sql" → {1, "foundation", sql}; a malformed name is a build mistake.
Migration parse_file(const embedded::MigrationFile& file) {
  std::string_view path(file.path);
  std::string_view base = path.substr(path.rfind('/') + 1);
  const auto underscore = base.find('_');
  int version = 0;
  const bool well_formed = underscore != std::string_view::npos && base.ends_with(".sql") &&
                           underscore + 1 + 4 < base.size();
  if (well_formed) {
    auto [end, ec] = std::from_chars(base.data(), base.data() + underscore, version);
    if (ec != std::errc() || end != base.data() + underscore) version = 0;
  }
  if (version <= 0) {
    throw std::logic_error("migration file name is not NNNN_name.sql: " + std::string(path));
  }
  std::string name(base.substr(underscore + 1, base.size() - underscore - 1 - 4));
  return {version, std::move(name),
          std::string(reinterpret_cast<const char*>(file.data), file.size)};
}

std::vector<Migration> load(std::string_view folder) {
  std::vector<Migration> out;
  for (std::size_t i = 0; i < embedded::kMigrationFileCount; ++i) {
    const auto& file = embedded::kMigrationFiles[i];
    if (std::string_view(file.path).starts_with(std::string(folder) + "/")) {
      out.push_back(parse_file(file));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      throw std::logic_error("two " + std::string(folder) + " migrations have version " +
                             std::to_string(out[i].version));
    }
  }
  return out;
}

bool has_migrations_table(Connection& conn) {
  const char* sql = conn.dialect() == Dialect::sqlite
                        ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                        : "SELECT 1 FROM information_schema.tables "
                          "WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";
  return conn.query_one(sql).has_value();
}

std::vector<AppliedMigration> read_applied(Connection& conn) {
  std::vector<AppliedMigration> out;
  if (!has_migrations_table(conn)) return out;
  for (const Row& row :
       conn.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")) {
    out.push_back({static_cast<int>(row.integer("version")), row.text("name"),
                   row.integer("applied_at")});
  }
  return out;
}

// Inside a transaction: on PostgreSQL, wait for any other process migrating right now.
// The lock is released by COMMIT or ROLLBACK.
void lock_migrations(Connection& conn) {
  if (conn.dialect() == Dialect::postgres) {
    conn.query("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey});
  }
}

MigrationState state_of(Connection& conn) {
  MigrationState state;
  state.applied = read_applied(conn);
  std::set<int> done;
  for (const auto& a : state.applied) done.insert(a.version);
  for (const auto& m : migrations_for(conn.dialect())) {
    if (!done.contains(m.version)) state.pending.push_back(m);
  }
  return state;
}

}  // namespace

const std::vector<Migration>& migrations_for(Dialect dialect) {
  static const std::vector<Migration> sqlite = load("sqlite");
  static const std::vector<Migration> postgres = load("postgres");
  return dialect == Dialect::sqlite ? sqlite : postgres;
}

MigrationState migration_state(Database& db) {
  auto conn = db.acquire();
  return state_of(*conn);
}

std::vector<int> apply_migrations(Database& db, std::int64_t now_ms, int last) {
  auto conn = db.acquire();
  {
    // Under the lock: two processes racing on CREATE TABLE IF NOT EXISTS can both fail on PostgreSQL.
    Transaction tx(*conn);
    lock_migrations(*conn);
    conn->execute(kCreateTable);
    tx.commit();
  }
  std::vector<int> applied;
  // SQLite changes a table by building a new one, copying the rows, dropping the old and renaming
  // the new (https://sqlite.org/lang_altertable.html#otheralter). Dropping a table runs its foreign
  // keys' ON DELETE actions, which would empty the tables that refer to it, so foreign keys are off
  // while a migration runs (the pragma has no effect inside a transaction) and checked before its
  // commit instead.
  const bool sqlite = conn->dialect() == Dialect::sqlite;
  struct ForeignKeysBackOn {
    PooledConnection* conn;
    ~ForeignKeysBackOn() {
      if (!conn) return;
      try {
        (*conn)->execute_script("PRAGMA foreign_keys = ON");
      } catch (...) {
        conn->discard();  // never back in the pool without its foreign keys
      }
    }
  } back_on{sqlite ? &conn : nullptr};
  if (sqlite) conn->execute_script("PRAGMA foreign_keys = OFF");
  for (const Migration& m : state_of(*conn).pending) {
    if (m.version > last) break;
    Transaction tx(*conn);
    lock_migrations(*conn);
    // Another process may have applied it while we waited for the lock.
    if (conn->query_one("SELECT 1 FROM schema_migrations WHERE version = $1",
                        {static_cast<std::int64_t>(m.version)})) {
      continue;
    }
    try {
      conn->execute_script(m.sql);
    } catch (const DbError& e) {
      throw DbError("migration " + std::to_string(m.version) + "_" + m.name + " failed: " + e.what(),
                    e.constraint_violation());
    }
    if (sqlite && conn->query_one("PRAGMA foreign_key_check")) {
      throw DbError("migration " + std::to_string(m.version) + "_" + m.name +
                    " failed: it leaves rows whose foreign keys point nowhere");
    }
    conn->execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                  {static_cast<std::int64_t>(m.version), m.name, now_ms});
    tx.commit();
    applied.push_back(m.version);
  }
  return applied;
}

std::map<std::string, std::vector<std::string>> schema_columns(Database& db) {
  auto conn = db.acquire();
  const char* sql =
      db.dialect() == Dialect::sqlite
          ? "SELECT m.name AS table_name, p.name AS column_name "
            "FROM sqlite_master m JOIN pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND substr(m.name, 1, 7) <> 'sqlite_'"
          : "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t "
            "  ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'";
  std::map<std::string, std::vector<std::string>> out;
  for (const Row& row : conn->query(sql)) {
    out[row.text("table_name")].push_back(row.text("column_name"));
  }
  // Sorted here, not in SQL: server collations order underscores differently.
  for (auto& [table, columns] : out) std::sort(columns.begin(), columns.end());
  return out;
}

}  // namespace sb::db
