// Integration harness implementation.
#include "integration/harness.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "core/crypto.hpp"
#include "core/logging.hpp"
#include "db/database.hpp"

namespace sb::test {
namespace fs = std::filesystem;

namespace {
std::string make_temp_dir(const std::string& prefix) {
  std::string tmpl = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}
}  // namespace

std::string read_until_closed(boost::asio::ip::tcp::socket& socket) {
  std::string all;
  boost::system::error_code ec;
  char buf[4096];
  for (;;) {
    auto n = socket.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    all.append(buf, n);
  }
  return all;
}

ScratchDatabase::ScratchDatabase() {
  crypto::init();
  data_dir_ = make_temp_dir("sb-test-");
  const char* pg = std::getenv("SWITCHBOARD_TEST_PG_URL");
  if (!pg || !*pg) {
    url_ = "sqlite:" + data_dir_ + "/switchboard.db";
    return;
  }
  admin_url_ = pg;
  pg_name_ = "sb_it_" + crypto::to_hex(crypto::random_bytes(6));
  {
    auto admin = db::open_database(admin_url_, 1);
    auto conn = admin->acquire();
    conn->execute("CREATE DATABASE " + pg_name_);
  }
  boost::urls::url u = boost::urls::parse_uri(admin_url_).value();
  u.set_path("/" + pg_name_);
  url_ = std::string(u.buffer());
}

ScratchDatabase::~ScratchDatabase() {
  if (!admin_url_.empty()) {
    try {
      auto admin = db::open_database(admin_url_, 1);
      auto conn = admin->acquire();
      conn->execute("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "could not drop %s: %s\n", pg_name_.c_str(), e.what());
    }
  }
  std::error_code ec;
  fs::remove_all(data_dir_, ec);
}

boost::json::value Reply::json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec) ADD_FAILURE() << "not JSON: " << body.substr(0, 300);
  return v;
}

std::string Reply::error_code() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  auto* e = v.as_object().if_contains("error");
  if (!e || !e->is_object()) return "";
  auto* code = e->as_object().if_contains("code");
  return code && code->is_string() ? std::string(code->as_string()) : "";
}

Reply Agent::send(const std::string& method, const std::string& path, const std::string& body,
                  std::vector<std::pair<std::string, std::string>> headers) {
  http::ClientRequest req;
  req.method = method;
  req.url = base_ + path;
  req.body = body;
  req.timeout_ms = 30000;
  bool has_type = false;
  for (auto& [k, v] : headers) has_type |= boost::beast::iequals(k, "Content-Type");
  if (!body.empty() && !has_type) headers.emplace_back("Content-Type", "application/json");
  std::string cookie_header = cookie.empty() ? "" : "sb_session=" + cookie;
  for (const auto& [name, value] : cookies)
    cookie_header += (cookie_header.empty() ? "" : "; ") + name + "=" + value;
  if (!cookie_header.empty()) headers.emplace_back("Cookie", cookie_header);
  if (!bearer.empty()) headers.emplace_back("Authorization", "Bearer " + bearer);
  if (!csrf.empty() && method != "GET" && method != "HEAD") headers.emplace_back("X-CSRF-Token", csrf);
  headers.emplace_back("Expect", "");  // send bodies at once, as browsers do
  req.headers = std::move(headers);
  auto res = client_.send(req);
  if (!res) {
    ADD_FAILURE() << method << " " << path << ": " << res.error().message;
    return {};
  }
  Reply reply{res->status, res->body, *res};
  for (const auto& set_cookie : res->all("set-cookie")) {
    auto end = set_cookie.find(';');
    auto eq = set_cookie.find('=');
    if (eq == std::string::npos || eq > end) continue;
    std::string name = set_cookie.substr(0, eq);
    std::string value = set_cookie.substr(eq + 1, end - eq - 1);
    if (name == "sb_session") {
      cookie = value;
    } else if (set_cookie.find("Max-Age=0") != std::string::npos) {
      cookies.erase(name);
    } else {
      cookies[name] = value;
    }
  }
  return reply;
}

boost::json::object Agent::signup(const std::string& email, const std::string& password, const std::string& name) {
  auto r = post("/api/auth/signup", {{"email", email}, {"password", password}, {"name", name}});
  EXPECT_EQ(r.status, 201) << r.body;
  if (r.status != 201) return {};
  auto session = r.json().as_object();
  csrf = std::string(session["csrf_token"].as_string());
  return session;
}

boost::json::object Agent::signin(const std::string& email, const std::string& password) {
  auto r = post("/api/auth/signin", {{"email", email}, {"password", password}});
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return {};
  auto session = r.json().as_object();
  csrf = std::string(session["csrf_token"].as_string());
  return session;
}

void ServerTest::SetUp() {
  log::init(std::getenv("SWITCHBOARD_TEST_LOG") ? "info" : "error");
  scratch = std::make_unique<ScratchDatabase>();
  static_dir = scratch->data_dir() + "/web";
  fs::create_directories(static_dir + "/assets");
  std::ofstream(static_dir + "/index.html") << "<!doctype html><title>Switchboard</title><div id=root></div>";
  std::ofstream(static_dir + "/assets/app-1234abcd.js") << "console.log('switchboard');";
  config = Config{};
  config.listen_host = "127.0.0.1";
  config.listen_port = 0;
  config.data_dir = scratch->data_dir();
  config.database_url = scratch->url();
  config.static_dir = static_dir;
  config.blocking_threads = 4;
  config.db_pool_size = 4;
  // Nothing reaches the real OpenRouter from a test: port 9 refuses at once unless a test points elsewhere.
  config.openrouter_base_url = "http://127.0.0.1:9/api/v1";
  configure(config);
  app = std::make_unique<App>(config, accounts::AccountSettings{}, clock());
  auto port = app->start_server();
  base_url = "http://127.0.0.1:" + std::to_string(port);
}

void ServerTest::restart() {
  app->stop();
  app.reset();
  app = std::make_unique<App>(config, accounts::AccountSettings{}, clock());
  base_url = "http://127.0.0.1:" + std::to_string(app->start_server());
}

void ServerTest::TearDown() {
  if (app) app->stop();
  app.reset();
  scratch.reset();
}

std::string mailed_link(Agent& admin, const std::string& email, const std::string& marker) {
  auto mailbox = admin.get("/api/debug/mailbox");
  EXPECT_EQ(mailbox.status, 200) << mailbox.body;
  if (mailbox.status != 200) return "";
  auto body = mailbox.json();
  for (const auto& item : body.at("items").as_array()) {  // newest first
    if (item.at("to").as_string() != email) continue;
    std::string text(item.at("body").as_string());
    auto at = text.find(marker);
    if (at == std::string::npos) continue;
    auto start = text.rfind("http", at);
    auto end = text.find_first_of(" \n", at);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }
  return "";
}

std::string token_of_link(const std::string& link) {
  auto eq = link.rfind('=');
  return eq == std::string::npos ? "" : link.substr(eq + 1);
}

void verify_email(Agent& admin, const std::string& email) {
  std::string link = mailed_link(admin, email, "/verify-email?token=");
  ASSERT_FALSE(link.empty()) << "no verification mail to " << email;
  auto verified = admin.post("/api/auth/verify-email", {{"token", token_of_link(link)}});
  ASSERT_EQ(verified.status, 200) << verified.body;
}

std::string unique_email(const std::string& who) {
  return who + "-" + crypto::to_hex(crypto::random_bytes(4)) + "@example.com";
}

}  // namespace sb::test
