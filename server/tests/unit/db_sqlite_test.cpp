// The SQLite driver: the shared driver behaviours, plus how connections are opened and named.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

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

// The guard: a writer that never pauses, with no background pass to help, checkpoints on its own
// connection once the log passes the hard limit, so the log starts again near that size.
TEST(DbSqlite, CommitsCheckpointThemselvesPastTheHardLimit) {
  ScratchSqlite files;
  const std::string path = files.path();
  WalCheckpointer::Limits limits;
  limits.background_pages = 1'000'000;  // the background thread is never woken
  limits.inline_pages = 300;
  WalCheckpointer checkpointer(path, nullptr, limits);
  SqliteConnection conn(path, nullptr, &checkpointer);
  conn.execute_script("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  conn.defer_sync(true);  // no fsync per commit: the test is about the log's size, not durability
  const std::string body(1500, 'x');
  std::uintmax_t largest = 0;
  constexpr int kCommits = 4000;
  for (int i = 0; i < kCommits; ++i) {
    Transaction tx(conn);
    conn.execute("INSERT INTO notes (body) VALUES ($1)", {body});
    conn.execute("INSERT INTO notes (body) VALUES ($1)", {body});
    tx.commit();
    largest = std::max(largest, std::filesystem::file_size(path + "-wal"));
  }
  EXPECT_EQ(conn.query_one("SELECT COUNT(*) FROM notes")->at(0), std::to_string(2 * kCommits));
  const auto stats = checkpointer.stats();
  EXPECT_GT(stats.inline_, 0u);
  // Each commit adds two pages or so (two rows of 1.5 KB): without checkpoints the log would reach
  // 8,000 pages.
  const std::uintmax_t frame = 4096 + 24;
  EXPECT_LE(largest, (limits.inline_pages + 10) * frame) << "largest " << largest / frame;
  EXPECT_EQ(conn.query_one("PRAGMA integrity_check")->at(0), "ok");
}

// A writer like the server's, which pauses between its transactions: the background thread's pass
// under the write lock lets the log start again, so it stays near restart_pages and no commit
// has to checkpoint.
TEST(DbSqlite, RestartsTheWalBetweenAWritersTransactions) {
  ScratchSqlite files;
  const std::string path = files.path();
  std::mutex writers;
  WalCheckpointer::Limits limits;
  limits.background_pages = 50;
  limits.restart_pages = 200;
  limits.inline_pages = 1'000'000;
  limits.pause_ms = 2;
  WalCheckpointer checkpointer(path, &writers, limits);
  SqliteConnection conn(path, &writers, &checkpointer);
  conn.execute_script("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  conn.defer_sync(true);
  const std::string body(1500, 'x');
  std::uintmax_t largest = 0;
  for (int i = 0; i < 2000; ++i) {
    {
      Transaction tx(conn);
      conn.execute("INSERT INTO notes (body) VALUES ($1)", {body});
      conn.execute("INSERT INTO notes (body) VALUES ($1)", {body});
      tx.commit();
    }
    largest = std::max(largest, std::filesystem::file_size(path + "-wal"));
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  const auto stats = checkpointer.stats();
  EXPECT_GT(stats.restarts, 0u);
  EXPECT_EQ(stats.inline_, 0u);
  // 2,000 commits of about two pages each would make a log of 4,000 pages without restarts (the
  // bound leaves room for a background thread that a busy machine keeps waiting).
  EXPECT_LE(largest, 2000u * (4096 + 24)) << "background " << stats.background << ", restarts " << stats.restarts;
  EXPECT_EQ(conn.query_one("SELECT COUNT(*) FROM notes")->at(0), "4000");
}

// SQLite's autocheckpoint is off on the database's connections: nothing copies the log on the
// connection that commits until the hard limit.
TEST(DbSqlite, CommitsDoNotCheckpointBelowTheHardLimit) {
  ScratchSqlite files;
  const std::string path = files.path();
  WalCheckpointer::Limits limits;
  limits.background_pages = 1'000'000;  // the background thread is never woken
  WalCheckpointer checkpointer(path, nullptr, limits);
  SqliteConnection conn(path, nullptr, &checkpointer);
  conn.execute_script("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  conn.defer_sync(true);
  const std::string body(3000, 'x');
  for (int i = 0; i < 1500; ++i) conn.execute("INSERT INTO notes (body) VALUES ($1)", {body});
  // SQLite's default would have checkpointed and restarted the log every 1000 pages.
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 1200u * 4096);
  EXPECT_EQ(checkpointer.stats().background, 0u);
  EXPECT_EQ(checkpointer.stats().inline_, 0u);
}

}  // namespace
}  // namespace sb::db::test
