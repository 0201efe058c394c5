// Replies in doubt after a crash (ADR 0040): a send that started under a process that died before
// its answer was recorded is resent or held by the integration's policy; jobs of a process whose
// heartbeat stopped are taken over within seconds; Discord channel messages are deduplicated by nonce.
#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "integration/messaging_fixture.hpp"
#include "jobs/runner.hpp"
#include "jobs/store.hpp"
#include "webhooks/store.hpp"

namespace sb::test {
namespace {

// A process that died: its row in processes and its worker's name in the leases.
const std::string kDeadProcess = "deadhost:1.abc123";
const std::string kDeadWorker = kDeadProcess + "/0";

class InDoubtTest : public MessagingTest {
 protected:
  // What a process did before it was killed: claimed the waiting jobs, stored their replies,
  // heartbeat, and (when `started`) committed the mark that their sends started. No result follows.
  std::vector<std::string> crash(bool started, std::int64_t expected = 1) {
    std::vector<std::string> ids;
    auto conn = app->database().acquire();
    jobs::store::heartbeat(*conn, kDeadProcess, test_clock.now_ms());
    auto claimed = jobs::store::claim_batch(*conn, kDeadWorker, test_clock.now_ms(), 60000, 32);
    EXPECT_EQ(static_cast<std::int64_t>(claimed.size()), expected);
    for (auto& c : claimed) {
      c.job.reply_text = "We are open 9 to 5, Grace.";
      EXPECT_TRUE(jobs::store::update_leased(*conn, c.job, kDeadWorker));
      ids.push_back(c.job.id);
    }
    if (started) EXPECT_EQ(jobs::store::mark_sends_started(*conn, kDeadWorker, ids, test_clock.now_ms()).size(), ids.size());
    return ids;
  }
  std::vector<std::string> outcomes(const std::string& job_id) {
    std::vector<std::string> out;
    json::object j = job(job_id);
    for (const auto& l : j.at("logs").as_array()) out.push_back(str(l.at("outcome")));
    return out;
  }
  static bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }
  std::string deliver_one(const std::string& integration_id, std::int64_t update_id = 50) {
    auto r = deliver_telegram(integration_id, telegram_update(update_id, "opening hours"), telegram_secret);
    EXPECT_EQ(r.status, 200) << r.body;
    return integration_id;
  }
  void set_policy(const std::string& integration_id, const std::string& policy) {
    auto r = owner.send("PATCH", "/api/integrations/" + integration_id, R"({"in_doubt_policy":")" + policy + R"("})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(str(r.json().at("in_doubt_policy")), policy);
  }
  // Calls to a platform path that the fake received (the sends, without the verify calls).
  std::size_t requests_to(const std::string& path_end) {
    std::size_t n = 0;
    for (const auto& r : fake.requests())
      if (r.path.ends_with(path_end)) ++n;
    return n;
  }
  // A connected Discord integration and a reply job to a channel queued for it: (integration, job).
  std::pair<std::string, std::string> discord_channel_job(const std::string& channel) {
    std::string id = connect("discord", {{"application_id", "123456789012345678"},
                                         {"public_key", std::string(64, 'a')},
                                         {"bot_token", "MTIzDoubtDiscordBotToken.abcdefghijklmnopqrstuvwxyz0123456789"}});
    auto conn = app->database().acquire();
    std::string org_id = conn->query_one("SELECT org_id FROM integrations WHERE id = $1", {id})->text("org_id");
    std::int64_t now = test_clock.now_ms();
    webhooks::WebhookEvent e{new_id("evt", now), org_id, id, "discord", new_id("key", now), "message", "accepted",
                             R"({"content":"opening hours"})", "0", now};
    jobs::MessageJob j;
    j.id = new_id("job", now);
    j.org_id = org_id;
    j.integration_id = id;
    j.bot_id = bot_id;
    j.event_id = e.id;
    j.platform = "discord";
    j.external_user_id = "user-1";
    j.display_name = "Grace";
    j.external_message_id = e.idempotency_key;
    j.reply_to = channel;
    j.inbound_text = "opening hours";
    j.state = "queued";
    j.next_run_at = now;
    j.created_at = j.updated_at = now;
    webhooks::store::insert_if_new(*conn, e);
    jobs::store::insert(*conn, j);
    return {id, j.id};
  }
  // Past the silence after which a process's jobs are taken over (and well before any lease runs out).
  void process_falls_silent() { test_clock.advance(jobs::JobSettings{}.process_silent_ms + 1); }
};

TEST_F(InDoubtTest, ASendInDoubtIsSentAgainByDefault) {
  std::string id = connect_telegram();
  EXPECT_EQ(str(owner.get("/api/integrations/" + id).json().at("in_doubt_policy")), "resend");
  deliver_one(id);
  auto ids = crash(true);
  EXPECT_EQ(app->job_runner().rescue_expired(), 0u) << "the process was seen a moment ago";
  process_falls_silent();
  EXPECT_EQ(app->job_runner().rescue_expired(), 1u);
  auto j = job(ids[0]);
  EXPECT_EQ(str(j.at("state")), "queued");
  EXPECT_EQ(j.at("attempts").as_int64(), 1) << "the send in doubt counts as an attempt";
  auto o = outcomes(ids[0]);
  EXPECT_TRUE(has(o, "in_doubt"));
  EXPECT_TRUE(has(o, "resent_in_doubt"));
  EXPECT_EQ(run(), 1u);
  ASSERT_EQ(fake.sent().size(), 1u) << "sent again (the first send may have reached the person too)";
  EXPECT_EQ(str(job(ids[0]).at("state")), "succeeded");
  EXPECT_EQ(app->job_runner().rescue_expired(), 0u) << "the dead process's row is gone with its jobs";
}

TEST_F(InDoubtTest, AHeldSendWaitsForAnOperatorWhoResendsOrDiscardsIt) {
  std::string id = connect_telegram();
  set_policy(id, "hold");
  auto bad = owner.send("PATCH", "/api/integrations/" + id, R"({"in_doubt_policy":"sometimes"})");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(owner.send("PATCH", "/api/integrations/" + id, R"({"in_doubt_policy":7})").status, 422);
  EXPECT_EQ(str(owner.get("/api/integrations/" + id).json().at("in_doubt_policy")), "hold");

  deliver_one(id, 60);
  deliver_telegram(id, telegram_update(61, "opening hours", 4343), telegram_secret);
  auto ids = crash(true, 2);
  process_falls_silent();
  EXPECT_EQ(app->job_runner().rescue_expired(), 2u);
  for (const auto& jid : ids) {
    auto j = job(jid);
    EXPECT_EQ(str(j.at("state")), "in_doubt");
    EXPECT_NE(str(j.at("last_error")).find("Resend or discard"), std::string::npos) << j;
    EXPECT_TRUE(has(outcomes(jid), "held_in_doubt"));
  }
  EXPECT_EQ(run(), 0u) << "a held reply is not sent";
  test_clock.advance(3600 * 1000);
  EXPECT_EQ(app->job_runner().rescue_expired(), 0u);
  EXPECT_EQ(run(), 0u) << "not later either";
  EXPECT_TRUE(fake.sent().empty());
  EXPECT_EQ(jobs("?state=in_doubt").size(), 2u);
  EXPECT_EQ(owner.get("/api/jobs/stats").json().at("counts").at("in_doubt").as_int64(), 2);

  // Resend: queued, sent once.
  auto resent = owner.post("/api/jobs/" + ids[0] + "/resend", json::object{});
  ASSERT_EQ(resent.status, 200) << resent.body;
  EXPECT_EQ(str(resent.json().at("state")), "queued");
  EXPECT_EQ(run(), 1u);
  ASSERT_EQ(fake.sent().size(), 1u);
  EXPECT_EQ(str(job(ids[0]).at("state")), "succeeded");
  EXPECT_TRUE(has(outcomes(ids[0]), "resent_by_operator"));

  // Discard: ends it, never sent.
  auto discarded = owner.post("/api/jobs/" + ids[1] + "/discard", json::object{});
  ASSERT_EQ(discarded.status, 200) << discarded.body;
  EXPECT_EQ(str(discarded.json().at("state")), "cancelled");
  EXPECT_EQ(run(), 0u);
  EXPECT_EQ(fake.sent().size(), 1u);
  EXPECT_TRUE(has(outcomes(ids[1]), "discarded_by_operator"));

  // Only jobs in doubt: a second resend or discard is refused and changes nothing.
  EXPECT_EQ(owner.post("/api/jobs/" + ids[1] + "/resend", json::object{}).status, 409);
  EXPECT_EQ(owner.post("/api/jobs/" + ids[0] + "/discard", json::object{}).status, 409);
  EXPECT_EQ(owner.post("/api/jobs/job_..%2F" + ids[0] + "/resend", json::object{}).status, 404);
  EXPECT_EQ(owner.post("/api/jobs/no-such-job/discard", json::object{}).status, 404);
  EXPECT_EQ(str(job(ids[1]).at("state")), "cancelled");

  // Both actions are in the audit log.
  auto conn = app->database().acquire();
  for (const char* action : {"job.resent", "job.discarded"})
    EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1 AND target_id IN ($2, $3)",
                              {std::string(action), ids[0], ids[1]})
                  ->integer("n"),
              1)
        << action;
}

