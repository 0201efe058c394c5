// Usage and the monthly message quota over real HTTP deliveries: what counts as a message
// processed, the quota turning jobs into skipped ones with the bot's notice and no model call, a
// burst at the quota edge, AI usage reserved and released when a worker dies, the owners' warnings
// at 80 % and 100 %, metered insight runs, and billing off limiting nothing.
#include <atomic>
#include <fstream>
#include <chrono>
#include <mutex>
#include <thread>

#include "billing/model.hpp"
#include "fakes/fake_openrouter.hpp"
#include "integration/messaging_fixture.hpp"
#include "mail/mailer.hpp"
#include "usage/model.hpp"

namespace sb::test {
namespace {

// The plan every organisation has in these tests; BillingService takes this place in the server.
class TestPlans final : public billing::EntitlementSource {
 public:
  billing::Entitlements entitlements(const std::string& org_id) override {
    std::lock_guard lock(mu);
    billing::Entitlements e;
    e.org_id = org_id;
    e.billing_enabled = enabled;
    e.plan.key = "free";
    e.plan.name = "Free";
    e.plan.limits.messages_per_month = messages;
    e.plan.limits.insight_runs_per_month = insight_runs;
    return e;  // period: the calendar month
  }
  void set(bool on, std::optional<std::int64_t> messages_limit, std::optional<std::int64_t> runs = 5) {
    std::lock_guard lock(mu);
    enabled = on;
    messages = messages_limit;
    insight_runs = runs;
  }

 private:
  std::mutex mu;
  bool enabled = true;
  std::optional<std::int64_t> messages = 500;
  std::optional<std::int64_t> insight_runs = 5;
};

class UsageTest : public MessagingTest {
 protected:
  void configure_more(Config& c) override {
    c.openrouter_api_key = "sk-or-usage-test-key";
    c.openrouter_base_url = model.base_url();
    c.ai_timeout_ms = 10000;
  }
  void SetUp() override {
    MessagingTest::SetUp();
    app->usage().use_entitlements(&plans);
    auto conn = app->database().acquire();
    org_id = conn->query_one("SELECT id FROM organizations")->text("id");
  }
  usage::PeriodUsage used() { return app->usage().period_usage(org_id); }
  // The jobs in the state, as the Operations page lists them.
  std::size_t jobs_in(const std::string& state) { return jobs("?state=" + state).size(); }
  std::vector<mail::OutboxEntry> mail() {
    auto conn = app->database().acquire();
    return mail::list_outbox(*conn, 100);
  }
  std::size_t mails_with(const std::string& subject_part) {
    std::size_t n = 0;
    for (const auto& m : mail())
      if (m.subject.find(subject_part) != std::string::npos) ++n;
    return n;
  }
  // Delivers `n` Telegram messages, each from its own chat, numbered from `first`.
  void deliver(const std::string& integration, int n, int first) {
    for (int i = 0; i < n; ++i)
      ASSERT_EQ(deliver_telegram(integration, telegram_update(first + i, "question " + std::to_string(first + i),
                                                              50000 + first + i),
                                 telegram_secret)
                    .status,
                200);
  }

