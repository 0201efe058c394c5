// switchboard admin backup on SQLite: VACUUM INTO a new file, then fsync it and its folder.
#include "admin/backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

namespace sb::admin {
namespace {

bool sync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

Result<BackupResult> backup_sqlite(db::Database& db, const std::string& path) {
  namespace fs = std::filesystem;
  if (db.dialect() != db::Dialect::sqlite)
    return Error::validation({{"database", "is PostgreSQL"}},
                             "This installation runs on PostgreSQL: back it up with pg_dump -Fc (docs/operations.md).");
  if (path.empty()) return Error::validation({{"to", "is required"}}, "Give the backup file with --to.");
  std::error_code ec;
  if (fs::exists(path, ec)) return Error::conflict("The backup file " + path + " exists already; name a new file.");
  const fs::path absolute = fs::absolute(path, ec);
  const fs::path folder = absolute.parent_path();
  if (!fs::is_directory(folder, ec)) return Error::validation({{"to", "folder does not exist"}}, "The folder " + folder.string() + " does not exist.");
  const auto started = std::chrono::steady_clock::now();
  try {
    auto conn = db.acquire();
    conn->execute("VACUUM INTO $1", {absolute.string()});
  } catch (const db::DbError& e) {
    return Error::unavailable(std::string("The backup failed: ") + e.what());
  }
  // VACUUM INTO leaves the new file to the page cache: a backup is only one once it is on disk.
  if (!sync_path(absolute.string(), O_RDONLY) || !sync_path(folder.string(), O_RDONLY | O_DIRECTORY))
    return Error::unavailable("The backup was written but could not be flushed to disk.");
  BackupResult out;
  out.path = absolute.string();
  out.bytes = static_cast<std::int64_t>(fs::file_size(absolute, ec));
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace sb::admin
