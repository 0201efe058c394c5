// The fake OpenRouter over real HTTP: many calls wait at once on its one timer thread, streamed
// answers in OpenRouter's SSE format with usage and cost last, 429 with Retry-After, 5xx, a call that
// never answers, and a stream cut short.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include "fakes/fake_openrouter.hpp"
#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;

std::string completion_request(bool stream, const std::string& model = "fake/streamer") {
  json::object body{{"model", model},
                    {"messages", json::array{json::object{{"role", "user"}, {"content", "hello"}}}}};
  if (stream) body["stream"] = true;
  return json::serialize(body);
}

struct Exchange {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  std::string retry_after;
  beast::error_code error;  // how reading ended, when it did not end well
};

// One request on its own connection, read with Beast (which undoes the chunked encoding).
Exchange call(unsigned short port, const std::string& target, const std::string& body,
              std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  bhttp::request<bhttp::string_body> req{body.empty() ? bhttp::verb::get : bhttp::verb::post, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req);
  Exchange out;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  stream.expires_after(timeout);
  bool done = false;
  bhttp::async_read(stream, buffer, parser, [&](beast::error_code ec, std::size_t) {
    out.error = ec;
    done = true;
  });
  ioc.run();
  EXPECT_TRUE(done);
  if (parser.is_header_done()) {
    out.status = parser.get().result_int();
    out.content_type = std::string(parser.get()[bhttp::field::content_type]);
    out.retry_after = std::string(parser.get()[bhttp::field::retry_after]);
  }
  out.body = parser.get().body();
  return out;
}

// The `data:` payloads of an SSE body, in order (comments and blank lines dropped).
std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < body.size()) {
    auto end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string line = body.substr(start, end - start);
    if (line.rfind("data: ", 0) == 0) out.push_back(line.substr(6));
    start = end + 1;
  }
  return out;
}

TEST(FakeOpenRouterTest, ThreeHundredCallsWaitAtOnceOnOneTimerThread) {
  FakeOpenRouter fake;
  FakeAnswer slow;
  slow.delay_ms = 500;
  fake.answer({slow});
  constexpr int kCalls = 300;
  asio::io_context ioc;
  int answered = 0;
  const std::string body = completion_request(false);
  for (int i = 0; i < kCalls; ++i) {
    asio::co_spawn(
        ioc,
        [&, port = fake.port()]() -> asio::awaitable<void> {
          beast::tcp_stream stream(co_await asio::this_coro::executor);
          stream.expires_after(std::chrono::seconds(60));
          co_await stream.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                        asio::use_awaitable);
          bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/v1/chat/completions", 11};
          req.set(bhttp::field::host, "127.0.0.1");
          req.set(bhttp::field::content_type, "application/json");
          req.body() = body;
          req.prepare_payload();
          co_await bhttp::async_write(stream, req, asio::use_awaitable);
          beast::flat_buffer buffer;
          bhttp::response<bhttp::string_body> res;
          co_await bhttp::async_read(stream, buffer, res, asio::use_awaitable);
          if (res.result_int() == 200 && res.body().find("Hello from the model.") != std::string::npos) ++answered;
        },
        asio::detached);
  }
  ioc.run();
  EXPECT_EQ(answered, kCalls);
  const auto stats = fake.stats();
  EXPECT_EQ(stats.calls, kCalls);
  EXPECT_EQ(stats.in_flight, 0);
  // Every call was waiting at the same moment: its delays are timers, not sleeping threads.
  EXPECT_EQ(stats.max_in_flight, kCalls);
}

TEST(FakeOpenRouterTest, AnswersCarryUsageWithCost) {
  FakeOpenRouter fake;
  auto r = call(fake.port(), "/api/v1/chat/completions", completion_request(false, "openai/gpt-4o-mini"));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("model").as_string(), "openai/gpt-4o-mini");
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content").as_string(), "Hello from the model.");
  EXPECT_EQ(v.at("usage").at("prompt_tokens").as_int64(), 42);
  EXPECT_EQ(v.at("usage").at("completion_tokens").as_int64(), 7);
  EXPECT_DOUBLE_EQ(v.at("usage").at("cost").to_number<double>(), 0.000123);
  auto seen = fake.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].body.at("model").as_string(), "openai/gpt-4o-mini");
}

