// The web UI's files over real connections, tried as an attacker would: no request path, however
// it is encoded, serves a byte of a file outside the web root.
#include "integration/harness.hpp"

#include <boost/asio.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace sb::test {
namespace {
namespace fs = std::filesystem;

const std::string kSecret = "SECRET-OUTSIDE-THE-WEB-ROOT-7f3a";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct RawAnswer {
  int status = 0;
  std::string body;
  std::string all;
};

class StaticFilesTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    data = fs::path(scratch->data_dir());
    // A secret beside the web root, and links inside the root that lead out to it.
    std::ofstream(data / "secret.txt") << kSecret;
    fs::create_directories(data / "private");
    std::ofstream(data / "private" / "notes.txt") << kSecret;
    fs::create_symlink(data / "secret.txt", fs::path(static_dir) / "leak.txt");
    fs::create_directory_symlink(data / "private", fs::path(static_dir) / "out");
    fs::create_directory_symlink(data, fs::path(static_dir) / "assets" / "up");
    index = slurp(fs::path(static_dir) / "index.html");
    port = static_cast<unsigned short>(std::stoi(base_url.substr(base_url.rfind(':') + 1)));
    // Bytes that must never come back: files the process can read outside the root.
    forbidden = {kSecret, "root:x:0:0"};
    if (fs::exists(data / "master.key")) forbidden.push_back(slurp(data / "master.key"));
  }

  // Sends the target exactly as written (no client normalises it) and reads the answer.
  RawAnswer get_as_is(const std::string& target) {
    namespace asio = boost::asio;
    asio::io_context ioc;
    asio::ip::tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    asio::write(socket, asio::buffer(request));
    RawAnswer a;
    a.all = read_until_closed(socket);
    if (a.all.size() > 12 && a.all.starts_with("HTTP/1.1 ")) a.status = std::stoi(a.all.substr(9, 3));
    auto split = a.all.find("\r\n\r\n");
    if (split != std::string::npos) a.body = a.all.substr(split + 4);
    return a;
  }

  // 404 (or 400 for a target HTTP itself refuses), or the app's own index.html; never anything else.
  void expect_nothing_outside(const std::string& target) {
    auto a = get_as_is(target);
    SCOPED_TRACE("GET " + target);
    for (const auto& bytes : forbidden) ASSERT_EQ(a.all.find(bytes), std::string::npos) << "leaked a file";
    if (a.status == 200) {
      EXPECT_EQ(a.body, index) << "200 with something other than the app's index.html";
    } else {
      EXPECT_TRUE(a.status == 404 || a.status == 400) << a.all.substr(0, 200);
    }
  }

  fs::path data;
  std::string index;
  unsigned short port = 0;
  std::vector<std::string> forbidden;
};

TEST_F(StaticFilesTest, HostilePathsNeverLeaveTheWebRoot) {
  const std::string abs = data.string();  // e.g. /tmp/sb-test-XXXXXX
  const std::vector<std::string> hostile = {
      "//etc/passwd",
      "///etc///passwd",
      "/%2fetc/passwd",
      "/%2Fetc%2Fpasswd",
      "/%2f%2fetc%2fpasswd",
      "//proc/self/environ",
      "/%2fproc%2fself%2fenviron",
      "//proc/self/cmdline",
      "/" + abs + "/master.key",
      "/" + abs + "/switchboard.db",
      "/" + abs + "/secret.txt",
      "/%2f" + abs.substr(1) + "/secret.txt",
      "/../secret.txt",
      "/..%2fsecret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E%2Fsecret.txt",
      "/.%2e/secret.txt",
      "/%2e./secret.txt",
      "/./../secret.txt",
      "/assets/../../secret.txt",
      "/assets/%2e%2e/%2e%2e/secret.txt",
      "/assets/..%2f..%2fsecret.txt",
      "//%2e%2e/secret.txt",
      "/..\\secret.txt",
      "/..%5csecret.txt",
      "/%5c..%5csecret.txt",
      "/%2e%2e%5c%2e%2e%5csecret.txt",
      "/%5cetc%5cpasswd",
      "/\\etc\\passwd",
      "/index.html%00.js",
      "/%00/etc/passwd",
      "/leak.txt%00",
      "/%c0%ae%c0%ae/secret.txt",
      "/%c0%ae%c0%ae%c0%afsecret.txt",
      "/%c0%afetc%c0%afpasswd",
      "/%e0%80%ae%e0%80%ae/secret.txt",
      "/%252e%252e/secret.txt",
      "/%252fetc%252fpasswd",
      "/leak.txt",
      "/out/notes.txt",
      "/out%2fnotes.txt",
      "/assets/up/secret.txt",
      "/assets/up/master.key",
      "/....//secret.txt",
      "/..",
      "/%2e%2e",
      "/assets",
      "/" + abs,
  };
  ASSERT_GE(hostile.size(), 30u);
  for (const auto& target : hostile) expect_nothing_outside(target);
}

TEST_F(StaticFilesTest, TheRootsOwnFilesAreStillServed) {
  auto asset = get_as_is("/assets/app-1234abcd.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "console.log('switchboard');");
  EXPECT_NE(asset.all.find("immutable"), std::string::npos);
  EXPECT_EQ(get_as_is("//assets//app-1234abcd.js").body, "console.log('switchboard');");
  EXPECT_EQ(get_as_is("/index.html").body, index);
  auto route = get_as_is("/bots/bot_123");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.body, index);
  EXPECT_EQ(get_as_is("/assets/missing-0000.js").status, 404);
  EXPECT_EQ(get_as_is("/missing.png").status, 404);
}

TEST_F(StaticFilesTest, RandomlyBuiltPathsNeverLeaveTheWebRoot) {
  // Each path is random noise made of slashes, dots, percent signs, encoded slashes, dots and
  // backslashes and letters, aimed at a real file outside the root whose name's components are
  // joined by random separators.
  const std::vector<std::string> noise = {"/", "/", ".", "..", "%", "2e", "2f", "5c", "%2e", "%2f",
                                          "%2E", "%2F", "%5c", "\\", "a", "x", "%00", "%c0%af"};
  const std::vector<std::string> separators = {"/", "//", "%2f", "%2F", "/./", "\\", "%5c"};
  std::vector<std::vector<std::string>> targets = {{"etc", "passwd"}, {"proc", "self", "environ"}};
  std::vector<std::string> secret;
  for (const auto& part : data / "secret.txt") if (part != "/") secret.push_back(part.string());
  targets.push_back(secret);
  targets.push_back({"..", "secret.txt"});
  targets.push_back({"..", "..", "secret.txt"});
  std::random_device rd;
  const auto seed = rd();
  std::mt19937 gen(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  auto any = [&gen](const auto& list) -> const auto& {
    return list[std::uniform_int_distribution<std::size_t>(0, list.size() - 1)(gen)];
  };
  std::uniform_int_distribution<int> count(0, 4);
  for (int i = 0; i < 500; ++i) {
    std::string target = "/";
    for (int n = count(gen); n > 0; --n) target += any(noise);
    for (const auto& component : any(targets)) {
      target += any(separators);
      if (count(gen) == 0) target += any(noise);
      target += component;
    }
    expect_nothing_outside(target);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace sb::test
