// The migration files compiled into the binary; cmake/embed_migrations.cmake generates the data.
#pragma once

#include <cstddef>

namespace sb::db::embedded {

struct MigrationFile {
  const char* path;            // "sqlite/0001_foundation.sql", relative to server/migrations
  const unsigned char* data;   // the file's bytes, exactly
  std::size_t size;
};

extern const MigrationFile kMigrationFiles[];
extern const std::size_t kMigrationFileCount;

}  // namespace sb::db::embedded