// Killed after the claim and before the mark: nothing was sent, so nothing is in doubt, whatever
// the policy; the job is simply sent.
TEST_F(InDoubtTest, AJobWhoseSendHadNotStartedIsSentWithoutDoubt) {
  std::string id = connect_telegram();
  set_policy(id, "hold");
  deliver_one(id, 70);
  auto ids = crash(false);
  process_falls_silent();
  EXPECT_EQ(app->job_runner().rescue_expired(), 1u);
  EXPECT_EQ(str(job(ids[0]).at("state")), "queued");
  EXPECT_FALSE(has(outcomes(ids[0]), "in_doubt"));
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(fake.sent().size(), 1u);
  EXPECT_EQ(job(ids[0]).at("attempts").as_int64(), 1);
}

// A process that keeps its heartbeat keeps its jobs, even past their leases; once it falls
// silent they are taken over within seconds, not after the 60 s lease.
TEST_F(InDoubtTest, JobsAreTakenOverSecondsAfterTheirProcessFallsSilent) {
  std::string id = connect_telegram();
  deliver_one(id, 80);
  auto ids = crash(false);
  for (int i = 0; i < 40; ++i) {  // 80 s of heartbeats every 2 s
    test_clock.advance(2000);
    auto conn = app->database().acquire();
    jobs::store::heartbeat(*conn, kDeadProcess, test_clock.now_ms());
  }
  EXPECT_EQ(app->job_runner().rescue_expired(), 0u) << "its lease ran out, but its process is alive";
  EXPECT_EQ(str(job(ids[0]).at("state")), "processing");
  test_clock.advance(5000);
  EXPECT_EQ(app->job_runner().rescue_expired(), 0u) << "silent for 5 s only";
  test_clock.advance(5001);
  EXPECT_EQ(app->job_runner().rescue_expired(), 1u);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(fake.sent().size(), 1u);
}

