// Circuit breakers: when a provider counts as down, for how long, the one probe, and what a key's
// rejection or a rate limit mean.
#include <gtest/gtest.h>

#include "ai/circuit_breaker.hpp"

namespace sb::ai {
namespace {

TEST(CircuitBreakerTest, OpensAfterARunOfFailuresForAGrowingIntervalWithOneProbe) {
  CircuitBreakers b({.failures_to_open = 3, .first_open_ms = 1000, .max_open_ms = 3000, .key_rejected_ms = 60000});
  const std::string k = "k1";
  b.record_failure(k, 503, "No provider.", 100);
  b.record_failure(k, 0, "Timed out.", 200);
  EXPECT_TRUE(b.allow(k, 300)) << "two failures are not a run yet";
  b.record_failure(k, 502, "Model down.", 300);
  EXPECT_EQ(b.state(k).state, "down");
  EXPECT_EQ(b.state(k).since_ms, 300);
  EXPECT_FALSE(b.allow(k, 1299));
  EXPECT_TRUE(b.allow(k, 1300)) << "one probe after the interval";
  EXPECT_FALSE(b.allow(k, 1301)) << "the others wait for the probe";
  b.record_failure(k, 502, "Still down.", 1400);
  EXPECT_FALSE(b.allow(k, 3300)) << "the interval doubled";
  EXPECT_TRUE(b.allow(k, 3400));
  b.record_failure(k, 502, "Still down.", 3500);
  EXPECT_FALSE(b.allow(k, 6400)) << "capped at max_open_ms";
  EXPECT_TRUE(b.allow(k, 6500));
  EXPECT_EQ(b.state(k).since_ms, 300) << "down since the first time";
  b.record_success(k, 6600);
  EXPECT_EQ(b.state(k).state, "ok");
  EXPECT_TRUE(b.allow(k, 6601));
}

TEST(CircuitBreakerTest, ASuccessBetweenFailuresResetsTheRun) {
  CircuitBreakers b({.failures_to_open = 2});
  b.record_failure("k", 500, "x", 1);
  b.record_success("k", 2);
  b.record_failure("k", 500, "x", 3);
  EXPECT_EQ(b.state("k").state, "ok");
}

TEST(CircuitBreakerTest, RejectedKeysNeedAttentionAndRateLimitsAreNotDown) {
  CircuitBreakers b;
  b.record_failure("bad", 401, "OpenRouter rejected the API key (401).", 10);
  EXPECT_EQ(b.state("bad").state, "needs_attention");
  EXPECT_FALSE(b.allow("bad", 20));
  EXPECT_TRUE(b.allow("other", 20)) << "only that key";
  b.record_failure("poor", 402, "No credit.", 10);
  EXPECT_EQ(b.state("poor").state, "needs_attention");
  for (int i = 0; i < 20; ++i) b.record_failure("busy", 429, "Rate limited.", i);
  EXPECT_EQ(b.state("busy").state, "ok");
  EXPECT_TRUE(b.allow("busy", 30));
  for (int i = 0; i < 20; ++i) b.record_failure("asked", 400, "Invalid.", i);
  EXPECT_EQ(b.state("asked").state, "ok") << "a bad request says nothing about the provider";
  auto counts = b.counts();
  EXPECT_EQ(counts["needs_attention"], 2);
  EXPECT_EQ(counts["down"], 0);
  EXPECT_EQ(b.worst().state, "needs_attention");
}

TEST(CircuitBreakerTest, FingerprintsDependOnProviderAndKeyAndHideTheKey) {
  auto a = key_fingerprint("https://openrouter.ai/api/v1", "sk-or-v1-secret");
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a.find("secret"), std::string::npos);
  EXPECT_NE(a, key_fingerprint("https://openrouter.ai/api/v1", "sk-or-v1-other"));
  EXPECT_NE(a, key_fingerprint("http://127.0.0.1:9/api/v1", "sk-or-v1-secret"));
}

}  // namespace
}  // namespace sb::ai
