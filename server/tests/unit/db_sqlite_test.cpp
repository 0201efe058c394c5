// The SQLite driver: the shared driver behaviours, plus how connections are opened and named.
#include <gtest/gtest.h>

#include "db/sqlite/sqlite_database.hpp"
#include "db_test_support.hpp"

namespace sb::db::test {
namespace {

struct SqliteEnv {
  ScratchSqlite files;
  bool available() const { return true; }
  std::unique_ptr<Database> open(std::size_t pool_size) { return open_database(files.path(), pool_size); }
  static std::size_t cached_statements(Connection& conn) {
    return dynamic_cast<SqliteConnection&>(conn).cached_statements();
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(DbSqlite, DbDriver, SqliteEnv);

TEST(DbSqlite, OpensConnectionsInWalWithFullSyncForeignKeysAndBusyTimeout) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 2);
  EXPECT_EQ(db->dialect(), Dialect::sqlite);
  auto conn = db->acquire();
  EXPECT_EQ(conn->query_one("PRAGMA journal_mode")->at(0), "wal");
  EXPECT_EQ(conn->query_one("PRAGMA synchronous")->at(0), "2");  // FULL
  EXPECT_EQ(conn->query_one("PRAGMA foreign_keys")->at(0), "1");
  EXPECT_EQ(conn->query_one("PRAGMA busy_timeout")->at(0), "5000");
}

TEST(DbSqlite, AcceptsSqliteUrlsAndPlainPaths) {
  ScratchSqlite files;
  const std::string path = files.path("named.db");
  for (const std::string& url : {"sqlite:" + path, "sqlite://" + path, path}) {
    auto db = open_database(url, 1);
    EXPECT_EQ(db->describe(), "sqlite:" + path);
    db->acquire()->execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)");
  }
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_THROW(open_database("sqlite:", 1), DbError);
}

TEST(DbSqlite, FailsClearlyWhenTheFolderIsMissing) {
  ScratchSqlite files;
  auto db = open_database(files.path("no/such/folder.db"), 1);
  EXPECT_THROW(db->acquire(), DbError);
  EXPECT_EQ(db->stats().size, 0u);
}

TEST(DbSqlite, EnforcesForeignKeys) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 1);
  auto conn = db->acquire();
  conn->execute_script(
      "CREATE TABLE parents (id TEXT PRIMARY KEY);"
      "CREATE TABLE children (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parents (id))");
  try {
    conn->execute("INSERT INTO children (id, parent_id) VALUES ($1, $2)",
                  {std::string("c"), std::string("nobody")});
    ADD_FAILURE() << "insert succeeded";
  } catch (const DbError& e) {
    EXPECT_TRUE(e.constraint_violation());
  }
}

TEST(DbSqlite, KeepsAnInMemoryDatabaseOnOneConnection) {
  auto db = open_database(":memory:", 8);
  EXPECT_EQ(db->stats().capacity, 1u);
  db->acquire()->execute("CREATE TABLE t (x INTEGER)");
  EXPECT_EQ(db->acquire()->query("SELECT x FROM t").size(), 0u);
}

}  // namespace
}  // namespace sb::db::test