// A worker whose process was (wrongly) taken for dead loses the race cleanly: the mark of a job
// taken over meanwhile marks nothing, so that worker does not send it.
TEST_F(InDoubtTest, AMarkAfterATakeOverMarksNothing) {
  std::string id = connect_telegram();
  deliver_one(id, 90);
  auto ids = crash(false);
  process_falls_silent();
  EXPECT_EQ(app->job_runner().rescue_expired(), 1u);
  auto conn = app->database().acquire();
  EXPECT_TRUE(jobs::store::mark_sends_started(*conn, kDeadWorker, ids, test_clock.now_ms()).empty());
}

// The running process writes its own heartbeat row, named like its workers' leases.
TEST_F(InDoubtTest, TheRunnerHeartbeatsItsProcessRow) {
  app->job_runner().heartbeat();
  auto conn = app->database().acquire();
  auto row = conn->query_one("SELECT last_seen FROM processes WHERE id = $1", {app->job_runner().process_id()});
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->integer("last_seen"), test_clock.now_ms());
}

// Discord channel messages carry a nonce derived from the job with enforce_nonce: a send repeated
// after a crash gets the first message back, and the channel shows the reply once.
TEST_F(InDoubtTest, DiscordDeduplicatesAResendByItsNonce) {
  const std::string channel = "998877665544332211";
  auto [id, job_id] = discord_channel_job(channel);
  auto ids = crash(true);
  ASSERT_EQ(ids[0], job_id);
  // The dead process's send reached Discord: the same body the connector makes for this job.
  Agent discord(fake.root_url());
  std::string nonce = crypto::sha256_hex(job_id).substr(0, 25);
  auto first = discord.send("POST", "/discord/channels/" + channel + "/messages",
                            json::serialize(json::object{{"content", "We are open 9 to 5, Grace."},
                                                         {"nonce", nonce},
                                                         {"enforce_nonce", true}}),
                            {{"Authorization", "Bot MTIzDoubtDiscordBotToken.abcdefghijklmnopqrstuvwxyz0123456789"},
                             {"Content-Type", "application/json"}});
  ASSERT_EQ(first.status, 200) << first.body;
  std::string first_id = str(first.json().at("id"));
  ASSERT_EQ(fake.sent().size(), 1u);

  process_falls_silent();
  EXPECT_EQ(app->job_runner().rescue_expired(), 1u);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(fake.sent().size(), 1u) << "Discord returned the first message instead of posting another";
  auto j = job(job_id);
  EXPECT_EQ(str(j.at("state")), "succeeded");
  EXPECT_EQ(str(j.at("platform_message_id")), first_id);
  // The resend carried the same nonce, with enforce_nonce.
  int with_nonce = 0;
  for (const auto& r : fake.requests())
    if (r.path == "/channels/" + channel + "/messages" && r.body.find(nonce) != std::string::npos &&
        r.body.find("\"enforce_nonce\":true") != std::string::npos)
      ++with_nonce;
  EXPECT_EQ(with_nonce, 2);
}

