// Configuration parsing: defaults, flags, environment, validation messages, help and version.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/config.hpp"

namespace sb {
namespace {

ParsedCommandLine parse(std::vector<std::string> args) {
  args.insert(args.begin(), "switchboard");
  return parse_command_line(args);
}

class ConfigTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const char* name : {"SWITCHBOARD_LISTEN", "DATABASE_URL", "SWITCHBOARD_DATA_DIR", "SWITCHBOARD_LOG_LEVEL",
                             "SWITCHBOARD_TRUSTED_PROXIES", "SWITCHBOARD_WEBCHAT_ADDRESS_LIMIT",
                             "SWITCHBOARD_AI_SHARED_KEY", "SWITCHBOARD_BILLING", "SWITCHBOARD_PLANS_FILE",
                             "SWITCHBOARD_STRIPE_SECRET_KEY", "SWITCHBOARD_STRIPE_WEBHOOK_SECRET",
                             "SWITCHBOARD_STRIPE_API_BASE"})
      unsetenv(name);
  }
};

TEST_F(ConfigTest, ServeDefaults) {
  auto p = parse({"serve"});
  ASSERT_FALSE(p.exit_code) << p.output;
  EXPECT_EQ(p.command, Command::serve);
  EXPECT_EQ(p.config.listen_host, "127.0.0.1");
  EXPECT_EQ(p.config.listen_port, 8080);
  EXPECT_EQ(p.config.effective_database_url(), "sqlite:./data/switchboard.db");
  EXPECT_EQ(p.config.effective_public_base_url(), "http://127.0.0.1:8080");
  EXPECT_EQ(p.config.body_limit_bytes, 1024u * 1024u);
  EXPECT_EQ(p.config.workers, 8);
  EXPECT_EQ(p.config.sends_in_flight, 256);
  EXPECT_EQ(p.config.webchat_address_per_minute, 300);
}

TEST_F(ConfigTest, WebchatAddressLimitFromFlagOrEnvironment) {
  EXPECT_EQ(parse({"serve", "--webchat-address-limit", "5000"}).config.webchat_address_per_minute, 5000);
  setenv("SWITCHBOARD_WEBCHAT_ADDRESS_LIMIT", "42", 1);
  EXPECT_EQ(parse({"serve"}).config.webchat_address_per_minute, 42);
  auto zero = parse({"serve", "--webchat-address-limit", "0"});
  EXPECT_TRUE(zero.exit_code);
  EXPECT_NE(zero.output.find("--webchat-address-limit"), std::string::npos) << zero.output;
}

TEST_F(ConfigTest, SharedAiKeyIsAllowedUnlessForbidden) {
  EXPECT_TRUE(parse({"serve"}).config.ai_shared_key);
  EXPECT_FALSE(parse({"serve", "--ai-shared-key", "forbid"}).config.ai_shared_key);
  setenv("SWITCHBOARD_AI_SHARED_KEY", "forbid", 1);
  EXPECT_FALSE(parse({"worker"}).config.ai_shared_key);
  auto wrong = parse({"serve", "--ai-shared-key", "maybe"});
  EXPECT_TRUE(wrong.exit_code);
  EXPECT_NE(wrong.output.find("--ai-shared-key"), std::string::npos) << wrong.output;
}

TEST_F(ConfigTest, FlagsSetValues) {
  auto p = parse({"serve", "--listen", "127.0.0.1:9000", "--data-dir", "/tmp/x", "--log-level", "debug",
                  "--public-base-url", "https://bots.example.com/", "--secure-cookies", "true"});
  ASSERT_FALSE(p.exit_code) << p.output;
  EXPECT_EQ(p.config.listen_port, 9000);
  EXPECT_EQ(p.config.effective_database_url(), "sqlite:/tmp/x/switchboard.db");
  EXPECT_EQ(p.config.log_level, "debug");
  EXPECT_EQ(p.config.effective_public_base_url(), "https://bots.example.com");
  EXPECT_TRUE(p.config.secure_cookies);
  auto w = parse({"worker", "--workers", "4", "--sends-in-flight", "128"});
  ASSERT_FALSE(w.exit_code) << w.output;
  EXPECT_EQ(w.config.workers, 4);
  EXPECT_EQ(w.config.sends_in_flight, 128);
}

