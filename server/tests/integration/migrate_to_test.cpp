// switchboard admin migrate-to: an installation filled through the API on SQLite, copied into
// PostgreSQL, shows the same data through the API when the server starts on PostgreSQL; a target
// that holds rows is refused; a bad URL gets a clear error that never repeats its password.
// The copy needs SWITCHBOARD_TEST_PG_URL (skipped without); the URL checks run everywhere.
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "admin/migrate_to.hpp"
#include "core/config.hpp"
#include "db/migrations.hpp"
#include "integration/messaging_fixture.hpp"

namespace sb::test {
namespace {

constexpr const char* kPassword = "Sup3rSecretPw";

class MigrateToTest : public MessagingTest {
 protected:
  // The app runs on a SQLite file in the scratch folder; the scratch PostgreSQL database is the target.
  void configure_more(Config& c) override {
    c.billing = "on";
    target_url = c.database_url;
    c.database_url = "sqlite:" + c.data_dir + "/switchboard.db";
  }
  void SetUp() override {
    const char* pg = std::getenv("SWITCHBOARD_TEST_PG_URL");
    if (!pg || !*pg) GTEST_SKIP() << "SWITCHBOARD_TEST_PG_URL is not set";
    MessagingTest::SetUp();
  }

  // Fills the installation through the API: an integration, deliveries answered by the bot and by
  // its fallback, a failed send that is retried, a plan set by the platform admin.
  void fill() {
    integration_id = connect_telegram();
    for (int i = 1; i <= 4; ++i) {
      auto text = i % 2 ? "what are your opening hours?" : "something else entirely";
      ASSERT_EQ(deliver_telegram(integration_id, telegram_update(100 + i, text, 4000 + i), telegram_secret).status, 200);
    }
    run();
    auto orgs = owner.get("/api/admin/organizations");
    ASSERT_EQ(orgs.status, 200) << orgs.body;
    org_id = str(orgs.json().at("items").at(0).at("id"));
    auto plan = owner.send("PUT", "/api/admin/orgs/" + org_id + "/plan", R"({"plan":"pro"})");
    ASSERT_EQ(plan.status, 200) << plan.body;
  }

  // What a user sees: the responses of the pages' API calls.
  std::map<std::string, std::string> views(Agent& a) {
    std::vector<std::string> paths = {"/api/bots", "/api/templates", "/api/integrations", "/api/deployments",
                                      "/api/jobs", "/api/conversations", "/api/billing", "/api/admin/organizations",
                                      "/api/admin/users", "/api/orgs/" + org_id + "/audit",
                                      "/api/analytics/overview?preset=7d", "/api/orgs/" + org_id + "/members"};
    std::map<std::string, std::string> out;
    for (const auto& p : paths) {
      auto r = a.get(p);
      EXPECT_EQ(r.status, 200) << p << ": " << r.body;
      out[p] = r.body;
    }
    auto conversations = a.get("/api/conversations").json();
    for (const auto& c : conversations.at("items").as_array()) {
      std::string p = "/api/conversations/" + str(c.at("id"));
      out[p] = a.get(p).body;
    }
    return out;
  }

  // The owner's browser, pointed at the restarted server: same cookies, same CSRF token.
  Agent same_browser() {
    Agent a(base_url);
    a.cookie = owner.cookie;
    a.cookies = owner.cookies;
    a.csrf = owner.csrf;
    return a;
  }

  Result<admin::MigrateToResult> migrate() {
    auto source = db::open_database(config.database_url, 2);
    auto target = db::open_database(target_url, 2);
    admin::MigrateToOptions options;
    options.batch_rows = 3;  // many pages per table, a partial last one
    return admin::migrate_to(*source, *target, test_clock.now_ms(), options);
  }