// A send that got no answer within --platform-timeout-ms after the request went out (the fixture's
// is 0.3 s; the fake answers in 1.5 s and then accepts the reply) may have been accepted: it is in
// doubt like a send a crash interrupted. With hold the job waits for an operator, not resent.
TEST_F(InDoubtTest, ASendThatTimesOutIsHeldWhenThePolicyHolds) {
  std::string id = connect_telegram();
  set_policy(id, "hold");
  fake.script("telegram", {FakeOutcome{FakeKind::ok, 0, 1500}, FakeOutcome{FakeKind::ok}});
  deliver_one(id, 100);
  EXPECT_EQ(run(), 1u);
  auto all = jobs();
  ASSERT_EQ(all.size(), 1u);
  std::string job_id = str(all[0].at("id"));
  auto j = job(job_id);
  EXPECT_EQ(str(j.at("state")), "in_doubt");
  EXPECT_EQ(j.at("attempts").as_int64(), 1);
  EXPECT_NE(str(j.at("last_error")).find("did not answer within 0.3 s"), std::string::npos) << j;
  EXPECT_NE(str(j.at("last_error")).find("Resend or discard"), std::string::npos) << j;
  auto o = outcomes(job_id);
  EXPECT_TRUE(has(o, "in_doubt"));
  EXPECT_TRUE(has(o, "held_in_doubt"));
  EXPECT_FALSE(has(o, "platform_error"));
  EXPECT_EQ(requests_to("/sendMessage"), 1u);

  // Not resent: not by the workers, not by the rescuer, not an hour later.
  test_clock.advance(3600 * 1000);
  EXPECT_EQ(app->job_runner().rescue_expired(), 0u);
  EXPECT_EQ(run(), 0u);
  EXPECT_EQ(requests_to("/sendMessage"), 1u);
  EXPECT_EQ(owner.get("/api/jobs/stats").json().at("counts").at("in_doubt").as_int64(), 1);
  EXPECT_EQ(jobs("?state=in_doubt").size(), 1u);

  // The operator resends it: sent once more.
  auto resent = owner.post("/api/jobs/" + job_id + "/resend", json::object{});
  ASSERT_EQ(resent.status, 200) << resent.body;
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(requests_to("/sendMessage"), 2u);
  j = job(job_id);
  EXPECT_EQ(str(j.at("state")), "succeeded");
  EXPECT_EQ(j.at("attempts").as_int64(), 2);
}

