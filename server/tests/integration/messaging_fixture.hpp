// The messaging fixture: a server whose platform APIs are the fake platforms, an owner with a
// bot that has a template, and helpers to connect Telegram and deliver signed updates.
#pragma once

#include <boost/json.hpp>

#include "fakes/fake_platforms.hpp"
#include "integration/harness.hpp"

namespace sb::test {
namespace json = boost::json;

inline const std::string kPublicBase = "https://switchboard.example.com";

class MessagingTest : public ServerTest {
 protected:
  void configure(Config& c) override {
    c.public_base_url = kPublicBase;
    c.telegram_api_base = fake.base_url("telegram");
    c.graph_api_base = fake.base_url("graph");
    c.slack_api_base = fake.base_url("slack");
    c.discord_api_base = fake.base_url("discord");
    c.twilio_api_base = fake.base_url("twilio");
    c.platform_timeout_ms = 300;
    c.workers = 0;  // the test runs the jobs itself, on its own clock
    c.blocking_threads = 8;
    c.job_max_attempts = 4;
    configure_more(c);
  }
  virtual void configure_more(Config&) {}
  const Clock* clock() override { return &test_clock; }

  void SetUp() override {
    ServerTest::SetUp();
    owner = agent();
    owner.signup(unique_email("owner"));
    auto tpl = owner.post("/api/templates", {{"name", "Hours"}, {"trigger_phrases", json::array{"opening hours"}},
                                             {"body", "We are open 9 to 5, {{user_name}}."}});
    ASSERT_EQ(tpl.status, 201) << tpl.body;
    auto bot = owner.post("/api/bots", {{"name", "Helper"}, {"fallback_message", "A colleague will answer soon."},
                                        {"template_ids", json::array{tpl.json().at("id")}}});
    ASSERT_EQ(bot.status, 201) << bot.body;
    bot_id = str(bot.json().at("id"));
  }

  static std::string str(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }

  // Connects, verifies and deploys the bot on one platform; returns the integration id.
  std::string connect(const std::string& platform, json::object credentials) {
    auto r = owner.post("/api/integrations", {{"platform", platform}, {"name", platform + " account"}, {"credentials", credentials}});
    EXPECT_EQ(r.status, 201) << r.body;
    std::string id = str(r.json().at("id"));
    EXPECT_EQ(str(owner.post("/api/integrations/" + id + "/verify", json::object{}).json().at("status")), "connected");
    auto d = owner.post("/api/deployments", {{"bot_id", bot_id}, {"integration_id", id}});
    EXPECT_EQ(d.status, 201) << d.body;
    return id;
  }
  std::string connect_telegram() {
    std::string id = connect("telegram", {{"bot_token", "7654321098:AAHmessagingTestBotToken0123456789ab"}});
    EXPECT_EQ(owner.post("/api/integrations/" + id + "/webhook", json::object{}).status, 200);
    telegram_secret = fake.telegram_webhook_secret();
    return id;
  }

  static std::string telegram_update(std::int64_t update_id, const std::string& text, std::int64_t chat = 4242) {
    return json::serialize(json::object{
        {"update_id", update_id},
        {"message", json::object{{"message_id", update_id % 1000},
                                 {"date", 1700000000},
                                 {"from", json::object{{"id", chat}, {"is_bot", false}, {"first_name", "Grace"}}},
                                 {"chat", json::object{{"id", chat}, {"type", "private"}}},
                                 {"text", text}}}});
  }
  Reply deliver_telegram(const std::string& id, const std::string& body, const std::string& secret) {
    Agent platform(base_url);
    return platform.send("POST", "/hooks/telegram/" + id, body, {{"X-Telegram-Bot-Api-Secret-Token", secret}});
  }

  std::int64_t count(const std::string& table) {
    auto conn = app->database().acquire();
    return conn->query_one("SELECT COUNT(*) AS n FROM " + table)->integer("n");
  }
  json::array jobs(const std::string& query = "") {
    auto r = owner.get("/api/jobs" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    json::value v = r.json();
    return v.at("items").as_array();
  }
  json::object job(const std::string& id) {
    auto r = owner.get("/api/jobs/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  std::size_t run() { return app->job_runner().run_until_idle(); }

  FakePlatforms fake;
  TestClock test_clock;
  Agent owner{""};
  std::string bot_id;
  std::string telegram_secret;
};

}  // namespace sb::test
