// The PostgreSQL driver: the shared driver behaviours against a scratch database on the server
// named by SWITCHBOARD_TEST_PG_URL (skipped when unset), plus URL handling, lost connections and
// the batch writer's deferred sync and lanes.
#include <gtest/gtest.h>

#include <future>

#include "db/batch_writer.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db_test_support.hpp"

namespace sb::db::test {
namespace {

struct PostgresEnv {
  std::string admin_url = postgres_admin_url();
  std::unique_ptr<ScratchPostgres> scratch =
      admin_url.empty() ? nullptr : std::make_unique<ScratchPostgres>(admin_url);
  bool available() const { return scratch != nullptr; }
  std::unique_ptr<Database> open(std::size_t pool_size) { return open_database(scratch->url(), pool_size); }
  static std::size_t cached_statements(Connection& conn) {
    return dynamic_cast<PostgresConnection&>(conn).cached_statements();
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(DbPostgres, DbDriver, PostgresEnv);

TEST(DbPostgres, DescribesTheServerWithoutThePassword) {
  // Connections open lazily, so no server is needed to check the URL handling.
  auto db = open_database("postgres://alice:s3cr%40t@db.example:5433/app?sslmode=require", 2);
  EXPECT_EQ(db->dialect(), Dialect::postgres);
  EXPECT_EQ(db->describe(), "postgres://alice@db.example:5433/app");
  EXPECT_EQ(open_database("postgresql://db.example/app", 1)->describe(), "postgres://db.example/app");
  EXPECT_THROW(open_database("postgres://alice:s3cret@db.example:5433/app?nonsense=1", 1), DbError);
  try {
    open_database("postgres://alice:s3cret@db.example:5433/app?nonsense=1", 1);
  } catch (const DbError& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  }
}

TEST(DbPostgres, ReportsAnUnreachableServerWithoutThePassword) {
  auto db = open_database("postgres://alice:s3cret@127.0.0.1:1/app?connect_timeout=2", 1);
  try {
    db->acquire();
    ADD_FAILURE() << "connected to port 1";
  } catch (const DbError& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  }
  EXPECT_EQ(db->stats().size, 0u);
}

class DbPostgresServer : public ::testing::Test {
 protected:
  void SetUp() override {
    if (postgres_admin_url().empty()) GTEST_SKIP() << "SWITCHBOARD_TEST_PG_URL is not set";
    scratch_ = std::make_unique<ScratchPostgres>(postgres_admin_url());
  }
  std::unique_ptr<ScratchPostgres> scratch_;
};

TEST_F(DbPostgresServer, PreparesEachStatementOncePerConnection) {
  auto db = open_database(scratch_->url(), 1);
  auto conn = db->acquire();
  for (std::int64_t i = 0; i < 20; ++i) conn->query("SELECT $1 AS x", {i});
  // Two on the server: the SELECT above and this one.
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM pg_prepared_statements")->integer("n"), 2);
  EXPECT_EQ(dynamic_cast<PostgresConnection&>(*conn).cached_statements(), 2u);
}

TEST_F(DbPostgresServer, SetsUtcAndQuietNotices) {
  auto db = open_database(scratch_->url(), 1);
  auto conn = db->acquire();
  EXPECT_EQ(conn->query_one("SELECT current_setting('TimeZone') AS tz")->text("tz"), "UTC");
  EXPECT_EQ(conn->query_one("SELECT current_setting('client_min_messages') AS m")->text("m"), "warning");
}

TEST_F(DbPostgresServer, ReplacesAConnectionTheServerClosed) {
  auto db = open_database(scratch_->url(), 1);
  auto admin = open_database(scratch_->url(), 1);
  const std::int64_t old_pid = db->acquire()->query_one("SELECT pg_backend_pid() AS pid")->integer("pid");
  admin->acquire()->query("SELECT pg_terminate_backend($1)", {old_pid});

  // The first use may still find the dying connection; the pool must recover right after.
  std::int64_t new_pid = old_pid;
  int failures = 0;
  for (int attempt = 0; attempt < 3 && new_pid == old_pid; ++attempt) {
    try {
      new_pid = db->acquire()->query_one("SELECT pg_backend_pid() AS pid")->integer("pid");
    } catch (const DbError&) {
      ++failures;
    }
  }
  EXPECT_NE(new_pid, old_pid);
  EXPECT_LE(failures, 1);
  EXPECT_EQ(db->stats().size, 1u);
}

// The batch writer's group commit on PostgreSQL: inside a batch the connection commits without
// waiting for the WAL flush, the sync function makes it durable, and the pool gets the connection
// back committing durably again.
TEST_F(DbPostgresServer, DeferredSyncCommitsAtOnceAndGoesBackDurable) {
  auto db = open_database(scratch_->url(), 1);
  {
    auto conn = db->acquire();
    conn->execute_script("CREATE TABLE t (k TEXT PRIMARY KEY)");
    EXPECT_FALSE(conn->defer_sync(false)) << "no sync function when it is off";
    auto sync = conn->defer_sync(true);
    ASSERT_TRUE(sync);
    EXPECT_EQ(conn->query_one("SHOW synchronous_commit")->text("synchronous_commit"), "off");
    const std::int64_t before = conn->total_changes();
    {
      Transaction tx(*conn);
      conn->execute("INSERT INTO t (k) VALUES ('a'), ('b')");
      conn->execute("UPDATE t SET k = k || '1' WHERE k = 'a'");
      conn->query("SELECT k FROM t");
      tx.commit();
    }
    EXPECT_EQ(conn->total_changes() - before, 3) << "rows inserted and updated; a SELECT changes none";
    EXPECT_NO_THROW(sync());
    EXPECT_NO_THROW(sync()) << "a sync with nothing new to flush is harmless";
  }
  auto conn = db->acquire();  // the same connection, back from the pool
  EXPECT_EQ(conn->query_one("SHOW synchronous_commit")->text("synchronous_commit"), "on");
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM t")->integer("n"), 2);
  EXPECT_EQ(db->stats().size, 1u) << "the sync's connection is not one of the pool's";
}

// Several writer lanes on PostgreSQL: every unit is answered once, after its commit, and a failing
// unit still fails alone while the other lane keeps committing.
TEST_F(DbPostgresServer, BatchWriterLanesCommitEveryUnitOnce) {
  auto db = open_database(scratch_->url(), 4);
  db->acquire()->execute_script("CREATE TABLE t (k TEXT PRIMARY KEY)");
  std::vector<std::future<std::optional<std::string>>> results;
  {
    BatchWriter writer(*db, 8, 2);
    for (int i = 0; i < 200; ++i) {
      auto promise = std::make_shared<std::promise<std::optional<std::string>>>();
      results.push_back(promise->get_future());
      // Key 50 comes twice: the second one breaks the primary key.
      const std::string key = "k" + std::to_string(i == 120 ? 50 : i);
      writer.submit([key](Connection& conn) { conn.execute("INSERT INTO t (k) VALUES ($1)", {key}); },
                    [promise](std::optional<std::string> error) { promise->set_value(std::move(error)); });
    }
    int failed = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
      const bool ok = !results[i].get().has_value();
      if (!ok) ++failed;
      if (i != 120) EXPECT_TRUE(ok) << "unit " << i;
    }
    EXPECT_EQ(failed, 1);
    EXPECT_EQ(db->acquire()->query_one("SELECT COUNT(*) AS n FROM t")->integer("n"), 199)
        << "every answered unit is committed";
    writer.stop();
    EXPECT_EQ(writer.stats().failed_units, 1u);
  }
  auto conn = db->acquire();
  EXPECT_EQ(conn->query_one("SHOW synchronous_commit")->text("synchronous_commit"), "on")
      << "the lanes' connections went back durable";
}

}  // namespace
}  // namespace sb::db::test
