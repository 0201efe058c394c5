// Behind a reverse proxy and over HTTPS: the client address trusted proxies forward (sign-in
// throttling per client, spoofing without the flag), HSTS and Secure cookies from an https:// base URL.
#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

// A wrong password for a new email each time, so only the per-address throttle can apply.
Reply wrong_signin(Agent& a, int n, std::vector<std::pair<std::string, std::string>> headers) {
  return a.send("POST", "/api/auth/signin",
                json::serialize(json::object{{"email", "nobody" + std::to_string(n) + "@example.com"},
                                             {"password", "not the password"}}),
                std::move(headers));
}

// Spends one address's 20 sign-in failures; the 21st attempt is refused.
void exhaust(Agent& a, const std::vector<std::pair<std::string, std::string>>& headers) {
  for (int i = 0; i < 20; ++i) ASSERT_EQ(wrong_signin(a, i, headers).status, 401) << "attempt " << i;
  auto blocked = wrong_signin(a, 20, headers);
  ASSERT_EQ(blocked.status, 429);
  EXPECT_EQ(blocked.error_code(), "rate_limited");
}

// The test's client connects from 127.0.0.1, which this server trusts as its reverse proxy.
class TrustedProxyTest : public ServerTest {
  void configure(Config& c) override { c.trusted_proxies = {"127.0.0.1/32"}; }
};

TEST_F(TrustedProxyTest, ClientsBehindTheProxyAreThrottledSeparately) {
  auto first = agent();
  exhaust(first, {{"X-Forwarded-For", "203.0.113.10"}});
  // Another client behind the same proxy still gets its own attempts.
  auto second = agent();
  EXPECT_EQ(wrong_signin(second, 0, {{"X-Forwarded-For", "203.0.113.20"}}).status, 401);
  EXPECT_EQ(wrong_signin(second, 1, {{"Forwarded", "for=198.51.100.7;proto=https"}}).status, 401);
  EXPECT_EQ(wrong_signin(second, 2, {{"X-Forwarded-For", "2001:db8::20"}}).status, 401);
  EXPECT_EQ(wrong_signin(second, 3, {}).status, 401) << "the proxy's own address is a client of its own";
  // The first client stays throttled however it spells itself or whatever it writes to the left of
  // the address the proxy appended.
  for (auto headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {{"X-Forwarded-For", "198.51.100.99, 203.0.113.10"}},
           {{"X-Forwarded-For", "garbage, 203.0.113.10"}},
           {{"X-Forwarded-For", "203.0.113.10:52000"}},
           {{"X-Forwarded-For", "::ffff:203.0.113.10"}},
           {{"Forwarded", "for=\"203.0.113.10:52000\""}},
           {{"X-Forwarded-For", "1.2.3.4"}, {"X-Forwarded-For", "203.0.113.10, 127.0.0.1"}}}) {
    EXPECT_EQ(wrong_signin(first, 99, headers).status, 429) << headers.front().second;
  }
}

TEST_F(TrustedProxyTest, MalformedForwardingHeadersCountAgainstTheProxyAddress) {
  auto a = agent();
  // Each of these is unreadable, so the peer (127.0.0.1) is the client for all of them.
  const std::vector<std::vector<std::pair<std::string, std::string>>> malformed = {
      {{"X-Forwarded-For", "garbage"}},
      {{"X-Forwarded-For", "203.0.113.5, garbage"}},
      {{"X-Forwarded-For", "unknown"}},
      {{"X-Forwarded-For", "203.0.113.5 203.0.113.6"}},
      {{"X-Forwarded-For", "203.0.113.999"}},
      {{"X-Forwarded-For", "[203.0.113.5]"}},
      {{"Forwarded", "for=unknown"}},
      {{"Forwarded", "for=\"_hidden\""}},
      {{"Forwarded", "by=203.0.113.5"}},
      {{"X-Forwarded-For", "203.0.113.5"}, {"Forwarded", "for=198.51.100.5"}},  // they disagree
  };
  for (std::size_t i = 0; i < 20; ++i)
    ASSERT_EQ(wrong_signin(a, static_cast<int>(i), malformed[i % malformed.size()]).status, 401) << i;
  auto blocked = wrong_signin(a, 20, {});
  EXPECT_EQ(blocked.status, 429) << "the failures above were the proxy address's";
  // A readable client behind the proxy is unaffected.
  EXPECT_EQ(wrong_signin(a, 21, {{"X-Forwarded-For", "203.0.113.5"}}).status, 401);
}

// A CDN (2001:db8:1::/48) in front of a load balancer (10.0.0.0/8) in front of a local proxy.
class ProxyChainTest : public ServerTest {
  void configure(Config& c) override { c.trusted_proxies = {"127.0.0.1/32", "10.0.0.0/8", "2001:db8:1::/48"}; }
};

