// Reliable messaging end to end over HTTP: signed deliveries from every platform stored once and
// answered once, rejected ones storing nothing, retries on a test clock, lease expiry, back-pressure,
// and the operations API (jobs, events, retry, cancel, export, statistics, the simulator).
#include <sodium.h>

#include <atomic>
#include <algorithm>
#include <filesystem>
#include <set>
#include <thread>

#include "core/crypto.hpp"
#include "fakes/fake_platforms.hpp"
#include "integration/harness.hpp"
#include "integration/messaging_fixture.hpp"
#include "jobs/sent_journal.hpp"
#include "jobs/store.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

TEST_F(MessagingTest, ATelegramMessageIsStoredThenAnsweredOnce) {
  std::string id = connect_telegram();
  auto r = deliver_telegram(id, telegram_update(500001, "What are your opening hours?"), telegram_secret);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(count("webhook_events"), 1);
  auto queued = jobs();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(str(queued[0].at("state")), "queued");
  EXPECT_EQ(str(queued[0].at("external_message_id")), "500001");
  EXPECT_EQ(fake.sent().size(), 0u) << "stored first, answered by a worker";

  EXPECT_EQ(run(), 1u);
  auto sent = fake.sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].recipient, "4242");
  EXPECT_EQ(sent[0].text, "We are open 9 to 5, Grace.");
  auto done = job(str(queued[0].at("id")));
  EXPECT_EQ(str(done.at("state")), "succeeded");
  EXPECT_EQ(str(done.at("platform_message_id")), sent[0].platform_message_id);
  EXPECT_EQ(str(done.at("reply_text")), "We are open 9 to 5, Grace.");
  EXPECT_EQ(done.at("attempts").as_int64(), 1);
  std::vector<std::string> outcomes;
  for (const auto& l : done.at("logs").as_array()) outcomes.push_back(str(l.at("outcome")));
  EXPECT_EQ(outcomes, (std::vector<std::string>{"claimed", "reply_generated", "sent", "sent"}));
  EXPECT_EQ(str(done.at("event").at("kind")), "message");
  EXPECT_EQ(run(), 0u) << "nothing is sent twice";
  // The conversation is recorded like any other.
  auto conversations = owner.get("/api/conversations?bot_id=" + bot_id).json();
  EXPECT_EQ(str(conversations.at("items").at(0).at("platform")), "telegram");
}

