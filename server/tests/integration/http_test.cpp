// The HTTP surface over real connections: bad input, routing errors, health, metrics, headers, static UI.
#include "integration/harness.hpp"

#include <boost/asio.hpp>

#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "core/logging.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

class HttpTest : public ServerTest {};

// Writes request on a new connection and returns everything read until the server closes it.
std::string raw_exchange(unsigned short port, const std::string& request) {
  namespace asio = boost::asio;
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(socket, asio::buffer(request));
  return read_until_closed(socket);
}

TEST_F(HttpTest, MalformedJsonIs400AndChangesNothing) {
  auto a = agent();
  auto r = a.send("POST", "/api/auth/signup", "{\"email\": \"x@example.com\", ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "invalid_json");
  auto array = a.send("POST", "/api/auth/signup", "[1,2]");
  EXPECT_EQ(array.status, 400);
  a.signup("x@example.com");  // nothing was created by the bad requests
}

TEST_F(HttpTest, WrongFieldTypesAre422PerField) {
  auto r = agent().post("/api/auth/signup", {{"email", 42}, {"password", json::array{}}, {"name", true}});
  ASSERT_EQ(r.status, 422);
  auto fields = r.json().at("error").at("details").at("fields").as_object();
  EXPECT_EQ(fields.at("email").as_string(), "Must be a string.");
  EXPECT_EQ(fields.at("password").as_string(), "Must be a string.");
  EXPECT_EQ(fields.at("name").as_string(), "Must be a string.");
}

TEST_F(HttpTest, NonJsonContentTypeIs415) {
  auto r = agent().send("POST", "/api/auth/signin", "email=a&password=b",
                        {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.error_code(), "unsupported_media_type");
}

TEST_F(HttpTest, OversizeBodyIs413) {
  std::string big = "{\"email\":\"" + std::string(1024 * 1024 + 10, 'a') + "\"}";
  auto r = agent().send("POST", "/api/auth/signup", big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.error_code(), "payload_too_large");
  // The server keeps serving after refusing it.
  EXPECT_EQ(agent().get("/healthz").status, 200);
}

TEST_F(HttpTest, UnknownRouteIs404AndWrongMethodIs405) {
  auto a = agent();
  auto missing = a.get("/api/no-such-thing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.error_code(), "not_found");
  // The router skips empty path segments; an unknown API path written with them is still an API
  // path, never the web app's page.
  auto doubled = a.get("//api//no-such-thing/");
  EXPECT_EQ(doubled.status, 404);
  EXPECT_EQ(doubled.error_code(), "not_found");
  EXPECT_EQ(a.get("/api").status, 404);
  EXPECT_EQ(a.get("/apiary").status, 200) << "only the api segment itself is the API";
  auto wrong = a.send("DELETE", "/api/auth/session");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.error_code(), "method_not_allowed");
  EXPECT_EQ(wrong.header("allow"), "GET");
  auto post_only = a.get("/api/auth/signup");
  EXPECT_EQ(post_only.status, 405);
  EXPECT_EQ(post_only.header("allow"), "POST");
}

TEST_F(HttpTest, HealthAndReadiness) {
  auto a = agent();
  auto health = a.get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json().at("status").as_string(), "ok");
  auto ready = a.get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json().at("status").as_string(), "ready");
  EXPECT_EQ(ready.json().at("pending_migrations").as_int64(), 0);
}

