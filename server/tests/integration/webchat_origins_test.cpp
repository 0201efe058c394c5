// The web chat's browser controls over real HTTP: who may frame the chat (frame-ancestors, the
// embedding page's origin), the hosted page switch, hostile origins, and the per-address limit.
#include <atomic>

#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

class TestClock final : public Clock {
 public:
  std::int64_t now_ms() const override { return now.load(); }
  void advance(std::int64_t ms) { now += ms; }
  std::atomic<std::int64_t> now{SystemClock().now_ms()};
};

const std::string kCspStart = "default-src 'self';";

// The frame-ancestors directive of a response's CSP, as sent (the last directive).
std::string frame_ancestors(const Reply& r) {
  std::string csp = r.header("content-security-policy");
  auto at = csp.find("frame-ancestors ");
  return at == std::string::npos ? "(none)" : csp.substr(at + 16);
}

class WebchatOriginsTest : public ServerTest {
 protected:
  void configure(Config& c) override {
    c.trusted_proxies = {"127.0.0.1/32"};
    c.webchat_address_per_minute = 5;
  }
  const Clock* clock() override { return &test_clock; }
  void SetUp() override {
    ServerTest::SetUp();
    owner = agent();
    owner.signup(unique_email("owner"));
    auto bot = owner.post("/api/bots", {{"name", "Shop"}, {"fallback_message", "We will get back to you."}});
    ASSERT_EQ(bot.status, 201) << bot.body;
    bot_id = std::string(bot.json().at("id").as_string());
    auto dep = owner.post("/api/deployments",
                          {{"bot_id", bot_id},
                           {"channel", "webchat"},
                           {"allowed_origins", json::array{"HTTPS://Shop.Example.com:443/", "http://localhost:3000",
                                                           "http://Example.ORG:80"}}});
    ASSERT_EQ(dep.status, 201) << dep.body;
    deployment_id = std::string(dep.json().at("id").as_string());
    key = std::string(dep.json().at("key").as_string());
  }
  Reply page(const std::string& query, Headers headers = {}) { return agent().send("GET", "/chat/" + key + query, "", headers); }
  Reply framed(const std::string& referer) {
    Headers h{{"Sec-Fetch-Dest", "iframe"}, {"Sec-Fetch-Site", "cross-site"}};
    if (!referer.empty()) h.emplace_back("Referer", referer);
    return page("?embed=1", h);
  }
  Reply message(const std::string& visitor, Headers headers = {}) {
    auto& token = tokens[visitor];
    if (token.empty()) token = std::string(agent().get("/widget/" + key).json().at("visitor_token").as_string());
    return agent().send("POST", "/widget/" + key + "/messages",
                        json::serialize(json::object{{"visitor_token", token}, {"text", "hello"}}), headers);
  }
  std::map<std::string, std::string> tokens;
  Reply set_origins(json::array origins) {
    return owner.patch("/api/deployments/" + deployment_id, {{"allowed_origins", std::move(origins)}});
  }
  static bool starts_the_chat(const Reply& r) { return r.body.find("<div id=root>") != std::string::npos; }

  TestClock test_clock;
  Agent owner{""};
  std::string bot_id, deployment_id, key;
};

