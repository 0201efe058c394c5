// The rating question after an operator's or the API's resolution (ADR 0037, part R): it goes out
// through a reply job (with the platform's buttons), once per conversation, only where the bot asks
// and the platform can still reach the person; the answer is recorded like any other rating.
#include "integration/messaging_fixture.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

const std::string kQuestion = "How would you rate this conversation? Reply with a number from 1 (poor) to 5 (great).";
const std::vector<std::string> kButtons{"rating:1", "rating:2", "rating:3", "rating:4", "rating:5"};

class RatingAfterResolutionTest : public MessagingTest {
 protected:
  void SetUp() override {
    MessagingTest::SetUp();
    org_id = str(owner.get("/api/auth/session").json().at("organization").at("id"));
    ASSERT_EQ(owner.patch("/api/bots/" + bot_id, {{"ask_satisfaction", true}}).status, 200);
    tg = connect_telegram();
  }
  Agent api_key() {
    auto created = owner.post("/api/orgs/" + org_id + "/api-keys", {{"name", "crm"}, {"role", "admin"}});
    EXPECT_EQ(created.status, 201) << created.body;
    Agent k = agent();
    k.bearer = str(created.json().at("key"));
    return k;
  }
  // A Telegram message from `chat`, answered by the bot; the id of its conversation.
  std::string say(std::int64_t chat, const std::string& text) {
    test_clock.advance(1000);
    EXPECT_EQ(deliver_telegram(tg, telegram_update(next_update++, text, chat), telegram_secret).status, 200);
    EXPECT_EQ(run(), 1u);
    auto items = owner.get("/api/conversations?platform=telegram").json().at("items").as_array();
    for (const auto& c : items)
      if (str(c.at("external_user_id")) == std::to_string(chat)) return str(c.at("id"));
    ADD_FAILURE() << "no conversation for chat " << chat;
    return "";
  }
  json::object conversation(const std::string& id) {
    auto r = owner.get("/api/conversations/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  std::size_t questions_to(const std::string& chat) {
    std::size_t n = 0;
    for (const auto& s : fake.sent())
      if (s.recipient == chat && s.text == kQuestion) ++n;
    return n;
  }

  std::string org_id, tg;
  std::int64_t next_update = 910001;
};

TEST_F(RatingAfterResolutionTest, AnOperatorsResolutionAsksOnceWithButtonsThroughAReplyJob) {
  std::string id = say(4242, "opening hours?");
  ASSERT_EQ(fake.sent().size(), 1u);

  auto resolved = owner.post("/api/conversations/" + id + "/resolve", json::object{});
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(str(resolved.json().at("resolved_by")), "operator");
  EXPECT_EQ(fake.sent().size(), 1u) << "nothing is sent from the request";
  auto queued = jobs("?state=queued");
  ASSERT_EQ(queued.size(), 1u) << "the question waits as a reply job";

  EXPECT_EQ(run(), 1u);
  ASSERT_EQ(fake.sent().size(), 2u);
  auto asked = fake.sent().back();
  EXPECT_EQ(asked.recipient, "4242");
  EXPECT_EQ(asked.text, kQuestion);
  EXPECT_EQ(asked.buttons, kButtons);
  auto c = conversation(id);
  EXPECT_FALSE(c.at("rating_asked_at").is_null());
  auto messages = c.at("messages").as_array();
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(str(messages.back().at("text")), kQuestion) << "the transcript shows the question";

  // Resolved again, by the operator or the API: nothing more is asked.
  EXPECT_EQ(owner.post("/api/conversations/" + id + "/resolve", json::object{}).status, 200);
  Agent key = api_key();
  EXPECT_EQ(key.post("/api/conversations/" + id + "/resolve", json::object{}).status, 200);
  EXPECT_EQ(run(), 0u);
  EXPECT_EQ(questions_to("4242"), 1u);

  // The person answers with a button: recorded and thanked, as after any other question.
  test_clock.advance(1000);
  auto press = json::serialize(json::object{
      {"update_id", next_update++},
      {"callback_query",
       json::object{{"id", "cbq-after-resolve"},
                    {"from", json::object{{"id", 4242}, {"is_bot", false}, {"first_name", "Grace"}}},
                    {"message", json::object{{"message_id", 78}, {"date", 1700000000},
                                             {"chat", json::object{{"id", 4242}, {"type", "private"}}},
                                             {"text", kQuestion}}},
                    {"chat_instance", "-1234"},
                    {"data", "rating:4"}}}});
  ASSERT_EQ(deliver_telegram(tg, press, telegram_secret).status, 200);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(conversation(id).at("satisfaction_score").as_int64(), 4);
  EXPECT_EQ(fake.sent().back().recipient, "callback:cbq-after-resolve");
}

TEST_F(RatingAfterResolutionTest, TheApisResolutionAsksToo) {
  std::string id = say(5151, "opening hours?");
  Agent key = api_key();
  auto resolved = key.post("/api/conversations/" + id + "/resolve", json::object{});
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(str(resolved.json().at("resolved_by")), "api");
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(questions_to("5151"), 1u);
  EXPECT_EQ(fake.sent().back().buttons, kButtons);
  // A typed number answers it as well.
  say(5151, "5");
  EXPECT_EQ(conversation(id).at("satisfaction_score").as_int64(), 5);
}

TEST_F(RatingAfterResolutionTest, NothingIsAskedWhereItWasAskedOrCannotBeAnswered) {
  // Asked already with the reply to the person's own resolution phrase: an operator's resolve adds nothing.
  ASSERT_EQ(owner.patch("/api/bots/" + bot_id, {{"resolution_phrases", json::array{"problem solved"}}}).status, 200);
  std::string own = say(6161, "problem solved");
  EXPECT_EQ(fake.sent().back().buttons, kButtons);
  EXPECT_EQ(owner.post("/api/conversations/" + own + "/resolve", json::object{}).status, 200);
  EXPECT_EQ(run(), 0u);

  // The conversation is over (past the inactivity window): nobody would answer the question.
  std::string quiet = say(7171, "opening hours?");
  test_clock.advance(static_cast<std::int64_t>(config.conversation_inactivity_minutes) * 60 * 1000 + 1000);
  EXPECT_EQ(owner.post("/api/conversations/" + quiet + "/resolve", json::object{}).status, 200);
  EXPECT_EQ(run(), 0u);
  EXPECT_EQ(questions_to("7171"), 0u);

  // The bot does not ask for ratings.
  ASSERT_EQ(owner.patch("/api/bots/" + bot_id, {{"ask_satisfaction", false}}).status, 200);
  std::string unasked = say(8181, "opening hours?");
  EXPECT_EQ(owner.post("/api/conversations/" + unasked + "/resolve", json::object{}).status, 200);
  EXPECT_EQ(run(), 0u);
  EXPECT_TRUE(conversation(unasked).at("rating_asked_at").is_null());

  // The test console is nobody's conversation; hostile ids change nothing.
  ASSERT_EQ(owner.patch("/api/bots/" + bot_id, {{"ask_satisfaction", true}}).status, 200);
  auto console = owner.post("/api/bots/" + bot_id + "/chat", {{"text", "opening hours?"}});
  ASSERT_EQ(console.status, 200) << console.body;
  std::string console_id = str(console.json().at("session_id"));
  EXPECT_EQ(owner.post("/api/conversations/" + console_id + "/resolve", json::object{}).status, 200);
  EXPECT_EQ(owner.post("/api/conversations/" + console_id + "%2F..%2Fx/resolve", json::object{}).status, 404);
  EXPECT_EQ(owner.post("/api/conversations/..%2F" + console_id + "/resolve", json::object{}).status, 404);
  EXPECT_EQ(run(), 0u);
  EXPECT_TRUE(conversation(console_id).at("rating_asked_at").is_null());
}

// The web chat shows its own rating stars with every conversation (the widget), and no reply job
// reaches a visitor: a resolution there queues nothing.
TEST_F(RatingAfterResolutionTest, AWebChatResolutionQueuesNoJob) {
  auto dep = owner.post("/api/deployments", {{"bot_id", bot_id}, {"channel", "webchat"},
                                             {"allowed_origins", json::array{"https://shop.example.com"}}});
  ASSERT_EQ(dep.status, 201) << dep.body;
  std::string key = str(dep.json().at("key"));
  Agent visitor(base_url);
  std::string token = str(visitor.get("/widget/" + key).json().at("visitor_token"));
  auto said = visitor.send("POST", "/widget/" + key + "/messages",
                           json::serialize(json::object{{"visitor_token", token}, {"text", "opening hours"}}));
  ASSERT_EQ(said.status, 200) << said.body;
  std::string id = str(said.json().at("session_id"));
  EXPECT_EQ(owner.post("/api/conversations/" + id + "/resolve", json::object{}).status, 200);
  EXPECT_EQ(run(), 0u);
  EXPECT_TRUE(jobs().empty());
}

}  // namespace
}  // namespace sb::test
