// switchboard admin backup: a consistent copy of a SQLite installation's database taken while it
// runs (docs/operations.md "Backups and restore", ADR 0041). PostgreSQL is backed up with pg_dump.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::admin {

struct BackupResult {
  std::string path;
  std::int64_t bytes = 0;
  double seconds = 0;
};

// Writes one transaction-consistent snapshot of the database to `path` (VACUUM INTO: a read
// transaction, so the server keeps accepting deliveries meanwhile) and flushes it to disk. Refuses
// an existing file and a PostgreSQL database (whose tool is pg_dump -Fc).
Result<BackupResult> backup_sqlite(db::Database& db, const std::string& path);

}  // namespace sb::admin