TEST_F(ConfigTest, EnvironmentVariablesApplyAndFlagsWin) {
  setenv("SWITCHBOARD_LISTEN", "0.0.0.0:7000", 1);
  setenv("DATABASE_URL", "postgres://u:p@db.internal:5432/sb", 1);
  auto p = parse({"serve"});
  ASSERT_FALSE(p.exit_code) << p.output;
  EXPECT_EQ(p.config.listen_host, "0.0.0.0");
  EXPECT_EQ(p.config.listen_port, 7000);
  EXPECT_EQ(p.config.effective_database_url(), "postgres://u:p@db.internal:5432/sb");
  auto flagged = parse({"serve", "--listen", "127.0.0.1:7001"});
  EXPECT_EQ(flagged.config.listen_port, 7001);
}

TEST_F(ConfigTest, InvalidValuesFailWithAClearMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  std::vector<Case> cases = {
      {{"serve", "--listen", "8080"}, "--listen"},
      {{"serve", "--listen", "127.0.0.1:99999"}, "port"},
      {{"serve", "--listen", "example.com:80"}, "not an IP address"},
      {{"serve", "--database-url", "mysql://x"}, "--database-url"},
      {{"serve", "--log-level", "loud"}, "--log-level"},
      {{"serve", "--public-base-url", "ftp://x"}, "--public-base-url"},
      {{"serve", "--io-threads", "0"}, "--io-threads"},
      {{"serve", "--sends-in-flight", "0"}, "--sends-in-flight"},
      {{"serve", "--nope"}, "--nope"},
      {{"fly"}, "subcommand"},
  };
  for (const auto& c : cases) {
    auto p = parse(c.args);
    ASSERT_TRUE(p.exit_code) << c.args.back();
    EXPECT_NE(*p.exit_code, 0) << c.args.back();
    EXPECT_TRUE(p.output_is_error);
    EXPECT_NE(p.output.find(c.says), std::string::npos) << p.output;
  }
}

TEST_F(ConfigTest, TrustedProxiesAreACidrListFromFlagOrEnvironment) {
  auto none = parse({"serve"});
  ASSERT_FALSE(none.exit_code) << none.output;
  EXPECT_TRUE(none.config.trusted_proxies.empty()) << "nobody's forwarding headers are believed by default";
  auto p = parse({"serve", "--trusted-proxies", "10.0.0.0/8, 192.168.1.7 ,2001:db8::/32,::1,172.16.5.4/12"});
  ASSERT_FALSE(p.exit_code) << p.output;
  EXPECT_EQ(p.config.trusted_proxies,
            (std::vector<std::string>{"10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32", "::1/128", "172.16.0.0/12"}));
  setenv("SWITCHBOARD_TRUSTED_PROXIES", "127.0.0.1/32", 1);
  auto env = parse({"serve"});
  ASSERT_FALSE(env.exit_code) << env.output;
  EXPECT_EQ(env.config.trusted_proxies, std::vector<std::string>{"127.0.0.1/32"});
}

TEST_F(ConfigTest, AnInvalidTrustedProxyStopsTheProgram) {
  for (const char* bad : {"10.0.0.0/33", "proxy.internal", "10.0.0.0/8;192.168.0.0/16", "2001:db8::/129", "10.0.0/8",
                          "10.0.0.0/8,garbage", "*"}) {
    auto p = parse({"serve", "--trusted-proxies", bad});
    ASSERT_TRUE(p.exit_code) << bad;
    EXPECT_EQ(*p.exit_code, 2) << bad;
    EXPECT_TRUE(p.output_is_error);
    EXPECT_NE(p.output.find("--trusted-proxies"), std::string::npos) << p.output;
    EXPECT_NE(p.output.find("CIDR"), std::string::npos) << p.output;
  }
  setenv("SWITCHBOARD_TRUSTED_PROXIES", "10.0.0.0/40", 1);
  auto env = parse({"serve"});
  ASSERT_TRUE(env.exit_code);
  EXPECT_NE(env.output.find("'10.0.0.0/40'"), std::string::npos) << env.output;
}