  FakeOpenRouter model;
  TestPlans plans;
  std::string org_id;
};

TEST_F(UsageTest, EachStoredMessageCountsOnceAndDuplicatesIgnoredEventsAndTheConsoleDoNot) {
  std::string id = connect_telegram();
  deliver(id, 3, 100);
  // The platform delivers one of them again: stored once, counted once.
  ASSERT_EQ(deliver_telegram(id, telegram_update(101, "question 101", 50101), telegram_secret).status, 200);
  // An update that is not a message is acknowledged and ignored.
  ASSERT_EQ(deliver_telegram(id, R"({"update_id": 777, "edited_message": {"message_id": 5, "text": "x"}})",
                             telegram_secret)
                .status,
            200);
  // The test console on the bot page is not a customer's message.
  auto console = owner.post("/api/bots/" + bot_id + "/chat", {{"text", "trying the bot"}});
  ASSERT_EQ(console.status, 200) << console.body;
  EXPECT_EQ(used().messages, 3);
  EXPECT_EQ(count("message_jobs"), 3);
  run();
  EXPECT_EQ(jobs_in("succeeded"), 3u);
  EXPECT_EQ(model.stats().calls, 4) << "three replies and the console's";
  // Replies paid with the installation's key are AI usage: the fake model's tokens and cost.
  EXPECT_EQ(used().ai_tokens, 3 * (42 + 7));
  EXPECT_EQ(used().ai_cost_micros, 3 * 123);
  auto conn = app->database().acquire();
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM usage_reservations")->integer("n"), 0) << "all settled";
  EXPECT_EQ(conn->query_one("SELECT COALESCE(SUM(reserved), 0) AS n FROM usage_counters")->integer("n"), 0);
}

TEST_F(UsageTest, PastTheQuotaTheMessageIsStoredAndTheNoticeSentWithoutAModelCall) {
  plans.set(true, 2);
  auto bot = owner.patch("/api/bots/" + bot_id, {{"over_quota_message", "We are out of answers this month."}});
  ASSERT_EQ(bot.status, 200) << bot.body;
  std::string id = connect_telegram();
  deliver(id, 3, 200);
  EXPECT_EQ(count("message_jobs"), 3) << "every message is stored";
  run();
  EXPECT_EQ(model.stats().calls, 2) << "no model call past the quota";
  EXPECT_EQ(jobs_in("succeeded"), 2u);
  auto skipped = jobs("?state=skipped");
  ASSERT_EQ(skipped.size(), 1u);
  const auto& job = skipped[0].as_object();
  EXPECT_EQ(str(job.at("reason_kind")), "quota");
  EXPECT_EQ(str(job.at("inbound_text")), "question 202") << "the last one is past the quota";
  EXPECT_EQ(jobs("?reason_kind=quota").size(), 1u);
  // The customer got the bot's notice, once.
  std::size_t notices = 0;
  for (const auto& m : fake.sent())
    if (m.text == "We are out of answers this month.") ++notices;
  EXPECT_EQ(notices, 1u);
  EXPECT_EQ(fake.sent().size(), 3u);
  // Counted in the stats; never retried, not by an operator either.
  auto stats = owner.get("/api/jobs/stats").json();
  EXPECT_EQ(stats.at("counts").at("skipped").as_int64(), 1);
  EXPECT_EQ(stats.at("last_hour").at("skipped").as_int64(), 1);
  auto retry = owner.post("/api/jobs/" + str(job.at("id")) + "/retry", json::object{});
  EXPECT_EQ(retry.status, 409) << retry.body;
  test_clock.advance(3600'000);
  EXPECT_EQ(run(), 0u) << "a skipped job is finished";
  EXPECT_EQ(fake.sent().size(), 3u);
  EXPECT_EQ(used().messages, 3) << "messages past the quota are processed messages too";
}

TEST_F(UsageTest, WithoutItsOwnNoticeTheBotAnswersPastTheQuotaWithItsFallback) {
  plans.set(true, 0);
  std::string id = connect_telegram();
  deliver(id, 1, 300);
  run();
  EXPECT_EQ(model.stats().calls, 0);
  ASSERT_EQ(fake.sent().size(), 1u);
  EXPECT_EQ(fake.sent()[0].text, "A colleague will answer soon.");
  EXPECT_EQ(jobs_in("skipped"), 1u);
}

TEST_F(UsageTest, ABurstAtTheQuotaEdgeNeverLetsMoreThanTheLimitThrough) {
  plans.set(true, 25);
  std::string id = connect_telegram();
  deliver(id, 20, 1000);  // 5 left
  std::atomic<int> accepted{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 8; ++t)
    senders.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        int n = 2000 + t * 100 + i;
        if (deliver_telegram(id, telegram_update(n, "burst " + std::to_string(n), 60000 + n), telegram_secret).status ==
            200)
          ++accepted;
      }
    });
  for (auto& s : senders) s.join();
  ASSERT_EQ(accepted.load(), 40);
  auto conn = app->database().acquire();
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM message_jobs WHERE reason_kind IS NULL")->integer("n"), 25)
      << "exactly the quota went through";
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM message_jobs WHERE reason_kind = 'quota'")->integer("n"), 35);
  EXPECT_EQ(used().messages, 60);
}