TEST_F(WebchatOriginsTest, EmbeddedChatMayBeFramedOnlyByTheAllowedOrigins) {
  auto saved = owner.get("/api/deployments?bot_id=" + bot_id).json().at("items").at(0);
  EXPECT_EQ(saved.at("allowed_origins"),
            json::parse(R"(["https://shop.example.com","http://localhost:3000","http://example.org"])"))
      << "lowercase, default ports dropped";
  EXPECT_TRUE(saved.at("hosted_page_enabled").as_bool()) << "on unless turned off";

  auto embedded = framed("https://shop.example.com/products/42?ref=x");
  ASSERT_EQ(embedded.status, 200) << embedded.body;
  EXPECT_TRUE(starts_the_chat(embedded));
  EXPECT_EQ(frame_ancestors(embedded), "https://shop.example.com http://localhost:3000 http://example.org");
  EXPECT_EQ(embedded.header("content-security-policy").rfind(kCspStart, 0), 0u);
  EXPECT_TRUE(embedded.header("x-frame-options").empty());
  EXPECT_EQ(framed("http://localhost:3000/").status, 200);
  EXPECT_EQ(framed("").status, 200) << "no Referer: the browser enforces frame-ancestors";
  EXPECT_EQ(page("?embed=1").status, 200) << "no fetch metadata at all (an older browser)";

  // The hosted page itself is not framed by anyone.
  auto hosted = page("");
  ASSERT_EQ(hosted.status, 200);
  EXPECT_TRUE(starts_the_chat(hosted));
  EXPECT_EQ(frame_ancestors(hosted), "'none'");
  EXPECT_EQ(hosted.header("x-frame-options"), "DENY");
  // Nor is any other page of the app.
  EXPECT_EQ(frame_ancestors(agent().get("/bots")), "'none'");
}

TEST_F(WebchatOriginsTest, AnotherSiteFramingTheChatGetsAPageThatDoesNotStartIt) {
  for (const std::string referer : {"https://evil.example.net/", "https://shop.example.com.evil.net/",
                                    "http://shop.example.com/", "https://shop.example.com:8443/", "not a url"}) {
    auto r = framed(referer);
    EXPECT_EQ(r.status, 403) << referer;
    EXPECT_FALSE(starts_the_chat(r)) << referer;
    EXPECT_NE(r.body.find("cannot be shown on this website"), std::string::npos) << referer;
    EXPECT_EQ(frame_ancestors(r), "'none'") << referer;
  }
  auto by_origin = page("?embed=1", {{"Sec-Fetch-Dest", "iframe"}, {"Origin", "https://evil.example.net"}});
  EXPECT_EQ(by_origin.status, 403);
}

TEST_F(WebchatOriginsTest, WithoutAllowedOriginsNobodyMayFrameTheChat) {
  ASSERT_EQ(set_origins({}).status, 200);
  auto embedded = framed("https://shop.example.com/");
  EXPECT_EQ(embedded.status, 403);
  EXPECT_FALSE(starts_the_chat(embedded));
  EXPECT_EQ(frame_ancestors(embedded), "'none'");
  EXPECT_EQ(frame_ancestors(page("?embed=1")), "'none'");
  EXPECT_EQ(agent().get("/widget/" + key).json().at("allowed_origins"), json::array{});
  EXPECT_EQ(page("").status, 200) << "the hosted page stays";
}

TEST_F(WebchatOriginsTest, WidgetInfoTellsTheAllowedOrigins) {
  auto info = agent().send("GET", "/widget/" + key, "", {{"Origin", "https://shop.example.com"}});
  ASSERT_EQ(info.status, 200);
  EXPECT_EQ(info.json().at("allowed_origins"),
            json::parse(R"(["https://shop.example.com","http://localhost:3000","http://example.org"])"));
  EXPECT_EQ(info.header("access-control-allow-origin"), "https://shop.example.com");
  auto other = agent().send("GET", "/widget/" + key, "", {{"Origin", "https://evil.example.net"}});
  EXPECT_TRUE(other.header("access-control-allow-origin").empty()) << "another site's script cannot read it";
}

TEST_F(WebchatOriginsTest, HostedPageOffAnswers404WhileTheEmbedKeepsWorking) {
  auto off = owner.patch("/api/deployments/" + deployment_id, {{"hosted_page_enabled", false}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(off.json().at("hosted_page_enabled").as_bool());
  EXPECT_FALSE(owner.get("/api/deployments").json().at("items").at(0).at("hosted_page_enabled").as_bool());

  auto hosted = page("");
  EXPECT_EQ(hosted.status, 404);
  EXPECT_EQ(hosted.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(hosted.body.find("This chat is not available as a page"), std::string::npos);
  EXPECT_FALSE(starts_the_chat(hosted));
  auto top_level_embed = page("?embed=1", {{"Sec-Fetch-Dest", "document"}});
  EXPECT_EQ(top_level_embed.status, 404) << "?embed=1 opened as a page is the hosted page";

  auto embedded = framed("https://shop.example.com/");
  EXPECT_EQ(embedded.status, 200);
  EXPECT_TRUE(starts_the_chat(embedded));
  EXPECT_EQ(frame_ancestors(embedded), "https://shop.example.com http://localhost:3000 http://example.org");
  EXPECT_EQ(agent().get("/widget/" + key).status, 200);
  EXPECT_EQ(message("v1", {{"Origin", "https://shop.example.com"}}).status, 200);

  EXPECT_EQ(owner.patch("/api/deployments/" + deployment_id, {{"hosted_page_enabled", "no"}}).status, 422);
  ASSERT_EQ(owner.patch("/api/deployments/" + deployment_id, {{"hosted_page_enabled", true}}).status, 200);
  EXPECT_EQ(page("").status, 200);

  auto created = owner.post("/api/deployments", {{"bot_id", bot_id}, {"hosted_page_enabled", false}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_FALSE(created.json().at("hosted_page_enabled").as_bool());
  EXPECT_EQ(agent().get("/chat/" + std::string(created.json().at("key").as_string())).status, 404);
}

TEST_F(WebchatOriginsTest, UnknownChatIsAClear404) {
  auto r = agent().get("/chat/no-such-key");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("This chat does not exist"), std::string::npos);
  EXPECT_EQ(agent().get("/chat/no-such-key?embed=1").status, 404);
}

TEST_F(WebchatOriginsTest, HostileOriginsAreRefusedAndNeverReachTheHeader) {
  const std::string before = frame_ancestors(framed(""));
  for (const std::string bad :
       {"*", "null", "https://*.example.com", "https://shop.example.com/path", "https://shop.example.com?x=1",
        "https://shop.example.com#top", "shop.example.com", "ftp://shop.example.com", "https://user@shop.example.com",
        "https://a.com; script-src *", "https://a.com;script-src", "https://a.com,evil.com", "https://a.com\nscript-src *",
        "https://a.com\r\nX-Injected: 1", "https://a.com%3Bscript-src", "https://a b.com", "https://a_b.example.com",
        "https://a.com:99999", "https://a.com:0", "https://'self'", "'none'", "data:", "https://[::1];x", ""}) {
    auto r = set_origins({bad});
    EXPECT_EQ(r.status, 422) << json::serialize(json::value(bad)) << ": " << r.body;
    EXPECT_NE(r.body.find("allowed_origins"), std::string::npos);
  }
  EXPECT_EQ(frame_ancestors(framed("")), before) << "nothing changed";

  auto normalized = set_origins({"  https://SHOP.example.com:443  ", "http://shop.example.com:8080/", "http://127.0.0.1:80",
                                 "https://shop.example.com"});
  ASSERT_EQ(normalized.status, 200) << normalized.body;
  EXPECT_EQ(normalized.json().at("allowed_origins"),
            json::parse(R"(["https://shop.example.com","http://shop.example.com:8080","http://127.0.0.1"])"));
  EXPECT_EQ(frame_ancestors(framed("")), "https://shop.example.com http://shop.example.com:8080 http://127.0.0.1");

  // A row written under older, looser rules: what cannot be an origin is left out of the header.
  {
    auto conn = app->database().acquire();
    conn->execute("UPDATE deployments SET allowed_origins = $1 WHERE id = $2",
                  {std::string(R"(["https://ok.example.com:443","https://x.com; script-src *","*","https://a.com;b"])"),
                   deployment_id});
  }
  auto r = framed("https://ok.example.com/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(frame_ancestors(r), "https://ok.example.com");
  EXPECT_EQ(r.header("content-security-policy").find("script-src *"), std::string::npos);
  EXPECT_EQ(agent().get("/widget/" + key).json().at("allowed_origins"), json::parse(R"(["https://ok.example.com"])"));
}

TEST_F(WebchatOriginsTest, RotatingVisitorIdsDoNotLiftTheAddressLimit) {
  const Headers office{{"X-Forwarded-For", "203.0.113.10"}};
  for (int i = 0; i < 5; ++i) ASSERT_EQ(message("visitor-" + std::to_string(i), office).status, 200) << i;
  auto limited = message("visitor-new", office);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_code(), "rate_limited");
  EXPECT_FALSE(limited.json().at("error").at("message").as_string().empty());
  ASSERT_FALSE(limited.header("retry-after").empty());
  EXPECT_GT(std::stoi(limited.header("retry-after")), 0);
  EXPECT_LE(std::stoi(limited.header("retry-after")), 60);

  EXPECT_EQ(message("visitor-0", {{"X-Forwarded-For", "203.0.113.20"}}).status, 200) << "another address is not affected";
  EXPECT_EQ(message("visitor-x").status, 200) << "nor is the proxy's own address";

  test_clock.advance(60'000);
  EXPECT_EQ(message("visitor-new", office).status, 200) << "the next minute counts again";
}

}  // namespace
}  // namespace sb::test
