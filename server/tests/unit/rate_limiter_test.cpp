// The in-process rate limiter: limits per window, and forgetting finished windows.
#include "core/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

TEST(RateLimiter, AllowsTheLimitPerWindowThenSaysWhenToComeBack) {
  RateLimiter limiter;
  std::int64_t wait = 0;
  EXPECT_TRUE(limiter.allow("k", 2, 1000, 5'000, wait));
  EXPECT_TRUE(limiter.allow("k", 2, 1000, 5'100, wait));
  EXPECT_FALSE(limiter.allow("k", 2, 1000, 5'400, wait));
  EXPECT_EQ(wait, 600);
  EXPECT_TRUE(limiter.allow("other", 2, 1000, 5'400, wait)) << "keys count apart";
  EXPECT_TRUE(limiter.allow("k", 2, 1000, 6'000, wait)) << "a new window";
}

TEST(RateLimiter, AMinuteWindowOutlivesASweepSetOffByASecondWindow) {
  RateLimiter limiter;
  std::int64_t wait = 0;
  // A chat may have two replies a minute; the account, many a second.
  ASSERT_TRUE(limiter.allow("chat", 2, 60'000, 100'000, wait));
  ASSERT_TRUE(limiter.allow("chat", 2, 60'000, 100'000, wait));
  // Twenty seconds later the account's key is used, which sweeps finished windows.
  EXPECT_TRUE(limiter.allow("account", 30, 1'000, 120'000, wait));
  EXPECT_FALSE(limiter.allow("chat", 2, 60'000, 121'000, wait)) << "the chat's minute is not over";
  EXPECT_EQ(wait, 39'000);
  EXPECT_TRUE(limiter.allow("chat", 2, 60'000, 160'000, wait));
}

TEST(RateLimiter, ForgetsFinishedWindows) {
  RateLimiter limiter;
  std::int64_t wait = 0;
  for (int i = 0; i < 1000; ++i) limiter.allow("visitor-" + std::to_string(i), 5, 1'000, 50'000, wait);
  limiter.allow("chat", 5, 60'000, 50'000, wait);
  EXPECT_EQ(limiter.tracked(), 1001u);
  limiter.allow("late", 5, 1'000, 61'000, wait);
  EXPECT_EQ(limiter.tracked(), 2u) << "the chat's minute still runs; the visitors' seconds are over";
}

// A batch asks for several sends under one key at once: what fits is granted, the rest told when.
TEST(RateLimiter, GrantsABatchWhatFitsInTheWindow) {
  RateLimiter limiter;
  auto g = limiter.take({{"i:a", 3, 1000, 2}, {"c:a:1", 1, 60000, 2}}, 10'000);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].granted, 2);
  EXPECT_EQ(g[1].granted, 1);
  EXPECT_EQ(g[1].retry_after_ms, 60000);
  g = limiter.take({{"i:a", 3, 1000, 5}}, 10'400);
  EXPECT_EQ(g[0].granted, 1) << "one left of three this second";
  EXPECT_EQ(g[0].retry_after_ms, 600);
  EXPECT_EQ(limiter.take({{"i:a", 3, 1000, 5}}, 11'000)[0].granted, 3) << "a new second";
}

// Events granted and then not made (their other limit refused them) go back to the window.
TEST(RateLimiter, EventsGivenBackFreeTheirPlaces) {
  RateLimiter limiter;
  EXPECT_EQ(limiter.take({{"c:a:1", 2, 60000, 2}}, 0)[0].granted, 2);
  EXPECT_EQ(limiter.take({{"c:a:1", 2, 60000, 1}}, 10)[0].granted, 0);
  limiter.take({{"c:a:1", 2, 60000, -1}}, 20);
  EXPECT_EQ(limiter.take({{"c:a:1", 2, 60000, 1}}, 30)[0].granted, 1) << "the place given back";
}

}  // namespace
}  // namespace sb