class UsageOneWorkerTest : public UsageTest {
 protected:
  void configure_more(Config& c) override {
    UsageTest::configure_more(c);
    c.workers = 1;
  }
  // Waits (a guard against a hang, not a measure of speed) until `pred` holds.
  template <typename Pred>
  bool eventually(Pred pred, int seconds = 30) {
    for (int i = 0; i < seconds * 20 && !pred(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return pred();
  }
  std::int64_t scalar(const std::string& sql, const db::Params& params = {}) {
    auto conn = app->database().acquire();
    return conn->query_one(sql, params)->integer("n");
  }
  std::int64_t reserved() {
    return scalar("SELECT COALESCE(SUM(reserved), 0) AS n FROM usage_counters WHERE metric = 'ai_tokens'");
  }
};

// A process that heartbeats renews no lease (ADR 0040): 80 s past the claim (the lease is 60 s),
// its job's reservation is kept because its process is seen alive, the job is not taken over, and
// the reply is made once.
TEST_F(UsageOneWorkerTest, TheReservationOfAHeartbeatingProcessIsKeptPastItsLeaseWithoutRenewal) {
  FakeAnswer slow{200, "Worth the wait."};
  slow.delay_ms = 1500;
  model.answer({slow});
  std::string id = connect_telegram();
  deliver(id, 1, 400);
  ASSERT_TRUE(eventually([&] { return model.stats().in_flight == 1; }));
  ASSERT_GT(reserved(), 0);
  std::int64_t lease = scalar("SELECT lease_expires_at AS n FROM message_jobs");
  // 80 s go by, the process heartbeating every 5 s (its heartbeat thread does it every 2 s).
  for (int i = 0; i < 16; ++i) {
    test_clock.advance(5000);
    app->job_runner().heartbeat();
  }
  EXPECT_EQ(app->job_runner().rescue_expired(), 0u) << "the job was taken from a live process";
  EXPECT_EQ(app->usage().release_expired(), 0u) << "the reservation of a live process's job was released";
  EXPECT_GT(reserved(), 0);
  EXPECT_EQ(scalar("SELECT lease_expires_at AS n FROM message_jobs"), lease) << "the lease was renewed";
  ASSERT_TRUE(eventually([&] {
    return scalar("SELECT COUNT(*) AS n FROM message_jobs WHERE state = 'succeeded'") == 1;
  }));
  EXPECT_EQ(reserved(), 0) << "nothing is held once the reply is made";
  EXPECT_EQ(model.stats().calls, 1);
  EXPECT_EQ(fake.sent().size(), 1u);
}

TEST_F(UsageOneWorkerTest, TheReservationOfAWorkerThatDiedIsReleasedWhenItsLeaseEnds) {
  FakeAnswer slow{200, "Too late."};
  slow.delay_ms = 4000;
  model.answer({slow, FakeAnswer{200, "After the restart."}});
  std::string id = connect_telegram();
  deliver(id, 1, 400);
  ASSERT_TRUE(eventually([&] { return model.stats().in_flight == 1; }));
  EXPECT_GT(reserved(), 0) << "the call's estimate is held while it runs";
  EXPECT_EQ(app->usage().release_expired(), 0u) << "a live lease keeps its reservation";
  restart();  // the call in flight dies with the process
  app->usage().use_entitlements(&plans);
  EXPECT_EQ(app->usage().release_expired(), 0u) << "the lease has not ended yet";
  EXPECT_GT(reserved(), 0);
  test_clock.advance(61'000);
  app->usage().release_expired();  // the scheduled release may get there first; either releases it once
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM usage_reservations WHERE lease_expires_at < $1", {test_clock.now_ms()}), 0)
      << "the dead worker's reservation is gone";
  app->job_runner().rescue_expired();
  ASSERT_TRUE(eventually([&] {
    return scalar("SELECT COUNT(*) AS n FROM message_jobs WHERE state = 'succeeded'") == 1;
  }));
  EXPECT_EQ(reserved(), 0) << "nothing is held once the reply is made";
  EXPECT_EQ(used().ai_tokens, 42 + 7) << "only the reply made after the restart counts";
  EXPECT_EQ(used().messages, 1) << "the message counted once";
  std::this_thread::sleep_for(std::chrono::milliseconds(4200));  // past the first call's answer
  EXPECT_EQ(used().ai_tokens, 42 + 7);
}

TEST_F(UsageTest, OwnersAreMailedOnceAtEightyAndOnceAtAHundredPercent) {
  plans.set(true, 5);
  std::string id = connect_telegram();
  deliver(id, 3, 500);
  EXPECT_EQ(app->usage().send_warnings(), 0u) << "60 %: no warning yet";
  deliver(id, 1, 503);
  app->usage().send_warnings();
  EXPECT_EQ(mails_with("80%"), 1u);
  deliver(id, 3, 504);
  app->usage().send_warnings();
  app->usage().send_warnings();
  EXPECT_EQ(mails_with("80%"), 1u) << "once per period";
  EXPECT_EQ(mails_with("used all 5 messages"), 1u);
  deliver(id, 2, 510);
  app->usage().send_warnings();
  EXPECT_EQ(mails_with("used all 5 messages"), 1u) << "once per period";
  for (const auto& m : mail())
    if (m.subject.find("messages") != std::string::npos) EXPECT_NE(m.body.find("/billing"), std::string::npos);
}

TEST_F(UsageTest, InsightRunsAreConsumedUpToThePlanThenRefused) {
  plans.set(true, 500, 2);
  EXPECT_TRUE(app->usage().try_consume(org_id, usage::kInsightRuns).ok());
  EXPECT_TRUE(app->usage().try_consume(org_id, usage::kInsightRuns).ok());
  auto refused = app->usage().try_consume(org_id, usage::kInsightRuns);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "plan_limit_reached");
  EXPECT_EQ(http_status_for(refused.error()), 402);
  EXPECT_EQ(refused.error().details.at("limit").as_string(), "insight_runs");
  EXPECT_EQ(refused.error().details.at("used").as_int64(), 2);
  EXPECT_EQ(refused.error().details.at("plan").as_string(), "free");
  EXPECT_EQ(refused.error().details.at("allowed").as_int64(), 2);
  EXPECT_EQ(used().insight_runs, 2);
  plans.set(false, 500, 2);
  EXPECT_TRUE(app->usage().try_consume(org_id, usage::kInsightRuns).ok()) << "billing off limits nothing";
}

TEST_F(UsageTest, ConcurrentInsightRunsNeverExceedThePlan) {
  plans.set(true, 500, 10);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i)
        if (app->usage().try_consume(org_id, usage::kInsightRuns)) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 10);
  EXPECT_EQ(used().insight_runs, 10);
}