TEST(FakeOpenRouterTest, StreamsTokensAsServerSentEventsWithUsageInTheLastChunk) {
  FakeOpenRouter fake;
  FakeAnswer a;
  a.content = "Breakfast is served from seven.";
  a.first_token_ms = 50;
  a.token_ms = 5;
  a.completion_tokens = 5;
  a.cost = 0.00025;
  fake.answer({a});
  auto r = call(fake.port(), "/api/v1/chat/completions", completion_request(true));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_FALSE(r.error) << r.error.message();
  EXPECT_EQ(r.content_type, "text/event-stream");
  EXPECT_EQ(r.body.rfind(": OPENROUTER PROCESSING\n\n", 0), 0u) << "a keep-alive comment comes first";
  auto events = sse_data(r.body);
  ASSERT_GE(events.size(), 3u) << r.body;
  EXPECT_EQ(events.back(), "[DONE]");
  std::string text;
  int content_chunks = 0;
  for (std::size_t i = 0; i + 2 < events.size(); ++i) {
    auto chunk = json::parse(events[i]).as_object();
    EXPECT_EQ(chunk.at("object").as_string(), "chat.completion.chunk");
    EXPECT_EQ(chunk.at("model").as_string(), "fake/streamer");
    const auto& choice = chunk.at("choices").at(0).as_object();
    if (auto* c = choice.at("delta").as_object().if_contains("content")) {
      text += std::string(c->as_string());
      if (!c->as_string().empty()) ++content_chunks;
    }
    EXPECT_FALSE(chunk.contains("usage"));
  }
  EXPECT_EQ(text, "Breakfast is served from seven.");
  EXPECT_EQ(content_chunks, 5) << "one chunk per word";
  // The chunk before [DONE] carries usage and cost, with no choices, after the finish reason.
  auto finish = json::parse(events[events.size() - 3]).as_object();
  EXPECT_EQ(finish.at("choices").at(0).at("finish_reason").as_string(), "stop");
  auto last = json::parse(events[events.size() - 2]).as_object();
  EXPECT_TRUE(last.at("choices").as_array().empty());
  EXPECT_EQ(last.at("usage").at("prompt_tokens").as_int64(), 42);
  EXPECT_EQ(last.at("usage").at("completion_tokens").as_int64(), 5);
  EXPECT_EQ(last.at("usage").at("total_tokens").as_int64(), 47);
  EXPECT_DOUBLE_EQ(last.at("usage").at("cost").to_number<double>(), 0.00025);
  EXPECT_EQ(fake.stats().streamed, 1);
  EXPECT_EQ(fake.stats().in_flight, 0);
}

