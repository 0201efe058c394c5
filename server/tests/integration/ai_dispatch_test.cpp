// The asynchronous model path against the fake OpenRouter over real HTTP: many calls in flight on
// one thread, the per-process and per-organisation bounds served round-robin, streaming with usage
// and cost, mid-stream failures, and the circuit breakers (down after timeouts and 5xx, a rejected
// key marking only that key, 429 never "down").
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "ai/dispatcher.hpp"
#include "fakes/fake_openrouter.hpp"

namespace sb::test {
namespace {

class AiDispatchTest : public ::testing::Test {
 protected:
  ai::OpenRouterSettings settings(int attempts = 1) {
    ai::OpenRouterSettings s;
    s.base_url = fake.base_url();
    s.api_key = "sk-or-installation";
    s.timeout_ms = 3000;
    s.max_attempts = attempts;
    s.retry_budget_ms = 3000;
    return s;
  }
  ai::CompletionRequest request(const std::string& model) {
    return {model, {{"system", "Be brief."}, {"user", "Hello"}}, 0.2, 64};
  }
  // Waits until `n` calls have answered (a guard against a hang, not a measure of speed).
  void wait_for(std::atomic<int>& done, int n) {
    for (int i = 0; i < 600 && done.load() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(done.load(), n) << "calls did not finish";
  }

  FakeOpenRouter fake;
  SystemClock clock;
  ai::CircuitBreakers breakers;
  http::AsyncHttpClient http;
};

TEST_F(AiDispatchTest, FiveHundredCallsWaitTogetherOnOneThread) {
  FakeAnswer slow;
  slow.delay_ms = 1500;
  fake.answer({slow});
  ai::OpenRouterClient provider(http, clock, settings(), breakers);
  ai::Dispatcher dispatcher(provider, clock, {4096, 4096});
  std::atomic<int> done{0}, ok{0};
  for (int i = 0; i < 500; ++i)
    dispatcher.submit("org_" + std::to_string(i % 7), "sk-or-installation", request("m/" + std::to_string(i)), false, {},
                      [&](Result<ai::Completion> c) {
                        if (c && c->text == "Hello from the model.") ++ok;
                        ++done;
                      });
  wait_for(done, 500);
  EXPECT_EQ(ok.load(), 500);
  // No thread per call: every call was waiting at the fake at the same moment.
  EXPECT_EQ(fake.stats().max_in_flight, 500);
  EXPECT_EQ(dispatcher.stats().in_flight, 0u);
}

TEST_F(AiDispatchTest, BoundsHoldAndWaitingCallsAreServedRoundRobinAcrossOrganisations) {
  FakeAnswer slow;
  slow.delay_ms = 150;
  fake.answer({slow});
  ai::OpenRouterClient provider(http, clock, settings(), breakers);
  ai::Dispatcher dispatcher(provider, clock, {10, 5});
  std::atomic<int> done{0};
  // A burst of 60 from one organisation, then 3 from another.
  for (int i = 0; i < 60; ++i)
    dispatcher.submit("org_big", "sk-or-installation", request("big/" + std::to_string(i)), false, {},
                      [&](Result<ai::Completion>) { ++done; });
  EXPECT_EQ(dispatcher.stats().in_flight, 5u) << "the big organisation alone gets its own bound";
  EXPECT_EQ(dispatcher.stats().waiting, 55u);
  for (int i = 0; i < 3; ++i)
    dispatcher.submit("org_small", "sk-or-installation", request("small/" + std::to_string(i)), false, {},
                      [&](Result<ai::Completion>) { ++done; });
  EXPECT_EQ(dispatcher.stats().in_flight, 8u) << "the small organisation starts at once";
  wait_for(done, 63);
  auto stats = fake.stats();
  EXPECT_LE(stats.max_in_flight, 10) << "never more than the process bound";
  auto seen = fake.seen();
  ASSERT_EQ(seen.size(), 63u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    std::string model(seen[i].body.at("model").as_string());
    if (model.rfind("small/", 0) == 0) EXPECT_LT(i, 8u) << "the small organisation waited behind the burst";
  }
}

// The scenario with the default bounds: one organisation sends 2,000 messages, another 20.
// The small one's calls all start in the first wave (they wait behind nothing), so its replies come
// after one model latency while the burst takes 2,000 / 64 of them. bench/ai.sh measures the times.
TEST_F(AiDispatchTest, TwentyCallsOfASmallOrganisationGoOutInTheFirstWaveBesideABurstOfTwoThousand) {
  FakeAnswer slow;
  slow.delay_ms = 400;
  fake.answer({slow});
  ai::OpenRouterClient provider(http, clock, settings(), breakers);
  ai::Dispatcher dispatcher(provider, clock, {1024, 64});
  std::atomic<int> done{0};
  for (int i = 0; i < 2000; ++i)
    dispatcher.submit("org_big", "sk-or-installation", request("big/" + std::to_string(i)), false, {},
                      [&](Result<ai::Completion>) { ++done; });
  for (int i = 0; i < 20; ++i)
    dispatcher.submit("org_small", "sk-or-installation", request("small/" + std::to_string(i)), false, {},
                      [&](Result<ai::Completion>) { ++done; });
  EXPECT_EQ(dispatcher.stats().in_flight, 84u) << "64 of the burst and all 20 of the small organisation";
  EXPECT_EQ(dispatcher.stats().waiting, 1936u);
  // Enough for the small organisation's answers and the burst's first waves; the rest is not needed.
  for (int i = 0; i < 600 && done.load() < 200; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto seen = fake.seen();
  ASSERT_GE(seen.size(), 84u);
  int small_in_first_wave = 0;
  for (std::size_t i = 0; i < 84; ++i)
    if (std::string(seen[i].body.at("model").as_string()).rfind("small/", 0) == 0) ++small_in_first_wave;
  EXPECT_EQ(small_in_first_wave, 20) << "every call of the small organisation went out with the first wave";
  http.stop();  // the burst's remaining calls end here, before `done` and the dispatcher go
}

TEST_F(AiDispatchTest, StreamsPiecesThenUsageAndCostFromTheLastChunk) {
  FakeAnswer a;
  a.content = "One two three four";
  a.first_token_ms = 50;
  a.token_ms = 20;
  a.cost = 0.000987;
  fake.answer({a});
  ai::OpenRouterClient provider(http, clock, settings(), breakers);
  std::vector<std::string> pieces;
  std::promise<Result<ai::Completion>> result;
  provider.complete(request("openai/gpt-4o-mini"), "sk-or-installation", true,
                    [&](std::string_view piece) { pieces.emplace_back(piece); },
                    [&](Result<ai::Completion> c) { result.set_value(std::move(c)); });
  auto c = result.get_future().get();
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->text, "One two three four");
  EXPECT_GE(pieces.size(), 4u) << "the answer came in pieces";
  std::string joined;
  for (const auto& p : pieces) joined += p;
  EXPECT_EQ(joined, c->text);
  EXPECT_EQ(c->cost_micros, 987);
  EXPECT_EQ(c->prompt_tokens, 42);
  EXPECT_EQ(c->completion_tokens, 7);
  EXPECT_TRUE(fake.seen()[0].body.at("stream").as_bool());
}

TEST_F(AiDispatchTest, AStreamThatBreaksAfterItsFirstPiecesIsInterruptedAndNotRetried) {
  FakeAnswer broken;
  broken.content = "This answer will never be finished at all";
  broken.fail_after_chunks = 3;
  broken.token_ms = 10;
  fake.answer({broken, FakeAnswer{}});
  ai::OpenRouterClient provider(http, clock, settings(3), breakers);
  int pieces = 0;
  std::promise<Result<ai::Completion>> result;
  provider.complete(request("m"), "sk-or-installation", true, [&](std::string_view) { ++pieces; },
                    [&](Result<ai::Completion> c) { result.set_value(std::move(c)); });
  auto c = result.get_future().get();
  ASSERT_FALSE(c);
  EXPECT_EQ(pieces, 3);
  EXPECT_TRUE(c.error().details.at("interrupted").as_bool());
  EXPECT_EQ(fake.stats().calls, 1) << "pieces were already shown: no second attempt";
}

TEST_F(AiDispatchTest, RateLimitIsRetriedAfterRetryAfterWithoutHoldingAThread) {
  FakeAnswer limited{429};
  limited.retry_after = "1";
  fake.answer({limited, FakeAnswer{200, "Now it works."}});
  ai::OpenRouterClient provider(http, clock, settings(3), breakers);
  std::promise<Result<ai::Completion>> result;
  auto started = std::chrono::steady_clock::now();
  provider.complete(request("m"), "sk-or-installation", false, {},
                    [&](Result<ai::Completion> c) { result.set_value(std::move(c)); });
  auto c = result.get_future().get();
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->text, "Now it works.");
  EXPECT_EQ(c->attempts, 2);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(950)) << "Retry-After was honoured";
  EXPECT_EQ(breakers.state(ai::key_fingerprint(fake.base_url(), "sk-or-installation")).state, "ok")
      << "429 means back off, not down";
}

TEST_F(AiDispatchTest, AProviderFailingAgainAndAgainIsMarkedDownAndCallsFailAtOnce) {
  fake.answer({FakeAnswer{502}});
  ai::OpenRouterClient provider(http, clock, settings(1), breakers);
  ai::Dispatcher dispatcher(provider, clock, {16, 16});
  auto call = [&] {
    std::promise<Result<ai::Completion>> result;
    dispatcher.submit("org_a", "sk-or-installation", request("m"), false, {},
                      [&](Result<ai::Completion> c) { result.set_value(std::move(c)); });
    return result.get_future().get();
  };
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(call());
  EXPECT_EQ(fake.stats().calls, 5);
  auto fp = ai::key_fingerprint(fake.base_url(), "sk-or-installation");
  EXPECT_EQ(breakers.state(fp).state, "down");
  EXPECT_GT(breakers.state(fp).since_ms, 0);
  auto refused = call();
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().details.at("degraded").as_bool());
  EXPECT_NE(refused.error().message.find("down"), std::string::npos);
  EXPECT_EQ(fake.stats().calls, 5) << "no call goes out while the provider is down";
  EXPECT_EQ(dispatcher.stats().refused_by_breaker, 1u);
  EXPECT_EQ(breakers.worst().state, "down");
}

TEST_F(AiDispatchTest, ARejectedKeyMarksOnlyThatKey) {
  fake.answer({FakeAnswer{401}, FakeAnswer{200, "Fine."}});
  ai::OpenRouterClient provider(http, clock, settings(1), breakers);
  ai::Dispatcher dispatcher(provider, clock, {16, 16});
  auto call = [&](const std::string& org, const std::string& key) {
    std::promise<Result<ai::Completion>> result;
    dispatcher.submit(org, key, request("m"), false, {}, [&](Result<ai::Completion> c) { result.set_value(std::move(c)); });
    return result.get_future().get();
  };
  EXPECT_FALSE(call("org_a", "sk-or-org-a-bad"));
  EXPECT_EQ(breakers.state(ai::key_fingerprint(fake.base_url(), "sk-or-org-a-bad")).state, "needs_attention");
  EXPECT_FALSE(call("org_a", "sk-or-org-a-bad")) << "the rejected key is not tried again at once";
  EXPECT_EQ(fake.stats().calls, 1);
  auto other = call("org_b", "sk-or-org-b-good");
  ASSERT_TRUE(other) << "another organisation's key still answers";
  EXPECT_EQ(other->text, "Fine.");
}

}  // namespace
}  // namespace sb::test
