// Schema migrations: the embedded list per dialect, what a database has applied, applying the rest.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace sb::db {

struct Migration {
  int version;
  std::string name;  // "foundation" for 0001_foundation.sql
  std::string sql;
};

struct AppliedMigration {
  int version;
  std::string name;
  std::int64_t applied_at_ms;
};

struct MigrationState {
  std::vector<AppliedMigration> applied;  // every row of schema_migrations, by version
  std::vector<Migration> pending;         // known to this binary, not applied yet, by version
};

// The migrations built into this binary for one dialect, ordered by version.
const std::vector<Migration>& migrations_for(Dialect dialect);

// Reads state without changing anything (works on an empty database too).
MigrationState migration_state(Database& db);

// Applies pending migrations in order, each in its own transaction together with its
// schema_migrations row, and returns the versions applied. Safe to run from several processes
// at once: PostgreSQL serialises on an advisory lock, SQLite on its write lock; each migration
// is re-checked under the lock. `last` stops after that version (tests put rows into an older
// schema to see that a later migration keeps them).
std::vector<int> apply_migrations(Database& db, std::int64_t now_ms, int last = std::numeric_limits<int>::max());

// Table → sorted column names of every table (SQLite internals excluded); for parity checks.
std::map<std::string, std::vector<std::string>> schema_columns(Database& db);

}  // namespace sb::db
