// Integration harness: a real server on an ephemeral port over a fresh SQLite file or PostgreSQL
// database (when SWITCHBOARD_TEST_PG_URL is set), and an HTTP client that keeps a session.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>

#include "app/app.hpp"
#include "http/client.hpp"

namespace sb::test {

// Everything a raw connection reads until the other side closes it.
std::string read_until_closed(boost::asio::ip::tcp::socket& socket);

// A fresh, empty database for one test: a temporary SQLite file, or a new PostgreSQL database
// created on the server named by SWITCHBOARD_TEST_PG_URL and dropped afterwards.
class ScratchDatabase {
 public:
  ScratchDatabase();
  ~ScratchDatabase();
  const std::string& url() const { return url_; }
  const std::string& data_dir() const { return data_dir_; }
  bool postgres() const { return !admin_url_.empty(); }

 private:
  std::string data_dir_;
  std::string url_;
  std::string admin_url_;
  std::string pg_name_;
};

struct Reply {
  long status = 0;
  std::string body;
  http::ClientResponse raw;
  boost::json::value json() const;
  std::string header(const std::string& lower_name) const { return raw.header(lower_name); }
  // error.code of an error envelope, or "".
  std::string error_code() const;
};

// A user agent: remembers the session cookie, the other cookies and the CSRF token like a browser
// running the web app does.
class Agent {
 public:
  explicit Agent(std::string base_url) : base_(std::move(base_url)) {}
  Reply send(const std::string& method, const std::string& path, const std::string& body = "",
             std::vector<std::pair<std::string, std::string>> headers = {});
  Reply get(const std::string& path) { return send("GET", path); }
  Reply post(const std::string& path, const boost::json::value& body) {
    return send("POST", path, boost::json::serialize(body));
  }
  Reply patch(const std::string& path, const boost::json::value& body) {
    return send("PATCH", path, boost::json::serialize(body));
  }
  // Signs up and keeps the session; asserts it worked.
  boost::json::object signup(const std::string& email, const std::string& password = "correct horse battery",
                             const std::string& name = "Test User");
  boost::json::object signin(const std::string& email, const std::string& password = "correct horse battery");
  std::string cookie;  // sb_session
  std::map<std::string, std::string> cookies;  // every other cookie the server set (device cookies), name → value
  std::string csrf;
  std::string bearer;  // an API key, sent as Authorization: Bearer

 private:
  std::string base_;
  http::CurlHttpClient client_;
};

// Time a test moves by hand; it starts at the real time.
class TestClock final : public Clock {
 public:
  std::int64_t now_ms() const override { return now.load(); }
  void advance(std::int64_t ms) { now += ms; }
  std::atomic<std::int64_t> now{SystemClock().now_ms()};
};

// Starts the app for one test.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  Agent agent() { return Agent(base_url); }
  virtual void configure(Config&) {}
  // A clock of the test's own, or nullptr for the system clock.
  virtual const Clock* clock() { return nullptr; }
  // Stops the app and starts a new one on the same database and data folder (a new port).
  void restart();

  std::unique_ptr<ScratchDatabase> scratch;
  std::unique_ptr<App> app;
  Config config;
  std::string base_url;
  std::string static_dir;
};

std::string unique_email(const std::string& who);

// The link in the newest outbox mail to `email` that contains `marker` (e.g. "/verify-email?token="),
// read through the mailbox route as `admin` (a platform admin); "" when there is none.
std::string mailed_link(Agent& admin, const std::string& email, const std::string& marker);
// The token at the end of such a link.
std::string token_of_link(const std::string& link);
// Proves `email` with the verification link mailed to it; asserts it worked.
void verify_email(Agent& admin, const std::string& email);

}  // namespace sb::test