// With resend (the default) the timed-out send is retried with backoff, once, and its attempt is
// recorded in doubt, so Operations and the crash test count it.
TEST_F(InDoubtTest, ASendThatTimesOutIsSentAgainOnceAndReportedInDoubt) {
  std::string id = connect_telegram();
  fake.script("telegram", {FakeOutcome{FakeKind::ok, 0, 1500}, FakeOutcome{FakeKind::ok}});
  deliver_one(id, 110);
  EXPECT_EQ(run(), 1u);
  std::string job_id = str(jobs()[0].at("id"));
  auto j = job(job_id);
  EXPECT_EQ(str(j.at("state")), "failed");
  EXPECT_NE(str(j.at("last_error")).find("sent again"), std::string::npos) << j;
  auto o = outcomes(job_id);
  EXPECT_TRUE(has(o, "in_doubt"));
  EXPECT_TRUE(has(o, "will_retry"));
  EXPECT_FALSE(has(o, "platform_error"));
  EXPECT_EQ(run(), 0u) << "it waits out its backoff";
  test_clock.advance(60000);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(run(), 0u);
  EXPECT_EQ(requests_to("/sendMessage"), 2u) << "sent again exactly once";
  j = job(job_id);
  EXPECT_EQ(str(j.at("state")), "succeeded");
  EXPECT_EQ(j.at("attempts").as_int64(), 2);
  // Exactly one attempt in doubt, then the send that was answered.
  o = outcomes(job_id);
  EXPECT_EQ(std::count(o.begin(), o.end(), "in_doubt"), 1);
  EXPECT_TRUE(has(o, "sent"));
}

// A platform that answered, even with an error, did not leave the send in doubt: with hold, a 500
// is retried as before, not held.
TEST_F(InDoubtTest, AnAnsweredFailureIsNotInDoubt) {
  std::string id = connect_telegram();
  set_policy(id, "hold");
  fake.script("telegram", {FakeOutcome{FakeKind::server_error}, FakeOutcome{FakeKind::ok}});
  deliver_one(id, 120);
  EXPECT_EQ(run(), 1u);
  std::string job_id = str(jobs()[0].at("id"));
  EXPECT_EQ(str(job(job_id).at("state")), "failed");
  EXPECT_FALSE(has(outcomes(job_id), "in_doubt"));
  EXPECT_TRUE(has(outcomes(job_id), "platform_error"));
  test_clock.advance(60000);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(str(job(job_id).at("state")), "succeeded");
}

// Discord channel messages carry an enforced nonce, so a timed-out one is a plain retry even with
// hold: sending again cannot show the reply twice.
TEST_F(InDoubtTest, ATimedOutDiscordChannelMessageIsAPlainRetry) {
  const std::string channel = "998877665544332299";
  auto [id, job_id] = discord_channel_job(channel);
  set_policy(id, "hold");
  fake.script("discord", {FakeOutcome{FakeKind::ok, 0, 1500}, FakeOutcome{FakeKind::ok}});
  EXPECT_EQ(run(), 1u);
  auto j = job(job_id);
  EXPECT_EQ(str(j.at("state")), "failed") << j;
  EXPECT_FALSE(has(outcomes(job_id), "in_doubt"));
  test_clock.advance(60000);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(str(job(job_id).at("state")), "succeeded");
  EXPECT_EQ(requests_to("/channels/" + channel + "/messages"), 2u);
}

}  // namespace
}  // namespace sb::test
