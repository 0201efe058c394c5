// CurlHttpClient::send_all over real connections to the fake platforms: requests side by side, each
// answer under its own index, failures confined to their own request, and the idle callback.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <thread>

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
  EXPECT_FALSE(http::may_have_arrived(results.at(2).error()));
  ASSERT_FALSE(results.at(3));
  EXPECT_EQ(results.at(3).error().code, "timeout");
  EXPECT_TRUE(http::may_have_arrived(results.at(3).error())) << "the slow platform had the request";
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

// A TCP listener on 127.0.0.1 with a free port, for servers that misbehave below HTTP.
struct Listener {
  int fd = -1;
  unsigned short port = 0;
  explicit Listener(int backlog) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd, backlog), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~Listener() { ::close(fd); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/bot123:ABC/sendMessage"; }
};

http::ClientRequest post_to(const std::string& url, long timeout_ms) {
  http::ClientRequest r{"POST", url, {{"Content-Type", "application/json"}}, "{\"chat_id\":42,\"text\":\"hi\"}"};
  r.timeout_ms = timeout_ms;
  r.connect_timeout_ms = std::min<long>(timeout_ms, 5000);
  return r;
}

// Whether a failed request may have reached the platform decides whether a reply is in doubt (ADR
// 0040): a server that took the request and never answered may have acted on it; a closed port
// never saw it. Both through send and send_all.
TEST(CurlHttpClientFailures, ARequestThatWentOutAndGotNoAnswerMayHaveArrived) {
  Listener silent(16);  // the kernel accepts the connection; nobody ever reads or answers
  http::CurlHttpClient client;
  auto one = client.send(post_to(silent.url(), 300));
  ASSERT_FALSE(one);
  EXPECT_EQ(one.error().code, "timeout");
  EXPECT_TRUE(http::may_have_arrived(one.error()));
  EXPECT_NE(one.error().message.find("after the request was sent"), std::string::npos) << one.error().message;
  auto both = send_all(client, {post_to(silent.url(), 300), post_to("http://127.0.0.1:1/refused", 300)}, 4);
  ASSERT_FALSE(both.at(0));
  EXPECT_EQ(both.at(0).error().code, "timeout");
  EXPECT_TRUE(http::may_have_arrived(both.at(0).error()));
  ASSERT_FALSE(both.at(1));
  EXPECT_EQ(both.at(1).error().code, "transport");
  EXPECT_FALSE(http::may_have_arrived(both.at(1).error()));
}

TEST(CurlHttpClientFailures, ARefusedConnectionNeverArrived) {
  Listener closed(1);
  std::string url = closed.url();
  ::close(closed.fd);  // the port is free again: connections to it are refused
  closed.fd = ::socket(AF_INET, SOCK_STREAM, 0);
  http::CurlHttpClient client;
  auto r = client.send(post_to(url, 300));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "transport");
  EXPECT_FALSE(http::may_have_arrived(r.error()));
  auto bad = client.send(post_to("http://no-such-host.invalid/x", 300));
  ASSERT_FALSE(bad);
  EXPECT_FALSE(http::may_have_arrived(bad.error())) << bad.error().code;
}

// A server that reads the whole request and then drops the connection without a status: the
// request arrived, the answer did not.
TEST(CurlHttpClientFailures, AConnectionClosedAfterTheRequestMayHaveArrived) {
  Listener server(16);
  std::thread peer([fd = server.fd] {
    int c = ::accept(fd, nullptr, nullptr);
    if (c < 0) return;
    std::string got;
    char buf[4096];
    while (got.find("\"hi\"}") == std::string::npos) {
      auto n = ::read(c, buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    linger hard{1, 0};  // a reset, as a crashed or overloaded proxy sends
    ::setsockopt(c, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::close(c);
  });
  http::CurlHttpClient client;
  auto r = client.send(post_to(server.url(), 5000));
  peer.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "no_answer") << r.error().message;
  EXPECT_TRUE(http::may_have_arrived(r.error()));
}

// No connection within the connect timeout (the listener's queue is full, so the kernel drops the
// handshake): nothing was written.
TEST(CurlHttpClientFailures, AConnectTimeoutNeverArrived) {
  Listener full(0);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {  // fill the accept queue (nobody accepts)
    int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(full.port);
    ::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a);
    fillers.push_back(c);
  }
  http::CurlHttpClient client;
  auto req = post_to(full.url(), 2000);
  req.connect_timeout_ms = 300;
  auto r = client.send(req);
  for (int c : fillers) ::close(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "connect_timeout") << r.error().message;
  EXPECT_FALSE(http::may_have_arrived(r.error()));
}

}  // namespace
}  // namespace sb::test