TEST_F(ConfigTest, AnHttpsBaseUrlMakesCookiesSecureAndTurnsOnHsts) {
  auto plain = parse({"serve", "--public-base-url", "http://bots.example.com"});
  ASSERT_FALSE(plain.exit_code) << plain.output;
  EXPECT_FALSE(plain.config.serves_https());
  EXPECT_FALSE(plain.config.cookies_secure());
  auto flagged = parse({"serve", "--public-base-url", "http://bots.example.com", "--secure-cookies", "true"});
  EXPECT_FALSE(flagged.config.serves_https());
  EXPECT_TRUE(flagged.config.cookies_secure()) << "the flag alone still works";
  auto https = parse({"serve", "--public-base-url", "https://bots.example.com"});
  ASSERT_FALSE(https.exit_code) << https.output;
  EXPECT_TRUE(https.config.serves_https());
  EXPECT_TRUE(https.config.cookies_secure()) << "no further flag needed";
  auto defaults = parse({"serve"});
  EXPECT_FALSE(defaults.config.serves_https());
  EXPECT_FALSE(defaults.config.cookies_secure());
}

TEST_F(ConfigTest, InvalidEnvironmentValueFailsToo) {
  setenv("SWITCHBOARD_LOG_LEVEL", "chatty", 1);
  auto p = parse({"serve"});
  ASSERT_TRUE(p.exit_code);
  EXPECT_NE(*p.exit_code, 0);
}

TEST_F(ConfigTest, HelpAndVersion) {
  auto help = parse({"serve", "--help"});
  ASSERT_TRUE(help.exit_code);
  EXPECT_EQ(*help.exit_code, 0);
  EXPECT_NE(help.output.find("--listen"), std::string::npos);
  auto version = parse({"--version"});
  ASSERT_TRUE(version.exit_code);
  EXPECT_EQ(*version.exit_code, 0);
  EXPECT_NE(version.output.find("switchboard "), std::string::npos);
  auto none = parse({});
  EXPECT_NE(*none.exit_code, 0) << "a subcommand is required";
}

TEST_F(ConfigTest, AdminCommandsTakeTheirArguments) {
  auto p = parse({"admin", "create-user", "--email", "a@example.com", "--password", "0123456789", "--name", "A"});
  ASSERT_FALSE(p.exit_code) << p.output;
  EXPECT_EQ(p.command, Command::admin_create_user);
  EXPECT_EQ(p.admin.email, "a@example.com");
  auto missing = parse({"admin", "make-admin"});
  ASSERT_TRUE(missing.exit_code);
  EXPECT_NE(missing.output.find("--email"), std::string::npos);
}

TEST_F(ConfigTest, BillingIsAutoOnWithAStripeKeyAndCanBeForcedEitherWay) {
  auto defaults = parse({"serve"});
  ASSERT_FALSE(defaults.exit_code) << defaults.output;
  EXPECT_EQ(defaults.config.billing, "auto");
  EXPECT_FALSE(defaults.config.billing_enabled());
  EXPECT_FALSE(defaults.config.stripe_configured());
  EXPECT_EQ(defaults.config.stripe_api_base, "https://api.stripe.com");
  EXPECT_TRUE(defaults.config.plans_file.empty());

  auto keyed = parse({"serve", "--stripe-secret-key", "sk_test_abc", "--stripe-webhook-secret", "whsec_xyz",
                      "--stripe-api-base", "http://127.0.0.1:9999/", "--plans-file", "/etc/plans.json"});
  ASSERT_FALSE(keyed.exit_code) << keyed.output;
  EXPECT_TRUE(keyed.config.billing_enabled());
  EXPECT_TRUE(keyed.config.stripe_configured());
  EXPECT_EQ(keyed.config.stripe_webhook_secret, "whsec_xyz");
  EXPECT_EQ(keyed.config.stripe_api_base, "http://127.0.0.1:9999");
  EXPECT_EQ(keyed.config.plans_file, "/etc/plans.json");

  auto off = parse({"serve", "--billing", "off", "--stripe-secret-key", "sk_test_abc"});
  ASSERT_FALSE(off.exit_code) << off.output;
  EXPECT_FALSE(off.config.billing_enabled());
  auto forced = parse({"worker", "--billing", "on"});
  ASSERT_FALSE(forced.exit_code) << forced.output;
  EXPECT_TRUE(forced.config.billing_enabled());
  EXPECT_FALSE(forced.config.stripe_configured());
}