// A platform user's messages continue their open conversation (the latest, should there be two);
// after the inactivity window (30 minutes) the next one starts a new conversation.
TEST_F(MessagingTest, AUsersMessagesContinueTheirLatestOpenConversation) {
  std::string id = connect_telegram();
  auto sessions = [&] {
    auto r = owner.get("/api/conversations?bot_id=" + bot_id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("items").as_array();
  };
  auto messages_in = [&](const std::string& session) {
    return owner.get("/api/conversations/" + session).json().at("messages").as_array().size();
  };
  ASSERT_EQ(deliver_telegram(id, telegram_update(610001, "opening hours?"), telegram_secret).status, 200);
  EXPECT_EQ(run(), 1u);
  test_clock.advance(60'000);
  ASSERT_EQ(deliver_telegram(id, telegram_update(610002, "and on Sunday?"), telegram_secret).status, 200);
  EXPECT_EQ(run(), 1u);
  auto first = sessions();
  ASSERT_EQ(first.size(), 1u) << "the second message continues the first conversation";
  const std::string session = str(first[0].at("id"));
  EXPECT_EQ(messages_in(session), 4u);
  // The first reply is the conversation's first response; its last activity is the latest reply.
  {
    auto conversation = owner.get("/api/conversations/" + session).json();
    auto recorded = conversation.at("messages").as_array();
    ASSERT_EQ(recorded.size(), 4u);
    EXPECT_EQ(str(recorded[0].at("direction")), "in");
    EXPECT_EQ(str(recorded[1].at("direction")), "out");
    EXPECT_EQ(str(recorded[3].at("direction")), "out");
    EXPECT_EQ(str(conversation.at("first_response_at")), str(recorded[1].at("created_at")));
    EXPECT_EQ(str(conversation.at("last_message_at")), str(recorded[3].at("created_at")));
    EXPECT_NE(str(recorded[1].at("created_at")), str(recorded[3].at("created_at")));
  }

  // An older open conversation of the same user (from before; imported, say) is not the one continued.
  {
    auto conn = app->database().acquire();
    auto s = conn->query_one("SELECT org_id, started_at FROM conversation_sessions WHERE id = $1", {session});
    conn->execute("INSERT INTO conversation_sessions (id, org_id, bot_id, platform, external_user_id, display_name, "
                  "started_at, last_message_at, status) VALUES ('cnv_older', $1, $2, 'telegram', '4242', 'Grace', "
                  "$3, $3, 'open')",
                  {s->text("org_id"), bot_id, s->integer("started_at") - 3'600'000});
  }
  test_clock.advance(60'000);
  ASSERT_EQ(deliver_telegram(id, telegram_update(610003, "thanks"), telegram_secret).status, 200);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(messages_in(session), 6u);
  EXPECT_EQ(messages_in("cnv_older"), 0u);

  test_clock.advance(31 * 60'000);
  ASSERT_EQ(deliver_telegram(id, telegram_update(610004, "opening hours again?"), telegram_secret).status, 200);
  EXPECT_EQ(run(), 1u);
  auto later = sessions();
  ASSERT_EQ(later.size(), 3u) << "a new conversation after 30 quiet minutes";
  EXPECT_EQ(messages_in(session), 6u);
  EXPECT_EQ(str(owner.get("/api/conversations/" + session).json().at("status")), "ended");
}

TEST_F(MessagingTest, ExportsMoreJobsThanAPageInChunks) {
  std::string id = connect_telegram();
  ASSERT_EQ(deliver_telegram(id, telegram_update(620001, "hello"), telegram_secret).status, 200);
  // 1,203 more jobs, written straight to the database: the export reads 500 a page.
  {
    auto conn = app->database().acquire();
    auto org = conn->query_one("SELECT org_id FROM integrations WHERE id = $1", {id})->text("org_id");
    db::Transaction tx(*conn);
    for (int i = 0; i < 1203; ++i) {
      std::string n = std::to_string(i), event = "evt_export" + n, job = "job_export" + n;
      conn->execute("INSERT INTO webhook_events (id, org_id, integration_id, platform, idempotency_key, kind, status, "
                    "payload, payload_hash, received_at) VALUES ($1, $2, $3, 'telegram', $4, 'message', 'accepted', "
                    "'{}', 'hash', $5)",
                    {event, org, id, "export-" + n, std::int64_t{1'700'000'000'000} + i});
      conn->execute("INSERT INTO message_jobs (id, org_id, integration_id, event_id, platform, external_user_id, "
                    "display_name, external_message_id, reply_to, inbound_text, state, attempts, max_attempts, "
                    "next_run_at, created_at, updated_at, finished_at) VALUES ($1, $2, $3, $4, 'telegram', 'u', 'Ann', "
                    "$5, 'c', 'hi', 'cancelled', 0, 5, 0, $6, $6, $6)",
                    {job, org, id, event, "export-" + n, std::int64_t{1'700'000'000'000} + i});
      conn->execute("INSERT INTO message_job_logs (id, job_id, org_id, at, worker, kind, from_state, to_state, outcome) "
                    "VALUES ($1, $2, $3, $4, 'operator', 'state', 'queued', 'cancelled', 'cancelled_by_operator')",
                    {"log_export" + n, job, org, std::int64_t{1'700'000'000'000} + i});
    }
    tx.commit();
  }
  auto jsonl = owner.get("/api/jobs/export?format=jsonl");
  ASSERT_EQ(jsonl.status, 200);
  EXPECT_EQ(jsonl.header("transfer-encoding"), "chunked");
  std::set<std::string> ids;
  std::size_t start = 0;
  for (std::size_t end; (end = jsonl.body.find('\n', start)) != std::string::npos; start = end + 1)
    ids.insert(str(json::parse(jsonl.body.substr(start, end - start)).at("id")));
  EXPECT_EQ(start, jsonl.body.size()) << "the body ends with a whole line";
  EXPECT_EQ(ids.size(), 1204u) << "every job once, across three pages";
  EXPECT_TRUE(ids.count("job_export0") && ids.count("job_export1202"));

  auto csv = owner.get("/api/jobs/export?format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("job_id,state,platform", 0), 0u);
  EXPECT_GE(std::count(csv.body.begin(), csv.body.end(), '\n'), 1 + 1203) << "a header and a row per log entry";
  EXPECT_NE(csv.body.find("job_export1202,cancelled,telegram"), std::string::npos);
  EXPECT_NE(csv.body.find("job_export0,cancelled,telegram"), std::string::npos);
}

TEST_F(MessagingTest, RejectedSignaturesStoreNothingOnEveryPlatform) {
  std::string tg = connect_telegram();
  EXPECT_EQ(deliver_telegram(tg, telegram_update(1, "hi"), "wrong").status, 401);
  EXPECT_EQ(deliver_telegram(tg, telegram_update(1, "hi"), "").status, 401);
  std::string upper = telegram_secret;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (upper != telegram_secret) EXPECT_EQ(deliver_telegram(tg, telegram_update(1, "hi"), upper).status, 401);

  std::string wa = connect("whatsapp", {{"access_token", "EAAGmessagingWhatsAppToken0123456789"},
                                         {"phone_number_id", "106540352242922"},
                                         {"app_secret", "0123456789abcdef0123456789abcdef"},
                                         {"verify_token", "verify-me-please"}});
  std::string body = R"({"object":"whatsapp_business_account","entry":[]})";
  std::string good = "sha256=" + crypto::to_hex(crypto::hmac_sha256("0123456789abcdef0123456789abcdef", body));
  Agent platform(base_url);
  EXPECT_EQ(platform.send("POST", "/hooks/whatsapp/" + wa, body, {{"X-Hub-Signature-256", good}}).status, 200);
  EXPECT_EQ(platform.send("POST", "/hooks/whatsapp/" + wa, body + " ", {{"X-Hub-Signature-256", good}}).status, 401);
  EXPECT_EQ(platform.send("POST", "/hooks/whatsapp/" + wa, body).status, 401);

  std::string slack = connect("slack", {{"bot_token", "xoxb-messaging-test-0123"}, {"signing_secret", "0123456789abcdef0123456789abcdef"}});
  std::string event = R"({"type":"event_callback","event_id":"Ev1","event":{"type":"message","text":"hi","user":"U1","channel":"D1"}})";
  auto slack_sig = [&](std::int64_t ts) {
    return "v0=" + crypto::to_hex(crypto::hmac_sha256("0123456789abcdef0123456789abcdef", "v0:" + std::to_string(ts) + ":" + event));
  };
  std::int64_t now = test_clock.now_ms() / 1000;
  EXPECT_EQ(platform.send("POST", "/hooks/slack/" + slack, event,
                          {{"X-Slack-Request-Timestamp", std::to_string(now - 301)}, {"X-Slack-Signature", slack_sig(now - 301)}})
                .status,
            401)
      << "replayed too old";
  EXPECT_EQ(platform.send("POST", "/hooks/slack/" + slack, event,
                          {{"X-Slack-Request-Timestamp", std::to_string(now)}, {"X-Slack-Signature", slack_sig(now - 1)}})
                .status,
            401);

  std::string twilio = connect("twilio", {{"account_sid", "AC0123456789abcdef0123456789abcdef"},
                                          {"auth_token", "0123456789abcdef0123456789abcdef"},
                                          {"from_number", "+15550001111"}});
  std::string form = "Body=hello&From=%2B15557654321&MessageSid=SM0123&To=%2B15550001111";
  EXPECT_EQ(platform.send("POST", "/hooks/twilio/" + twilio, form,
                          {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Twilio-Signature", "bm90IGl0"}})
                .status,
            401);

  std::string discord = connect("discord", {{"application_id", "123456789012345678"},
                                            {"public_key", "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"},
                                            {"bot_token", "MTIzmessagingDiscordBotToken.abcdefghijklmnopqrstuvwxyz0123456789"}});
  EXPECT_EQ(platform.send("POST", "/hooks/discord/" + discord, R"({"type":1})",
                          {{"X-Signature-Ed25519", std::string(128, '0')}, {"X-Signature-Timestamp", "1700000000"}})
                .status,
            401);
  EXPECT_EQ(count("webhook_events"), 0) << "a rejected request stores nothing";
  EXPECT_EQ(count("message_jobs"), 0);
  auto metrics = platform.get("/metrics").body;
  EXPECT_NE(metrics.find("switchboard_webhook_rejected_total{platform=\"telegram\",reason=\"wrong secret token\"}"),
            std::string::npos)
      << metrics.substr(0, 2000);
}

TEST_F(MessagingTest, EveryPlatformsDeliveryBecomesOneAnsweredJob) {
  Agent platform(base_url);
  // WhatsApp
  std::string wa = connect("whatsapp", {{"access_token", "EAAGmessagingWhatsAppToken0123456789"},
                                         {"phone_number_id", "106540352242922"},
                                         {"app_secret", "0123456789abcdef0123456789abcdef"},
                                         {"verify_token", "verify-me-please"}});
  std::string body = R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","contacts":[{"profile":{"name":"Ada"},"wa_id":"15551234567"}],"messages":[{"from":"15551234567","id":"wamid.A1","timestamp":"1700000000","type":"text","text":{"body":"opening hours?"}}],"statuses":[{"id":"wamid.OLD","status":"read"}]}}]}]})";
  EXPECT_EQ(platform.send("POST", "/hooks/whatsapp/" + wa, body,
                          {{"X-Hub-Signature-256", "sha256=" + crypto::to_hex(crypto::hmac_sha256("0123456789abcdef0123456789abcdef", body))}})
                .status,
            200);
  // Slack, with the bot's own message in a second event that must not be answered
  std::string slack = connect("slack", {{"bot_token", "xoxb-messaging-test-0123"}, {"signing_secret", "0123456789abcdef0123456789abcdef"}});
  auto slack_post = [&](const std::string& event) {
    std::string ts = std::to_string(test_clock.now_ms() / 1000);
    return platform.send("POST", "/hooks/slack/" + slack, event,
                         {{"X-Slack-Request-Timestamp", ts},
                          {"X-Slack-Signature", "v0=" + crypto::to_hex(crypto::hmac_sha256("0123456789abcdef0123456789abcdef", "v0:" + ts + ":" + event))}});
  };
  EXPECT_EQ(slack_post(R"({"type":"event_callback","event_id":"EvS1","event":{"type":"message","text":"opening hours","user":"U1","channel":"D1"}})").status, 200);
  EXPECT_EQ(slack_post(R"({"type":"event_callback","event_id":"EvS2","event":{"type":"message","text":"We are open","bot_id":"B1","channel":"D1"}})").status, 200);
  // Twilio: form fields signed with the public URL
  std::string twilio = connect("twilio", {{"account_sid", "AC0123456789abcdef0123456789abcdef"},
                                          {"auth_token", "0123456789abcdef0123456789abcdef"},
                                          {"from_number", "+15550001111"}});
  std::string url = kPublicBase + "/hooks/twilio/" + twilio;
  std::string sig = crypto::base64_encode(crypto::hmac_sha1("0123456789abcdef0123456789abcdef",
                                                            url + "Bodyopening hoursFrom+15557654321MessageSidSM0001To+15550001111"));
  auto tw = platform.send("POST", "/hooks/twilio/" + twilio, "Body=opening+hours&From=%2B15557654321&MessageSid=SM0001&To=%2B15550001111",
                          {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Twilio-Signature", sig}});
  EXPECT_EQ(tw.status, 200) << tw.body;
  EXPECT_EQ(tw.body, "<Response></Response>");
  // Discord: a slash command signed with the application's key pair; PING answered with PONG
  unsigned char seed[32], pk[32], sk[64];
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<unsigned char>(i);
  crypto_sign_seed_keypair(pk, sk, seed);
  std::string discord = connect("discord", {{"application_id", "123456789012345678"},
                                            {"public_key", crypto::to_hex(std::string(reinterpret_cast<char*>(pk), 32))},
                                            {"bot_token", "MTIzmessagingDiscordBotToken.abcdefghijklmnopqrstuvwxyz0123456789"}});
  auto discord_post = [&](const std::string& b) {
    std::string ts = std::to_string(test_clock.now_ms() / 1000);
    std::string msg = ts + b;
    unsigned char s[64];
    crypto_sign_detached(s, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), sk);
    return platform.send("POST", "/hooks/discord/" + discord, b,
                         {{"X-Signature-Ed25519", crypto::to_hex(std::string(reinterpret_cast<char*>(s), 64))},
                          {"X-Signature-Timestamp", ts}});
  };
  auto pong = discord_post(R"({"type":1})");
  EXPECT_EQ(pong.status, 200);
  EXPECT_EQ(pong.body, R"({"type":1})");
  auto deferred = discord_post(R"({"id":"9001","application_id":"123456789012345678","type":2,"token":"itok-1","data":{"name":"ask","options":[{"name":"prompt","type":3,"value":"opening hours?"}]},"member":{"user":{"id":"77","username":"ada"}}})");
  EXPECT_EQ(deferred.status, 200);
  EXPECT_EQ(deferred.body, R"({"type":5})");

  EXPECT_EQ(count("webhook_events"), 6) << "wamid.A1, the read receipt, EvS1, EvS2, SM0001, 9001";
  EXPECT_EQ(count("message_jobs"), 4);
  EXPECT_EQ(run(), 4u);
  std::map<std::string, std::string> sent;
  for (const auto& s : fake.sent()) sent[s.service + ":" + s.recipient] = s.text;
  EXPECT_EQ(sent.size(), 4u);
  EXPECT_EQ(sent["graph:15551234567"], "We are open 9 to 5, Ada.");
  EXPECT_TRUE(sent.count("slack:D1"));
  EXPECT_TRUE(sent.count("twilio:+15557654321"));
  EXPECT_TRUE(sent.count("discord:itok-1")) << "the interaction's deferred answer is edited";
  for (const auto& j : jobs()) EXPECT_EQ(str(j.at("state")), "succeeded") << json::serialize(j);
}

// Signs a Discord interaction the way Discord does, with the PLATFORMS.md V8 key pair (seed 0..31).
std::vector<std::pair<std::string, std::string>> discord_signature(const std::string& ts, const std::string& body) {
  unsigned char seed[32], pk[32], sk[64];
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<unsigned char>(i);
  crypto_sign_seed_keypair(pk, sk, seed);
  std::string msg = ts + body;
  unsigned char s[64];
  crypto_sign_detached(s, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), sk);
  return {{"X-Signature-Ed25519", crypto::to_hex(std::string(reinterpret_cast<char*>(s), 64))}, {"X-Signature-Timestamp", ts}};
}

const json::object kDiscordCredentials{{"application_id", "123456789012345678"},
                                       {"public_key", "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"},
                                       {"bot_token", "MTIzmessagingDiscordBotToken.abcdefghijklmnopqrstuvwxyz0123456789"}};

// Discord signs X-Signature-Timestamp but documents no window: a correctly signed interaction from
// a day ago or six minutes ahead is a replay or a forgery's clock, refused like Slack's; four
// minutes old is a slow network and is answered.
TEST_F(MessagingTest, DiscordInteractionsSignedMoreThanFiveMinutesAwayAreRefused) {
  std::string discord = connect("discord", kDiscordCredentials);
  Agent platform(base_url);
  std::string body = R"({"id":"9101","application_id":"123456789012345678","type":2,"token":"itok-2","data":{"name":"ask","options":[{"name":"prompt","type":3,"value":"opening hours?"}]},"user":{"id":"77","username":"ada"}})";
  std::int64_t now = test_clock.now_ms() / 1000;
  for (std::int64_t ts : {now - 86400, now + 360, now - 301}) {
    auto r = platform.send("POST", "/hooks/discord/" + discord, body, discord_signature(std::to_string(ts), body));
    EXPECT_EQ(r.status, 401) << "signed at now" << (ts - now) << " s: " << r.body;
  }
  auto ping = platform.send("POST", "/hooks/discord/" + discord, R"({"type":1})",
                            discord_signature(std::to_string(now - 86400), R"({"type":1})"));
  EXPECT_EQ(ping.status, 401) << "a day-old PING gets no PONG";
  EXPECT_EQ(count("webhook_events"), 0) << "a refused interaction stores nothing";
  EXPECT_EQ(count("message_jobs"), 0);
  auto metrics = platform.get("/metrics").body;
  EXPECT_NE(metrics.find(R"(switchboard_webhook_rejected_total{platform="discord",reason="timestamp outside the 5-minute window"})"),
            std::string::npos);

  auto fresh = platform.send("POST", "/hooks/discord/" + discord, body, discord_signature(std::to_string(now - 240), body));
  EXPECT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(fresh.body, R"({"type":5})");
  EXPECT_EQ(count("message_jobs"), 1);
  EXPECT_EQ(run(), 1u);
  ASSERT_EQ(fake.sent().size(), 1u);
  EXPECT_EQ(fake.sent()[0].recipient, "itok-2");
}

// Security issue 17, inbound: a signed delivery whose reply target (Discord's interaction token, a
// Telegram chat, a Slack channel, a WhatsApp number, a Messenger PSID, a Twilio number) is not an id
// of that platform is acknowledged and kept as ignored, and never answered: its id would have gone
// into the reply's URL or request.
TEST_F(MessagingTest, DeliveriesWithHostileReplyTargetsAreAcknowledgedButNeverAnswered) {
  Agent platform(base_url);
  std::string tg = connect_telegram();
  std::string discord = connect("discord", kDiscordCredentials);
  std::string slack = connect("slack", {{"bot_token", "xoxb-messaging-test-0123"}, {"signing_secret", "0123456789abcdef0123456789abcdef"}});
  std::string wa = connect("whatsapp", {{"access_token", "EAAGmessagingWhatsAppToken0123456789"},
                                         {"phone_number_id", "106540352242922"},
                                         {"app_secret", "0123456789abcdef0123456789abcdef"},
                                         {"verify_token", "verify-me-please"}});
  std::string ms = connect("messenger", {{"page_access_token", "EAAGmessagingMessengerToken0123456789"},
                                          {"page_id", "104626132345678"},
                                          {"app_secret", "0123456789abcdef0123456789abcdef"},
                                          {"verify_token", "verify-me-please"}});
  std::string twilio = connect("twilio", {{"account_sid", "AC0123456789abcdef0123456789abcdef"},
                                          {"auth_token", "0123456789abcdef0123456789abcdef"},
                                          {"from_number", "+15550001111"}});
  fake.reset();
  std::string ts = std::to_string(test_clock.now_ms() / 1000);

  std::string interaction = R"({"id":"9201","application_id":"123456789012345678","type":2,"token":"../../../applications/@me/x?y=1#","data":{"name":"ask","options":[{"name":"prompt","type":3,"value":"opening hours?"}]},"user":{"id":"77","username":"ada"}})";
  EXPECT_EQ(platform.send("POST", "/hooks/discord/" + discord, interaction, discord_signature(ts, interaction)).status, 200);

  std::string update = R"({"update_id":9202,"message":{"message_id":1,"date":1700000000,"from":{"id":4242,"is_bot":false,"first_name":"Grace"},"chat":{"id":"@x/../../y?z#","type":"channel"},"text":"opening hours"}})";
  EXPECT_EQ(deliver_telegram(tg, update, telegram_secret).status, 200);

  std::string event = R"({"type":"event_callback","event_id":"Ev9203","event":{"type":"message","text":"opening hours","user":"U1","channel":"C1/../../x?y#"}})";
  EXPECT_EQ(platform.send("POST", "/hooks/slack/" + slack, event,
                          {{"X-Slack-Request-Timestamp", ts},
                           {"X-Slack-Signature", "v0=" + crypto::to_hex(crypto::hmac_sha256("0123456789abcdef0123456789abcdef", "v0:" + ts + ":" + event))}})
                .status,
            200);

  auto meta_signed = [](const std::string& b) {
    return std::vector<std::pair<std::string, std::string>>{
        {"X-Hub-Signature-256", "sha256=" + crypto::to_hex(crypto::hmac_sha256("0123456789abcdef0123456789abcdef", b))}};
  };
  std::string wa_body = R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","messages":[{"from":"15551234567/../../me","id":"wamid.H1","timestamp":"1700000000","type":"text","text":{"body":"opening hours?"}}]}}]}]})";
  EXPECT_EQ(platform.send("POST", "/hooks/whatsapp/" + wa, wa_body, meta_signed(wa_body)).status, 200);
  std::string ms_body = R"({"object":"page","entry":[{"id":"104626132345678","time":1,"messaging":[{"sender":{"id":"%2e%2e%2fme"},"recipient":{"id":"104626132345678"},"timestamp":1,"message":{"mid":"m_H1","text":"opening hours?"}}]}]})";
  EXPECT_EQ(platform.send("POST", "/hooks/messenger/" + ms, ms_body, meta_signed(ms_body)).status, 200);

  std::string url = kPublicBase + "/hooks/twilio/" + twilio;
  std::string sig = crypto::base64_encode(crypto::hmac_sha1(
      "0123456789abcdef0123456789abcdef", url + "Bodyopening hoursFrom+15557654321/../Calls.json?x=1MessageSidSM9204To+15550001111"));
  auto tw = platform.send("POST", "/hooks/twilio/" + twilio,
                          "Body=opening+hours&From=%2B15557654321%2F..%2FCalls.json%3Fx%3D1&MessageSid=SM9204&To=%2B15550001111",
                          {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Twilio-Signature", sig}});
  EXPECT_EQ(tw.status, 200) << tw.body;

  auto conn = app->database().acquire();
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM webhook_events WHERE kind = 'invalid_recipient' AND status = 'ignored'")
                ->integer("n"),
            6)
      << "each delivery is kept, as ignored";
  EXPECT_EQ(count("message_jobs"), 0);
  EXPECT_EQ(run(), 0u);
  EXPECT_TRUE(fake.requests().empty()) << "called " << fake.requests().front().target;
}

TEST_F(MessagingTest, TheSameDeliveryTwentyTimesAtOnceIsStoredAndAnsweredOnce) {
  std::string id = connect_telegram();
  std::string body = telegram_update(777, "opening hours please");
  EXPECT_EQ(deliver_telegram(id, body, telegram_secret).status, 200);
  EXPECT_EQ(deliver_telegram(id, body, telegram_secret).status, 200) << "a sequential repeat is acknowledged";
  std::string again = telegram_update(778, "opening hours again");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 20; ++i)
    threads.emplace_back([&] {
      if (deliver_telegram(id, again, telegram_secret).status == 200) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 20);
  EXPECT_EQ(count("webhook_events"), 2);
  EXPECT_EQ(count("message_jobs"), 2);
  EXPECT_EQ(run(), 2u);
  EXPECT_EQ(fake.sent().size(), 2u) << "one reply per message at the platform";
}

TEST_F(MessagingTest, RetriesHonourRetryAfterGrowAndEndDeadWithTheReason) {
  std::string id = connect_telegram();
  fake.script("telegram", {FakeOutcome{FakeKind::rate_limited, 7}, FakeOutcome{FakeKind::ok}});
  deliver_telegram(id, telegram_update(10, "opening hours"), telegram_secret);
  run();
  auto j = jobs()[0].as_object();
  std::string job_id = str(j.at("id"));
  EXPECT_EQ(str(j.at("state")), "failed");
  auto next = parse_rfc3339(str(j.at("next_run_at")));
  ASSERT_TRUE(next);
  EXPECT_EQ(*next - test_clock.now_ms(), 7000) << "Telegram's retry_after is honoured";
  test_clock.advance(6999);
  EXPECT_EQ(run(), 0u) << "not before it is due";
  test_clock.advance(1);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(str(job(job_id).at("state")), "succeeded");
  EXPECT_EQ(fake.sent().size(), 1u);

  // 500s: delays grow until the attempts run out.
  fake.script("telegram", {FakeOutcome{FakeKind::server_error}});
  deliver_telegram(id, telegram_update(11, "opening hours"), telegram_secret);
  std::vector<std::int64_t> delays;
  for (int i = 0; i < 10; ++i) {
    if (run() == 0) break;
    auto current = jobs("?state=failed,dead");
    ASSERT_EQ(current.size(), 1u);
    if (str(current[0].at("state")) == "dead") break;
    std::int64_t delay = *parse_rfc3339(str(current[0].at("next_run_at"))) - test_clock.now_ms();
    delays.push_back(delay);
    test_clock.advance(delay);
  }
  ASSERT_EQ(delays.size(), 3u) << "4 attempts: 3 waits";
  EXPECT_GE(delays[0], 500);
  EXPECT_LE(delays[0], 1000);
  EXPECT_GE(delays[1], delays[0]);
  EXPECT_GE(delays[2], delays[1]);
  EXPECT_GE(delays[2], 2000);
  auto dead = jobs("?state=dead")[0].as_object();
  EXPECT_EQ(dead.at("attempts").as_int64(), 4);
  EXPECT_NE(str(dead.at("last_error")).find("Gave up after 4 attempts: Telegram had a server error (500)"), std::string::npos)
      << str(dead.at("last_error"));
}

TEST_F(MessagingTest, PermanentErrorsAndTimeouts) {
  std::string id = connect_telegram();
  fake.script("telegram", {FakeOutcome{FakeKind::forbidden}});
  deliver_telegram(id, telegram_update(20, "opening hours"), telegram_secret);
  run();
  // Telegram's 403 on a send is about the chat (a bad token is 401 there): the person blocked the
  // bot. Retrying cannot help, so the job stops after one attempt, as a recipient error; the
  // account is not blamed.
  auto dead = jobs()[0].as_object();
  EXPECT_EQ(str(dead.at("state")), "dead") << "a blocked bot cannot be fixed by retrying";
  EXPECT_EQ(dead.at("attempts").as_int64(), 1);
  EXPECT_EQ(str(dead.at("reason_kind")), "recipient");
  EXPECT_NE(str(dead.at("last_error")).find("The recipient blocked the bot (Telegram 403"), std::string::npos)
      << str(dead.at("last_error"));
  EXPECT_EQ(str(dead.at("last_error")).find("bot token"), std::string::npos) << str(dead.at("last_error"));
  EXPECT_EQ(str(owner.get("/api/integrations/" + id).json().at("status")), "connected");
  auto detail = owner.get("/api/jobs/" + str(dead.at("id")));
  ASSERT_EQ(detail.status, 200);
  EXPECT_NE(detail.body.find("recipient_unreachable"), std::string::npos) << "its log names the outcome";

  // A token Telegram refuses (401) is a credential error: dead at once too, with its own kind.
  fake.script("telegram", {FakeOutcome{FakeKind::unauthorized}});
  deliver_telegram(id, telegram_update(22, "opening hours"), telegram_secret);
  run();
  auto rejected = jobs("?reason_kind=credentials");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].at("attempts").as_int64(), 1);
  EXPECT_NE(str(rejected[0].at("last_error")).find("Telegram rejected the bot token (401)"), std::string::npos);
  auto recipients = jobs("?reason_kind=recipient");
  ASSERT_EQ(recipients.size(), 1u);
  EXPECT_EQ(str(recipients[0].at("id")), str(dead.at("id")));
  EXPECT_EQ(owner.get("/api/jobs?reason_kind=bogus").status, 422);

  // The export carries the kind as its last column.
  auto csv = owner.get("/api/jobs/export?format=csv&state=dead");
  ASSERT_EQ(csv.status, 200);
  std::string header = csv.body.substr(0, csv.body.find('\n'));
  EXPECT_TRUE(header.ends_with(",error,reason_kind")) << header;
  EXPECT_NE(csv.body.find("blocked the bot"), std::string::npos);
  EXPECT_NE(csv.body.find(",recipient\n"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find(",credentials\n"), std::string::npos) << csv.body;

  // Retried by a person, the job may succeed now: its kind is gone.
  fake.script("telegram", {FakeOutcome{FakeKind::ok}});
  ASSERT_EQ(owner.post("/api/jobs/" + str(dead.at("id")) + "/retry", json::object{}).status, 200);
  EXPECT_TRUE(job(str(dead.at("id"))).at("reason_kind").is_null());
  run();
  EXPECT_EQ(str(job(str(dead.at("id"))).at("state")), "succeeded");

  fake.script("telegram", {FakeOutcome{FakeKind::timeout, 0, 1500}, FakeOutcome{FakeKind::ok}});
  deliver_telegram(id, telegram_update(21, "opening hours"), telegram_secret);
  run();
  auto slow = jobs("?state=failed")[0].as_object();
  EXPECT_NE(str(slow.at("last_error")).find("did not answer within 0.3 s"), std::string::npos);
  test_clock.advance(60000);
  run();
  EXPECT_EQ(str(job(str(slow.at("id"))).at("state")), "succeeded");
}

TEST_F(MessagingTest, AJobOfAWorkerThatDiedIsRetriedOnceAndAnsweredOnce) {
  std::string id = connect_telegram();
  deliver_telegram(id, telegram_update(30, "opening hours"), telegram_secret);
  {
    // A worker claims the job and dies before sending.
    auto conn = app->database().acquire();
    auto claimed = jobs::store::claim_batch(*conn, "ghost/0", test_clock.now_ms(), 60000, 1);
    ASSERT_EQ(claimed.size(), 1u);
  }
  EXPECT_EQ(run(), 0u) << "a leased job is not run twice";
  EXPECT_EQ(app->job_runner().rescue_expired(), 0u) << "the lease still holds";
  test_clock.advance(60001);
  EXPECT_EQ(app->job_runner().rescue_expired(), 1u);
  EXPECT_EQ(run(), 1u);
  EXPECT_EQ(fake.sent().size(), 1u);
  auto j = job(str(jobs()[0].at("id")));
  EXPECT_EQ(str(j.at("state")), "succeeded");
  bool rescued = false;
  for (const auto& l : j.at("logs").as_array()) rescued = rescued || str(l.at("outcome")) == "lease_expired";
  EXPECT_TRUE(rescued);
}

// A worker that the platform answered and that died before its commit: its journal file holds
// the platform's answer; the next recovery records the job as sent, and nothing sends it again.
TEST_F(MessagingTest, AReplySentByAWorkerThatDiedBeforeItsCommitIsRecordedNotResent) {
  std::string id = connect_telegram();
  deliver_telegram(id, telegram_update(40, "opening hours"), telegram_secret);
  deliver_telegram(id, telegram_update(41, "opening hours", 4343), telegram_secret);
  std::filesystem::path journals = std::filesystem::path(config.data_dir) / "sent-journal";
  std::vector<jobs::store::Claimed> claimed;
  {
    auto conn = app->database().acquire();
    claimed = jobs::store::claim_batch(*conn, "ghost/0", test_clock.now_ms(), 60000, 2);
    ASSERT_EQ(claimed.size(), 2u);
    for (auto& c : claimed) {
      c.job.reply_text = "We are open 9 to 5, Grace.";
      ASSERT_TRUE(jobs::store::update_leased(*conn, c.job, "ghost/0"));
    }
  }
  {
    // The dead worker's journal: the platform accepted the first reply as message 777.
    jobs::SentJournal dead(journals, "ghost/0");
    dead.record({claimed[0].job.id, "ghost/0", "777", test_clock.now_ms(), 200, 12});
  }
  // A live worker's journal is left alone.
  jobs::SentJournal live(journals, "alive/0");
  live.record({claimed[1].job.id, "alive/0", "778", test_clock.now_ms(), 200, 12});
  EXPECT_EQ(app->job_runner().recover_sent(), 1u);
  EXPECT_EQ(app->job_runner().recover_sent(), 0u) << "a recovered journal is gone";

  auto first = job(claimed[0].job.id);
  EXPECT_EQ(str(first.at("state")), "succeeded");
  EXPECT_EQ(str(first.at("platform_message_id")), "777");
  std::vector<std::string> outcomes;
  for (const auto& l : first.at("logs").as_array()) outcomes.push_back(str(l.at("outcome")));
  EXPECT_EQ(outcomes.back(), "recovered");
  EXPECT_EQ(str(job(claimed[1].job.id).at("state")), "processing") << "its worker may still record it";

  // After the lease, only the job whose worker left no answer is sent again.
  test_clock.advance(60001);
  EXPECT_EQ(app->job_runner().rescue_expired(), 1u);
  EXPECT_EQ(run(), 1u);
  auto sent = fake.sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].recipient, "4343");
  EXPECT_EQ(str(job(claimed[0].job.id).at("state")), "succeeded");

  // A journal whose worker died after its commit: nothing is left to record, and none is counted.
  {
    jobs::SentJournal late(journals, "late/0");
    late.record({claimed[0].job.id, "late/0", "777", test_clock.now_ms(), 200, 12});
  }
  EXPECT_EQ(app->job_runner().recover_sent(), 0u);
  EXPECT_FALSE(std::filesystem::exists(journals / "late_0.log")) << "the journal is removed all the same";
}

// Many waiting jobs are claimed in batches, oldest first, and each is answered exactly once.
TEST_F(MessagingTest, ABacklogIsAnsweredInBatchesOnceEach) {
  std::string id = connect_telegram();
  ASSERT_EQ(owner.send("PUT", "/api/integrations/" + id + "/rate-limits", R"({"per_second":1000,"per_chat_per_minute":60})")
                .status,
            200);
  for (int i = 0; i < 75; ++i) {
    auto r = deliver_telegram(id, telegram_update(1000 + i, "opening hours", 9000 + i), telegram_secret);
    ASSERT_EQ(r.status, 200) << r.body;
    test_clock.advance(1);
  }
  EXPECT_EQ(app->job_runner().run_batch("batch/0", nullptr), 32u) << "one batch at most";
  auto sent = fake.sent();
  ASSERT_EQ(sent.size(), 32u);
  std::set<std::string> first;
  for (const auto& m : sent) first.insert(m.recipient);
  for (int i = 0; i < 32; ++i) EXPECT_TRUE(first.count(std::to_string(9000 + i))) << "oldest first: " << 9000 + i;
  EXPECT_EQ(run(), 43u);
  sent = fake.sent();
  ASSERT_EQ(sent.size(), 75u);
  std::set<std::string> chats;
  for (const auto& m : sent) chats.insert(m.recipient);
  EXPECT_EQ(chats.size(), 75u) << "no chat answered twice";
  EXPECT_EQ(jobs("?state=succeeded&limit=100").size(), 75u);
  auto conn = app->database().acquire();
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM messages")->integer("n"), 150)
      << "both sides of every exchange are in the conversations";
}

// Workers claiming at the same moment, each on its own connection, never get the same job.
TEST_F(MessagingTest, WorkersClaimingAtOnceNeverShareAJob) {
  std::string id = connect_telegram();
  for (int i = 0; i < 40; ++i)
    ASSERT_EQ(deliver_telegram(id, telegram_update(2000 + i, "opening hours", 7000 + i), telegram_secret).status, 200);
  constexpr int kWorkers = 6;
  std::vector<std::vector<std::string>> got(kWorkers);
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w)
    workers.emplace_back([&, w] {
      try {
        for (;;) {
          auto conn = app->database().acquire();
          auto claimed = jobs::store::claim_batch(*conn, "w/" + std::to_string(w), test_clock.now_ms(), 60000, 3);
          if (claimed.empty()) return;
          for (const auto& c : claimed) got[w].push_back(c.job.id);
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  for (auto& t : workers) t.join();
  std::multiset<std::string> all;
  for (const auto& g : got) all.insert(g.begin(), g.end());
  EXPECT_EQ(all.size(), 40u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 40u) << "a job claimed twice";
  EXPECT_EQ(jobs("?state=processing&limit=100").size(), 40u);
}

// Replies to different chats go out side by side; replies to one chat keep the order of its messages.
TEST_F(MessagingTest, RepliesToOneChatKeepTheirOrder) {
  std::string id = connect_telegram();
  for (int i = 0; i < 12; ++i) {
    std::int64_t chat = i % 3 == 0 ? 5000 : 6000 + i;
    ASSERT_EQ(deliver_telegram(id, telegram_update(2000 + i, "opening hours #" + std::to_string(i), chat),
                               telegram_secret).status,
              200);
    test_clock.advance(1);
  }
  EXPECT_EQ(run(), 12u);
  auto sent = fake.sent();
  ASSERT_EQ(sent.size(), 12u);
  std::vector<std::string> to_5000;
  for (const auto& m : sent)
    if (m.recipient == "5000") to_5000.push_back(m.platform_message_id);
  ASSERT_EQ(to_5000.size(), 4u);
  // The fake numbers messages as it receives them: one chat's replies arrive in the order sent.
  EXPECT_TRUE(std::is_sorted(to_5000.begin(), to_5000.end(),
                             [](const std::string& a, const std::string& b) { return std::stoll(a) < std::stoll(b); }));
  std::vector<std::string> by_update;
  for (int i = 0; i < 12; i += 3) {
    auto found = jobs("?q=" + std::to_string(2000 + i));
    ASSERT_EQ(found.size(), 1u);
    by_update.push_back(str(found[0].at("platform_message_id")));
  }
  EXPECT_EQ(by_update, to_5000) << "the first message's reply went first";
}

TEST_F(MessagingTest, OperatorsRetryCancelExportAndSimulate) {
  std::string id = connect_telegram();
  fake.script("telegram", {FakeOutcome{FakeKind::forbidden}});
  deliver_telegram(id, telegram_update(40, "opening hours"), telegram_secret);
  deliver_telegram(id, telegram_update(41, "opening hours", 5151), telegram_secret);
  run();
  fake.reset();
  auto dead = jobs("?state=dead");
  ASSERT_EQ(dead.size(), 2u);
  std::string first = str(dead[0].at("id"));
  EXPECT_EQ(owner.post("/api/jobs/" + first + "/cancel", json::object{}).status, 409) << "a dead job cannot be cancelled";
  auto retried = owner.post("/api/jobs/" + first + "/retry", json::object{});
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(str(retried.json().at("state")), "queued");
  EXPECT_EQ(owner.post("/api/jobs/" + first + "/retry", json::object{}).status, 409);
  auto cancelled = owner.post("/api/jobs/" + first + "/cancel", json::object{});
  EXPECT_EQ(str(cancelled.json().at("state")), "cancelled");
  auto bulk = owner.post("/api/jobs/retry", {{"state", "dead,cancelled"}});
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(bulk.json().at("count").as_int64(), 2);
  EXPECT_EQ(owner.post("/api/jobs/retry", {{"state", "succeeded"}}).status, 422);
  EXPECT_EQ(run(), 2u);
  EXPECT_EQ(jobs("?state=succeeded").size(), 2u);
  EXPECT_EQ(fake.sent().size(), 2u);

  // Search and filters.
  EXPECT_EQ(jobs("?q=5151").size(), 1u) << "by external user id";
  EXPECT_EQ(jobs("?platform=slack").size(), 0u);
  EXPECT_EQ(jobs("?integration_id=" + id).size(), 2u);
  EXPECT_EQ(jobs("?bot_id=" + bot_id + "&limit=1").size(), 1u);
  auto page = owner.get("/api/jobs?limit=1").json();
  EXPECT_EQ(page.at("total").as_int64(), 2);
  auto rest = owner.get("/api/jobs?limit=1&cursor=" + str(page.at("next_cursor"))).json();
  EXPECT_NE(str(rest.at("items").at(0).at("id")), str(page.at("items").at(0).at("id")));
  EXPECT_TRUE(rest.at("next_cursor").is_null());
  EXPECT_EQ(owner.get("/api/jobs?state=lost").status, 422);
  EXPECT_EQ(owner.get("/api/jobs?from=yesterday").status, 422);

  // Events, statistics, export.
  auto detail = job(first);
  auto event = owner.get("/api/webhook-events/" + str(detail.at("event_id")));
  ASSERT_EQ(event.status, 200);
  EXPECT_EQ(str(event.json().at("idempotency_key")), str(detail.at("external_message_id")));
  EXPECT_EQ(str(event.json().at("kind")), "message");
  auto stats = owner.get("/api/jobs/stats").json();
  EXPECT_EQ(stats.at("counts").at("succeeded").as_int64(), 2);
  EXPECT_EQ(stats.at("last_hour").at("received").as_int64(), 2);
  EXPECT_FALSE(stats.at("last_hour").at("p95_ms").is_null());
  auto jsonl = owner.get("/api/jobs/export?format=jsonl");
  ASSERT_EQ(jsonl.status, 200);
  EXPECT_EQ(std::count(jsonl.body.begin(), jsonl.body.end(), '\n'), 2);
  EXPECT_EQ(jsonl.body.find("AAHmessaging"), std::string::npos) << "no credential in an export";
  auto csv = owner.get("/api/jobs/export?format=csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("job_id,state,platform", 0), 0u);
  EXPECT_EQ(csv.header("content-type").rfind("text/csv", 0), 0u);
  EXPECT_EQ(owner.get("/api/jobs/export?format=xml").status, 422);

  // The simulator sends a signed delivery through the real endpoint.
  auto sim = owner.post("/api/integrations/" + id + "/simulate", {{"text", "opening hours?"}, {"external_user_id", "31337"}});
  ASSERT_EQ(sim.status, 202) << sim.body;
  std::string sim_job = str(sim.json().at("job_id"));
  EXPECT_EQ(str(job(sim_job).at("state")), "queued");
  run();
  EXPECT_EQ(str(job(sim_job).at("state")), "succeeded");
  EXPECT_EQ(fake.sent().back().recipient, "31337");
  EXPECT_EQ(owner.post("/api/integrations/" + id + "/simulate", {{"text", ""}}).status, 422);

  // Another organisation sees none of it.
  Agent stranger = agent();
  stranger.signup(unique_email("stranger"));
  EXPECT_EQ(stranger.get("/api/jobs/" + first).status, 404);
  EXPECT_EQ(stranger.post("/api/jobs/" + first + "/retry", json::object{}).status, 404);
  EXPECT_EQ(stranger.get("/api/webhook-events/" + str(detail.at("event_id"))).status, 404);
  EXPECT_EQ(stranger.get("/api/jobs").json().at("total").as_int64(), 0);
}

TEST_F(MessagingTest, AThrottledReplyWaitsItsTurnInsteadOfFailing) {
  std::string id = connect_telegram();
  auto limits = owner.get("/api/integrations/" + id + "/rate-limits").json();
  EXPECT_EQ(limits.at("per_second").as_int64(), 30);
  EXPECT_EQ(limits.at("per_chat_per_minute").as_int64(), 60);
  EXPECT_EQ(limits.at("bounds").at("per_second").at("max").as_int64(), 1000);
  EXPECT_FALSE(limits.at("customised").as_bool());
  EXPECT_EQ(owner.send("PUT", "/api/integrations/" + id + "/rate-limits", R"({"per_second":5000,"per_chat_per_minute":1})").status, 422);
  EXPECT_EQ(owner.send("PUT", "/api/integrations/" + id + "/rate-limits", R"({"per_second":"fast"})").status, 422);
  auto set = owner.send("PUT", "/api/integrations/" + id + "/rate-limits", R"({"per_second":10,"per_chat_per_minute":1})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_TRUE(set.json().at("customised").as_bool());

  deliver_telegram(id, telegram_update(60, "opening hours", 99), telegram_secret);
  deliver_telegram(id, telegram_update(61, "opening hours", 99), telegram_secret);
  deliver_telegram(id, telegram_update(62, "opening hours", 98), telegram_secret);
  run();
  EXPECT_EQ(fake.sent().size(), 2u) << "one to chat 99 this minute, one to chat 98";
  auto waiting = jobs("?state=queued");
  ASSERT_EQ(waiting.size(), 1u) << "throttled, not failed";
  EXPECT_EQ(waiting[0].at("attempts").as_int64(), 0);
  test_clock.advance(60000);
  run();
  EXPECT_EQ(fake.sent().size(), 3u);
  EXPECT_EQ(owner.send("DELETE", "/api/integrations/" + id + "/rate-limits").status, 204);
  EXPECT_FALSE(owner.get("/api/integrations/" + id + "/rate-limits").json().at("customised").as_bool());
}

class MessagingBackPressureTest : public MessagingTest {
  void configure_more(Config& c) override { c.queue_bound = 2; }
};

TEST_F(MessagingBackPressureTest, AFullQueueAnswers503WithRetryAfter) {
  std::string id = connect_telegram();
  EXPECT_EQ(deliver_telegram(id, telegram_update(1, "a"), telegram_secret).status, 200);
  EXPECT_EQ(deliver_telegram(id, telegram_update(2, "b"), telegram_secret).status, 200);
  auto busy = deliver_telegram(id, telegram_update(3, "c"), telegram_secret);
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.header("retry-after"), "30");
  EXPECT_EQ(count("webhook_events"), 2);
  run();
  app->job_runner().rescue_expired();
  // Once the workers catch up, the platform's redelivery goes through.
  auto conn_depth = [&] {
    auto conn = app->database().acquire();
    return jobs::store::pending_count(*conn);
  };
  EXPECT_EQ(conn_depth(), 0);
}

}  // namespace
}  // namespace sb::test
