// Data retention over real HTTP and the real sweep: conversations, webhook events with their
// finished jobs, and audit entries older than the plan keeps are deleted; a shorter retention after a
// downgrade is announced to the owners and applies only 30 days later; billing off keeps everything.
#include "integration/messaging_fixture.hpp"

namespace sb::test {
namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

class RetentionTest : public MessagingTest {
 protected:
  void configure_more(Config& c) override {
    c.billing = "on";
    c.session_ttl_days = 3650;  // the test moves its clock by months; the sign-in must outlast that
  }
  void SetUp() override {
    MessagingTest::SetUp();
    org_id = str(owner.get("/api/auth/session").json().at("organization").at("id"));
  }
  // The owner is the installation's first user, so a platform admin too.
  void set_plan(const std::string& plan) {
    auto r = owner.send("PUT", "/api/admin/orgs/" + org_id + "/plan", json::serialize(json::object{{"plan", plan}}));
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // A conversation in the test console that says `text`; returns its id.
  std::string converse(const std::string& text) {
    auto r = owner.post("/api/bots/" + bot_id + "/chat", {{"text", text}});
    EXPECT_EQ(r.status, 200) << r.body;
    auto conversations = owner.get("/api/conversations?q=" + text).json().at("items").as_array();
    return conversations.empty() ? "" : str(conversations.at(0).at("id"));
  }
  std::vector<std::string> conversation_ids() {
    std::vector<std::string> out;
    const auto body = owner.get("/api/conversations").json();
    for (const auto& c : body.at("items").as_array()) out.push_back(str(c.at("id")));
    return out;
  }
  json::object policy(const std::string& kind) {
    auto r = owner.get("/api/billing/retention");
    EXPECT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    for (const auto& p : body.at("items").as_array())
      if (p.at("kind").as_string() == kind) return p.as_object();
    return {};
  }
  std::vector<std::string> mail_subjects_to_owner() {
    std::vector<std::string> out;
    std::string me = str(owner.get("/api/auth/session").json().at("user").at("email"));
    const auto mailbox = owner.get("/api/debug/mailbox").json();
    for (const auto& m : mailbox.at("items").as_array())
      if (m.at("to").as_string() == me) out.push_back(str(m.at("subject")));
    return out;
  }
  std::size_t retention_mails() {
    std::size_t n = 0;
    for (const auto& s : mail_subjects_to_owner()) n += s.find("will be kept for") != std::string::npos;
    return n;
  }
  retention::Removed sweep() { return app->retention().sweep(); }

  std::string org_id;
};

TEST_F(RetentionTest, FreeKeepsThirtyDaysOfConversationsAndSearchForgetsTheRest) {
  std::string old_one = converse("lighthouse");
  auto first = sweep();
  EXPECT_EQ(first.conversations, 0);
  EXPECT_EQ(first.notices, 0) << "nothing was old enough to lose, so nothing to announce";
  EXPECT_EQ(policy("data").at("applied_days").as_int64(), 30);
  EXPECT_TRUE(policy("data").at("pending_days").is_null());

  test_clock.advance(29 * kDay);
  EXPECT_EQ(sweep().conversations, 0) << "29 days old is kept";
  test_clock.advance(2 * kDay);
  std::string new_one = converse("harbour");
  auto removed = sweep();
  EXPECT_EQ(removed.conversations, 1);
  EXPECT_EQ(conversation_ids(), std::vector<std::string>{new_one});
  EXPECT_EQ(owner.get("/api/conversations/" + old_one).status, 404);
  EXPECT_TRUE(owner.get("/api/conversations?q=lighthouse").json().at("items").as_array().empty())
      << "the search index forgets deleted messages";
  EXPECT_EQ(retention_mails(), 0u);
}

TEST_F(RetentionTest, ADowngradeIsAnnouncedThirtyDaysAheadAndOnlyThenApplies) {
  set_plan("business");  // 730 days
  sweep();
  EXPECT_EQ(policy("data").at("applied_days").as_int64(), 730);
  std::string old_one = converse("lighthouse");
  test_clock.advance(100 * kDay);
  std::string recent = converse("harbour");

  set_plan("free");
  auto announced = sweep();
  EXPECT_EQ(announced.notices, 2) << "conversations and the audit log both get shorter";
  EXPECT_EQ(announced.conversations, 0) << "nothing is deleted before the notice has run";
  auto p = policy("data");
  EXPECT_EQ(p.at("applied_days").as_int64(), 730);
  EXPECT_EQ(p.at("pending_days").as_int64(), 30);
  EXPECT_FALSE(p.at("pending_effective_at").is_null());
  EXPECT_EQ(retention_mails(), 2u);
  for (const auto& s : mail_subjects_to_owner())
    if (s.find("will be kept for") != std::string::npos) EXPECT_NE(s.find("30 days"), std::string::npos) << s;
  EXPECT_EQ(sweep().notices, 0);
  EXPECT_EQ(retention_mails(), 2u) << "told once, not on every sweep";

  test_clock.advance(29 * kDay);
  EXPECT_EQ(sweep().conversations, 0) << "the 30 days' notice has not run yet";
  EXPECT_EQ(conversation_ids().size(), 2u);
  test_clock.advance(1 * kDay + 1000);
  auto applied = sweep();
  EXPECT_EQ(applied.conversations, 2) << "both are older than 30 days by now";
  EXPECT_EQ(policy("data").at("applied_days").as_int64(), 30);
  EXPECT_TRUE(policy("data").at("pending_days").is_null());
  EXPECT_GT(applied.audit_entries, 0) << "audit entries from the first day are past 30 days too";
}

TEST_F(RetentionTest, AnUpgradeDuringTheNoticeCancelsIt) {
  set_plan("business");
  sweep();
  converse("lighthouse");
  test_clock.advance(100 * kDay);
  set_plan("free");
  EXPECT_EQ(sweep().notices, 2);
  set_plan("pro");  // 365 days
  sweep();
  EXPECT_EQ(policy("data").at("applied_days").as_int64(), 365);
  EXPECT_TRUE(policy("data").at("pending_days").is_null());
  test_clock.advance(40 * kDay);
  EXPECT_EQ(sweep().conversations, 0) << "140 days old is inside a year";
  EXPECT_EQ(conversation_ids().size(), 1u);
}

TEST_F(RetentionTest, WebhookEventsGoWithTheirFinishedJobsButNotWithJobsThatCanStillRun) {
  std::string integration = connect_telegram();
  ASSERT_EQ(deliver_telegram(integration, telegram_update(1, "opening hours?"), telegram_secret).status, 200);
  run();
  fake.script("telegram", {FakeOutcome{FakeKind::server_error}});
  ASSERT_EQ(deliver_telegram(integration, telegram_update(2, "opening hours?"), telegram_secret).status, 200);
  run();
  ASSERT_EQ(jobs("?state=failed").size(), 1u) << "the second reply waits for its retry";
  sweep();
  test_clock.advance(31 * kDay);
  // The failed job's next attempt would be due now; the sweep comes first.
  auto removed = sweep();
  EXPECT_EQ(removed.events, 1) << "the succeeded job's event goes, the failed one can still run";
  EXPECT_EQ(count("webhook_events"), 1);
  EXPECT_EQ(count("message_jobs"), 1);
  EXPECT_EQ(jobs().size(), 1u);
  EXPECT_EQ(str(jobs().at(0).at("state")), "failed");
}

TEST_F(RetentionTest, EachOrganisationReadsOnlyItsOwnRetention) {
  EXPECT_EQ(agent().get("/api/billing/retention").status, 401);
  Agent other = agent();
  other.signup(unique_email("other"));
  set_plan("business");
  sweep();
  EXPECT_EQ(policy("data").at("applied_days").as_int64(), 730);
  auto theirs = other.get("/api/billing/retention");
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  auto items = theirs.json().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  for (const auto& p : items) EXPECT_EQ(p.at("applied_days").as_int64(), 30) << "theirs is Free, ours Business";
}

class RetentionBillingOffTest : public MessagingTest {
 protected:
  void configure_more(Config& c) override { c.session_ttl_days = 3650; }
};

TEST_F(RetentionBillingOffTest, WithoutBillingEverythingIsKept) {
  ASSERT_EQ(owner.post("/api/bots/" + bot_id + "/chat", {{"text", "lighthouse"}}).status, 200);
  test_clock.advance(3000 * kDay);
  auto removed = app->retention().sweep();
  EXPECT_EQ(removed.conversations, 0);
  EXPECT_EQ(removed.audit_entries, 0);
  EXPECT_EQ(removed.notices, 0);
  EXPECT_EQ(owner.get("/api/conversations").json().at("items").as_array().size(), 1u);
  EXPECT_TRUE(owner.get("/api/billing/retention").json().at("items").as_array().empty());
}

}  // namespace
}  // namespace sb::test
