// Many processes on one database (ADR 0039): two app instances on one PostgreSQL database, as two
// `switchboard serve` processes would be. Exactly one runs the singleton tasks and another takes
// them over when it stops; platform limits hold for both together; a change made through one is
// seen by the other at once; a web chat reply reaches whoever holds the visitor's request.
#include <chrono>
#include <atomic>
#include <functional>
#include <thread>

#include "cluster/shared_rate_limiter.hpp"
#include "db/coordination.hpp"
#include "fakes/fake_openrouter.hpp"
#include "integration/messaging_fixture.hpp"

namespace sb::test {
namespace {

// Waits for something another thread or process does (a lock taken, a notification handled),
// up to a deadline; what it waits for is asynchronous by nature, so a clock cannot stand in for it.
bool eventually(const std::function<bool()>& done, std::chrono::seconds limit = std::chrono::seconds(15)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::string check_reason(Agent& agent, const std::string& name) {
  auto r = agent.get("/api/debug");
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return "(" + r.body + ")";
  auto report = r.json();
  for (const auto& c : report.at("checks").as_array())
    if (c.at("name").as_string() == name) return std::string(c.at("reason").as_string());
  return "(no such check)";
}

class ClusterTest : public MessagingTest {
 protected:
  void configure_more(Config& c) override {
    c.leader_retry_ms = 100;
    // No installation key: a bot with a model answers from templates until its organisation has a key.
    c.openrouter_base_url = openrouter.base_url();
    c.ai_timeout_ms = 2000;
    configure_cluster(c);
  }
  virtual void configure_cluster(Config&) {}
  // A copy of the owner's session talking to the second process.
  Agent owner_at_second() {
    Agent a(second_url);
    a.cookie = owner.cookie, a.csrf = owner.csrf;
    return a;
  }
  std::string org_id() { return str(owner.get("/api/auth/session").json().at("organization").at("id")); }

  // A second process on the same database and data folder (same master key), on its own port.
  void start_second() {
    second = std::make_unique<App>(config, accounts::AccountSettings{}, clock());
    second_url = "http://127.0.0.1:" + std::to_string(second->start_server());
  }
  void TearDown() override {
    if (second) second->stop();
    second.reset();
    MessagingTest::TearDown();
  }
  // Returns once `app` has handled every notification sent before this call (its count grew by n).
  static bool handled(App& app, std::uint64_t before, std::uint64_t n = 1) {
    return eventually([&] { return app.coordination().notifications() >= before + n; });
  }
  Reply deliver_to(const std::string& url, const std::string& id, const std::string& body) {
    Agent platform(url);
    return platform.send("POST", "/hooks/telegram/" + id, body, {{"X-Telegram-Bot-Api-Secret-Token", telegram_secret}});
  }

  FakeOpenRouter openrouter;
  std::unique_ptr<App> second;
  std::string second_url;
};

TEST_F(ClusterTest, OneProcessAloneRunsTheSingletonTasks) {
  EXPECT_TRUE(eventually([&] { return app->coordination().leader(); }));
  EXPECT_EQ(app->coordination().holder(), app->coordination().name());
  EXPECT_EQ(check_reason(owner, "singleton tasks"), "run by " + app->coordination().name() + " (this process)");
}

TEST_F(ClusterTest, ExactlyOneOfTwoProcessesRunsTheSingletonTasksAndAnotherTakesOverWhenItStops) {
  if (!scratch->postgres()) GTEST_SKIP() << "one process on SQLite";
  start_second();
  ASSERT_TRUE(eventually([&] { return app->coordination().leader() || second->coordination().leader(); }));
  // Both keep trying for a while: still only one holds it.
  for (int i = 0; i < 10; ++i) {
    EXPECT_NE(app->coordination().leader(), second->coordination().leader());
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  App& holder = app->coordination().leader() ? *app : *second;
  App& other = &holder == app.get() ? *second : *app;
  EXPECT_EQ(other.coordination().holder(), holder.coordination().name()) << "every process sees who runs them";
  Agent through_other(&other == app.get() ? base_url : second_url);
  through_other.cookie = owner.cookie, through_other.csrf = owner.csrf;
  EXPECT_EQ(check_reason(through_other, "singleton tasks"), "run by " + holder.coordination().name());
  EXPECT_NE(through_other.get("/metrics").body.find("switchboard_singleton_tasks_here 0"), std::string::npos);

  // The holder stops (its connection closes, as when a process dies): the other takes over within seconds.
  holder.stop();
  ASSERT_TRUE(eventually([&] { return other.coordination().leader(); }, std::chrono::seconds(10)));
  EXPECT_EQ(other.coordination().holder(), other.coordination().name());
  EXPECT_EQ(check_reason(through_other, "singleton tasks"), "run by " + other.coordination().name() + " (this process)");
}

// Each process used to count platform sends in its own memory: two processes sent twice the limit.
TEST_F(ClusterTest, TwoProcessesSendingForOneIntegrationStayWithinItsLimitTogether) {
  if (!scratch->postgres()) GTEST_SKIP() << "one process on SQLite";
  std::string id = connect_telegram();
  ASSERT_EQ(owner.send("PUT", "/api/integrations/" + id + "/rate-limits", R"({"per_second":3,"per_chat_per_minute":60})")
                .status,
            200);
  start_second();
  for (int i = 0; i < 12; ++i)
    ASSERT_EQ(deliver_telegram(id, telegram_update(5000 + i, "opening hours", 7000 + i), telegram_secret).status, 200);
  // Both claim and send at the same moment (the clock stands still: one window of one second).
  std::thread a([&] { app->job_runner().run_until_idle(); });
  std::thread b([&] { second->job_runner().run_until_idle(); });
  a.join();
  b.join();
  EXPECT_EQ(fake.sent().size(), 3u) << "3 a second for the integration, whichever process sends";
  // The next second lets three more through, again whichever process claims them.
  test_clock.advance(1000);
  second->job_runner().run_until_idle();
  app->job_runner().run_until_idle();
  EXPECT_EQ(fake.sent().size(), 6u);
  EXPECT_EQ(jobs("?state=queued&limit=100").size(), 6u) << "the others wait their turn; none failed";
}

// Many callers at the same moment, each batch in one statement: together they get the limit, no more.
TEST_F(ClusterTest, SharedLimitsGrantExactlyTheLimitToCallersAtOnce) {
  if (!scratch->postgres()) GTEST_SKIP() << "one process on SQLite";
  cluster::SharedRateLimiter limiter(app->database());
  const std::int64_t now = 1'700'000'000'250;
  std::atomic<int> granted{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        // Keys in different orders in each caller: rows are locked in key order, so none deadlocks.
        std::vector<RateAsk> asks{{"i:shared", 10, 1000, 3}, {"c:shared:" + std::to_string(t), 100, 60000, 3}};
        if (t % 2) std::swap(asks[0], asks[1]);
        auto g = limiter.take(asks, now);
        granted += t % 2 ? g[1].granted : g[0].granted;
      }
    });
  for (auto& c : callers) c.join();
  EXPECT_EQ(granted.load(), 10);
  auto next = limiter.take({{"i:shared", 10, 1000, 3}}, now);
  EXPECT_EQ(next[0].granted, 0);
  EXPECT_EQ(next[0].retry_after_ms, 750) << "until the second ends";
  EXPECT_EQ(limiter.take({{"i:shared", 10, 1000, 3}}, now + 750)[0].granted, 3) << "a new second";
  EXPECT_EQ(limiter.sweep(now + 750), 4) << "the chats' minute and the last second are over by then";
}

TEST_F(ClusterTest, ABotChangedThroughOneProcessAnswersWithItsNewSettingsInTheOther) {
  if (!scratch->postgres()) GTEST_SKIP() << "one process on SQLite";
  std::string id = connect_telegram();
  start_second();
  ASSERT_EQ(deliver_to(second_url, id, telegram_update(1, "hello")).status, 200);
  second->job_runner().run_until_idle();
  ASSERT_EQ(fake.sent().size(), 1u);
  EXPECT_EQ(fake.sent()[0].text, "A colleague will answer soon.");

  auto before = second->coordination().notifications();
  auto changed = owner.patch("/api/bots/" + bot_id, {{"fallback_message", "Back on Monday."}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  ASSERT_TRUE(handled(*second, before));
  ASSERT_EQ(deliver_to(second_url, id, telegram_update(2, "hello again")).status, 200);
  second->job_runner().run_until_idle();
  ASSERT_EQ(fake.sent().size(), 2u);
  EXPECT_EQ(fake.sent()[1].text, "Back on Monday.") << "no waiting for a cache to expire (the clock stands still)";
}

TEST_F(ClusterTest, ADeploymentPausedThroughOneProcessStopsRepliesInTheOtherAtOnce) {
  if (!scratch->postgres()) GTEST_SKIP() << "one process on SQLite";
  std::string id = connect_telegram();
  start_second();
  // The second process has the integration and its deployment in its caches now.
  ASSERT_EQ(deliver_to(second_url, id, telegram_update(1, "opening hours")).status, 200);
  EXPECT_EQ(jobs().size(), 1u);
  auto listed = owner.get("/api/deployments?bot_id=" + bot_id).json();
  auto deployments = listed.at("items").as_array();
  ASSERT_EQ(deployments.size(), 1u);
  std::string deployment = str(deployments[0].at("id"));

  auto before = second->coordination().notifications();
  ASSERT_EQ(owner.patch("/api/deployments/" + deployment, {{"status", "paused"}}).status, 200);
  ASSERT_TRUE(handled(*second, before));
  ASSERT_EQ(deliver_to(second_url, id, telegram_update(2, "opening hours")).status, 200);
  EXPECT_EQ(jobs().size(), 1u) << "a paused deployment answers nothing, whichever process takes the delivery";

  // Disconnected through the first: the second refuses its deliveries at once.
  before = second->coordination().notifications();
  ASSERT_EQ(owner.send("DELETE", "/api/integrations/" + id).status, 204);
  ASSERT_TRUE(handled(*second, before));
  EXPECT_EQ(deliver_to(second_url, id, telegram_update(3, "opening hours")).status, 404);
}

// A visitor's message is answered on the request that carries it: whichever process holds the
// connection makes the reply and streams it; the other process shows the same conversation.
TEST_F(ClusterTest, AWebChatVisitorIsAnsweredByWhicheverProcessHoldsTheConnection) {
  if (!scratch->postgres()) GTEST_SKIP() << "one process on SQLite";
  auto dep = owner.post("/api/deployments", {{"bot_id", bot_id}, {"channel", "webchat"},
                                             {"allowed_origins", json::array{"https://shop.example.com"}}});
  ASSERT_EQ(dep.status, 201) << dep.body;
  std::string key = str(dep.json().at("key"));
  start_second();
  Agent visitor(second_url);
  std::string token = str(visitor.get("/widget/" + key).json().at("visitor_token"));
  auto said = visitor.send("POST", "/widget/" + key + "/messages",
                           json::serialize(json::object{{"visitor_token", token}, {"text", "opening hours"}}),
                           {{"Accept", "text/event-stream"}});
  ASSERT_EQ(said.status, 200) << said.body;
  EXPECT_NE(said.body.find("We are open 9 to 5"), std::string::npos) << said.body;
  Agent elsewhere(base_url);
  auto history = elsewhere.send("GET", "/widget/" + key + "/history", "", {{"X-Visitor-Token", token}});
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(history.json().at("messages").as_array().size(), 2u);
}

// The organisation's AI settings were kept for 30 s in each process: a key set through one process
// was used by the others only after that.
TEST_F(ClusterTest, AnOrganisationsNewAiKeySetThroughOneProcessIsUsedByTheOtherAtOnce) {
  if (!scratch->postgres()) GTEST_SKIP() << "one process on SQLite";
  constexpr const char* kOrgKey = "sk-or-v1-cluster-own-key-5b2e71c0";
  auto bot = owner.post("/api/bots", {{"name", "Thinker"}, {"model", "anthropic/claude-3.5-haiku"},
                                      {"fallback_message", "A colleague will answer soon."}});
  ASSERT_EQ(bot.status, 201) << bot.body;
  std::string thinker = str(bot.json().at("id"));
  start_second();
  Agent at_second = owner_at_second();
  auto chat = [&] {
    auto r = at_second.post("/api/bots/" + thinker + "/chat", {{"text", "hello"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? str(r.json().at("reply").at("source")) : "";
  };
  EXPECT_NE(chat(), "ai") << "no key anywhere yet (and the second process now keeps that)";
  EXPECT_EQ(openrouter.stats().calls, 0);

  auto before = second->coordination().notifications();
  auto set = owner.send("PUT", "/api/orgs/" + org_id() + "/ai", json::serialize(json::object{{"api_key", kOrgKey}}));
  ASSERT_EQ(set.status, 200) << set.body;
  ASSERT_TRUE(handled(*second, before));
  EXPECT_EQ(chat(), "ai") << "no waiting for the 30 s cache (the clock stands still)";
  auto seen = openrouter.seen();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().authorization, "Bearer " + std::string(kOrgKey));

  // Removed through the first: the second stops using it at once too.
  before = second->coordination().notifications();
  ASSERT_EQ(owner.send("DELETE", "/api/orgs/" + org_id() + "/ai/key").status, 200);
  ASSERT_TRUE(handled(*second, before));
  auto calls = openrouter.seen().size();
  EXPECT_NE(chat(), "ai");
  EXPECT_EQ(openrouter.seen().size(), calls) << "the removed key is not used";
}

class ClusterBillingTest : public ClusterTest {
 protected:
  void configure_cluster(Config& c) override { c.billing = "on"; }
};

// Entitlements were kept for 5 s in each process: a plan raised through one process (an admin, or a
// Stripe event that the singleton process applies) still refused creations in the others.
TEST_F(ClusterBillingTest, APlanChangedThroughOneProcessRaisesTheLimitsInTheOtherAtOnce) {
  if (!scratch->postgres()) GTEST_SKIP() << "one process on SQLite";
  start_second();
  Agent at_second = owner_at_second();
  // The fixture's bot and two more fill the free plan's three; the second process keeps "free".
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(at_second.post("/api/bots", {{"name", "Bot " + std::to_string(i)}}).status, 201);
  auto refused = at_second.post("/api/bots", {{"name", "One too many"}});
  ASSERT_EQ(refused.status, 402) << refused.body;
  EXPECT_EQ(refused.error_code(), "plan_limit_reached");

  // The owner is the installation's first person, its platform admin.
  auto before = second->coordination().notifications();
  auto set = owner.send("PUT", "/api/admin/orgs/" + org_id() + "/plan", json::serialize(json::object{{"plan", "pro"}}));
  ASSERT_EQ(set.status, 200) << set.body;
  ASSERT_TRUE(handled(*second, before));
  auto created = at_second.post("/api/bots", {{"name", "One more"}});
  EXPECT_EQ(created.status, 201) << "no waiting for the 5 s cache (the clock stands still): " << created.body;
}

// Insight runs record the process that waits for their answer (ADR 0039): a run is failed when its
// process is gone (heartbeat stale or missing, or none recorded), never while its process lives.
class ClusterInsightsTest : public ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    org = org_id();
  }
  void insert_run(const std::string& id, const std::optional<std::string>& process) {
    auto conn = app->database().acquire();
    conn->execute(
        "INSERT INTO insight_runs (id, org_id, created_by_label, status, kind, filters, prompt_version, metrics, "
        "created_at, process_id) VALUES ($1, $2, 'Test User', 'running', 'ai', '{}', '2026-12-1', '{}', $3, $4)",
        {id, org, test_clock.now_ms(), process ? db::Value(*process) : db::Value(nullptr)});
  }
  void beat(const std::string& process, std::int64_t at) {
    auto conn = app->database().acquire();
    conn->execute("DELETE FROM processes WHERE id = $1", {process});
    conn->execute("INSERT INTO processes (id, started_at, last_seen) VALUES ($1, $2, $2)", {process, at});
  }
  std::string status(const std::string& id) {
    auto r = owner.get("/api/analytics/insights/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? str(r.json().at("status")) : "";
  }
  std::string status_at_second(const std::string& id) {
    Agent at_second = owner_at_second();
    auto r = at_second.get("/api/analytics/insights/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? str(r.json().at("status")) : "";
  }
  std::string org;
};

TEST_F(ClusterInsightsTest, ARunIsFailedOnlyOnceItsProcessIsGone) {
  std::int64_t now = test_clock.now_ms();
  beat("peer:1.aaaaaa", now);
  beat("crashed:2.bbbbbb", now - 60'000);
  insert_run("ins_peer", "peer:1.aaaaaa");
  insert_run("ins_crashed", "crashed:2.bbbbbb");
  insert_run("ins_no_row", "vanished:3.cccccc");
  insert_run("ins_older", std::nullopt);
  insert_run("ins_mine", app->insights().process_id());

  EXPECT_EQ(app->insights().fail_orphaned(), 3);
  EXPECT_EQ(status("ins_peer"), "running") << "its process is alive";
  EXPECT_EQ(status("ins_mine"), "running") << "this process waits for it";
  for (const char* id : {"ins_crashed", "ins_no_row", "ins_older"}) {
    EXPECT_EQ(status(id), "failed") << id;
    auto r = owner.get(std::string("/api/analytics/insights/") + id);
    EXPECT_NE(str(r.json().at("error")).find("Interrupted"), std::string::npos) << r.body;
  }

  // The peer falls silent (10 s without a heartbeat): its run is failed at the next check, ours is not.
  test_clock.advance(10'001);
  app->insights().fail_orphaned();
  EXPECT_EQ(status("ins_peer"), "failed");
  EXPECT_EQ(status("ins_mine"), "running");
  EXPECT_EQ(app->insights().fail_orphaned(), 0) << "nothing twice";
}

// A starting process used to fail every running run, those other live processes waited for included.
TEST_F(ClusterInsightsTest, AStartingProcessLeavesTheRunsOfLiveProcessesAlone) {
  if (!scratch->postgres()) GTEST_SKIP() << "one process on SQLite: a start fails every run left running";
  insert_run("ins_first", app->insights().process_id());
  insert_run("ins_left", "crashed:2.bbbbbb");
  start_second();
  EXPECT_EQ(status("ins_first"), "running") << "the first process is alive";
  EXPECT_EQ(status("ins_left"), "failed") << "nobody will finish it";

  // The first process stops (a clean stop removes its heartbeat): the second fails its run at its
  // next check, with no clock moved.
  app->stop();
  EXPECT_EQ(second->insights().fail_orphaned(), 1);
  EXPECT_EQ(status_at_second("ins_first"), "failed");
}

// A process that dies keeps its heartbeat row until it is 10 s old; then its runs are failed.
TEST_F(ClusterInsightsTest, TheRunsOfAProcessThatFellSilentAreFailedOnceItsHeartbeatIsStale) {
  if (!scratch->postgres()) GTEST_SKIP() << "one process on SQLite";
  start_second();
  insert_run("ins_second", second->insights().process_id());
  app->insights().fail_orphaned();
  EXPECT_EQ(status("ins_second"), "running") << "the second process is alive";
  // The second process hangs (its heartbeat is written no more; its row stays).
  second->insights().stop_heartbeat();
  {
    auto conn = app->database().acquire();
    conn->execute("INSERT INTO processes (id, started_at, last_seen) VALUES ($1, $2, $2)",
                  {second->insights().process_id(), test_clock.now_ms()});
  }
  app->insights().fail_orphaned();
  EXPECT_EQ(status("ins_second"), "running") << "a heartbeat seconds old may be a live process's";
  test_clock.advance(10'001);
  app->insights().fail_orphaned();  // (the scheduler may get there first once the clock moves)
  EXPECT_EQ(status("ins_second"), "failed");
}

}  // namespace
}  // namespace sb::test
