// Shared by the db tests: scratch databases for both drivers, and DbDriver, the behaviours every
// driver must show (a type-parameterized suite that db_sqlite_test and db_postgres_test instantiate).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/url.hpp>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "db/database.hpp"

namespace sb::db::test {

inline std::string random_suffix() {
  std::random_device rd;
  std::uniform_int_distribution<std::uint64_t> dist;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(dist(rd)));
  return buf;
}

// A fresh folder for SQLite files, removed with everything in it at destruction.
class ScratchSqlite {
 public:
  ScratchSqlite() : dir_(std::filesystem::temp_directory_path() / ("sb_db_test_" + random_suffix())) {
    std::filesystem::create_directories(dir_);
  }
  ~ScratchSqlite() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  ScratchSqlite(const ScratchSqlite&) = delete;
  ScratchSqlite& operator=(const ScratchSqlite&) = delete;
  std::string path(const std::string& file = "test.db") const { return (dir_ / file).string(); }

 private:
  std::filesystem::path dir_;
};

// The server named by SWITCHBOARD_TEST_PG_URL, or "" when the PostgreSQL tests should skip.
inline std::string postgres_admin_url() {
  const char* url = std::getenv("SWITCHBOARD_TEST_PG_URL");
  return url ? url : "";
}

// A fresh, randomly named database on the test server, dropped at destruction.
class ScratchPostgres {
 public:
  explicit ScratchPostgres(const std::string& admin_url)
      : admin_(open_database(admin_url, 1)), name_("sb_test_" + random_suffix()) {
    // Names cannot be bound parameters; this one is ours, made of [a-z0-9_].
    admin_->acquire()->execute_script("CREATE DATABASE " + name_);
    boost::urls::url url = boost::urls::parse_uri(admin_url).value();
    url.set_path("/" + name_);
    url_ = std::string(url.buffer());
  }
  ~ScratchPostgres() {
    try {
      admin_->acquire()->execute_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "could not drop test database %s: %s\n", name_.c_str(), e.what());
    }
  }
  ScratchPostgres(const ScratchPostgres&) = delete;
  ScratchPostgres& operator=(const ScratchPostgres&) = delete;
  const std::string& url() const { return url_; }

 private:
  std::unique_ptr<Database> admin_;
  std::string name_;
  std::string url_;
};

// Env (given by each driver's test file) provides:
//   Env()                            prepares a scratch database for the suite
//   bool available() const           false → every test skips
//   std::unique_ptr<Database> open(std::size_t pool_size)
//   static std::size_t cached_statements(Connection&)
template <class Env>
class DbDriver : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { env_ = new Env(); }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }

  void SetUp() override {
    if (!env_->available()) GTEST_SKIP() << "SWITCHBOARD_TEST_PG_URL is not set";
    db_ = env_->open(4);
    db_->acquire()->execute_script(
        "DROP TABLE IF EXISTS items;"
        "CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, amount BIGINT,"
        "  ratio DOUBLE PRECISION, note TEXT)");
  }

  std::int64_t count_items() {
    return db_->acquire()->query_one("SELECT COUNT(*) AS n FROM items")->integer("n");
  }

  inline static Env* env_ = nullptr;
  std::unique_ptr<Database> db_;
};

TYPED_TEST_SUITE_P(DbDriver);

TYPED_TEST_P(DbDriver, BindsPlaceholdersByNumberInAnyOrder) {
  auto conn = this->db_->acquire();
  conn->execute("INSERT INTO items (name, id, note) VALUES ($2, $1, $2)",
                {std::int64_t{7}, std::string("seven")});
  auto row = conn->query_one("SELECT id, name, note FROM items WHERE name = $2 AND id = $1",
                             {std::int64_t{7}, std::string("seven")});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->integer("id"), 7);
  EXPECT_EQ(row->text("name"), "seven");
  EXPECT_EQ(row->text("note"), "seven");
}