TEST_F(HttpTest, MetricsCountRequestsByRouteAndStatus) {
  auto a = agent();
  a.get("/healthz");
  a.get("/healthz");
  a.get("/api/auth/session");  // 401
  auto m = a.get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(m.body.find("switchboard_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("switchboard_http_requests_total{route=\"/api/auth/session\",method=\"GET\",status=\"401\"} 1"),
            std::string::npos);
  EXPECT_NE(m.body.find("switchboard_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2"),
            std::string::npos);
  EXPECT_NE(m.body.find("switchboard_db_pool_capacity 4"), std::string::npos);
}

TEST_F(HttpTest, RequestIdIsEchoedOrGenerated) {
  auto a = agent();
  auto given = a.send("GET", "/healthz", "", {{"X-Request-Id", "trace-abc.123"}});
  EXPECT_EQ(given.header("x-request-id"), "trace-abc.123");
  auto generated = a.get("/healthz");
  EXPECT_EQ(generated.header("x-request-id").size(), 24u);
  auto hostile = a.send("GET", "/healthz", "", {{"X-Request-Id", "bad id\"with<stuff>"}});
  EXPECT_NE(hostile.header("x-request-id"), "bad id\"with<stuff>");
}

TEST_F(HttpTest, SecurityHeadersOnEveryResponse) {
  auto a = agent();
  for (const char* path : {"/", "/healthz", "/api/nothing", "/settings/profile"}) {
    auto r = a.get(path);
    EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << path;
    EXPECT_EQ(r.header("referrer-policy"), "strict-origin-when-cross-origin") << path;
  }
}

TEST_F(HttpTest, ServesTheWebAppWithClientSideRouting) {
  auto a = agent();
  auto index = a.get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("<div id=root>"), std::string::npos);
  EXPECT_EQ(index.header("cache-control"), "no-cache");
  auto deep = a.get("/settings/profile");
  EXPECT_EQ(deep.status, 200);
  EXPECT_EQ(deep.body, index.body) << "unknown app paths get index.html";
  auto asset = a.get("/assets/app-1234abcd.js");
  ASSERT_EQ(asset.status, 200);
  EXPECT_EQ(asset.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_NE(asset.header("content-type").find("javascript"), std::string::npos);
  EXPECT_EQ(a.get("/assets/missing-0000.js").status, 404) << "a missing asset is not answered with index.html";
  EXPECT_EQ(a.get("/../../etc/passwd").status == 200 && a.get("/../../etc/passwd").body.find("root:") != std::string::npos,
            false);
  auto head = a.send("HEAD", "/healthz");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(HttpTest, KeepAliveServesManyRequestsOnOneConnection) {
  auto port = static_cast<unsigned short>(std::stoi(base_url.substr(base_url.rfind(':') + 1)));
  std::string all = raw_exchange(
      port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::size_t count = 0;
  for (auto pos = all.find("HTTP/1.1 200"); pos != std::string::npos; pos = all.find("HTTP/1.1 200", pos + 1)) ++count;
  EXPECT_EQ(count, 2u) << all;
}

TEST_F(HttpTest, AccessLogHasOneJsonLinePerRequestWithLongSegmentsMasked) {
  auto port = static_cast<unsigned short>(std::stoi(base_url.substr(base_url.rfind(':') + 1)));
  const std::string token(40, 'k');  // an invitation token in an app link
  std::fflush(stderr);
  log::init("info");
  ::testing::internal::CaptureStderr();
  // One connection, so each request is logged before the next is read; the last one closes it.
  raw_exchange(port,
               "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-log-1\r\n\r\n"
               "GET /invite/" + token + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-log-2\r\n\r\n"
               "GET //api//no-such-thing/ HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-log-3\r\n\r\n"
               "POST /api/auth/signin HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-log-4\r\n"
               "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  std::fflush(stderr);
  const std::string logs = ::testing::internal::GetCapturedStderr();
  log::init("error");
  EXPECT_EQ(logs.find(token), std::string::npos) << "a long path segment is never logged";
  std::map<std::string, json::object> by_id;
  std::istringstream lines(logs);
  for (std::string line; std::getline(lines, line);) {
    json::object o = json::parse(line).as_object();  // every line is one JSON object
    if (o.at("msg") == "request") by_id[json::value_to<std::string>(o.at("request_id"))] = o;
  }
  ASSERT_EQ(by_id.size(), 4u) << logs;
  const auto& health = by_id.at("trace-log-1");
  EXPECT_EQ(health.at("level"), "info");
  EXPECT_EQ(health.at("method"), "GET");
  EXPECT_EQ(health.at("path"), "/healthz");
  EXPECT_EQ(health.at("route"), "/healthz");
  EXPECT_EQ(health.at("status").as_int64(), 200);
  EXPECT_EQ(health.at("bytes_in").as_int64(), 0);
  EXPECT_GT(health.at("bytes_out").as_int64(), 0);
  EXPECT_GE(health.at("duration_ms").to_number<double>(), 0.0);
  EXPECT_EQ(health.at("remote_ip"), "127.0.0.1");
  EXPECT_EQ(json::value_to<std::string>(health.at("time")).size(), 24u) << "RFC 3339 with milliseconds";
  EXPECT_EQ(by_id.at("trace-log-2").at("path"), "/invite/:redacted");
  EXPECT_EQ(by_id.at("trace-log-3").at("path"), "/api/no-such-thing");
  EXPECT_EQ(by_id.at("trace-log-3").at("status").as_int64(), 404);
  EXPECT_EQ(by_id.at("trace-log-4").at("method"), "POST");
  EXPECT_EQ(by_id.at("trace-log-4").at("bytes_in").as_int64(), 2);
}

// A raw answer's status code and JSON body (the error envelope), or -1 and null when there is none.
std::pair<int, json::value> status_and_json(const std::string& wire) {
  if (wire.rfind("HTTP/1.1 ", 0) != 0 || wire.size() < 12) return {-1, nullptr};
  const auto body_at = wire.find("\r\n\r\n");
  boost::system::error_code ec;
  auto body = body_at == std::string::npos ? json::value() : json::parse(wire.substr(body_at + 4), ec);
  return {std::stoi(wire.substr(9, 3)), ec ? json::value() : body};
}

void expect_envelope(const std::string& wire, int status, const std::string& code) {
  auto [got, body] = status_and_json(wire);
  ASSERT_EQ(got, status) << wire.substr(0, 400);
  ASSERT_TRUE(body.is_object()) << wire.substr(0, 400);
  const auto& error = body.at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), code);
  EXPECT_FALSE(error.at("message").as_string().empty());
  EXPECT_TRUE(error.at("details").as_object().empty());
  EXPECT_NE(wire.find("Content-Type: application/json"), std::string::npos);
  EXPECT_NE(wire.find("Connection: close\r\n"), std::string::npos) << "the connection ends after the answer";
}

TEST_F(HttpTest, ALongUrlIs414WithTheErrorEnvelope) {
  auto port = static_cast<unsigned short>(std::stoi(base_url.substr(base_url.rfind(':') + 1)));
  // 100 KB: far past the 16 KB head, so the server has not even seen the end of the request line.
  expect_envelope(raw_exchange(port, "GET /api/" + std::string(100 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                  414, "uri_too_long");
  // A query string counts too, and a body sent behind the head does not hide the answer.
  expect_envelope(raw_exchange(port, "POST /api/auth/signin?q=" + std::string(100 * 1024, 'q') +
                                         " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                         "Content-Length: 2\r\n\r\n{}"),
                  414, "uri_too_long");
  // 10 KB: the head fits in 16 KB, the URL is still over 8 KB.
  expect_envelope(raw_exchange(port, "GET /" + std::string(10 * 1024, 'b') + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
                  "uri_too_long");
  expect_envelope(raw_exchange(port, "GET /?" + std::string(8 * 1024, 'c') + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
                  "uri_too_long");
  // Exactly 8 KB is served as usual.
  auto fits = raw_exchange(port, "GET /api/" + std::string(8 * 1024 - 5, 'd') +
                                     " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  expect_envelope(fits, 404, "not_found");
  // The server keeps serving.
  EXPECT_EQ(agent().get("/healthz").status, 200);
}

TEST_F(HttpTest, TooManyOrTooLargeHeadersAre431WithTheErrorEnvelope) {
  auto port = static_cast<unsigned short>(std::stoi(base_url.substr(base_url.rfind(':') + 1)));
  auto with_fields = [](int n) {
    std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    for (int i = 0; i < n; ++i) request += "a: b\r\n";  // 6 bytes each: the count is the limit, not the size
    return request + "\r\n";
  };
  expect_envelope(raw_exchange(port, with_fields(2001)), 431, "request_header_fields_too_large");
  auto [ok_status, ok_body] = status_and_json(raw_exchange(port, with_fields(1998)));
  EXPECT_EQ(ok_status, 200) << "2,000 fields in all (Host and Connection included) are accepted";
  // One field of 20 KB: past the 16 KB head.
  expect_envelope(raw_exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: " + std::string(20 * 1024, 'k') +
                                         "\r\n\r\n"),
                  431, "request_header_fields_too_large");
  // Many medium ones, with a body behind them.
  std::string big = "POST /api/auth/signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
  for (int i = 0; i < 200; ++i) big += "X-Padding-" + std::to_string(i) + ": " + std::string(200, 'p') + "\r\n";
  expect_envelope(raw_exchange(port, big + "Content-Length: 2\r\n\r\n{}"), 431, "request_header_fields_too_large");
  EXPECT_EQ(agent().get("/healthz").status, 200);
}

TEST_F(HttpTest, RandomWebhookPlatformsMethodsAndPathsDoNotGrowTheMetrics) {
  auto a = agent();
  std::mt19937 random(20261204);
  auto word = [&](std::size_t max_len) {
    static const std::string chars = "abcdefghijklmnopqrstuvwxyz0123456789-_~";
    std::string w;
    const auto len = 1 + random() % max_len;
    for (std::size_t i = 0; i < len; ++i) w += chars[random() % chars.size()];
    return w;
  };
  static const std::vector<std::string> methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  // One request of each kind, the random ones below draw from: their series exist before counting.
  auto request = [&](int kind, const std::string& method, const std::string& name) {
    switch (kind) {
      case 0: return a.send("POST", "/hooks/" + name + "/" + word(20), "{}");           // made-up platform
      case 1: return a.send("POST", "/hooks/telegram/" + name, "{}");                   // made-up integration
      case 2: return a.send("POST", "/hooks/" + name + "%22%0A%7D/x", "{}");            // quote, newline, brace
      case 3: return a.send(std::string("X") + name, "/" + word(10));                   // made-up method
      case 4: return a.send(method, "/api/" + name);                                     // made-up API path
      default: return a.send(method, "/" + name + "/" + word(10));                       // made-up app path
    }
  };
  for (int kind = 0; kind < 6; ++kind)
    for (const auto& method : methods) request(kind, method, word(12));
  a.get("/metrics");
  const auto before = a.get("/metrics").body;
  for (int i = 0; i < 1000; ++i) {
    const auto r = request(static_cast<int>(random() % 6), methods[random() % methods.size()], word(24));
    ASSERT_GE(r.status, 200) << "request " << i;
  }
  const auto after = a.get("/metrics").body;
  EXPECT_LT(after.size(), before.size() + 600) << "from " << before.size() << " to " << after.size() << " bytes\n"
                                                << after.substr(0, 4000);
  EXPECT_NE(after.find("switchboard_webhook_rejected_total{platform=\"unknown\",reason=\"unknown_integration\"}"),
            std::string::npos)
      << after.substr(0, 4000);
  EXPECT_NE(after.find("switchboard_webhook_rejected_total{platform=\"telegram\",reason=\"unknown_integration\"}"),
            std::string::npos);
}

TEST(HttpStreamTest, PiecesGoOutAsChunksAndAFailureCutsTheBodyShort) {
  http::Router router;
  router.add(http::Method::get, "/pieces", [](http::Request&) {
    auto left = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"a", "", "bc"});
    return http::Response::streamed(
        200,
        [left]() -> std::optional<std::string> {
          if (left->empty()) return std::nullopt;
          std::string piece = left->front();
          left->erase(left->begin());
          return piece;
        },
        "text/plain");
  });
  router.add(http::Method::get, "/broken", [](http::Request&) {
    auto calls = std::make_shared<int>(0);
    return http::Response::streamed(
        200,
        [calls]() -> std::optional<std::string> {
          if ((*calls)++ == 0) return std::string("part");
          throw std::runtime_error("the database went away");
        },
        "text/plain");
  });
  http::Metrics metrics;
  http::ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.blocking_threads = 2;
  options.shutdown_grace_seconds = 1;
  http::Server server(options, router, metrics, nullptr);
  const auto port = server.start();

  auto whole = raw_exchange(port, "GET /pieces HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(whole.rfind("HTTP/1.1 200", 0), 0u) << whole;
  EXPECT_NE(whole.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(whole.find("Content-Length"), std::string::npos);
  const auto body = whole.substr(whole.find("\r\n\r\n") + 4);
  EXPECT_EQ(body, "1\r\na\r\n2\r\nbc\r\n0\r\n\r\n") << "an empty piece is skipped; the last chunk ends the body";

  // Kept alive, a failed stream closes the connection after what was sent, with no last chunk.
  auto cut = raw_exchange(port, "GET /broken HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto cut_body = cut.substr(cut.find("\r\n\r\n") + 4);
  EXPECT_EQ(cut_body, "4\r\npart\r\n");
  // Its 200 went out, and the metrics say it was cut short; the whole one is not counted there.
  const auto rendered = metrics.render();
  EXPECT_NE(rendered.find("switchboard_http_responses_cut_short_total{route=\"/broken\"} 1\n"), std::string::npos)
      << rendered;
  EXPECT_EQ(rendered.find("switchboard_http_responses_cut_short_total{route=\"/pieces\"}"), std::string::npos);
  server.stop();
  server.wait();
}

// A deferred handler may answer with a body whose pieces come later, from any thread, holding none
// while they are awaited: one blocking thread serves many such streams at once.
TEST(HttpStreamTest, LatePiecesArriveFromAnyThreadAndACutEndsTheBodyShort) {
  http::Router router;
  http::RouteOptions inline_route;
  inline_route.blocking = false;
  auto later = [](std::vector<std::string> pieces, bool cut) {
    auto left = std::make_shared<std::vector<std::string>>(std::move(pieces));
    return http::Response::streamed_later(
        200,
        [left, cut](http::Response::PieceReady ready) {
          // Each piece is handed over by a thread of its own, after a short while.
          std::thread([left, cut, ready] {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (left->empty()) return ready(cut ? http::Response::LatePiece::cut() : http::Response::LatePiece::end());
            std::string piece = left->front();
            left->erase(left->begin());
            ready(http::Response::LatePiece::piece(piece));
          }).detach();
        },
        "text/event-stream");
  };
  router.add_deferred(
      http::Method::get, "/late",
      [&](http::Request&, http::Responder respond) {
        std::thread([respond, &later] { respond(later({"data: a\n\n", "", "data: bc\n\n"}, false)); }).detach();
      },
      inline_route);
  router.add_deferred(
      http::Method::get, "/late-broken",
      [&](http::Request&, http::Responder respond) { respond(later({"part"}, true)); }, inline_route);
  http::Metrics metrics;
  http::ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.blocking_threads = 1;
  options.shutdown_grace_seconds = 1;
  http::Server server(options, router, metrics, nullptr);
  const auto port = server.start();

  // Several at once, on one I/O thread and one blocking thread.
  std::vector<std::string> answers(8);
  std::vector<std::thread> clients;
  for (auto& a : answers)
    clients.emplace_back([&a, port] { a = raw_exchange(port, "GET /late HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); });
  for (auto& t : clients) t.join();
  for (const auto& whole : answers) {
    EXPECT_EQ(whole.rfind("HTTP/1.1 200", 0), 0u) << whole;
    EXPECT_NE(whole.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
    EXPECT_NE(whole.find("Content-Type: text/event-stream\r\n"), std::string::npos);
    const auto body = whole.substr(whole.find("\r\n\r\n") + 4);
    EXPECT_EQ(body, "9\r\ndata: a\n\n\r\na\r\ndata: bc\n\n\r\n0\r\n\r\n");
  }

  auto cut = raw_exchange(port, "GET /late-broken HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(cut.substr(cut.find("\r\n\r\n") + 4), "4\r\npart\r\n") << "no last chunk, then the connection closes";
  EXPECT_NE(metrics.render().find("switchboard_http_responses_cut_short_total{route=\"/late-broken\"} 1\n"),
            std::string::npos);
  server.stop();
  server.wait();
}

}  // namespace
}  // namespace sb::test
