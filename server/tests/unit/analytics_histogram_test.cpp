// The first-response histogram as stored per hour (migration 0027, ADR 0037 part H): its text form,
// hostile stored values, and the migration that converts one row per bucket into one row per hour.
#include <gtest/gtest.h>

#include <random>

#include "analytics/sketch.hpp"
#include "db/migrations.hpp"
#include "db_test_support.hpp"

namespace sb::analytics {
namespace {

using Histogram = std::array<std::int64_t, 256>;

TEST(AnalyticsHistogramText, RoundTripsAndAddsUp) {
  Histogram h{};
  EXPECT_EQ(histogram_serialize(h), "") << "an empty hour stores nothing";
  h[0] = 3;
  h[17] = 1;
  h[255] = 12345678901;
  EXPECT_EQ(histogram_serialize(h), "0:3,17:1,255:12345678901") << "non-empty buckets, ascending";
  Histogram back{};
  histogram_add_serialized(back, histogram_serialize(h));
  EXPECT_EQ(back, h);
  histogram_add_serialized(back, "17:2,0:1");  // any order adds
  EXPECT_EQ(back[0], 4);
  EXPECT_EQ(back[17], 3);
  EXPECT_EQ(back[255], 12345678901);

  // Random histograms: merging the texts equals adding the arrays.
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    Histogram a{}, b{}, sum{};
    for (int i = 0; i < 20; ++i) a[rng() % 256] += rng() % 1000;
    for (int i = 0; i < 20; ++i) b[rng() % 256] += rng() % 1000;
    for (int i = 0; i < 256; ++i) sum[i] = a[i] + b[i];
    Histogram merged{};
    histogram_add_serialized(merged, histogram_serialize(a));
    histogram_add_serialized(merged, histogram_serialize(b));
    EXPECT_EQ(merged, sum);
    EXPECT_EQ(histogram_serialize(merged), histogram_serialize(sum)) << "one text per histogram";
  }
}

TEST(AnalyticsHistogramText, MalformedPairsAreSkippedNotMisread) {
  Histogram h{};
  histogram_add_serialized(h, "256:5,-1:5,abc,1:,:4,2:x,3:7,4:2:9,,5:1");
  Histogram expected{};
  expected[3] = 7;
  expected[5] = 1;
  EXPECT_EQ(h, expected) << "buckets outside 0..255, empty or non-numeric parts count nothing";
  Histogram big{};
  histogram_add_serialized(big, "9:" + std::string(40, '9'));
  EXPECT_EQ(big[9], 0) << "an absurd count is skipped, never overflowed";
  Histogram unchanged{};
  histogram_add_serialized(unchanged, std::string(1 << 16, ','));
  EXPECT_EQ(unchanged, Histogram{});
}

// 0027: every hour's per-bucket rows become one row with the same counts; empty buckets vanish;
// the percentiles read from the new rows are the old ones.
void check_histogram_migration(db::Database& database) {
  using db::apply_migrations;
  ASSERT_EQ(apply_migrations(database, 1, 26).back(), 26);
  auto conn = database.acquire();
  const std::int64_t now = 1'700'000'000'000, hour = 1'764'000'000'000 / 3'600'000 * 3'600'000;
  conn->execute("INSERT INTO organizations (id, name, created_at, updated_at) VALUES ('org_1', 'Acme', $1, $1)", {now});
  struct Old {
    std::int64_t hour;
    std::string bot, platform, deployment;
    std::int64_t bucket, n;
  };
  const std::vector<Old> rows = {
      {hour, "bot_1", "webchat", "dep_1", 17, 2}, {hour, "bot_1", "webchat", "dep_1", 3, 5},
      {hour, "bot_1", "webchat", "dep_1", 200, 1}, {hour, "bot_1", "telegram", "", 0, 4},
      {hour + 3'600'000, "bot_1", "webchat", "dep_1", 9, 1}, {hour + 3'600'000, "bot_2", "webchat", "", 9, 0}};
  for (const auto& r : rows)
    conn->execute("INSERT INTO analytics_first_response_hourly (org_id, hour, bot_id, platform, deployment_id, bucket, n) "
                  "VALUES ('org_1', $1, $2, $3, $4, $5, $6)",
                  {r.hour, r.bot, r.platform, r.deployment, r.bucket, r.n});

  EXPECT_EQ(apply_migrations(database, 2, 27), std::vector<int>{27});
  auto after = conn->query(
      "SELECT hour, bot_id, platform, deployment_id, buckets FROM analytics_first_response_hourly "
      "WHERE org_id = 'org_1' ORDER BY hour, bot_id, platform, deployment_id");
  ASSERT_EQ(after.size(), 3u) << "one row per hour and key; a key with only empty buckets is gone";
  auto buckets = [](const db::Row& r) {
    Histogram h{};
    histogram_add_serialized(h, r.text("buckets"));
    return histogram_serialize(h);
  };
  EXPECT_EQ(after[0].text("platform"), "telegram");
  EXPECT_EQ(buckets(after[0]), "0:4");
  EXPECT_EQ(after[1].text("platform"), "webchat");
  EXPECT_EQ(buckets(after[1]), "3:5,17:2,200:1");
  EXPECT_EQ(after[1].text("buckets"), "3:5,17:2,200:1") << "stored ascending, as the server writes it";
  EXPECT_EQ(after[2].integer("hour"), hour + 3'600'000);
  EXPECT_EQ(buckets(after[2]), "9:1");
  // The organisation's deletion still takes its histogram rows.
  conn->execute("DELETE FROM organizations WHERE id = 'org_1'");
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM analytics_first_response_hourly")->integer("n"), 0);
}

TEST(AnalyticsHistogramMigrationSqlite, OneRowPerHourWithTheSameCounts) {
  db::test::ScratchSqlite files;
  auto database = db::open_database(files.path(), 2);
  check_histogram_migration(*database);
}

TEST(AnalyticsHistogramMigrationPostgres, OneRowPerHourWithTheSameCounts) {
  if (db::test::postgres_admin_url().empty()) GTEST_SKIP() << "SWITCHBOARD_TEST_PG_URL is not set";
  db::test::ScratchPostgres scratch(db::test::postgres_admin_url());
  auto database = db::open_database(scratch.url(), 2);
  check_histogram_migration(*database);
}

}  // namespace
}  // namespace sb::analytics
