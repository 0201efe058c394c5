// What conversations came to (ADR 0037, part B) over real HTTP: resolution by an operator, an API
// key, the user's own words and a template's action; the rating question after resolution and its
// answer through the real webhook path; conversions by id and by the web chat's signed visitor token.
#include <sodium.h>

#include "core/crypto.hpp"
#include "fakes/fake_openrouter.hpp"
#include "integration/messaging_fixture.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

class OutcomesTest : public MessagingTest {
 protected:
  void SetUp() override {
    MessagingTest::SetUp();
    auto session = owner.get("/api/auth/session").json();
    org_id = str(session.at("organization").at("id"));
  }
  // An API key of the owner's organisation with `role`, as an agent that sends it.
  Agent key(const std::string& role) {
    auto created = owner.post("/api/orgs/" + org_id + "/api-keys", {{"name", "key " + role}, {"role", role}});
    EXPECT_EQ(created.status, 201) << created.body;
    Agent k = agent();
    k.bearer = str(created.json().at("key"));
    return k;
  }
  // A conversation from the test console; its id.
  std::string console_conversation(const std::string& text = "opening hours?") {
    auto r = owner.post("/api/bots/" + bot_id + "/chat", {{"text", text}});
    EXPECT_EQ(r.status, 200) << r.body;
    return str(r.json().at("session_id"));
  }
  json::object conversation(const std::string& id) {
    auto r = owner.get("/api/conversations/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  // The telegram conversation of chat 4242 (the newest).
  json::object telegram_conversation() {
    auto items = owner.get("/api/conversations?platform=telegram").json().at("items").as_array();
    EXPECT_FALSE(items.empty());
    return items.empty() ? json::object{} : items[0].as_object();
  }
  std::int64_t audit_count(const std::string& action) {
    auto conn = app->database().acquire();
    return conn->query_one("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1", {action})->integer("n");
  }
  std::vector<std::string> sent_texts() {
    std::vector<std::string> out;
    for (const auto& s : fake.sent()) out.push_back(s.text);
    return out;
  }

  std::string org_id;
  std::int64_t next_update = 700001;
  void say(const std::string& telegram, const std::string& text) {
    test_clock.advance(1000);
    ASSERT_EQ(deliver_telegram(telegram, telegram_update(next_update++, text), telegram_secret).status, 200);
    EXPECT_EQ(run(), 1u);
  }
};

const std::string kQuestion = "How would you rate this conversation? Reply with a number from 1 (poor) to 5 (great).";

TEST_F(OutcomesTest, OperatorsAndKeysResolveOnceAndItIsAudited) {
  std::string first = console_conversation();
  EXPECT_TRUE(conversation(first).at("resolved_at").is_null());
  EXPECT_TRUE(conversation(first).at("resolved_by").is_null());

  auto resolved = owner.post("/api/conversations/" + first + "/resolve", json::object{});
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(str(resolved.json().at("resolved_by")), "operator");
  std::string at = str(resolved.json().at("resolved_at"));
  EXPECT_FALSE(at.empty());
  EXPECT_EQ(str(resolved.json().at("id")), first);
  EXPECT_EQ(audit_count("conversation.resolved"), 1);

  // Again, by a person or a key: it stays as first resolved, and nothing more is audited.
  test_clock.advance(5000);
  EXPECT_EQ(str(owner.post("/api/conversations/" + first + "/resolve", json::object{}).json().at("resolved_at")), at);
  Agent member_key = key("member");
  auto again = member_key.post("/api/conversations/" + first + "/resolve", json::object{});
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(str(again.json().at("resolved_by")), "operator");
  EXPECT_EQ(str(again.json().at("resolved_at")), at);
  EXPECT_EQ(audit_count("conversation.resolved"), 1);

  // A key resolves as the API.
  std::string second = console_conversation("and on sunday?");
  auto by_key = member_key.post("/api/conversations/" + second + "/resolve", json::object{});
  ASSERT_EQ(by_key.status, 200) << by_key.body;
  EXPECT_EQ(str(by_key.json().at("resolved_by")), "api");
  EXPECT_EQ(audit_count("conversation.resolved"), 2);

  // A viewer key may not; unknown, hostile and other organisations' ids are not found.
  std::string third = console_conversation("hello");
  EXPECT_EQ(key("viewer").post("/api/conversations/" + third + "/resolve", json::object{}).status, 403);
  EXPECT_TRUE(conversation(third).at("resolved_at").is_null());
  EXPECT_EQ(owner.post("/api/conversations/cnv_unknown/resolve", json::object{}).status, 404);
  EXPECT_EQ(owner.post("/api/conversations/" + third + "%2F..%2Fx/resolve", json::object{}).status, 404);
  EXPECT_EQ(owner.post("/api/conversations/..%2F" + third + "/resolve", json::object{}).status, 404);
  EXPECT_EQ(owner.post("/api/conversations/" + std::string(5000, 'a') + "/resolve", json::object{}).status / 100, 4);
  Agent stranger = agent();
  stranger.signup(unique_email("stranger"));
  EXPECT_EQ(stranger.post("/api/conversations/" + third + "/resolve", json::object{}).status, 404);
  EXPECT_TRUE(conversation(third).at("resolved_at").is_null());

  // The list shows the outcome columns and filters by resolution.
  auto resolved_list = owner.get("/api/conversations?resolved=true").json().at("items").as_array();
  ASSERT_EQ(resolved_list.size(), 2u);
  for (const auto& row : resolved_list) {
    EXPECT_FALSE(row.at("resolved_at").is_null());
    EXPECT_TRUE(row.as_object().contains("converted_at"));
    EXPECT_TRUE(row.as_object().contains("satisfaction_score"));
    EXPECT_TRUE(row.at("first_response_ms").is_int64());
  }
  auto open_list = owner.get("/api/conversations?resolved=false").json().at("items").as_array();
  ASSERT_EQ(open_list.size(), 1u);
  EXPECT_EQ(str(open_list[0].at("id")), third);
  auto bad = owner.get("/api/conversations?resolved=maybe");
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(bad.json().at("error").at("details").at("fields").as_object().contains("resolved"));
}

// A conversation that ends by inactivity without any signal stays unresolved.
TEST_F(OutcomesTest, InactivityLeavesAConversationUnresolved) {
  std::string tg = connect_telegram();
  say(tg, "opening hours?");
  std::string first = str(telegram_conversation().at("id"));
  test_clock.advance(31 * 60'000);
  say(tg, "opening hours again?");
  auto ended = conversation(first);
  EXPECT_EQ(str(ended.at("status")), "ended");
  EXPECT_TRUE(ended.at("resolved_at").is_null());
  EXPECT_TRUE(ended.at("resolved_by").is_null());
  EXPECT_EQ(owner.get("/api/conversations?resolved=true").json().at("items").as_array().size(), 0u);
  EXPECT_EQ(owner.get("/api/conversations?resolved=false&platform=telegram").json().at("items").as_array().size(), 2u);
}

// The user's words resolve the conversation; the bot then asks for a rating, and a typed 1–5 is
// the answer (thanked, never sent on as a message), while 7 or words are ordinary messages.
TEST_F(OutcomesTest, AUsersPhraseResolvesThenATypedNumberRatesIt) {
  ASSERT_EQ(owner.patch("/api/bots/" + bot_id, {{"ask_satisfaction", true},
                                                {"resolution_phrases", json::array{"problem solved", "merci beaucoup"}}})
                .status,
            200);
  std::string tg = connect_telegram();
  say(tg, "opening hours?");
  auto open = telegram_conversation();
  EXPECT_TRUE(open.at("resolved_at").is_null());
  EXPECT_EQ(sent_texts().back(), "We are open 9 to 5, Grace.");

  // A number before any question is just a message.
  say(tg, "4");
  EXPECT_TRUE(telegram_conversation().at("satisfaction_score").is_null());
  EXPECT_EQ(sent_texts().back(), "A colleague will answer soon.");

  // Any case and accents, whole words.
  say(tg, "Problem-SOLVÉD, thank you!");
  auto resolved = telegram_conversation();
  EXPECT_EQ(str(resolved.at("resolved_by")), "user");
  EXPECT_FALSE(resolved.at("resolved_at").is_null());
  std::string last = sent_texts().back();
  ASSERT_GE(last.size(), kQuestion.size());
  EXPECT_EQ(last.substr(last.size() - kQuestion.size()), kQuestion) << last;

  // Out of range or words while the question is pending: ordinary messages, no rating.
  say(tg, "7");
  EXPECT_EQ(sent_texts().back(), "A colleague will answer soon.");
  say(tg, "great service");
  EXPECT_TRUE(telegram_conversation().at("satisfaction_score").is_null());

  say(tg, " 4 ");
  auto rated = telegram_conversation();
  EXPECT_EQ(rated.at("satisfaction_score").as_int64(), 4);
  EXPECT_EQ(sent_texts().back(), "Thank you for your rating! It helps us get better.");
  auto done = jobs();
  EXPECT_EQ(str(done[0].at("state")), "succeeded");
  {
    auto conn = app->database().acquire();
    auto row = conn->query_one("SELECT rating_asked_at, rated_at FROM conversation_sessions WHERE id = $1",
                               {str(rated.at("id"))});
    EXPECT_TRUE(row->opt_integer("rating_asked_at").has_value());
    EXPECT_TRUE(row->opt_integer("rated_at").has_value());
  }
  // Answered once: a second number is an ordinary message again, and the score stays.
  say(tg, "1");
  EXPECT_EQ(telegram_conversation().at("satisfaction_score").as_int64(), 4);
  EXPECT_EQ(sent_texts().back(), "A colleague will answer soon.");
  // Another phrase does not resolve it again or ask again.
  say(tg, "merci beaucoup");
  EXPECT_EQ(str(telegram_conversation().at("resolved_by")), "user");
  EXPECT_EQ(sent_texts().back(), "A colleague will answer soon.");
}

// Telegram asks with an inline keyboard; a press is a callback_query, stored once like a message,
// recorded as the score and answered with answerCallbackQuery.
TEST_F(OutcomesTest, TelegramRatingButtonsAreAnsweredAsCallbackQueries) {
  ASSERT_EQ(owner.patch("/api/bots/" + bot_id, {{"ask_satisfaction", true}}).status, 200);
  std::string tg = connect_telegram();
  say(tg, "opening hours?");
  EXPECT_TRUE(fake.sent().back().buttons.empty()) << "no buttons before the question";
  say(tg, "problem solved");
  auto asked = fake.sent().back();
  EXPECT_EQ(asked.recipient, "4242");
  EXPECT_EQ(asked.buttons, (std::vector<std::string>{"rating:1", "rating:2", "rating:3", "rating:4", "rating:5"}));

  auto press = [&](std::int64_t update_id, const std::string& data) {
    return json::serialize(json::object{
        {"update_id", update_id},
        {"callback_query",
         json::object{{"id", "4382bfdwdsb323b2d9"},
                      {"from", json::object{{"id", 4242}, {"is_bot", false}, {"first_name", "Grace"}}},
                      {"message", json::object{{"message_id", 77}, {"date", 1700000000},
                                               {"chat", json::object{{"id", 4242}, {"type", "private"}}},
                                               {"text", "How would you rate this conversation?"}}},
                      {"chat_instance", "-1234"},
                      {"data", data}}}});
  };
  // Buttons of another shape, or forged data, are acknowledged and ignored.
  for (const std::string& data : {std::string("rating:9"), std::string("rating:"), std::string("../rating:4"),
                                  std::string("rating:4/../x"), std::string(5000, 'r')}) {
    ASSERT_EQ(deliver_telegram(tg, press(next_update++, data), telegram_secret).status, 200);
  }
  EXPECT_EQ(run(), 0u);
  EXPECT_TRUE(telegram_conversation().at("satisfaction_score").is_null());
  // A press with a wrong secret stores nothing.
  EXPECT_EQ(deliver_telegram(tg, press(next_update, "rating:1"), "wrong-secret").status / 100, 4);

  std::string body = press(next_update++, "rating:5");
  ASSERT_EQ(deliver_telegram(tg, body, telegram_secret).status, 200);
  ASSERT_EQ(deliver_telegram(tg, body, telegram_secret).status, 200) << "Telegram repeats a delivery";
  EXPECT_EQ(run(), 1u) << "stored and answered once";
  EXPECT_EQ(telegram_conversation().at("satisfaction_score").as_int64(), 5);
  auto answer = fake.sent().back();
  EXPECT_EQ(answer.recipient, "callback:4382bfdwdsb323b2d9");
  EXPECT_EQ(answer.text, "Thank you for your rating! It helps us get better.");
  EXPECT_EQ(str(jobs()[0].at("state")), "succeeded");
}

// WhatsApp (an interactive list: buttons allow only three), Messenger (quick replies), Slack (block
// buttons, answered through interactivity) and Discord (message components): each asks with its
// own buttons, and a signed press through the real webhook path is the score, stored once.
TEST_F(OutcomesTest, EveryPlatformsRatingButtonsRecordTheScore) {
  ASSERT_EQ(owner.patch("/api/bots/" + bot_id, {{"ask_satisfaction", true}}).status, 200);
  Agent platform(base_url);
  const std::vector<std::string> kButtons = {"rating:1", "rating:2", "rating:3", "rating:4", "rating:5"};
  const std::string kThanks = "Thank you for your rating! It helps us get better.";
  auto score_of = [&](const std::string& platform_name) -> json::value {
    auto items = owner.get("/api/conversations?platform=" + platform_name).json().at("items").as_array();
    EXPECT_EQ(items.size(), 1u) << platform_name;
    return items.empty() ? json::value(nullptr) : items[0].at("satisfaction_score");
  };
  auto last_to = [&](const std::string& recipient) {
    SentMessage found;
    for (const auto& m : fake.sent())
      if (m.recipient == recipient) found = m;
    return found;
  };

  // WhatsApp
  const std::string wa_secret = "0123456789abcdef0123456789abcdef";
  std::string wa = connect("whatsapp", {{"access_token", "EAAGmessagingWhatsAppToken0123456789"},
                                         {"phone_number_id", "106540352242922"},
                                         {"app_secret", wa_secret},
                                         {"verify_token", "verify-me-please"}});
  auto wa_post = [&](const std::string& id, const json::object& message) {
    json::object m = message;
    m["from"] = "15551234567";
    m["id"] = id;
    m["timestamp"] = "1700000000";
    std::string body = json::serialize(json::object{
        {"object", "whatsapp_business_account"},
        {"entry", json::array{json::object{
                      {"id", "1"},
                      {"changes", json::array{json::object{
                                      {"field", "messages"},
                                      {"value", json::object{{"messaging_product", "whatsapp"},
                                                             {"contacts", json::array{json::object{
                                                                              {"profile", json::object{{"name", "Ada"}}},
                                                                              {"wa_id", "15551234567"}}}},
                                                             {"messages", json::array{m}}}}}}}}}}});
    test_clock.advance(1000);
    return platform.send("POST", "/hooks/whatsapp/" + wa, body,
                         {{"X-Hub-Signature-256", "sha256=" + crypto::to_hex(crypto::hmac_sha256(wa_secret, body))}});
  };
  ASSERT_EQ(wa_post("wamid.R1", {{"type", "text"}, {"text", json::object{{"body", "problem solved"}}}}).status, 200);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(last_to("15551234567").buttons, kButtons);
  auto list_reply = json::object{{"type", "interactive"},
                                 {"interactive", json::object{{"type", "list_reply"},
                                                              {"list_reply", json::object{{"id", "rating:3"},
                                                                                          {"title", "3 – Good"}}}}}};
  auto forged = list_reply;
  forged["interactive"].as_object()["list_reply"].as_object()["id"] = "rating:0";
  ASSERT_EQ(wa_post("wamid.R2", forged).status, 200);
  EXPECT_EQ(run(), 0u) << "a row we never sent is ignored";
  ASSERT_EQ(wa_post("wamid.R3", list_reply).status, 200);
  ASSERT_EQ(wa_post("wamid.R3", list_reply).status, 200);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(score_of("whatsapp"), json::value(3));
  EXPECT_EQ(last_to("15551234567").text, kThanks);

  // Messenger
  std::string ms = connect("messenger", {{"page_access_token", "EAAGmessagingMessengerToken0123456789"},
                                          {"page_id", "104626132345678"},
                                          {"app_secret", wa_secret},
                                          {"verify_token", "verify-me-please"}});
  auto ms_post = [&](const json::object& message) {
    std::string body = json::serialize(json::object{
        {"object", "page"},
        {"entry", json::array{json::object{
                      {"id", "104626132345678"},
                      {"time", 1700000000},
                      {"messaging", json::array{json::object{{"sender", json::object{{"id", "2468013579"}}},
                                                             {"recipient", json::object{{"id", "104626132345678"}}},
                                                             {"timestamp", 1700000000},
                                                             {"message", message}}}}}}}});
    test_clock.advance(1000);
    return platform.send("POST", "/hooks/messenger/" + ms, body,
                         {{"X-Hub-Signature-256", "sha256=" + crypto::to_hex(crypto::hmac_sha256(wa_secret, body))}});
  };
  ASSERT_EQ(ms_post({{"mid", "m_R1"}, {"text", "All good now!"}}).status, 200);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(last_to("2468013579").buttons, kButtons);
  ASSERT_EQ(ms_post({{"mid", "m_R2"}, {"text", "Excellent"}, {"quick_reply", json::object{{"payload", "rating:5"}}}}).status,
            200);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(score_of("messenger"), json::value(5));
  EXPECT_EQ(last_to("2468013579").text, kThanks);

  // Slack
  const std::string slack_secret = "0123456789abcdef0123456789abcdef";
  std::string slack = connect("slack", {{"bot_token", "xoxb-messaging-test-0123"}, {"signing_secret", slack_secret}});
  auto slack_post = [&](const std::string& body, const std::string& type) {
    test_clock.advance(1000);
    std::string ts = std::to_string(test_clock.now_ms() / 1000);
    return platform.send("POST", "/hooks/slack/" + slack, body,
                         {{"Content-Type", type},
                          {"X-Slack-Request-Timestamp", ts},
                          {"X-Slack-Signature",
                           "v0=" + crypto::to_hex(crypto::hmac_sha256(slack_secret, "v0:" + ts + ":" + body))}});
  };
  ASSERT_EQ(slack_post(R"({"type":"event_callback","event_id":"EvR1","event":{"type":"message","text":"problem solved","user":"U1","channel":"D1"}})",
                       "application/json")
                .status,
            200);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(last_to("D1").buttons, kButtons);
  auto press = [](const std::string& trigger, const std::string& value) {
    std::string payload = json::serialize(json::object{
        {"type", "block_actions"},
        {"user", json::object{{"id", "U1"}, {"username", "ada"}}},
        {"channel", json::object{{"id", "D1"}}},
        {"trigger_id", trigger},
        {"actions", json::array{json::object{{"action_id", "rating_x"}, {"block_id", "rating"}, {"value", value},
                                             {"action_ts", "1700000000.000100"}}}}});
    std::string encoded;
    for (unsigned char c : payload) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') encoded += static_cast<char>(c);
      else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", c);
        encoded += hex;
      }
    }
    return "payload=" + encoded;
  };
  // A signature that does not match stores nothing.
  {
    std::string body = press("T1.a", "rating:2");
    std::string ts = std::to_string(test_clock.now_ms() / 1000);
    EXPECT_EQ(platform.send("POST", "/hooks/slack/" + slack, body,
                            {{"Content-Type", "application/x-www-form-urlencoded"},
                             {"X-Slack-Request-Timestamp", ts},
                             {"X-Slack-Signature", "v0=" + std::string(64, '0')}})
                  .status / 100,
              4);
  }
  ASSERT_EQ(slack_post(press("T1.b", "rating:6"), "application/x-www-form-urlencoded").status, 200);
  EXPECT_LT(slack_post("payload=%7Bnot%20json", "application/x-www-form-urlencoded").status, 500);
  EXPECT_EQ(run(), 0u);
  ASSERT_EQ(slack_post(press("T1.c", "rating:2"), "application/x-www-form-urlencoded").status, 200);
  ASSERT_EQ(slack_post(press("T1.c", "rating:2"), "application/x-www-form-urlencoded").status, 200);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(score_of("slack"), json::value(2));
  EXPECT_EQ(last_to("D1").text, kThanks);

  // Discord
  unsigned char seed[32], pk[32], sk[64];
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<unsigned char>(i);
  crypto_sign_seed_keypair(pk, sk, seed);
  std::string discord = connect("discord", {{"application_id", "123456789012345678"},
                                            {"public_key", crypto::to_hex(std::string(reinterpret_cast<char*>(pk), 32))},
                                            {"bot_token", "MTIzmessagingDiscordBotToken.abcdefghijklmnopqrstuvwxyz0123456789"}});
  auto discord_post = [&](const std::string& b) {
    test_clock.advance(1000);
    std::string ts = std::to_string(test_clock.now_ms() / 1000);
    std::string msg = ts + b;
    unsigned char sig[64];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), sk);
    return platform.send("POST", "/hooks/discord/" + discord, b,
                         {{"X-Signature-Ed25519", crypto::to_hex(std::string(reinterpret_cast<char*>(sig), 64))},
                          {"X-Signature-Timestamp", ts}});
  };
  ASSERT_EQ(discord_post(R"({"id":"9101","application_id":"123456789012345678","type":2,"token":"itok-r1","data":{"name":"ask","options":[{"name":"prompt","type":3,"value":"problem solved"}]},"member":{"user":{"id":"77","username":"ada"}}})")
                .body,
            R"({"type":5})");
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(last_to("itok-r1").buttons, kButtons);
  ASSERT_EQ(discord_post(R"({"id":"9102","application_id":"123456789012345678","type":3,"token":"itok-r2","data":{"custom_id":"rating:9","component_type":2},"member":{"user":{"id":"77","username":"ada"}}})")
                .status,
            200);
  EXPECT_EQ(run(), 0u);
  auto component = discord_post(R"({"id":"9103","application_id":"123456789012345678","type":3,"token":"itok-r3","data":{"custom_id":"rating:4","component_type":2},"member":{"user":{"id":"77","username":"ada"}}})");
  EXPECT_EQ(component.body, R"({"type":5})");
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(score_of("discord"), json::value(4));
  EXPECT_EQ(last_to("itok-r3").text, kThanks);
  for (const auto& j : jobs()) EXPECT_EQ(str(j.at("state")), "succeeded") << json::serialize(j);
}