TEST(FakeOpenRouterTest, ManyStreamsWaitForTheirFirstTokenAtOnce) {
  FakeOpenRouter fake;
  FakeAnswer a;
  a.first_token_ms = 300;
  fake.answer({a});
  constexpr int kCalls = 100;
  std::vector<std::thread> clients;
  std::atomic<int> whole{0};
  for (int i = 0; i < kCalls; ++i)
    clients.emplace_back([&] {
      auto r = call(fake.port(), "/api/v1/chat/completions", completion_request(true));
      if (r.status == 200 && !r.error && r.body.ends_with("data: [DONE]\n\n")) ++whole;
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(whole.load(), kCalls);
  EXPECT_EQ(fake.stats().max_in_flight, kCalls);
}

TEST(FakeOpenRouterTest, RateLimitedWithRetryAfterAndServerErrors) {
  FakeOpenRouter fake;
  FakeAnswer limited{429};
  limited.retry_after = "7";
  fake.answer({limited, FakeAnswer{502}, FakeAnswer{503}});
  auto r = call(fake.port(), "/api/v1/chat/completions", completion_request(false));
  EXPECT_EQ(r.status, 429u);
  EXPECT_EQ(r.retry_after, "7");
  EXPECT_EQ(json::parse(r.body).at("error").at("code").as_int64(), 429);
  // A streamed request is refused the same way: the status comes before any event.
  r = call(fake.port(), "/api/v1/chat/completions", completion_request(true));
  EXPECT_EQ(r.status, 502u);
  EXPECT_EQ(json::parse(r.body).at("error").at("code").as_int64(), 502);
  r = call(fake.port(), "/api/v1/chat/completions", completion_request(false));
  EXPECT_EQ(r.status, 503u);
}

TEST(FakeOpenRouterTest, AnErrorEventInsideAStream) {
  FakeOpenRouter fake;
  FakeAnswer a;
  a.error_in_body = true;
  fake.answer({a});
  auto r = call(fake.port(), "/api/v1/chat/completions", completion_request(true));
  ASSERT_EQ(r.status, 200u);
  auto events = sse_data(r.body);
  ASSERT_EQ(events.size(), 2u) << r.body;
  auto e = json::parse(events[0]).as_object();
  EXPECT_EQ(e.at("error").at("code").as_int64(), 502);
  EXPECT_EQ(e.at("choices").at(0).at("finish_reason").as_string(), "error");
  EXPECT_EQ(events[1], "[DONE]");
}

TEST(FakeOpenRouterTest, AHangingCallNeverAnswersAndTheFakeStillStopsPromptly) {
  auto fake = std::make_unique<FakeOpenRouter>();
  FakeAnswer hang;
  hang.hang = true;
  fake->answer({hang});
  auto r = call(fake->port(), "/api/v1/chat/completions", completion_request(false), std::chrono::milliseconds(300));
  EXPECT_EQ(r.status, 0u) << "no head at all";
  EXPECT_EQ(r.error, beast::error::timeout);
  EXPECT_EQ(fake->stats().in_flight, 1) << "the call still waits";
  fake.reset();  // must not wait for the day-long timer
}

TEST(FakeOpenRouterTest, AStreamCutShortMidwayHasNoUsageAndNoEnd) {
  FakeOpenRouter fake;
  FakeAnswer a;
  a.content = "one two three four five";
  a.fail_after_chunks = 2;
  fake.answer({a});
  auto r = call(fake.port(), "/api/v1/chat/completions", completion_request(true));
  EXPECT_EQ(r.status, 200u);
  EXPECT_TRUE(r.error) << "the body never ended: " << r.body;
  // What came before the cut is readable; nothing after it.
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), fake.port()});
  const std::string body = completion_request(true);
  asio::write(socket, asio::buffer("POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                   "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body));
  const std::string raw = read_until_closed(socket);
  EXPECT_NE(raw.find("\"content\":\"one\""), std::string::npos) << raw;
  EXPECT_NE(raw.find("\"content\":\" two\""), std::string::npos) << raw;
  EXPECT_EQ(raw.find("three"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("usage"), std::string::npos);
  EXPECT_EQ(raw.find("[DONE]"), std::string::npos);
  EXPECT_FALSE(raw.ends_with("0\r\n\r\n")) << "no last chunk";
  EXPECT_EQ(fake.stats().in_flight, 0);
}

TEST(FakeOpenRouterTest, ControlRoutesScriptAnswersAndReportStats) {
  FakeOpenRouter::Options options;
  options.control_routes = true;
  options.remember_requests = false;
  FakeOpenRouter fake(options);
  auto scripted = call(fake.port(), "/_control/answers",
                       R"({"answers":[{"status":429,"retry_after":"2"},{"content":"Scripted.","delay_ms":10}]})");
  EXPECT_EQ(scripted.status, 204u) << scripted.body;
  EXPECT_EQ(call(fake.port(), "/api/v1/chat/completions", completion_request(false)).status, 429u);
  auto ok = call(fake.port(), "/api/v1/chat/completions", completion_request(false));
  EXPECT_EQ(json::parse(ok.body).at("choices").at(0).at("message").at("content").as_string(), "Scripted.");
  auto stats = json::parse(call(fake.port(), "/_control/stats", "").body).as_object();
  EXPECT_EQ(stats.at("calls").as_int64(), 2);
  EXPECT_EQ(stats.at("max_in_flight").as_int64(), 1);
  EXPECT_TRUE(fake.seen().empty()) << "bodies are not kept when told so";
  EXPECT_EQ(call(fake.port(), "/_control/answers", "{}").status, 400u);
}

}  // namespace
}  // namespace sb::test
