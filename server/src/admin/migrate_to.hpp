// switchboard admin migrate-to: copies an installation from its SQLite database into an empty
// PostgreSQL database (docs/operations.md "Moving from SQLite to PostgreSQL", ADR 0041).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::admin {

struct TableCopy {
  std::string table;
  std::int64_t source_rows = 0;
  std::int64_t target_rows = 0;
};

struct MigrateToResult {
  std::vector<TableCopy> tables;  // in the order they were copied (parents before children)
  std::int64_t rows = 0;
  int schema_version = 0;
  double seconds = 0;
};

struct MigrateToOptions {
  std::int64_t batch_rows = 1000;  // rows read from SQLite per page, and most rows in one INSERT
  std::function<void(const std::string&)> progress;  // one line at a time; may be empty
};

// Brings both databases to this binary's schema, refuses a target that holds any row, then copies
// every table of the target's schema in one PostgreSQL transaction (all or nothing) from one read
// snapshot of the source, sets sequences after, and compares the row counts of every table before
// committing. Fails with a message that never holds a password.
Result<MigrateToResult> migrate_to(db::Database& source, db::Database& target, std::int64_t now_ms,
                                   const MigrateToOptions& options = {});

}  // namespace sb::admin
