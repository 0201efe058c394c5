// CurlHttpClient::send_all over real connections to the fake platforms: requests side by side, each
// answer under its own index, failures confined to their own request, and the idle callback.
#include <gtest/gtest.h>

#include <map>

#include "fakes/fake_platforms.hpp"
#include "http/client.hpp"

namespace sb::test {
namespace {

http::ClientRequest telegram_send(const FakePlatforms& fake, const std::string& text) {
  return {"POST", fake.base_url("telegram") + "/bot123:ABC/sendMessage", {{"Content-Type", "application/json"}},
          "{\"chat_id\":42,\"text\":\"" + text + "\"}"};
}

std::map<std::size_t, Result<http::ClientResponse>> send_all(http::HttpClient& client,
                                                             const std::vector<http::ClientRequest>& requests,
                                                             std::size_t in_flight, int* idle_calls = nullptr) {
  std::map<std::size_t, Result<http::ClientResponse>> out;
  client.send_all(
      requests, in_flight,
      [&](std::size_t i, Result<http::ClientResponse> r) {
        EXPECT_FALSE(out.count(i)) << "request " << i << " answered twice";
        out.emplace(i, std::move(r));
      },
      [&] {
        if (idle_calls) ++*idle_calls;
      });
  return out;
}

TEST(CurlHttpClientSendAll, EachAnswerComesBackUnderItsOwnRequest) {
  FakePlatforms fake;
  fake.script("slack", {FakeOutcome{FakeKind::timeout, 0, 1500}});
  http::ClientRequest slow{"POST", fake.base_url("slack") + "/chat.postMessage", {{"Content-Type", "application/json"}},
                           "{}"};
  slow.timeout_ms = 300;
  http::CurlHttpClient client;
  auto results = send_all(client,
                          {telegram_send(fake, "first"), {"GET", fake.root_url() + "/nowhere", {}, ""},
                           {"GET", "http://127.0.0.1:1/refused", {}, ""}, slow, telegram_send(fake, "second")},
                          8);
  ASSERT_EQ(results.size(), 5u);
  ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
  EXPECT_EQ(results.at(0)->status, 200);
  EXPECT_NE(results.at(0)->body.find("\"message_id\""), std::string::npos);
  ASSERT_TRUE(results.at(1));
  EXPECT_EQ(results.at(1)->status, 404);
  ASSERT_FALSE(results.at(2));
  EXPECT_EQ(results.at(2).error().code, "transport");
  ASSERT_FALSE(results.at(3));
  EXPECT_EQ(results.at(3).error().code, "timeout");
  ASSERT_TRUE(results.at(4));
  EXPECT_EQ(results.at(4)->status, 200);
  std::vector<std::string> texts;
  for (const auto& m : fake.sent()) texts.push_back(m.text);
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(texts, (std::vector<std::string>{"first", "second"}));  // bodies went out whole
}

TEST(CurlHttpClientSendAll, ALimitOfOneQueuesTheRestAndHandlesAreReused) {
  FakePlatforms fake;
  http::CurlHttpClient client;
  for (int round = 0; round < 2; ++round) {
    std::vector<http::ClientRequest> requests;
    for (int i = 0; i < 6; ++i) requests.push_back(telegram_send(fake, "r" + std::to_string(round) + "m" + std::to_string(i)));
    auto results = send_all(client, requests, 1);
    ASSERT_EQ(results.size(), 6u);
    for (auto& [i, r] : results) {
      ASSERT_TRUE(r) << r.error().message;
      EXPECT_EQ(r->status, 200);
    }
  }
  EXPECT_EQ(fake.sent().size(), 12u);
  // A handle that sent a POST sends a GET cleanly afterwards (options do not carry over).
  auto get = send_all(client, {{"GET", fake.base_url("telegram") + "/bot123:ABC/getMe", {}, ""}}, 1);
  ASSERT_TRUE(get.at(0));
  EXPECT_EQ(get.at(0)->status, 200);
  EXPECT_EQ(fake.requests().back().method, "GET");
  EXPECT_EQ(fake.requests().back().body, "");
}

TEST(CurlHttpClientSendAll, IdleRunsWhileAnAnswerIsSlow) {
  FakePlatforms fake;
  fake.script("telegram", {FakeOutcome{FakeKind::ok, 0, 1300}});
  http::CurlHttpClient client;
  int idle_calls = 0;
  auto results = send_all(client, {telegram_send(fake, "slow")}, 4, &idle_calls);
  ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
  EXPECT_EQ(results.at(0)->status, 200);
  EXPECT_GE(idle_calls, 1);
}

TEST(CurlHttpClientSendAll, NoRequestsIsNoCall) {
  http::CurlHttpClient client;
  bool called = false;
  client.send_all({}, 4, [&](std::size_t, Result<http::ClientResponse>) { called = true; }, [&] { called = true; });
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace sb::test
