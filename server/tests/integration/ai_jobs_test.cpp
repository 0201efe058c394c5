// Reply jobs whose replies come from a model: many calls in flight with few workers, the lease kept
// while a call is slow, and a process stopped during a call (the reply is made again once and sent
// once). Real HTTP to the fake platforms and the fake OpenRouter.
#include <chrono>
#include <set>
#include <thread>

#include "fakes/fake_openrouter.hpp"
#include "integration/messaging_fixture.hpp"

namespace sb::test {
namespace {

class AiJobsTest : public MessagingTest {
 protected:
  void configure_more(Config& c) override {
    c.openrouter_api_key = "sk-or-jobs-test-key";
    c.openrouter_base_url = model.base_url();
    c.ai_timeout_ms = 10000;
    c.workers = workers;
  }
  // Waits (a guard against a hang, not a measure of speed) until `pred` holds.
  template <typename Pred>
  bool eventually(Pred pred, int seconds = 60) {
    for (int i = 0; i < seconds * 20; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pred();
  }
  std::string job_state(const std::string& column = "state") {
    auto conn = app->database().acquire();
    auto r = conn->query_one("SELECT " + column + " AS v FROM message_jobs");
    return r ? r->text("v") : "";
  }
  FakeOpenRouter model;
  int workers = 0;
};

class AiJobsWithWorkersTest : public AiJobsTest {
 protected:
  void SetUp() override {
    workers = 2;
    AiJobsTest::SetUp();
  }
  void configure_more(Config& c) override {
    AiJobsTest::configure_more(c);
    c.ai_in_flight_per_org = 1000;  // one organisation here: its bound would be the whole story
  }
  const Clock* clock() override { return nullptr; }  // throttled sends wait real time
};

TEST_F(AiJobsWithWorkersTest, TwoHundredRepliesWaitForTheModelTogetherWithTwoWorkers) {
  FakeAnswer slow{200, "Answered by the model."};
  slow.delay_ms = 3000;  // longer than taking the 200 deliveries in, even on a busy machine
  model.answer({slow});
  std::string id = connect_telegram();
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i)
    ASSERT_EQ(deliver_telegram(id, telegram_update(900000 + i, "question " + std::to_string(i), 10000 + i), telegram_secret)
                  .status,
              200);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(eventually([&] { return fake.sent().size() >= 200; })) << fake.sent().size() << " replies sent";
  // Two workers, yet the calls were in flight side by side (a thread per call would allow 2): all
  // of them when the deliveries went in well within one call's delay; on a machine so busy that
  // they did not, still far more than two.
  const int expected = took < std::chrono::milliseconds(2000) ? 150 : 20;
  EXPECT_GE(model.stats().max_in_flight, expected)
      << "calls were not in flight together; the deliveries took "
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
  EXPECT_EQ(model.stats().calls, 200) << "each reply was made once";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto sent = fake.sent();
  EXPECT_EQ(sent.size(), 200u) << "no reply was sent twice";
  std::set<std::string> chats;
  for (const auto& m : sent) {
    chats.insert(m.recipient);
    EXPECT_EQ(m.text, "Answered by the model.");
  }
  EXPECT_EQ(chats.size(), 200u) << "every chat got exactly one reply";
}

TEST_F(AiJobsTest, TheLeaseIsKeptWhileTheModelIsSlow) {
  FakeAnswer slow{200, "Worth the wait."};
  slow.delay_ms = 1500;
  model.answer({slow});
  std::string id = connect_telegram();
  ASSERT_EQ(deliver_telegram(id, telegram_update(1, "hello"), telegram_secret).status, 200);
  std::thread runner([&] { run(); });
  ASSERT_TRUE(eventually([&] { return model.stats().in_flight == 1; }, 10));
  // Past half the lease the waiting worker renews it; a rescuer later finds nothing expired.
  test_clock.advance(40'000);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  test_clock.advance(40'000);
  EXPECT_EQ(app->job_runner().rescue_expired(), 0u) << "the job was taken from a worker still waiting for the model";
  runner.join();
  EXPECT_EQ(job_state(), "succeeded");
  EXPECT_EQ(model.stats().calls, 1);
  ASSERT_EQ(fake.sent().size(), 1u);
  EXPECT_EQ(fake.sent()[0].text, "Worth the wait.");
}

class AiJobsOneWorkerTest : public AiJobsTest {
 protected:
  void SetUp() override {
    workers = 1;
    AiJobsTest::SetUp();
  }
};

TEST_F(AiJobsOneWorkerTest, AProcessStoppedDuringACallMakesTheReplyOnceMoreAndSendsItOnce) {
  FakeAnswer slow{200, "The first answer, never used."};
  slow.delay_ms = 4000;
  model.answer({slow, FakeAnswer{200, "The answer after the restart."}});
  std::string id = connect_telegram();
  ASSERT_EQ(deliver_telegram(id, telegram_update(2, "hello"), telegram_secret).status, 200);
  ASSERT_TRUE(eventually([&] { return model.stats().in_flight == 1; }, 10));
  restart();  // the call in flight dies with the process
  EXPECT_EQ(job_state(), "processing") << "the lease of the stopped worker still holds";
  EXPECT_TRUE(job_state("reply_text").empty()) << "no reply was stored";
  test_clock.advance(61'000);
  app->job_runner().rescue_expired();  // the scheduled rescuer may get there first; either takes it up once
  ASSERT_TRUE(eventually([&] { return job_state() == "succeeded"; }, 20)) << job_state();
  EXPECT_EQ(model.stats().calls, 2) << "generated again, once";
  // The second call saw the visitor's message once: the turn was opened again, not recorded twice.
  auto messages = model.seen().back().body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u) << boost::json::serialize(messages);
  {
    auto conn = app->database().acquire();
    EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM messages WHERE direction = 'in'")->integer("n"), 1);
    EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM messages WHERE direction = 'out'")->integer("n"), 1);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(4200));  // past the first call's answer
  ASSERT_EQ(fake.sent().size(), 1u) << "sent once";
  EXPECT_EQ(fake.sent()[0].text, "The answer after the restart.");
}

}  // namespace
}  // namespace sb::test
