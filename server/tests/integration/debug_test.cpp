// The debug report: platform admins see every check; everyone else is refused.
#include "integration/harness.hpp"

namespace sb::test {
namespace {

class DebugTest : public ServerTest {};

TEST_F(DebugTest, PlatformAdminSeesChecksMigrationsSessionAndBuild) {
  auto admin = agent();
  auto session = admin.signup(unique_email("admin"));
  auto r = admin.get("/api/debug");
  ASSERT_EQ(r.status, 200) << r.body;
  auto report = r.json().as_object();
  std::string driver(report.at("database").at("driver").as_string());
  EXPECT_EQ(driver, scratch->postgres() ? "postgres" : "sqlite");
  EXPECT_GE(report.at("database").at("latency_ms").as_double(), 0.0);
  EXPECT_EQ(report.at("migrations").at("pending").as_array().size(), 0u);
  EXPECT_GE(report.at("migrations").at("applied").as_array().size(), 1u);
  EXPECT_EQ(report.at("session").at("user").at("id"), session["user"].at("id"));
  EXPECT_EQ(report.at("session").at("role").as_string(), "owner");
  EXPECT_EQ(report.at("session").at("organization").at("name"), session["organization"].at("name"));
  EXPECT_FALSE(report.at("build").at("version").as_string().empty());
  std::map<std::string, std::string> checks;
  for (const auto& c : report.at("checks").as_array())
    checks[std::string(c.at("name").as_string())] = std::string(c.at("status").as_string());
  EXPECT_EQ(checks["database"], "green");
  EXPECT_EQ(checks["migrations"], "green");
  EXPECT_EQ(checks["web ui"], "green");
  EXPECT_TRUE(checks.count("background tasks"));
  // The description names the database without any password.
  EXPECT_EQ(r.body.find("password"), std::string::npos);
}

TEST_F(DebugTest, OthersAreRefused) {
  agent().signup(unique_email("first"));
  auto member = agent();
  member.signup(unique_email("second"));
  auto r = member.get("/api/debug");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.error_code(), "forbidden");
  EXPECT_EQ(agent().get("/api/debug").status, 401);
}

}  // namespace
}  // namespace sb::test