// Without ask_satisfaction nothing is asked; SMS (Twilio) answers a typed number the same way.
TEST_F(OutcomesTest, SmsRatingIsATypedNumberAndNoQuestionWithoutAskSatisfaction) {
  std::string tg = connect_telegram();
  say(tg, "problem solved");
  EXPECT_EQ(str(telegram_conversation().at("resolved_by")), "user");
  EXPECT_EQ(sent_texts().back(), "A colleague will answer soon.") << "no question when the bot does not ask";

  ASSERT_EQ(owner.patch("/api/bots/" + bot_id, {{"ask_satisfaction", true}}).status, 200);
  std::string twilio = connect("twilio", {{"account_sid", "AC0123456789abcdef0123456789abcdef"},
                                          {"auth_token", "0123456789abcdef0123456789abcdef"},
                                          {"from_number", "+15550001111"}});
  Agent platform(base_url);
  int sid = 1;
  auto sms = [&](const std::string& text) {
    std::string message_sid = "SM" + std::to_string(9000 + sid++);
    std::string url = kPublicBase + "/hooks/twilio/" + twilio;
    std::string sig = crypto::base64_encode(crypto::hmac_sha1(
        "0123456789abcdef0123456789abcdef",
        url + "Body" + text + "From+15557654321MessageSid" + message_sid + "To+15550001111"));
    std::string encoded;
    for (char c : text) encoded += c == ' ' ? std::string("+") : std::string(1, c);
    test_clock.advance(1000);
    auto r = platform.send("POST", "/hooks/twilio/" + twilio,
                           "Body=" + encoded + "&From=%2B15557654321&MessageSid=" + message_sid + "&To=%2B15550001111",
                           {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Twilio-Signature", sig}});
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(run(), 1u);
  };
  sms("all good now");
  auto items = owner.get("/api/conversations?platform=twilio").json().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(str(items[0].at("resolved_by")), "user");
  std::string last = sent_texts().back();
  EXPECT_NE(last.find(kQuestion), std::string::npos) << last;
  sms("5");
  items = owner.get("/api/conversations?platform=twilio").json().at("items").as_array();
  EXPECT_EQ(items[0].at("satisfaction_score").as_int64(), 5);
  EXPECT_EQ(sent_texts().back(), "Thank you for your rating! It helps us get better.");
}

// Templates with an action: resolve (by the bot) and convert (a conversion named after it).
TEST_F(OutcomesTest, TemplateActionsResolveAndConvert) {
  auto bye = owner.post("/api/templates", {{"name", "Bye"}, {"trigger_phrases", json::array{"goodbye"}},
                                           {"body", "Glad I could help!"}, {"action", "resolve"}});
  ASSERT_EQ(bye.status, 201) << bye.body;
  EXPECT_EQ(str(bye.json().at("action")), "resolve");
  auto buy = owner.post("/api/templates", {{"name", "Order"}, {"trigger_phrases", json::array{"buy now"}},
                                           {"body", "Your order is placed."}, {"action", "convert"}});
  ASSERT_EQ(buy.status, 201) << buy.body;
  auto hours = owner.get("/api/bots/" + bot_id).json().at("template_ids").as_array();
  json::array ids = hours;
  ids.push_back(bye.json().at("id"));
  ids.push_back(buy.json().at("id"));
  ASSERT_EQ(owner.patch("/api/bots/" + bot_id, {{"template_ids", ids}}).status, 200);

  // Validation: only null, resolve or convert; null clears it.
  EXPECT_EQ(owner.patch("/api/templates/" + str(bye.json().at("id")), {{"action", "delete"}}).status, 422);
  EXPECT_EQ(owner.patch("/api/templates/" + str(bye.json().at("id")), {{"action", 3}}).status, 422);
  auto cleared = owner.post("/api/templates", {{"name", "Plain"}, {"trigger_phrases", json::array{"plain"}},
                                               {"body", "Plain."}, {"action", nullptr}});
  ASSERT_EQ(cleared.status, 201) << cleared.body;
  EXPECT_TRUE(cleared.json().at("action").is_null());

  std::string tg = connect_telegram();
  say(tg, "I want to buy now");
  auto converted = telegram_conversation();
  EXPECT_FALSE(converted.at("converted_at").is_null());
  EXPECT_TRUE(converted.at("resolved_at").is_null());
  say(tg, "goodbye");
  auto resolved = telegram_conversation();
  EXPECT_EQ(str(resolved.at("resolved_by")), "bot");
  EXPECT_EQ(str(resolved.at("converted_at")), str(converted.at("converted_at")));
  say(tg, "buy now");  // a second conversion is kept; converted_at stays the first
  EXPECT_EQ(str(telegram_conversation().at("converted_at")), str(converted.at("converted_at")));
  auto conn = app->database().acquire();
  auto rows = conn->query("SELECT name, source FROM conversions WHERE session_id = $1", {str(resolved.at("id"))});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text("name"), "Order");
  EXPECT_EQ(rows[0].text("source"), "template");
}

TEST_F(OutcomesTest, ResolutionPhrasesAreValidated) {
  auto bot = owner.get("/api/bots/" + bot_id).json();
  EXPECT_EQ(bot.at("resolution_phrases").as_array().size(), 4u) << "the defaults";
  auto too_many = json::array{};
  for (int i = 0; i < 21; ++i) too_many.push_back(json::value("phrase " + std::to_string(i)));
  for (const json::value& bad : {json::value(too_many), json::value(json::array{std::string(101, 'x')}),
                                 json::value("problem solved"), json::value(json::array{1, 2}),
                                 json::value(json::array{"two\nlines"}), json::value(json::array{"  "})}) {
    auto r = owner.patch("/api/bots/" + bot_id, {{"resolution_phrases", bad}});
    EXPECT_EQ(r.status, 422) << json::serialize(bad) << " " << r.body;
    EXPECT_TRUE(r.json().at("error").at("details").at("fields").as_object().contains("resolution_phrases")) << r.body;
  }
  json::array twenty;
  for (int i = 0; i < 20; ++i) twenty.push_back(json::value("phrase " + std::to_string(i)));
  auto ok = owner.patch("/api/bots/" + bot_id, {{"resolution_phrases", twenty}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().at("resolution_phrases").as_array().size(), 20u);
  EXPECT_EQ(owner.get("/api/bots/" + bot_id).json().at("resolution_phrases").as_array().size(), 20u);
  EXPECT_EQ(owner.patch("/api/bots/" + bot_id, {{"resolution_phrases", json::array{}}}).status, 200);
}

TEST_F(OutcomesTest, ConversionsByIdAreIdempotentByExternalId) {
  std::string id = console_conversation();
  auto first = owner.post("/api/conversions", {{"conversation_id", id}, {"name", "purchase"}, {"value_cents", 4999},
                                              {"external_id", "order-17"}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(str(first.json().at("conversation_id")), id);
  EXPECT_EQ(first.json().at("value_cents").as_int64(), 4999);
  EXPECT_EQ(str(first.json().at("source")), "api");
  std::string converted_at = str(conversation(id).at("converted_at"));
  EXPECT_FALSE(converted_at.empty());
  EXPECT_EQ(audit_count("conversion.recorded"), 1);

  // The same external id again (a retried call): the first conversion, nothing new.
  test_clock.advance(1000);
  auto again = key("member").post("/api/conversions", {{"conversation_id", id}, {"name", "purchase"},
                                                       {"external_id", "order-17"}});
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(str(again.json().at("id")), str(first.json().at("id")));
  EXPECT_EQ(audit_count("conversion.recorded"), 1);
  EXPECT_EQ(count("conversions"), 1);

  // Another conversion of the same conversation is kept; converted_at stays the first.
  auto second = owner.post("/api/conversions", {{"conversation_id", id}, {"name", "upsell"}});
  EXPECT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(str(conversation(id).at("converted_at")), converted_at);
  EXPECT_EQ(count("conversions"), 2);

  // Another organisation's conversation is unknown; so are hostile ids.
  Agent stranger = agent();
  stranger.signup(unique_email("stranger"));
  EXPECT_EQ(stranger.post("/api/conversions", {{"conversation_id", id}, {"name", "purchase"}}).status, 404);
  EXPECT_EQ(owner.post("/api/conversions", {{"conversation_id", "../" + id}, {"name", "x"}}).status, 404);
  EXPECT_EQ(owner.post("/api/conversions", {{"conversation_id", id + "%2F"}, {"name", "x"}}).status, 404);
  // Bad input changes nothing.
  for (const json::object& bad : {json::object{{"conversation_id", id}},
                                  json::object{{"conversation_id", id}, {"name", std::string(201, 'n')}},
                                  json::object{{"conversation_id", id}, {"name", "x"}, {"value_cents", "12"}},
                                  json::object{{"conversation_id", id}, {"name", "x"}, {"value_cents", -1}},
                                  json::object{{"conversation_id", id}, {"name", "x"}, {"value_cents", 1.5}},
                                  json::object{{"conversation_id", id}, {"name", "x"}, {"external_id", std::string(201, 'e')}},
                                  json::object{{"conversation_id", 42}, {"name", "x"}},
                                  json::object{{"name", "x"}},
                                  json::object{{"conversation_id", id}, {"deployment_key", "k"}, {"name", "x"}}}) {
    auto r = owner.post("/api/conversions", bad);
    EXPECT_EQ(r.status, 422) << json::serialize(bad) << " " << r.body;
  }
  EXPECT_EQ(owner.send("POST", "/api/conversions", "{not json").status, 400);
  EXPECT_EQ(key("viewer").post("/api/conversions", {{"conversation_id", id}, {"name", "x"}}).status, 403);
  EXPECT_EQ(count("conversions"), 2);
}

TEST_F(OutcomesTest, ConversionsByTheWebChatsSignedVisitorToken) {
  auto dep = owner.post("/api/deployments", {{"bot_id", bot_id}, {"channel", "webchat"},
                                             {"allowed_origins", json::array{"https://shop.example.com"}}});
  ASSERT_EQ(dep.status, 201) << dep.body;
  std::string deployment_key = str(dep.json().at("key"));
  std::string token = str(agent().get("/widget/" + deployment_key).json().at("visitor_token"));
  auto said = agent().send("POST", "/widget/" + deployment_key + "/messages",
                           json::serialize(json::object{{"visitor_token", token}, {"text", "opening hours?"}}));
  ASSERT_EQ(said.status, 200) << said.body;
  std::string session = str(said.json().at("session_id"));

  auto r = key("member").post("/api/conversions", {{"deployment_key", deployment_key}, {"user_token", token},
                                                   {"name", "signup"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json().at("conversation_id")), session);
  EXPECT_FALSE(conversation(session).at("converted_at").is_null());

  // A forged or altered token is refused and records nothing.
  std::string altered = token;
  altered.back() = altered.back() == '0' ? '1' : '0';
  for (const std::string& forged : {altered, std::string("vt1.forged.00"), std::string("x")}) {
    auto f = owner.post("/api/conversions", {{"deployment_key", deployment_key}, {"user_token", forged}, {"name", "x"}});
    EXPECT_EQ(f.status, 401) << f.body;
    EXPECT_EQ(f.error_code(), "invalid_visitor_token");
  }
  // A valid visitor without a conversation, an unknown key, another organisation's deployment.
  std::string stranger_token = str(agent().get("/widget/" + deployment_key).json().at("visitor_token"));
  EXPECT_EQ(owner.post("/api/conversions", {{"deployment_key", deployment_key}, {"user_token", stranger_token},
                                            {"name", "x"}})
                .status,
            404);
  EXPECT_EQ(owner.post("/api/conversions", {{"deployment_key", "nope"}, {"user_token", token}, {"name", "x"}}).status,
            404);
  Agent stranger = agent();
  stranger.signup(unique_email("stranger"));
  EXPECT_EQ(stranger.post("/api/conversions", {{"deployment_key", deployment_key}, {"user_token", token}, {"name", "x"}})
                .status,
            404);
  EXPECT_EQ(owner.post("/api/conversions", {{"deployment_key", deployment_key}, {"name", "x"}}).status, 422);
  EXPECT_EQ(count("conversions"), 1);
}

// With a model answering: the question follows the model's reply, and the rating itself never
// reaches the model.
class OutcomesWithModelTest : public OutcomesTest {
 protected:
  void configure_more(Config& c) override {
    c.openrouter_api_key = "sk-or-outcomes-test-key";
    c.openrouter_base_url = model.base_url();
    c.ai_timeout_ms = 10000;
  }
  FakeOpenRouter model;
};

TEST_F(OutcomesWithModelTest, TheQuestionFollowsTheModelsReplyAndTheRatingSkipsTheModel) {
  model.answer({FakeAnswer{200, "Glad it works now."}});
  ASSERT_EQ(owner.patch("/api/bots/" + bot_id, {{"ask_satisfaction", true}}).status, 200);
  std::string tg = connect_telegram();
  say(tg, "thanks, that solved it");
  auto asked = fake.sent().back();
  EXPECT_EQ(asked.text, "Glad it works now.\n\n" + kQuestion);
  EXPECT_EQ(asked.buttons.size(), 5u);
  EXPECT_EQ(str(telegram_conversation().at("resolved_by")), "user");
  std::size_t asked_of_model = model.seen().size();
  say(tg, "5");
  EXPECT_EQ(model.seen().size(), asked_of_model) << "a rating is not sent to the model";
  EXPECT_EQ(telegram_conversation().at("satisfaction_score").as_int64(), 5);
  EXPECT_EQ(fake.sent().back().text, "Thank you for your rating! It helps us get better.");
  EXPECT_EQ(str(jobs()[0].at("state")), "succeeded");
}

}  // namespace
}  // namespace sb::test
