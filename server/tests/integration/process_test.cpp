// The switchboard binary as an operator runs it: flags, data folder, migrate, admin, graceful stop.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <boost/asio.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "db/database.hpp"
#include "fakes/fake_platforms.hpp"
#include "http/client.hpp"
#include "integration/harness.hpp"

extern char** environ;

namespace sb::test {
namespace {
namespace fs = std::filesystem;
namespace asio = boost::asio;

std::string temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "sb-proc-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp");
  return tmpl;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A child process with stdout and stderr captured to files.
struct Process {
  pid_t pid = -1;
  std::string out_path, err_path;

  Process(std::vector<std::string> args, const std::string& dir) {
    out_path = dir + "/stdout";
    err_path = dir + "/stderr";
    args.insert(args.begin(), SB_BINARY_PATH);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (posix_spawn(&pid, SB_BINARY_PATH, &actions, nullptr, argv.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Process() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  // Exit code, or -1 when it did not exit within the time.
  int wait_exit(std::chrono::seconds limit = std::chrono::seconds(20)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  // The port from "running at http://127.0.0.1:PORT".
  int wait_listening() {
    for (int i = 0; i < 500; ++i) {
      std::string out = slurp(out_path);
      auto at = out.find("running at http://127.0.0.1:");
      if (at != std::string::npos) return std::stoi(out.substr(at + 28));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  std::string output() const { return slurp(out_path) + slurp(err_path); }
};

int run_to_end(std::vector<std::string> args, const std::string& dir, std::string* output = nullptr) {
  Process p(std::move(args), dir);
  int rc = p.wait_exit();
  if (output) *output = p.output();
  return rc;
}

class ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override { dir = temp_dir(); }
  void TearDown() override { fs::remove_all(dir); }
  std::string dir;
};

TEST_F(ProcessTest, VersionHelpAndBadFlags) {
  std::string out;
  EXPECT_EQ(run_to_end({"--version"}, dir, &out), 0);
  EXPECT_NE(out.find("switchboard 0."), std::string::npos) << out;
  EXPECT_EQ(run_to_end({"serve", "--help"}, dir, &out), 0);
  EXPECT_NE(out.find("--database-url"), std::string::npos);
  EXPECT_NE(run_to_end({"serve", "--no-such-flag"}, dir, &out), 0);
  EXPECT_NE(out.find("--no-such-flag"), std::string::npos) << out;
  EXPECT_NE(run_to_end({"serve", "--listen", "127.0.0.1:http"}, dir, &out), 0);
  EXPECT_NE(out.find("port"), std::string::npos) << out;
}

TEST_F(ProcessTest, ServeCreatesDataFolderWithPrivateKeyAndStopsGracefully) {
  std::string data = dir + "/data";
  Process server({"serve", "--listen", "127.0.0.1:0", "--data-dir", data}, dir);
  int port = server.wait_listening();
  ASSERT_GT(port, 0) << server.output();
  EXPECT_TRUE(fs::exists(data + "/switchboard.db"));
  struct stat st {};
  ASSERT_EQ(stat((data + "/master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600) << "the master key is readable by its owner only";

  // A request in flight when SIGTERM arrives still gets its answer.
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  std::string body = R"({"email":"late@example.com","password":"0123456789","name":"Late"})";
  std::string head = "POST /api/auth/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n";
  asio::write(socket, asio::buffer(head + body.substr(0, 10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  kill(server.pid, SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  asio::write(socket, asio::buffer(body.substr(10)));
  std::string reply = read_until_closed(socket);
  EXPECT_EQ(reply.rfind("HTTP/1.1 201", 0), 0u) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << "a stopping server does not keep the connection";
  EXPECT_EQ(server.wait_exit(), 0) << server.output();

  // The log has one JSON line per request and never the session token.
  std::string log = server.output();
  auto cookie_at = reply.find("sb_session=");
  ASSERT_NE(cookie_at, std::string::npos);
  std::string token = reply.substr(cookie_at + 11, 43);
  EXPECT_EQ(log.find(token), std::string::npos);
  EXPECT_EQ(log.find("0123456789"), std::string::npos) << "no password in the log";
  EXPECT_NE(log.find("\"msg\":\"request\""), std::string::npos);
}

TEST_F(ProcessTest, TwoInstancesWithTheirOwnData) {
  std::string adir = dir + "/a-out", bdir = dir + "/b-out";
  fs::create_directories(adir);
  fs::create_directories(bdir);
  Process a({"serve", "--listen", "127.0.0.1:0", "--data-dir", dir + "/a"}, adir);
  Process b({"serve", "--listen", "127.0.0.1:0", "--data-dir", dir + "/b"}, bdir);
  int pa = a.wait_listening(), pb = b.wait_listening();
  ASSERT_GT(pa, 0);
  ASSERT_GT(pb, 0);
  http::CurlHttpClient client;
  auto signup = client.send({"POST", "http://127.0.0.1:" + std::to_string(pa) + "/api/auth/signup",
                             {{"Content-Type", "application/json"}},
                             R"({"email":"only-a@example.com","password":"0123456789","name":"A"})"});
  ASSERT_TRUE(signup.ok());
  EXPECT_EQ(signup->status, 201);
  auto signin_b = client.send({"POST", "http://127.0.0.1:" + std::to_string(pb) + "/api/auth/signin",
                               {{"Content-Type", "application/json"}},
                               R"({"email":"only-a@example.com","password":"0123456789"})"});
  ASSERT_TRUE(signin_b.ok());
  EXPECT_EQ(signin_b->status, 401) << "the second instance has its own database";
  kill(a.pid, SIGINT);
  kill(b.pid, SIGTERM);
  EXPECT_EQ(a.wait_exit(), 0);
  EXPECT_EQ(b.wait_exit(), 0);
}

TEST_F(ProcessTest, MigrateAndAdminCommands) {
  std::string data = dir + "/data";
  std::string out;
  ASSERT_EQ(run_to_end({"migrate", "--data-dir", data}, dir, &out), 0) << out;
  EXPECT_EQ(out.find("Applied 0 migration"), std::string::npos) << out;
  EXPECT_NE(out.find("Applied "), std::string::npos) << out;
  ASSERT_EQ(run_to_end({"migrate", "--data-dir", data}, dir, &out), 0);
  EXPECT_NE(out.find("Applied 0 migration"), std::string::npos) << out;

  EXPECT_EQ(run_to_end({"admin", "create-user", "--data-dir", data, "--email", "ops@example.com", "--password",
                        "0123456789", "--name", "Ops"},
                       dir, &out),
            0)
      << out;
  EXPECT_NE(run_to_end({"admin", "create-user", "--data-dir", data, "--email", "bad", "--password", "short", "--name",
                        "X"},
                       dir, &out),
            0);
  EXPECT_NE(out.find("email"), std::string::npos) << out;
  EXPECT_NE(run_to_end({"admin", "make-admin", "--data-dir", data, "--email", "nobody@example.com"}, dir, &out), 0);
  EXPECT_EQ(run_to_end({"admin", "make-admin", "--data-dir", data, "--email", "ops@example.com"}, dir, &out), 0) << out;
}

TEST_F(ProcessTest, SetPlanFromTheCommandLineAndABadPlansFileStopsTheStart) {
  std::string data = dir + "/data";
  std::string out;
  ASSERT_EQ(run_to_end({"admin", "create-user", "--data-dir", data, "--email", "ops@example.com", "--password",
                        "0123456789", "--name", "Ops"},
                       dir, &out),
            0)
      << out;
  std::string org_id;
  {
    auto db = db::open_database("sqlite:" + data + "/switchboard.db", 1);
    auto conn = db->acquire();
    org_id = conn->query_one("SELECT id FROM organizations")->text("id");
  }
  ASSERT_EQ(run_to_end({"admin", "set-plan", "--data-dir", data, "--billing", "on", "--org", org_id, "--plan", "pro"},
                       dir, &out),
            0)
      << out;
  EXPECT_NE(out.find("Pro"), std::string::npos) << out;
  {
    auto db = db::open_database("sqlite:" + data + "/switchboard.db", 1);
    auto conn = db->acquire();
    auto row = conn->query_one("SELECT plan, plan_source, grandfathered FROM org_billing WHERE org_id = $1", {org_id});
    ASSERT_TRUE(row);
    EXPECT_EQ(row->text("plan"), "pro");
    EXPECT_EQ(row->text("plan_source"), "admin");
    EXPECT_EQ(row->integer("grandfathered"), 0);
    EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'billing.plan_set'")->integer("n"), 1);
  }
  EXPECT_EQ(run_to_end({"admin", "set-plan", "--data-dir", data, "--org", "org_nobody", "--plan", "pro"}, dir, &out), 1);
  EXPECT_NE(out.find("org_nobody"), std::string::npos) << out;
  EXPECT_NE(run_to_end({"admin", "set-plan", "--data-dir", data, "--org", org_id, "--plan", "gold"}, dir, &out), 0);

  std::ofstream(dir + "/plans.json") << R"([{"key": "pro", "limits": {"bots": "many"}}])";
  EXPECT_EQ(run_to_end({"serve", "--data-dir", data, "--listen", "127.0.0.1:0", "--plans-file", dir + "/plans.json"},
                       dir, &out),
            1);
  EXPECT_NE(out.find("plans[0].limits.bots"), std::string::npos) << out;
}

TEST_F(ProcessTest, AWorkerProcessAnswersWhatAServeWithoutWorkersTookIn) {
  namespace json = boost::json;
  FakePlatforms fake;
  setenv("SWITCHBOARD_TELEGRAM_API_BASE", fake.base_url("telegram").c_str(), 1);
  std::string data = dir + "/data";
  // With SWITCHBOARD_TEST_PG_URL both processes share a fresh PostgreSQL database instead.
  ScratchDatabase database;
  Process server({"serve", "--listen", "127.0.0.1:0", "--data-dir", data, "--database-url", database.url(), "--workers", "0"},
                 dir);
  int port = server.wait_listening();
  ASSERT_GT(port, 0) << server.output();
  Agent owner("http://127.0.0.1:" + std::to_string(port));
  owner.signup("ops@example.com");
  auto tpl = owner.post("/api/templates", {{"name", "Hours"}, {"trigger_phrases", json::array{"opening hours"}},
                                           {"body", "We are open 9 to 5."}});
  auto bot = owner.post("/api/bots", {{"name", "Helper"}, {"template_ids", json::array{tpl.json().at("id")}}});
  auto integration = owner.post("/api/integrations", {{"platform", "telegram"}, {"name", "Shop"},
                                                      {"credentials", {{"bot_token", "7654321098:AAHprocessTestBotToken0123456789abcd"}}}});
  ASSERT_EQ(integration.status, 201) << integration.body;
  std::string id(integration.json().at("id").as_string());
  owner.post("/api/integrations/" + id + "/verify", json::object{});
  owner.post("/api/integrations/" + id + "/webhook", json::object{});
  ASSERT_EQ(owner.post("/api/deployments", {{"bot_id", bot.json().at("id")}, {"integration_id", id}}).status, 201);
  std::string update = R"({"update_id":9100,"message":{"message_id":1,"date":1700000000,"from":{"id":55,"is_bot":false,"first_name":"Ann"},"chat":{"id":55,"type":"private"},"text":"opening hours?"}})";
  Agent platform(owner);
  platform.cookie.clear();
  auto delivered = platform.send("POST", "/hooks/telegram/" + id, update,
                                 {{"X-Telegram-Bot-Api-Secret-Token", fake.telegram_webhook_secret()}});
  ASSERT_EQ(delivered.status, 200) << delivered.body;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(fake.sent().size(), 0u) << "serve --workers 0 only takes deliveries in";

  Process worker({"worker", "--data-dir", data, "--database-url", database.url(), "--workers", "1"}, dir);
  std::string state;
  for (int i = 0; i < 200 && state != "succeeded"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto jobs = owner.get("/api/jobs").json();
    if (!jobs.at("items").as_array().empty()) state = std::string(jobs.at("items").at(0).at("state").as_string());
  }
  EXPECT_EQ(state, "succeeded") << worker.output();
  ASSERT_EQ(fake.sent().size(), 1u);
  EXPECT_EQ(fake.sent()[0].text, "We are open 9 to 5.");
  unsetenv("SWITCHBOARD_TELEGRAM_API_BASE");
}

}  // namespace
}  // namespace sb::test