TEST_F(ConfigTest, BillingFromTheEnvironmentAndFlagsWin) {
  setenv("SWITCHBOARD_BILLING", "on", 1);
  setenv("SWITCHBOARD_PLANS_FILE", "/srv/plans.json", 1);
  setenv("SWITCHBOARD_STRIPE_SECRET_KEY", "rk_live_restricted", 1);
  setenv("SWITCHBOARD_STRIPE_WEBHOOK_SECRET", "whsec_env", 1);
  setenv("SWITCHBOARD_STRIPE_API_BASE", "http://localhost:12111", 1);
  auto p = parse({"serve"});
  ASSERT_FALSE(p.exit_code) << p.output;
  EXPECT_EQ(p.config.billing, "on");
  EXPECT_EQ(p.config.plans_file, "/srv/plans.json");
  EXPECT_EQ(p.config.stripe_secret_key, "rk_live_restricted");
  EXPECT_EQ(p.config.stripe_webhook_secret, "whsec_env");
  EXPECT_EQ(p.config.stripe_api_base, "http://localhost:12111");
  auto flag = parse({"serve", "--billing", "off"});
  ASSERT_FALSE(flag.exit_code) << flag.output;
  EXPECT_FALSE(flag.config.billing_enabled());
}

TEST_F(ConfigTest, BadBillingValuesFailWithoutRepeatingTheSecret) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const auto& c : std::vector<Case>{
           {{"serve", "--billing", "maybe"}, "--billing"},
           {{"serve", "--stripe-secret-key", "pk_test_publishable_secretvalue"}, "--stripe-secret-key"},
           {{"serve", "--stripe-webhook-secret", "not-a-whsec-secretvalue"}, "--stripe-webhook-secret"},
           {{"serve", "--stripe-api-base", "stripe.example"}, "--stripe-api-base"},
       }) {
    auto p = parse(c.args);
    ASSERT_TRUE(p.exit_code) << c.args.back();
    EXPECT_NE(*p.exit_code, 0);
    EXPECT_NE(p.output.find(c.says), std::string::npos) << p.output;
    EXPECT_EQ(p.output.find("secretvalue"), std::string::npos) << p.output;
  }
}

TEST_F(ConfigTest, SetPlanTakesAnOrganisationAndAKnownPlan) {
  auto p = parse({"admin", "set-plan", "--org", "org_123", "--plan", "pro"});
  ASSERT_FALSE(p.exit_code) << p.output;
  EXPECT_EQ(p.command, Command::admin_set_plan);
  EXPECT_EQ(p.admin.org, "org_123");
  EXPECT_EQ(p.admin.plan, "pro");
  auto unknown = parse({"admin", "set-plan", "--org", "org_123", "--plan", "gold"});
  ASSERT_TRUE(unknown.exit_code);
  EXPECT_NE(unknown.output.find("--plan"), std::string::npos);
  auto missing = parse({"admin", "set-plan", "--plan", "pro"});
  ASSERT_TRUE(missing.exit_code);
  EXPECT_NE(missing.output.find("--org"), std::string::npos);
}

}  // namespace
}  // namespace sb
