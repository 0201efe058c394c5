// The batching writer on a real SQLite file: units share commits, each caller hears after its
// commit, and a failing unit fails alone.
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <span>

#include "db/batch_writer.hpp"
#include "db_test_support.hpp"

namespace sb::db {
namespace {

TEST(BatchWriter, UnitsCommitTogetherAndAFailingOneFailsAlone) {
  test::ScratchSqlite dir;
  auto db = open_database("sqlite:" + dir.path(), 4);
  db->acquire()->execute_script("CREATE TABLE t (k TEXT NOT NULL PRIMARY KEY) STRICT;");
  BatchWriter writer(*db);
  std::vector<std::future<std::optional<std::string>>> results;
  for (const char* key : {"a", "b", "a", "c"}) {  // the second "a" breaks the primary key
    auto promise = std::make_shared<std::promise<std::optional<std::string>>>();
    results.push_back(promise->get_future());
    writer.submit([key](Connection& conn) { conn.execute("INSERT INTO t (k) VALUES ($1)", {std::string(key)}); },
                  [promise](std::optional<std::string> error) { promise->set_value(error); });
  }
  std::vector<bool> ok;
  for (auto& r : results) ok.push_back(!r.get().has_value());
  EXPECT_TRUE(ok[0]);
  EXPECT_TRUE(ok[1]);
  EXPECT_FALSE(ok[2]) << "the duplicate key fails";
  EXPECT_TRUE(ok[3]);
  // Every caller heard back only after its work was durable and visible.
  EXPECT_EQ(db->acquire()->query_one("SELECT COUNT(*) AS n FROM t")->integer("n"), 3);
  writer.stop();
  bool refused = false;
  writer.submit([](Connection&) {}, [&](std::optional<std::string> error) { refused = error.has_value(); });
  EXPECT_TRUE(refused) << "a stopped writer says so";
  EXPECT_GE(writer.stats().units, 4u);
}

// Units of one kind that queue together are handed to their kind's run_all in one call; when the
// batch fails, each runs again alone, so only the bad one fails.
class KeyUnit final : public BatchWriter::Unit {
 public:
  KeyUnit(std::string key, std::shared_ptr<std::vector<std::size_t>> calls)
      : Unit(&KeyUnit::run_all), key_(std::move(key)), calls_(std::move(calls)) {}
  void done(std::optional<std::string> error) override { result.set_value(error); }
  std::promise<std::optional<std::string>> result;

 private:
  static void run_all(Connection& conn, std::span<Unit* const> units) {
    static_cast<KeyUnit*>(units[0])->calls_->push_back(units.size());
    for (auto* u : units) {
      std::string_view key = static_cast<KeyUnit*>(u)->key_;
      const ValueRef params[] = {key};
      conn.execute_refs("INSERT INTO t (k) VALUES ($1)", params);
    }
  }
  std::string key_;
  std::shared_ptr<std::vector<std::size_t>> calls_;
};

TEST(BatchWriter, UnitsOfOneKindRunTogetherAndRerunAloneWhenTheBatchFails) {
  test::ScratchSqlite dir;
  auto db = open_database("sqlite:" + dir.path(), 4);
  db->acquire()->execute_script("CREATE TABLE t (k TEXT NOT NULL PRIMARY KEY) STRICT;");
  auto calls = std::make_shared<std::vector<std::size_t>>();
  std::vector<std::future<std::optional<std::string>>> results;
  {
    BatchWriter writer(*db);
    // Hold the writer up on a slow first unit so the rest queue and share the next batch.
    std::promise<void> release, started;
    auto released = release.get_future().share();
    writer.submit([released, &started](Connection&) {
      started.set_value();
      released.wait();
    }, [](std::optional<std::string>) {});
    started.get_future().wait();
    for (const char* key : {"a", "b", "a", "c"}) {
      auto unit = std::make_unique<KeyUnit>(key, calls);
      results.push_back(unit->result.get_future());
      writer.submit(std::move(unit));
    }
    EXPECT_EQ(writer.depth(), 4u);
    release.set_value();
    std::vector<bool> ok;
    for (auto& r : results) ok.push_back(!r.get().has_value());
    EXPECT_EQ(ok, (std::vector<bool>{true, true, false, true})) << "only the duplicate key fails";
    writer.stop();
    EXPECT_EQ(writer.stats().failed_units, 1u);
  }
  ASSERT_FALSE(calls->empty());
  EXPECT_EQ(calls->front(), 4u) << "the four units queued together ran in one call";
  for (std::size_t i = 1; i < calls->size(); ++i) EXPECT_EQ((*calls)[i], 1u) << "then each alone";
  EXPECT_EQ(db->acquire()->query_one("SELECT COUNT(*) AS n FROM t")->integer("n"), 3);
}

// On SQLite the writer commits with synchronous = NORMAL and syncs the WAL itself before anyone
// hears back; the connection goes back to the pool with FULL again, so other commits stay durable.
TEST(BatchWriter, SqliteConnectionsGoBackToThePoolSyncingEveryCommit) {
  test::ScratchSqlite dir;
  auto db = open_database("sqlite:" + dir.path(), 1);
  db->acquire()->execute_script("CREATE TABLE t (k TEXT NOT NULL PRIMARY KEY) STRICT;");
  {
    BatchWriter writer(*db);
    std::promise<std::optional<std::string>> done;
    int synchronous_inside = -1;
    writer.submit(
        [&](Connection& conn) {
          synchronous_inside = static_cast<int>(conn.query_one("PRAGMA synchronous")->integer("synchronous"));
          conn.execute("INSERT INTO t (k) VALUES ('a')");
        },
        [&](std::optional<std::string> error) { done.set_value(error); });
    EXPECT_FALSE(done.get_future().get().has_value());
    EXPECT_EQ(synchronous_inside, 1) << "NORMAL inside the batch: the writer syncs the WAL itself";
  }
  auto conn = db->acquire();
  EXPECT_EQ(conn->query_one("PRAGMA synchronous")->integer("synchronous"), 2) << "FULL again in the pool";
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM t")->integer("n"), 1);
  EXPECT_FALSE(conn->defer_sync(false)) << "no sync function when it is off";
  auto sync = conn->defer_sync(true);
  ASSERT_TRUE(sync);
  EXPECT_NO_THROW(sync());
  conn->defer_sync(false);
}

TEST(BatchWriter, BorrowedParametersBindLikeOwnedOnes) {
  test::ScratchSqlite dir;
  auto db = open_database("sqlite:" + dir.path(), 1);
  auto conn = db->acquire();
  conn->execute_script("CREATE TABLE v (a TEXT, b INTEGER, c TEXT) STRICT;");
  std::string text = "x\0y";
  text[1] = '\0';  // embedded NUL kept, as with owned strings
  const ValueRef params[] = {std::string_view(text), std::int64_t{42}, nullptr};
  EXPECT_EQ(conn->execute_refs("INSERT INTO v (c, b, a) VALUES ($3, $2, $1)", params), 1);
  auto row = conn->query_one("SELECT a, b, c FROM v");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text("a"), text);
  EXPECT_EQ(row->integer("b"), 42);
  EXPECT_TRUE(row->is_null("c"));
  const ValueRef too_few[] = {std::string_view(text)};
  EXPECT_THROW(conn->execute_refs("INSERT INTO v (a, b) VALUES ($1, $2)", too_few), DbError);
}

}  // namespace
}  // namespace sb::db