TYPED_TEST_P(DbDriver, RejectsWrongParameterCount) {
  auto conn = this->db_->acquire();
  EXPECT_THROW(conn->query("SELECT id FROM items WHERE id = $1", {}), DbError);
  EXPECT_THROW(conn->query("SELECT id FROM items WHERE id = $1", {std::int64_t{1}, std::int64_t{2}}),
               DbError);
}

TYPED_TEST_P(DbDriver, RejectsSeveralStatementsInOneCall) {
  auto conn = this->db_->acquire();
  EXPECT_THROW(conn->execute("INSERT INTO items (id, name) VALUES (1, 'a'); DELETE FROM items"), DbError);
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM items")->integer("n"), 0);
  EXPECT_EQ(conn->execute("INSERT INTO items (id, name) VALUES (1, 'a');"), 1);  // a final ; is fine
}

TYPED_TEST_P(DbDriver, ReturnsNullsAsNullopt) {
  auto conn = this->db_->acquire();
  conn->execute("INSERT INTO items (id, name, amount, note) VALUES ($1, $2, $3, $4)",
                {std::int64_t{1}, std::string("a"), nullptr, std::string()});
  auto row = conn->query_one("SELECT amount, ratio, note FROM items WHERE id = $1", {std::int64_t{1}});
  ASSERT_TRUE(row);
  EXPECT_TRUE(row->is_null("amount"));
  EXPECT_EQ(row->opt_integer("amount"), std::nullopt);
  EXPECT_EQ(row->integer("amount"), 0);
  EXPECT_EQ(row->opt_text("ratio"), std::nullopt);
  EXPECT_FALSE(row->is_null("note"));  // an empty string is not NULL
  EXPECT_EQ(row->opt_text("note"), std::string());
}

TYPED_TEST_P(DbDriver, RoundTripsInt64AndDouble) {
  auto conn = this->db_->acquire();
  const std::int64_t values[] = {INT64_MAX, INT64_MIN, -1, 0, 1'700'000'000'123};
  std::int64_t id = 0;
  for (std::int64_t v : values) {
    conn->execute("INSERT INTO items (id, name, amount, ratio) VALUES ($1, $2, $3, $4)",
                  {++id, "n" + std::to_string(id), v, 0.1 + 0.2});
  }
  auto rows = conn->query("SELECT amount, ratio FROM items ORDER BY id");
  ASSERT_EQ(rows.size(), std::size(values));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].integer("amount"), values[i]);
    EXPECT_EQ(rows[i].real("ratio"), 0.1 + 0.2);  // exact: no digits lost on the way
  }
  auto big = conn->query_one("SELECT id FROM items WHERE amount = $1", {INT64_MIN});
  ASSERT_TRUE(big);
  EXPECT_EQ(big->integer("id"), 2);
}

TYPED_TEST_P(DbDriver, FlagsConstraintViolations) {
  auto conn = this->db_->acquire();
  conn->execute("INSERT INTO items (id, name) VALUES ($1, $2)", {std::int64_t{1}, std::string("a")});
  auto violation = [&](const Params& params) {
    try {
      conn->execute("INSERT INTO items (id, name) VALUES ($1, $2)", params);
    } catch (const DbError& e) {
      return e.constraint_violation();
    }
    ADD_FAILURE() << "insert succeeded";
    return false;
  };
  EXPECT_TRUE(violation({std::int64_t{1}, std::string("b")}));  // primary key
  EXPECT_TRUE(violation({std::int64_t{2}, std::string("a")}));  // unique
  EXPECT_TRUE(violation({std::int64_t{3}, nullptr}));           // not null
  try {
    conn->execute("INSERT INTO nowhere (id) VALUES ($1)", {std::int64_t{1}});
    ADD_FAILURE() << "insert into a missing table succeeded";
  } catch (const DbError& e) {
    EXPECT_FALSE(e.constraint_violation());
  }
  EXPECT_EQ(this->count_items(), 1);
}