TEST_F(UsageTest, WithBillingOffNothingIsCountedOrLimited) {
  plans.set(false, 1);
  std::string id = connect_telegram();
  deliver(id, 3, 600);
  run();
  EXPECT_EQ(jobs_in("succeeded"), 3u);
  EXPECT_EQ(jobs_in("skipped"), 0u);
  EXPECT_EQ(model.stats().calls, 3);
  EXPECT_EQ(count("usage_counters"), 0);
  app->usage().send_warnings();
  EXPECT_EQ(mails_with("messages"), 0u);
}

TEST_F(UsageTest, WebChatMessagesCountAndPastTheQuotaGetTheNotice) {
  plans.set(true, 1);
  auto bot = owner.patch("/api/bots/" + bot_id, {{"over_quota_message", "Monthly limit reached."}});
  ASSERT_EQ(bot.status, 200) << bot.body;
  auto dep = owner.post("/api/deployments", {{"bot_id", bot_id},
                                             {"channel", "webchat"},
                                             {"allowed_origins", json::array{"https://shop.example.com"}}});
  ASSERT_EQ(dep.status, 201) << dep.body;
  std::string key = str(dep.json().at("key"));
  std::string token = str(agent().get("/widget/" + key).json().at("visitor_token"));
  auto say = [&](const std::string& text) {
    return agent().send("POST", "/widget/" + key + "/messages",
                        json::serialize(json::object{{"visitor_token", token}, {"text", text}}));
  };
  auto first = say("hello");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(str(first.json().at("reply").at("text")), "Hello from the model.");
  auto second = say("hello again");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(str(second.json().at("reply").at("text")), "Monthly limit reached.");
  EXPECT_EQ(model.stats().calls, 1);
  EXPECT_EQ(used().messages, 2);
  EXPECT_EQ(used().ai_tokens, 42 + 7);
}

