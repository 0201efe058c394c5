// The HTTP surface over real connections: bad input, routing errors, health, metrics, headers, static UI.
#include "integration/harness.hpp"

#include <boost/asio.hpp>

#include <cstdio>
#include <map>
#include <sstream>

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

}  // namespace
}  // namespace sb::test