TYPED_TEST_P(DbDriver, RollsBackTransactionLeftUncommitted) {
  {
    auto conn = this->db_->acquire();
    Transaction tx(*conn);
    conn->execute("INSERT INTO items (id, name) VALUES ($1, $2)", {std::int64_t{1}, std::string("a")});
    EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM items")->integer("n"), 1);
  }
  EXPECT_EQ(this->count_items(), 0);
}

TYPED_TEST_P(DbDriver, CommitKeepsWrites) {
  {
    auto conn = this->db_->acquire();
    Transaction tx(*conn, /*immediate=*/false);
    conn->execute("INSERT INTO items (id, name) VALUES ($1, $2)", {std::int64_t{1}, std::string("a")});
    tx.commit();
  }
  EXPECT_EQ(this->count_items(), 1);
}

TYPED_TEST_P(DbDriver, StaysUsableAfterAFailedStatementInATransaction) {
  auto conn = this->db_->acquire();
  {
    Transaction tx(*conn);
    conn->execute("INSERT INTO items (id, name) VALUES ($1, $2)", {std::int64_t{1}, std::string("a")});
    EXPECT_THROW(conn->execute("INSERT INTO items (id, name) VALUES ($1, $2)",
                               {std::int64_t{1}, std::string("a")}),
                 DbError);
  }
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM items")->integer("n"), 0);
  Transaction tx(*conn);
  conn->execute("INSERT INTO items (id, name) VALUES ($1, $2)", {std::int64_t{2}, std::string("b")});
  tx.commit();
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM items")->integer("n"), 1);
}

TYPED_TEST_P(DbDriver, ReportsAffectedRowsAndReadsRows) {
  auto conn = this->db_->acquire();
  for (std::int64_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(conn->execute("INSERT INTO items (id, name, amount) VALUES ($1, $2, $3)",
                            {i, "n" + std::to_string(i), i * 10}),
              1);
  }
  EXPECT_EQ(conn->execute("UPDATE items SET amount = amount + 1 WHERE id >= $1", {std::int64_t{2}}), 2);
  EXPECT_EQ(conn->execute("DELETE FROM items WHERE id = $1", {std::int64_t{99}}), 0);
  EXPECT_EQ(conn->execute("SELECT id FROM items"), 0);

  auto rows = conn->query("SELECT id, amount FROM items ORDER BY id DESC");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].columns(), (std::vector<std::string>{"id", "amount"}));
  EXPECT_EQ(rows[0].at(1), std::optional<std::string>("31"));
  EXPECT_EQ(rows[2].integer("amount"), 10);
  EXPECT_EQ(conn->query_one("SELECT id FROM items WHERE id = $1", {std::int64_t{42}}), std::nullopt);

  auto returned = conn->query_one("UPDATE items SET note = $1 WHERE id = $2 RETURNING id, note",
                                  {std::string("x"), std::int64_t{1}});
  ASSERT_TRUE(returned);
  EXPECT_EQ(returned->text("note"), "x");

  // Booleans read as integers in both dialects (PostgreSQL prints them as t/f).
  auto flags = conn->query_one("SELECT (1 = 1) AS yes, (1 = 2) AS no");
  EXPECT_EQ(flags->integer("yes"), 1);
  EXPECT_EQ(flags->integer("no"), 0);

  EXPECT_THROW(rows[0].text("missing"), DbError);
  auto name = conn->query_one("SELECT name FROM items WHERE id = $1", {std::int64_t{1}});
  EXPECT_THROW(name->integer("name"), DbError);
}

TYPED_TEST_P(DbDriver, RunsScripts) {
  auto conn = this->db_->acquire();
  conn->execute_script(
      "INSERT INTO items (id, name) VALUES (1, 'a');"
      "INSERT INTO items (id, name) VALUES (2, 'b; with a semicolon');");
  EXPECT_EQ(conn->query_one("SELECT name FROM items WHERE id = 2")->text("name"), "b; with a semicolon");
  EXPECT_THROW(conn->execute_script("INSERT INTO items (id, name) VALUES (1, 'again')"), DbError);
}