TEST_F(ProxyChainTest, TrustedHopsAreSkippedAndTheFirstUntrustedOneIsTheClient) {
  auto a = agent();
  exhaust(a, {{"X-Forwarded-For", "203.0.113.30, 10.0.0.5, 2001:db8:1::7"}});
  // The same client through other trusted hops is the same client; a hop left of it is not.
  EXPECT_EQ(wrong_signin(a, 30, {{"X-Forwarded-For", "203.0.113.30"}}).status, 429);
  EXPECT_EQ(wrong_signin(a, 31, {{"X-Forwarded-For", "203.0.113.31, 10.200.0.1"}}).status, 401);
  // An untrusted hop in the middle is the client: what it claims before it is not believed.
  EXPECT_EQ(wrong_signin(a, 32, {{"X-Forwarded-For", "198.51.100.1, 203.0.113.30, 10.0.0.5"}}).status, 429);
  EXPECT_EQ(wrong_signin(a, 33, {{"X-Forwarded-For", "203.0.113.30, 198.51.100.2, 10.0.0.5"}}).status, 401);
}

// No --trusted-proxies: forwarding headers are anyone's words.
class NoTrustedProxyTest : public ServerTest {};

TEST_F(NoTrustedProxyTest, ASpoofedForwardedForDoesNotEscapeTheAddressThrottle) {
  auto a = agent();
  for (int i = 0; i < 20; ++i) {
    const std::string fake = "203.0.113." + std::to_string(i + 1);
    auto headers = i % 2 ? std::vector<std::pair<std::string, std::string>>{{"X-Forwarded-For", fake}}
                         : std::vector<std::pair<std::string, std::string>>{{"Forwarded", "for=" + fake}};
    ASSERT_EQ(wrong_signin(a, i, headers).status, 401) << i;
  }
  EXPECT_EQ(wrong_signin(a, 20, {{"X-Forwarded-For", "198.51.100.200"}}).status, 429);
  EXPECT_EQ(wrong_signin(a, 21, {{"Forwarded", "for=198.51.100.201"}}).status, 429);
  EXPECT_EQ(wrong_signin(a, 22, {{"X-Real-IP", "198.51.100.202"}}).status, 429);
}

class HttpBaseUrlTest : public ServerTest {
  void configure(Config& c) override { c.public_base_url = "http://bots.example.com"; }
};

TEST_F(HttpBaseUrlTest, NoHstsAndNoSecureCookie) {
  auto a = agent();
  auto r = a.post("/api/auth/signup", {{"email", unique_email("plain")}, {"password", "0123456789"}, {"name", "P"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("set-cookie").find("Secure"), std::string::npos);
  for (const char* path : {"/", "/healthz", "/api/nothing"})
    EXPECT_EQ(a.get(path).header("strict-transport-security"), "") << path;
}

class HttpBaseUrlWithSecureCookiesTest : public ServerTest {
  void configure(Config& c) override {
    c.public_base_url = "http://bots.example.com";
    c.secure_cookies = true;
  }
};

TEST_F(HttpBaseUrlWithSecureCookiesTest, TheFlagAloneMarksCookiesSecureWithoutHsts) {
  auto a = agent();
  auto r = a.post("/api/auth/signup", {{"email", unique_email("flag")}, {"password", "0123456789"}, {"name", "F"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.header("set-cookie").find("; Secure"), std::string::npos) << r.header("set-cookie");
  EXPECT_EQ(r.header("strict-transport-security"), "");
}

class HttpsBaseUrlTest : public ServerTest {
  void configure(Config& c) override { c.public_base_url = "https://bots.example.com"; }
};

TEST_F(HttpsBaseUrlTest, CookiesAreSecureAndEveryResponseCarriesHsts) {
  auto a = agent();
  auto r = a.post("/api/auth/signup", {{"email", unique_email("tls")}, {"password", "0123456789"}, {"name", "T"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const auto cookie = r.header("set-cookie");
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  a.csrf = std::string(r.json().at("csrf_token").as_string());
  auto out = a.post("/api/auth/signout", json::object{});
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("set-cookie").find("; Secure"), std::string::npos) << "the cleared cookie too";
  const std::string hsts = "max-age=31536000; includeSubDomains";
  EXPECT_EQ(r.header("strict-transport-security"), hsts);
  for (const char* path : {"/", "/healthz", "/api/nothing", "/assets/missing-0000.js", "/metrics"})
    EXPECT_EQ(a.get(path).header("strict-transport-security"), hsts) << path;
  EXPECT_EQ(a.send("DELETE", "/api/auth/session").header("strict-transport-security"), hsts) << "405";
  EXPECT_EQ(a.send("BREW", "/").header("strict-transport-security"), hsts) << "400";
  EXPECT_EQ(a.send("GET", "/" + std::string(9000, 'u')).header("strict-transport-security"), hsts) << "414";
}

}  // namespace
}  // namespace sb::test
