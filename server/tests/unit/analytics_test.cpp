// Analytics building blocks (ADR 0037): the distinct-user sketch, the first-response histogram,
// unanswered-question normalisation and days in a time zone.
#include <gtest/gtest.h>

#include <random>

#include "analytics/recorder.hpp"
#include "analytics/sketch.hpp"
#include "analytics/time_range.hpp"

namespace sb::analytics {
namespace {

TEST(AnalyticsSketch, CountsExactlyWhileSmallAndSurvivesARoundTrip) {
  Sketch s;
  EXPECT_EQ(s.count(), 0);
  for (int i = 0; i < 200; ++i) s.add(Sketch::hash_user("bot_1", "webchat", "visitor " + std::to_string(i % 150)));
  EXPECT_EQ(s.count(), 150) << "the same person twice is one user";
  EXPECT_TRUE(s.exact());
  EXPECT_NE(Sketch::hash_user("bot_1", "webchat", "v"), Sketch::hash_user("bot_1", "telegram", "v"))
      << "the same id on another platform is another person";
  Sketch back = Sketch::parse(s.serialize());
  EXPECT_EQ(back.count(), 150);
  EXPECT_EQ(back.serialize(), s.serialize());
}

TEST(AnalyticsSketch, MergesHoursIntoTheUnionExactlyAndThenApproximately) {
  Sketch a, b;
  for (int i = 0; i < 100; ++i) a.add(Sketch::hash_user("b", "p", std::to_string(i)));
  for (int i = 50; i < 200; ++i) b.add(Sketch::hash_user("b", "p", std::to_string(i)));
  a.merge(b);
  EXPECT_EQ(a.count(), 200);
  EXPECT_TRUE(a.exact());
  Sketch c;
  for (int i = 150; i < 400; ++i) c.add(Sketch::hash_user("b", "p", std::to_string(i)));
  a.merge(c);  // 400 distinct: past the exact list
  EXPECT_FALSE(a.exact());
  EXPECT_NEAR(static_cast<double>(a.count()), 400.0, 400 * 0.02);
  Sketch back = Sketch::parse(a.serialize());
  EXPECT_EQ(back.count(), a.count()) << "HyperLogLog registers survive storage";
}

TEST(AnalyticsSketch, IsWithinTwoPercentAtOneHundredThousandUsers) {
  // Built as the rollups build it: one sketch per hour, merged over the range.
  std::vector<Sketch> hours(24);
  for (int i = 0; i < 100000; ++i) hours[i % 24].add(Sketch::hash_user("bot", "telegram", "user-" + std::to_string(i)));
  for (int i = 0; i < 30000; ++i) hours[(i * 7) % 24].add(Sketch::hash_user("bot", "telegram", "user-" + std::to_string(i)));
  Sketch all;
  for (const auto& h : hours) all.merge(h);
  EXPECT_NEAR(static_cast<double>(all.count()), 100000.0, 2000.0);
}

TEST(AnalyticsSketch, TheLinearMergerGivesExactlyWhatMergingOneByOneGives) {
  // Part P: dashboards merge stored sketches with SketchMerger; its answer must be the same
  // sketch (not just a close count) as Sketch::merge in any mix of exact lists and registers.
  std::mt19937 rng(7);
  for (int round = 0; round < 12; ++round) {
    std::vector<std::string> stored;
    const int n = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      Sketch s;
      const int users = round < 4 ? static_cast<int>(rng() % 8) : static_cast<int>(rng() % (round < 8 ? 60 : 400));
      for (int u = 0; u < users; ++u) s.add(Sketch::hash_user("b", "p", std::to_string(rng() % 3000)));
      stored.push_back(s.serialize());
    }
    Sketch one_by_one;
    SketchMerger merger;
    for (const auto& text : stored) {
      one_by_one.merge(Sketch::parse(text));
      merger.add_serialized(text);
    }
    Sketch merged = merger.finish();
    EXPECT_EQ(merged.serialize(), one_by_one.serialize()) << "round " << round;
    EXPECT_EQ(merged.count(), one_by_one.count());
  }
  SketchMerger none;
  EXPECT_EQ(none.finish().count(), 0);
  SketchMerger junk;
  junk.add_serialized("Hzz");  // a damaged row is ignored, as Sketch::parse ignores it
  junk.add_serialized("E");
  EXPECT_EQ(junk.finish().count(), 0);
}

TEST(AnalyticsHistogram, BucketsFollowTheAdr) {
  EXPECT_EQ(histogram_bucket(0), 0);
  EXPECT_EQ(histogram_bucket(99), 0);
  EXPECT_EQ(histogram_bucket(100), 1);
  EXPECT_EQ(histogram_bucket(108), 1);   // 100·2^(1/8) ≈ 109.05
  EXPECT_EQ(histogram_bucket(110), 2);
  EXPECT_EQ(histogram_bucket(200), 9);   // one doubling: 8 buckets
  EXPECT_EQ(histogram_bucket(400), 17);
  EXPECT_EQ(histogram_bucket(std::int64_t{1} << 50), 255) << "capped";
}

TEST(AnalyticsHistogram, PercentilesLandInTheRightBucketWithinItsWidth) {
  std::array<std::int64_t, 256> h{};
  EXPECT_FALSE(histogram_percentile(h, 0.5)) << "no replies: null, never 0";
  std::mt19937_64 rng(7);
  std::vector<std::int64_t> values;
  std::lognormal_distribution<double> d(7.0, 1.0);  // around a second, long tail
  for (int i = 0; i < 5001; ++i) values.push_back(static_cast<std::int64_t>(d(rng)));
  for (auto v : values) h[histogram_bucket(v)]++;
  std::sort(values.begin(), values.end());
  for (double p : {0.5, 0.9}) {
    auto exact = values[static_cast<std::size_t>(std::ceil(p * values.size())) - 1];
    auto estimate = *histogram_percentile(h, p);
    EXPECT_EQ(histogram_bucket(estimate), histogram_bucket(exact)) << p;
    EXPECT_NEAR(static_cast<double>(estimate), static_cast<double>(exact), exact * 0.045) << p;
  }
  std::array<std::int64_t, 256> fast{};
  fast[0] = 3;
  EXPECT_EQ(*histogram_percentile(fast, 0.9), 50) << "below 100 ms";
}

TEST(AnalyticsQuestions, AreNormalisedLikeTheAdrSays) {
  EXPECT_EQ(normalize_question("  Do you   SHIP\tto\nMars? "), "do you ship to mars?");
  EXPECT_EQ(normalize_question(""), "");
  EXPECT_EQ(normalize_question(std::string(500, 'x')).size(), 200u);
  // Cut at 200 characters, never inside a UTF-8 character.
  std::string umlauts;
  for (int i = 0; i < 300; ++i) umlauts += "ü";
  auto cut = normalize_question(umlauts);
  EXPECT_EQ(cut.size(), 400u);
  EXPECT_EQ(cut.substr(0, 2), "ü");
}

TEST(AnalyticsTime, ZonesAreNamesNeverPaths) {
  EXPECT_TRUE(valid_time_zone("UTC"));
  EXPECT_TRUE(valid_time_zone("America/New_York"));
  EXPECT_TRUE(valid_time_zone("Asia/Kolkata"));
  for (const char* bad : {"../../etc/passwd", "%2e%2e", "..", "/etc/passwd", "Europe/../../etc/passwd", "Mars/Olympus",
                          "", "America/New_York\n", "Europe//Berlin"})
    EXPECT_FALSE(valid_time_zone(bad)) << bad;
}

TEST(AnalyticsTime, DaysStartAtLocalMidnightAcrossDaylightSaving) {
  const auto* ny = find_zone("America/New_York");
  ASSERT_TRUE(ny);
  const std::int64_t mar8 = *parse_day("2026-03-08");
  constexpr std::int64_t kHour = 3'600'000;
  EXPECT_EQ(day_start(ny, mar8), (mar8 * 24 + 5) * kHour) << "EST: midnight is 05:00 UTC";
  EXPECT_EQ(day_start(ny, mar8 + 1), (mar8 * 24 + 24 + 4) * kHour) << "EDT from 2 a.m.: midnight is 04:00 UTC";
  EXPECT_EQ((day_start(ny, mar8 + 1) - day_start(ny, mar8)) / kHour, 23) << "the day clocks go forward has 23 hours";
  EXPECT_EQ(local_day(ny, (mar8 * 24 + 5) * kHour - 1), mar8 - 1) << "23:59:59.999 local is the day before";
  EXPECT_EQ(local_day(ny, (mar8 * 24 + 5) * kHour), mar8);
  EXPECT_EQ(local_label(ny, (mar8 * 24 + 7) * kHour), "2026-03-08 03:00") << "02:00 does not exist that day";
  // Half-hour zones: the boundary hour counts in the day its UTC hour starts in.
  const auto* kolkata = find_zone("Asia/Kolkata");
  EXPECT_EQ(day_start(kolkata, mar8), (mar8 * 24 - 5) * kHour) << "18:30 UTC the day before, rounded up to 19:00";
  EXPECT_FALSE(parse_day("2026-02-30"));
  EXPECT_FALSE(parse_day("2026-3-8"));
  EXPECT_FALSE(parse_day("2026-03-08T00:00"));
  EXPECT_EQ(format_day(mar8), "2026-03-08");
}

}  // namespace
}  // namespace sb::analytics