  std::string target_url;
  std::string integration_id;
  std::string org_id;
};

TEST_F(MigrateToTest, TheCopiedInstallationShowsTheSameDataOnPostgreSQL) {
  fill();
  auto before = views(owner);
  ASSERT_GT(before["/api/conversations"].size(), 20u);
  app->stop();
  app.reset();

  auto copied = migrate();
  ASSERT_TRUE(copied) << copied.error().message;
  std::map<std::string, std::int64_t> rows;
  for (const auto& t : copied->tables) {
    EXPECT_EQ(t.source_rows, t.target_rows) << t.table;
    rows[t.table] = t.target_rows;
  }
  for (const char* table : {"users", "organizations", "organization_members", "sessions", "bots", "templates",
                            "integrations", "deployments", "webhook_events", "message_jobs", "message_job_logs",
                            "conversation_sessions", "messages", "analytics_hourly", "analytics_users_hourly",
                            "usage_counters", "org_billing", "audit_events"})
    EXPECT_GT(rows[table], 0) << table << " was not filled, so the test proves nothing about it";
  EXPECT_EQ(rows["webhook_events"], 4);
  EXPECT_EQ(rows.count("schema_migrations"), 0u) << "each database keeps its own migration history";

  config.database_url = target_url;
  app = std::make_unique<App>(config, accounts::AccountSettings{}, clock());
  base_url = "http://127.0.0.1:" + std::to_string(app->start_server());
  ASSERT_EQ(app->database().dialect(), db::Dialect::postgres);
  Agent browser = same_browser();
  auto after = views(browser);
  for (const auto& [path, body] : before) EXPECT_EQ(after[path], body) << path;

  // The credentials were copied sealed as they were, and the same master key opens them.
  auto verified = browser.post("/api/integrations/" + integration_id + "/verify", json::object{});
  EXPECT_EQ(str(verified.json().at("status")), "connected") << verified.body;
  // The pipeline goes on where it stopped: a redelivered update is still a duplicate, a new one a new job.
  EXPECT_EQ(deliver_telegram(integration_id, telegram_update(101, "what are your opening hours?", 4001), telegram_secret).status, 200);
  EXPECT_EQ(count("webhook_events"), 4);
  EXPECT_EQ(deliver_telegram(integration_id, telegram_update(200, "what are your opening hours?", 4200), telegram_secret).status, 200);
  run();
  EXPECT_EQ(count("webhook_events"), 5);
  auto jobs = browser.get("/api/jobs").json();
  EXPECT_EQ(jobs.at("items").as_array().size(), 5u);
  for (const auto& j : jobs.at("items").as_array()) EXPECT_EQ(str(j.at("state")), "succeeded") << json::serialize(j);
}

TEST_F(MigrateToTest, ATargetThatHoldsRowsIsRefusedAndKeepsThem) {
  fill();
  app->stop();
  app.reset();
  ASSERT_TRUE(migrate());
  auto target = db::open_database(target_url, 1);
  auto users = [&] { return target->acquire()->query_one("SELECT COUNT(*) AS n FROM users")->integer("n"); };
  const auto users_before = users();

  auto again = migrate();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "conflict");
  EXPECT_NE(again.error().message.find("not empty"), std::string::npos) << again.error().message;
  EXPECT_EQ(users(), users_before);

  // A target that holds one row anywhere is refused too, and nothing is written into it.
  {
    auto conn = target->acquire();
    conn->execute("DELETE FROM organizations");
    conn->execute("DELETE FROM users WHERE id <> (SELECT MIN(id) FROM users)");
  }
  auto partly = migrate();
  ASSERT_FALSE(partly);
  EXPECT_EQ(users(), 1);
}

TEST(MigrateToUrls, ABadTargetUrlGetsAClearErrorWithoutItsPassword) {
  const std::string pw = kPassword;
  for (const std::string& url : std::vector<std::string>{"postgres://sb:" + pw + "@127.0.0.1:notaport/switchboard",
                                                         "mysql://sb:" + pw + "@127.0.0.1/switchboard",
                                                         "sqlite:/tmp/elsewhere.db", "postgres://sb:" + pw + "@[::1/x"}) {
    auto cli = parse_command_line({"switchboard", "admin", "migrate-to", "--database-url", url});
    ASSERT_TRUE(cli.exit_code) << url;
    EXPECT_EQ(*cli.exit_code, 2);
    EXPECT_NE(cli.output.find("--database-url must be a valid postgres://"), std::string::npos) << cli.output;
    EXPECT_EQ(cli.output.find(kPassword), std::string::npos) << cli.output;
  }
  auto missing = parse_command_line({"switchboard", "admin", "migrate-to"});
  ASSERT_TRUE(missing.exit_code);
  EXPECT_NE(*missing.exit_code, 0);

  auto ok = parse_command_line({"switchboard", "admin", "migrate-to", "--data-dir", "/tmp/x", "--database-url",
                                "postgres://sb:" + std::string(kPassword) + "@db.example.com:5432/switchboard"});
  EXPECT_FALSE(ok.exit_code) << ok.output;
  EXPECT_EQ(ok.command, Command::admin_migrate_to);

  // A server that cannot be reached: the error says so and still holds no password.
  ScratchDatabase scratch;
  auto source = db::open_database("sqlite:" + scratch.data_dir() + "/source.db", 1);
  auto target = db::open_database("postgres://sb:" + std::string(kPassword) + "@127.0.0.1:1/switchboard?connect_timeout=2", 1);
  auto failed = admin::migrate_to(*source, *target, 0);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("Could not copy"), std::string::npos) << failed.error().message;
  EXPECT_EQ(failed.error().message.find(kPassword), std::string::npos) << failed.error().message;

  // The source must be SQLite and the target PostgreSQL.
  auto both_sqlite = admin::migrate_to(*source, *source, 0);
  ASSERT_FALSE(both_sqlite);
  EXPECT_EQ(both_sqlite.error().code, "validation_failed");
}

}  // namespace
}  // namespace sb::test