TEST_F(UsageTest, ConcurrentWebChatMessagesAtTheQuotaEdgeNeverExceedIt) {
  // Each web chat message is its own transaction: here the counter's row lock decides.
  plans.set(true, 6);
  auto dep = owner.post("/api/deployments", {{"bot_id", bot_id},
                                             {"channel", "webchat"},
                                             {"allowed_origins", json::array{"https://shop.example.com"}}});
  ASSERT_EQ(dep.status, 201) << dep.body;
  std::string key = str(dep.json().at("key"));
  std::atomic<int> answered{0}, noticed{0}, other{0};
  std::vector<std::thread> visitors;
  for (int v = 0; v < 6; ++v)
    visitors.emplace_back([&] {
      Agent visitor(base_url);
      std::string token = str(visitor.get("/widget/" + key).json().at("visitor_token"));
      for (int i = 0; i < 3; ++i) {
        auto r = visitor.send("POST", "/widget/" + key + "/messages",
                              json::serialize(json::object{{"visitor_token", token}, {"text", "hi"}}));
        std::string text = r.status == 200 ? str(r.json().at("reply").at("text")) : "";
        if (text == "Hello from the model.") ++answered;
        else if (text == "A colleague will answer soon.") ++noticed;
        else ++other;
      }
    });
  for (auto& v : visitors) v.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(answered.load(), 6) << "exactly the quota was answered";
  EXPECT_EQ(noticed.load(), 12);
  EXPECT_EQ(model.stats().calls, 6);
  EXPECT_EQ(used().messages, 18);
}

TEST_F(UsageTest, TheOverQuotaMessageIsValidatedLikeTheOtherBotTexts) {
  auto long_text = owner.patch("/api/bots/" + bot_id, {{"over_quota_message", std::string(501, 'x')}});
  EXPECT_EQ(long_text.status, 422) << long_text.body;
  auto wrong_type = owner.patch("/api/bots/" + bot_id, {{"over_quota_message", 42}});
  EXPECT_EQ(wrong_type.status, 422) << wrong_type.body;
  auto control = owner.patch("/api/bots/" + bot_id, {{"over_quota_message", std::string("bell\x07")}});
  EXPECT_EQ(control.status, 422) << control.body;
  auto set = owner.patch("/api/bots/" + bot_id, {{"over_quota_message", "Back next month.\nThanks!"}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(str(set.json().at("over_quota_message")), "Back next month.\nThanks!");
  auto cleared = owner.patch("/api/bots/" + bot_id, {{"over_quota_message", nullptr}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.json().at("over_quota_message").is_null()) << "null: the fallback message answers";
  EXPECT_TRUE(owner.get("/api/bots/" + bot_id).json().at("over_quota_message").is_null());
}

// The same path with the real billing service: billing on, the organisation on Free, whose
// monthly messages the operator's plans file makes small.
class UsageWithBillingTest : public MessagingTest {
 protected:
  void configure_more(Config& c) override {
    std::string plans = scratch->data_dir() + "/plans.json";
    std::ofstream(plans) << R"([{"key": "free", "limits": {"messages_per_month": 3}}])";
    c.plans_file = plans;
    c.billing = "on";
  }
};

TEST_F(UsageWithBillingTest, AFreeOrganisationPastItsMessagesGetsTheNoticeAndTheBillingPageShowsTheUsage) {
  std::string id = connect_telegram();
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(deliver_telegram(id, telegram_update(700 + i, "opening hours?", 7000 + i), telegram_secret).status, 200);
  run();
  EXPECT_EQ(jobs("?state=succeeded").size(), 3u);
  auto skipped = jobs("?state=skipped");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(str(skipped[0].at("reply_text")), "A colleague will answer soon.") << "the fallback is the notice";
  auto billing = owner.get("/api/billing");
  ASSERT_EQ(billing.status, 200) << billing.body;
  auto b = billing.json();
  EXPECT_EQ(str(b.at("plan").at("key")), "free");
  EXPECT_EQ(b.at("usage").at("messages").as_int64(), 4);
  bool exceeded = false;
  for (const auto& name : b.at("exceeded").as_array()) exceeded = exceeded || name == "messages_per_month";
  EXPECT_TRUE(exceeded) << billing.body;
  // The owner heard about it, at 80 % and at 100 %.
  app->usage().send_warnings();
  auto conn = app->database().acquire();
  std::size_t warnings = 0;
  for (const auto& m : mail::list_outbox(*conn, 100))
    if (m.subject.find("messages") != std::string::npos) ++warnings;
  EXPECT_EQ(warnings, 2u);
}

}  // namespace
}  // namespace sb::test
