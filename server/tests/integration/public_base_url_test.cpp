// GET /api/integrations/platforms says whether platforms can call this installation back, and what to change.
#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

json::object public_base_url(Agent& who) {
  auto r = who.get("/api/integrations/platforms");
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return {};
  auto body = r.json().as_object();
  EXPECT_TRUE(body.at("items").is_array()) << "the platform list is still there";
  EXPECT_FALSE(body.at("items").as_array().empty());
  return body.at("public_base_url").as_object();
}

// No --public-base-url: webhooks would point at the loopback listener.
class UnsetPublicBaseUrlTest : public ServerTest {};

TEST_F(UnsetPublicBaseUrlTest, TheLoopbackDefaultIsReportedUnreachableWithTheSettingToChange) {
  auto owner = agent();
  owner.signup(unique_email("owner"));
  auto o = public_base_url(owner);
  EXPECT_EQ(o.at("url").as_string().find("http://127.0.0.1:"), 0u) << o;
  EXPECT_FALSE(o.at("reachable").as_bool());
  EXPECT_EQ(o.at("problem"), "loopback");
  EXPECT_NE(o.at("message").as_string().find("loopback"), std::string::npos);
  EXPECT_EQ(o.at("setting"), "--public-base-url");
  EXPECT_EQ(o.at("environment_variable"), "SWITCHBOARD_PUBLIC_BASE_URL");
}

TEST_F(UnsetPublicBaseUrlTest, SignedOutVisitorsAreNotToldAnything) {
  auto visitor = agent();
  auto r = visitor.get("/api/integrations/platforms");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body.find("public_base_url"), std::string::npos);
}

class PlainHttpPublicBaseUrlTest : public ServerTest {
 protected:
  void configure(Config& c) override { c.public_base_url = "http://bots.example.com"; }
};

TEST_F(PlainHttpPublicBaseUrlTest, PlainHttpIsReportedUnreachable) {
  auto owner = agent();
  owner.signup(unique_email("owner"));
  auto o = public_base_url(owner);
  EXPECT_EQ(o.at("url"), "http://bots.example.com");
  EXPECT_FALSE(o.at("reachable").as_bool());
  EXPECT_EQ(o.at("problem"), "plain_http");
}

class HttpsPublicBaseUrlTest : public ServerTest {
 protected:
  void configure(Config& c) override { c.public_base_url = "https://bots.example.com"; }
};

TEST_F(HttpsPublicBaseUrlTest, APublicHttpsUrlIsReachable) {
  auto owner = agent();
  owner.signup(unique_email("owner"));
  auto o = public_base_url(owner);
  EXPECT_EQ(o.at("url"), "https://bots.example.com");
  EXPECT_TRUE(o.at("reachable").as_bool());
  EXPECT_TRUE(o.at("problem").is_null());
  EXPECT_EQ(o.at("message"), "");
}

}  // namespace
}  // namespace sb::test
