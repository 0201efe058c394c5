// The batching writer on a real SQLite file: units share commits, each caller hears after its
// commit, and a failing unit fails alone.
#include <gtest/gtest.h>

#include <future>

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

}  // namespace
}  // namespace sb::db
