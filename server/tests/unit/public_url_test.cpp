// The public base URL check: which URLs a platform on the internet could call back, hostile spellings included.
#include <gtest/gtest.h>

#include "core/public_url.hpp"

namespace sb {
namespace {

std::string code(std::string_view url) { return check_public_base_url(url).code(); }

TEST(PublicUrlTest, HttpsWithAPublicHostIsReachable) {
  EXPECT_EQ(code("https://switchboard.example.com"), "ok");
  EXPECT_EQ(code("https://switchboard.example.com:8443/base"), "ok");
  EXPECT_EQ(code("HTTPS://Switchboard.Example.COM"), "ok") << "uppercase scheme and host";
  EXPECT_EQ(code("https://switchboard.example.com."), "ok") << "a fully qualified name with its root dot";
  EXPECT_EQ(code("https://203.0.113.7"), "ok");
  EXPECT_EQ(code("https://[2001:db8::1]"), "ok");
  EXPECT_TRUE(check_public_base_url("https://bots.example.org").reachable());
  EXPECT_EQ(check_public_base_url("https://bots.example.org").message(), "");
}

TEST(PublicUrlTest, MissingOrMalformedIsNotReachable) {
  EXPECT_EQ(code(""), "missing");
  EXPECT_EQ(code("switchboard.example.com"), "invalid") << "no scheme";
  EXPECT_EQ(code("ftp://switchboard.example.com"), "invalid");
  EXPECT_EQ(code("javascript:alert(1)"), "invalid");
  EXPECT_EQ(code("https://"), "invalid");
  EXPECT_EQ(code("https:///path"), "invalid");
  EXPECT_EQ(code("https://exa mple.com"), "invalid");
  EXPECT_EQ(code("https://./"), "invalid") << "only a trailing dot";
  EXPECT_EQ(code(std::string_view("https://a\0b.com", 15)), "invalid") << "embedded NUL";
}

TEST(PublicUrlTest, UserinfoIsRefusedEvenOnAPublicHost) {
  EXPECT_EQ(code("https://user:secret@switchboard.example.com"), "invalid");
  EXPECT_EQ(code("https://@switchboard.example.com"), "invalid");
  EXPECT_EQ(code("https://switchboard.example.com@127.0.0.1"), "invalid");
  EXPECT_EQ(check_public_base_url("https://user:secret@x.example.com").message().find("secret"), std::string::npos);
}

TEST(PublicUrlTest, PlainHttpIsNotReachable) {
  EXPECT_EQ(code("http://switchboard.example.com"), "plain_http");
  EXPECT_EQ(code("HTTP://switchboard.example.com"), "plain_http");
  EXPECT_EQ(code("http://203.0.113.7:8080"), "plain_http");
}

TEST(PublicUrlTest, LoopbackInEverySpellingIsNotReachable) {
  for (const char* url : {"http://127.0.0.1:8080", "https://127.0.0.1", "https://127.255.255.254", "https://127.1",
                          "https://0x7f.0.0.1", "https://0177.0.0.1", "https://2130706433", "https://[::1]",
                          "https://[0:0:0:0:0:0:0:1]", "https://[::ffff:127.0.0.1]", "https://127.1."})
    EXPECT_EQ(code(url), "loopback") << url;
}

TEST(PublicUrlTest, LocalhostNamesAreNotReachable) {
  for (const char* url : {"https://localhost", "https://LOCALHOST:8443", "https://localhost.", "https://localhost..",
                          "https://app.localhost", "http://localhost:8080/"})
    EXPECT_EQ(code(url), "localhost") << url;
  EXPECT_EQ(code("https://notlocalhost.example.com"), "ok");
  EXPECT_EQ(code("https://localhost.example.com"), "ok");
}

TEST(PublicUrlTest, UnspecifiedAddressesAreNotReachable) {
  for (const char* url : {"https://0.0.0.0", "http://0.0.0.0:8080", "https://0", "https://[::]", "https://0.1.2.3"})
    EXPECT_EQ(code(url), "unspecified") << url;
}

TEST(PublicUrlTest, PrivateRangesAreNotReachable) {
  for (const char* url :
       {"https://10.1.2.3", "https://172.16.0.1", "https://172.31.255.255", "https://192.168.1.10", "https://169.254.1.1",
        "https://100.64.0.1", "https://[fd00::1]", "https://[fe80::1]", "https://[::ffff:10.0.0.1]", "https://10.1",
        "https://intranet", "https://192.168.1.10."})
    EXPECT_EQ(code(url), "private_network") << url;
  EXPECT_EQ(code("https://172.32.0.1"), "ok") << "just past 172.16/12";
}

TEST(PublicUrlTest, EveryProblemHasAMessage) {
  for (const char* url : {"", "ftp://x", "http://x.example.com", "https://localhost", "https://[::1]", "https://0.0.0.0",
                          "https://10.0.0.1"}) {
    auto check = check_public_base_url(url);
    EXPECT_FALSE(check.reachable()) << url;
    EXPECT_FALSE(check.message().empty()) << url;
  }
}

}  // namespace
}  // namespace sb