TYPED_TEST_P(DbDriver, ReusesPreparedStatements) {
  auto conn = this->db_->acquire();
  const std::string insert = "INSERT INTO items (id, name) VALUES ($1, $2)";
  conn->execute(insert, {std::int64_t{0}, std::string("n0")});
  const std::size_t after_first = TypeParam::cached_statements(*conn);
  for (std::int64_t i = 1; i < 50; ++i) conn->execute(insert, {i, "n" + std::to_string(i)});
  EXPECT_EQ(TypeParam::cached_statements(*conn), after_first);
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM items")->integer("n"), 50);
}

TYPED_TEST_P(DbDriver, ParallelWritersShareThePool) {
  constexpr int kThreads = 8, kPerThread = 25;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kPerThread; ++i) {
          auto conn = this->db_->acquire();
          // Read then write inside one transaction: the pattern that deadlocks without
          // BEGIN IMMEDIATE on SQLite.
          Transaction tx(*conn);
          conn->query("SELECT COUNT(*) AS n FROM items");
          const std::int64_t id = t * 1000 + i;
          conn->execute("INSERT INTO items (id, name) VALUES ($1, $2)", {id, "n" + std::to_string(id)});
          tx.commit();
        }
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(this->count_items(), kThreads * kPerThread);
  const PoolStats stats = this->db_->stats();
  EXPECT_EQ(stats.capacity, 4u);
  EXPECT_LE(stats.size, 4u);
  EXPECT_EQ(stats.in_use, 0u);
  EXPECT_GE(stats.acquired_total, std::uint64_t{kThreads * kPerThread});
}

TYPED_TEST_P(DbDriver, AcquireWaitsForAFreeConnection) {
  auto db = TestFixture::env_->open(1);
  std::optional<PooledConnection> held(db->acquire());
  std::atomic<bool> got = false;
  std::thread waiter([&] {
    auto conn = db->acquire();
    got = true;
  });
  while (db->stats().waiting == 0) std::this_thread::yield();
  EXPECT_FALSE(got);
  held.reset();
  waiter.join();
  EXPECT_TRUE(got);
  const PoolStats stats = db->stats();
  EXPECT_EQ(stats.size, 1u);
  EXPECT_EQ(stats.acquired_total, 2u);
  EXPECT_EQ(stats.waited_total, 1u);
  EXPECT_EQ(stats.waiting, 0u);
}

TYPED_TEST_P(DbDriver, ReplacesADiscardedConnection) {
  auto db = TestFixture::env_->open(2);
  {
    auto conn = db->acquire();
    conn.discard();
  }
  EXPECT_EQ(db->stats().size, 0u);
  auto conn = db->acquire();
  EXPECT_TRUE(conn->healthy());
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM items")->integer("n"), 0);
  EXPECT_EQ(db->stats().size, 1u);
}

TYPED_TEST_P(DbDriver, RollsBackWorkLeftOpenOnReturn) {
  {
    auto conn = this->db_->acquire();
    conn->execute("BEGIN");  // no Transaction guard: a caller forgot to finish
    conn->execute("INSERT INTO items (id, name) VALUES ($1, $2)", {std::int64_t{1}, std::string("a")});
  }
  EXPECT_EQ(this->count_items(), 0);
  EXPECT_EQ(this->db_->stats().in_use, 0u);
}

REGISTER_TYPED_TEST_SUITE_P(DbDriver, BindsPlaceholdersByNumberInAnyOrder, RejectsWrongParameterCount,
                            RejectsSeveralStatementsInOneCall,
                            ReturnsNullsAsNullopt, RoundTripsInt64AndDouble, FlagsConstraintViolations,
                            RollsBackTransactionLeftUncommitted, CommitKeepsWrites,
                            StaysUsableAfterAFailedStatementInATransaction,
                            ReportsAffectedRowsAndReadsRows, RunsScripts, ReusesPreparedStatements,
                            ParallelWritersShareThePool, AcquireWaitsForAFreeConnection,
                            ReplacesADiscardedConnection, RollsBackWorkLeftOpenOnReturn);

}  // namespace sb::db::test
