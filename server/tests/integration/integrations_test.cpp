// Integrations against a fake of every platform API: connect, verify and each failure, test messages,
// Telegram webhook registration, handshakes, permissions, sealed storage, secrets kept out of every
// answer and log line, master key rotation, and ids that try to leave their place in a URL.
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.hpp"
#include "core/logging.hpp"
#include "core/master_key.hpp"
#include "fakes/fake_platforms.hpp"
#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

// Valid-looking credentials for every platform. Each value is distinct, so finding any of them
// in an answer or a log line means a secret leaked.
const std::map<std::string, json::object>& sample_credentials() {
  static const std::map<std::string, json::object> c = {
      {"telegram", {{"bot_token", "7654321098:AAHcanaryTelegramBotToken0123456789ab"}}},
      {"whatsapp",
       {{"access_token", "EAAGcanaryWhatsAppAccessToken0123456789"},
        {"phone_number_id", "982340000011122"},
        {"app_secret", "c0ffee00c0ffee00c0ffee00c0ffee01"},
        {"verify_token", "canary-wa-verify-token"}}},
      {"messenger",
       {{"page_access_token", "EAAGcanaryMessengerPageToken0123456789"},
        {"page_id", "871230000099988"},
        {"app_secret", "c0ffee00c0ffee00c0ffee00c0ffee02"},
        {"verify_token", "canary-ms-verify-token"}}},
      {"slack", {{"bot_token", "xoxb-canary-slack-bot-token-0123"}, {"signing_secret", "c0ffee00c0ffee00c0ffee00c0ffee03"}}},
      {"discord",
       {{"application_id", "112233445566778899"},
        {"public_key", "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"},
        {"bot_token", "MTIzcanaryDiscordBotToken.abcdefghijklmnopqrstuvwxyz0123456789"}}},
      {"twilio",
       {{"account_sid", "AC0123456789abcdef0123456789abcdef"},
        {"auth_token", "c0ffee00c0ffee00c0ffee00c0ffee04"},
        {"from_number", "+15557770123"}}},
  };
  return c;
}

// A recipient of each platform's own shape, for test messages.
const std::map<std::string, std::string>& sample_recipients() {
  static const std::map<std::string, std::string> r = {
      {"telegram", "123456789"},    {"whatsapp", "15551234567"},        {"messenger", "7000000000001"},
      {"slack", "C0123456789"},     {"discord", "998877665544332211"},  {"twilio", "+15551234567"}};
  return r;
}

// `good` turned into values that try to leave their place in a URL or a request: traversal, encoded
// traversal, a query, a fragment, another segment, a space, header injection (CRLF), encoded
// variants, backslashes, NUL. None starts or ends with whitespace, which the API trims.
std::vector<std::string> hostile(const std::string& good) {
  std::string head = good.substr(0, good.size() / 2), tail = good.substr(good.size() / 2);
  return {"../../../applications/@me/x?y=1#", "../" + good,          good + "/../../x",      "%2e%2e/" + good,
          "%2E%2E%2F" + good,                 good + "%2F..%2Fx",    good + "?y=1",          good + "#x",
          good + "/x",                        "/" + good,            head + " " + tail,      head + "\r\nX-Injected: 1\r\n" + tail,
          good + "%0d%0a",                    good + "%3Fy%3D1",     good + "%23",           "..",
          ".",                                "..%2f",               good + "\\..\\x",    head + "%00" + tail,
          head + std::string(1, '\0') + tail, good + "\xc3\xa9"};
}

// The values that must never come back: every credential field, ids included.
std::vector<std::string> secrets() {
  std::vector<std::string> out;
  for (const auto& [platform, creds] : sample_credentials())
    for (const auto& kv : creds) out.emplace_back(kv.value().as_string());
  return out;
}

class IntegrationsTest : public ServerTest {
 protected:
  void configure(Config& c) override {
    c.public_base_url = "https://switchboard.example.com";
    c.telegram_api_base = fake.base_url("telegram");
    c.graph_api_base = fake.base_url("graph");
    c.slack_api_base = fake.base_url("slack");
    c.discord_api_base = fake.base_url("discord");
    c.twilio_api_base = fake.base_url("twilio");
    c.platform_timeout_ms = 400;
  }
  void SetUp() override {
    ServerTest::SetUp();
    fake.set_discord_application_id("112233445566778899");
    owner = agent();
    owner.signup(unique_email("owner"));
  }
  json::object connect(Agent& who, const std::string& platform, const std::string& name = "") {
    auto r = who.post("/api/integrations", {{"platform", platform},
                                            {"name", name.empty() ? platform + " account" : name},
                                            {"credentials", sample_credentials().at(platform)}});
    EXPECT_EQ(r.status, 201) << r.body;
    captured += r.body;
    return r.status == 201 ? r.json().as_object() : json::object{};
  }
  json::object verify(const std::string& id) {
    auto r = owner.post("/api/integrations/" + id + "/verify", json::object{});
    EXPECT_EQ(r.status, 200) << r.body;
    captured += r.body;
    return r.status == 200 ? r.json().as_object() : json::object{};
  }
  static std::string str(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }

  FakePlatforms fake;
  Agent owner{""};
  std::string captured;  // every answer body seen, searched for secrets
};

TEST_F(IntegrationsTest, EveryPlatformConnectsAndVerifies) {
  std::map<std::string, std::string> expected_account = {
      {"telegram", "@switchboard_test_bot"}, {"slack", "Switchboard Test (@switchboard)"}, {"discord", "Switchboard Test App"},
      {"twilio", "Switchboard Test"}, {"whatsapp", "Switchboard Test (+1 555 0100)"}, {"messenger", "Switchboard Test Page"}};
  for (const auto& [platform, creds] : sample_credentials()) {
    auto created = connect(owner, platform);
    ASSERT_FALSE(created.empty()) << platform;
    EXPECT_EQ(str(created.at("status")), "unverified");
    EXPECT_EQ(str(created.at("webhook_url")), "https://switchboard.example.com/hooks/" + platform + "/" + str(created.at("id")));
    for (const auto& kv : creds) {
      const auto& shown = created.at("credentials").at(kv.key()).as_object();
      EXPECT_TRUE(shown.at("set").as_bool()) << platform << "." << kv.key();
      std::string value(kv.value().as_string());
      if (value.size() >= 12) EXPECT_EQ(str(shown.at("hint")), "…" + value.substr(value.size() - 4));
    }
    auto verified = verify(str(created.at("id")));
    EXPECT_EQ(str(verified.at("status")), "connected") << platform << ": " << json::serialize(verified);
    EXPECT_FALSE(verified.at("checked_at").is_null());
    if (expected_account.count(platform)) EXPECT_EQ(str(verified.at("account")), expected_account[platform]);
  }
  // The platforms saw the credentials the way each API expects them.
  std::map<std::string, std::string> auth;
  for (const auto& r : fake.requests()) auth[r.service] = r.service == "telegram" ? r.path : r.authorization;
  EXPECT_EQ(auth["telegram"], "/bot7654321098:AAHcanaryTelegramBotToken0123456789ab/getMe");
  EXPECT_EQ(auth["slack"], "Bearer xoxb-canary-slack-bot-token-0123");
  EXPECT_EQ(auth["discord"], "Bot MTIzcanaryDiscordBotToken.abcdefghijklmnopqrstuvwxyz0123456789");
  EXPECT_EQ(auth["twilio"], "Basic " + crypto::base64_encode("AC0123456789abcdef0123456789abcdef:c0ffee00c0ffee00c0ffee00c0ffee04"));
  EXPECT_EQ(auth["graph"].rfind("Bearer EAAGcanary", 0), 0u);

  auto list = owner.get("/api/integrations");
  captured += list.body;
  EXPECT_EQ(list.json().at("items").as_array().size(), 6u);
  auto telegram_only = owner.get("/api/integrations?platform=telegram").json();
  EXPECT_EQ(telegram_only.at("items").as_array().size(), 1u);
  for (const auto& s : secrets()) EXPECT_EQ(captured.find(s), std::string::npos) << "leaked " << s;
}

TEST_F(IntegrationsTest, EachVerifyFailureIsStoredInWords) {
  std::string id = str(connect(owner, "telegram").at("id"));
  struct Case {
    FakeKind kind;
    std::string status;
    std::string reason;
  };
  std::vector<Case> cases = {
      {FakeKind::unauthorized, "invalid", "Telegram rejected the bot token (401)"},
      {FakeKind::forbidden, "invalid", "Telegram rejected the bot token (403)"},
      {FakeKind::rate_limited, "needs_attention", "Telegram is limiting requests (429); try again in 7 s."},
      {FakeKind::server_error, "needs_attention", "Telegram had a server error (500)"},
      {FakeKind::timeout, "needs_attention", "Telegram did not answer within 0.4 s."},
      {FakeKind::malformed, "needs_attention", "Telegram answered with something that is not JSON"},
      {FakeKind::ok, "connected", "Telegram knows this bot as @switchboard_test_bot."},
  };
  for (const auto& c : cases) {
    fake.script("telegram", {FakeOutcome{c.kind, 7, c.kind == FakeKind::timeout ? 1500 : 0}});
    auto v = verify(id);
    EXPECT_EQ(str(v.at("status")), c.status) << c.reason;
    EXPECT_NE(str(v.at("status_reason")).find(c.reason), std::string::npos) << str(v.at("status_reason"));
    // The stored result is what everyone sees afterwards.
    EXPECT_EQ(str(owner.get("/api/integrations/" + id).json().at("status")), c.status);
  }

  // Other platforms speak their own error languages.
  std::string wa = str(connect(owner, "whatsapp").at("id"));
  EXPECT_EQ(str(verify(wa).at("account")), "Switchboard Test (+1 555 0100)");
  fake.script("graph", {FakeOutcome{FakeKind::unauthorized}});
  auto graph = verify(wa);
  EXPECT_EQ(str(graph.at("status")), "invalid");
  EXPECT_TRUE(graph.at("account").is_null()) << "a refused token reaches no account";
  EXPECT_NE(str(graph.at("status_reason")).find("WhatsApp rejected the access token: it is invalid or has expired"),
            std::string::npos)
      << str(graph.at("status_reason"));
  std::string slack = str(connect(owner, "slack").at("id"));
  fake.script("slack", {FakeOutcome{FakeKind::unauthorized}});
  auto s = verify(slack);
  EXPECT_EQ(str(s.at("status")), "invalid");
  EXPECT_EQ(str(s.at("status_reason")), "Slack rejected the bot token (invalid_auth).");
  std::string twilio = str(connect(owner, "twilio").at("id"));
  fake.script("twilio", {FakeOutcome{FakeKind::rate_limited, 2}});
  auto t = verify(twilio);
  EXPECT_EQ(str(t.at("status")), "needs_attention");
  std::string discord = str(connect(owner, "discord").at("id"));
  fake.set_discord_application_id("999999999999999999");
  auto d = verify(discord);
  EXPECT_EQ(str(d.at("status")), "invalid");
  EXPECT_NE(str(d.at("status_reason")).find("belongs to another Discord application"), std::string::npos);
  for (const auto& secret : secrets()) EXPECT_EQ(captured.find(secret), std::string::npos) << "leaked " << secret;
}

TEST_F(IntegrationsTest, BadCredentialsAreRefusedFieldByFieldAndNothingIsStored) {
  auto r = owner.post("/api/integrations",
                      {{"platform", "telegram"}, {"name", "Shop"}, {"credentials", {{"bot_token", "hello"}, {"colour", "red"}}}});
  EXPECT_EQ(r.status, 422);
  auto fields = r.json().at("error").at("details").at("fields").as_object();
  EXPECT_NE(str(fields.at("credentials.bot_token")).find("123456789:AAE"), std::string::npos);
  EXPECT_TRUE(fields.contains("credentials.colour"));
  EXPECT_EQ(r.body.find("hello"), std::string::npos) << "the rejected value is not echoed";

  r = owner.post("/api/integrations", {{"platform", "whatsapp"}, {"name", "WA"},
                                       {"credentials", {{"access_token", "EAAG0123456789012345678901"},
                                                        {"phone_number_id", "+1 555 0100"}}}});
  EXPECT_EQ(r.status, 422);
  fields = r.json().at("error").at("details").at("fields").as_object();
  EXPECT_TRUE(fields.contains("credentials.phone_number_id"));
  EXPECT_TRUE(fields.contains("credentials.app_secret")) << "required fields are named";
  EXPECT_TRUE(fields.contains("credentials.verify_token"));

  r = owner.post("/api/integrations", {{"platform", "slack"}, {"name", "Slack"},
                                       {"credentials", {{"bot_token", "xoxb-0123456789"}, {"signing_secret", "abc"}}}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("32 hexadecimal"), std::string::npos);
  r = owner.post("/api/integrations", {{"platform", "icq"}, {"name", "Old"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(r.json().at("error").at("details").at("fields").as_object().contains("platform"));
  r = owner.post("/api/integrations", {{"platform", "telegram"}, {"name", ""}, {"credentials", sample_credentials().at("telegram")}});
  EXPECT_EQ(r.status, 422);
  r = owner.post("/api/integrations", {{"platform", "telegram"}, {"name", "X"}, {"credentials", {{"bot_token", 42}}}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(owner.send("POST", "/api/integrations", "{not json").status, 400);
  EXPECT_EQ(owner.get("/api/integrations").json().at("items").as_array().size(), 0u);

  connect(owner, "telegram", "Shop");
  r = owner.post("/api/integrations", {{"platform", "telegram"}, {"name", "Shop"}, {"credentials", sample_credentials().at("telegram")}});
  EXPECT_EQ(r.status, 409);
}

TEST_F(IntegrationsTest, EditingKeepsBlankFieldsAndResetsTheStatus) {
  auto created = connect(owner, "slack");
  std::string id = str(created.at("id"));
  EXPECT_EQ(str(verify(id).at("status")), "connected");
  // A rename alone keeps the verified state.
  auto renamed = owner.patch("/api/integrations/" + id, {{"name", "Workspace"}, {"credentials", {{"bot_token", ""}}}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(str(renamed.json().at("status")), "connected");
  EXPECT_EQ(str(renamed.json().at("name")), "Workspace");
  // A new token: unverified, its hint changes, the untouched secret stays.
  auto edited = owner.patch("/api/integrations/" + id,
                            {{"credentials", {{"bot_token", "xoxb-replacement-token-9876"}, {"signing_secret", nullptr}}}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(str(edited.json().at("status")), "unverified");
  EXPECT_EQ(str(edited.json().at("credentials").at("bot_token").at("hint")), "…9876");
  EXPECT_EQ(str(edited.json().at("credentials").at("signing_secret").at("hint")), "…ee03");
  verify(id);
  EXPECT_EQ(fake.requests().back().authorization, "Bearer xoxb-replacement-token-9876");
  EXPECT_EQ(owner.patch("/api/integrations/" + id, {{"credentials", {{"signing_secret", "short"}}}}).status, 422);
  EXPECT_EQ(str(owner.get("/api/integrations/" + id).json().at("credentials").at("signing_secret").at("hint")), "…ee03");

  // The audit trail names what changed, never the values.
  auto audit = owner.get("/api/orgs/" + str(owner.get("/api/auth/session").json().at("organization").at("id")) + "/audit");
  EXPECT_EQ(audit.status, 200) << audit.body;
  EXPECT_NE(audit.body.find("integration.updated"), std::string::npos);
  EXPECT_NE(audit.body.find("bot_token"), std::string::npos);
  EXPECT_EQ(audit.body.find("xoxb-replacement"), std::string::npos);
  EXPECT_EQ(audit.body.find("xoxb-canary"), std::string::npos);
}

// A platform that will not deliver to one person (blocked the bot, reply window closed, opted
// out, chat gone) is told apart from one that refuses the credentials, on every platform: the
// wording says what happened and the account stays connected.
TEST_F(IntegrationsTest, RecipientErrorsAreNotCredentialErrorsOnAnyPlatform) {
  struct Case {
    std::string platform, service, blocked, not_found;
  };
  const std::vector<Case> cases = {
      {"telegram", "telegram", "The recipient blocked the bot (Telegram 403: Forbidden: bot was blocked by the user)",
       "The chat was not found (Telegram 400"},
      {"whatsapp", "graph", "The 24-hour window to reply to this person has closed", ""},
      {"messenger", "graph", "This person is not available on Messenger right now (Messenger 400: code 551",
       "No one on Messenger matches this id"},
      {"slack", "slack", "The Slack channel is archived (Slack: is_archived)", "The Slack channel was not found"},
      {"discord", "discord", "Discord does not let the bot message this user", "The Discord channel no longer exists"},
      {"twilio", "twilio", "The recipient has opted out of messages from this number (replied STOP)",
       "This is not a valid phone number"},
  };
  std::string captured;
  for (const auto& c : cases) {
    std::string id = str(connect(owner, c.platform).at("id"));
    ASSERT_EQ(str(verify(id).at("status")), "connected") << c.platform;
    for (auto kind : {FakeKind::blocked, FakeKind::invalid_recipient}) {
      const std::string& expected = kind == FakeKind::blocked ? c.blocked : c.not_found;
      if (expected.empty()) continue;  // WhatsApp's "invalid parameter" is a malformed number, not a person
      fake.script(c.service, {FakeOutcome{kind}});
      auto r = owner.post("/api/integrations/" + id + "/test-message",
                          {{"recipient", sample_recipients().at(c.platform)}, {"text", "Hi"}});
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_FALSE(r.json().at("ok").as_bool()) << c.platform;
      std::string message = str(r.json().at("message"));
      EXPECT_NE(message.find(expected), std::string::npos) << c.platform << ": " << message;
      EXPECT_NE(message.find("Retrying cannot help; the account itself is fine."), std::string::npos) << message;
      EXPECT_EQ(message.find("rejected"), std::string::npos) << "not a credential error: " << message;
      captured += r.body;
    }
    fake.script(c.service, {FakeOutcome{FakeKind::ok}});
    auto after = owner.get("/api/integrations/" + id);
    ASSERT_EQ(after.status, 200);
    EXPECT_EQ(str(after.json().at("status")), "connected") << c.platform << " stays connected";
  }
  // A token the platform refuses is still a credential error, in its own words.
  std::string tg = str(connect(owner, "telegram", "Second bot").at("id"));
  fake.script("telegram", {FakeOutcome{FakeKind::unauthorized}});
  auto rejected = owner.post("/api/integrations/" + tg + "/test-message", {{"recipient", "42"}, {"text", "Hi"}});
  EXPECT_NE(str(rejected.json().at("message")).find("Telegram rejected the bot token (401)"), std::string::npos)
      << rejected.body;
  for (const auto& s : secrets()) EXPECT_EQ(captured.find(s), std::string::npos) << "leaked " << s;
}

TEST_F(IntegrationsTest, TestMessagesGoThroughTheRealSendPath) {
  std::string tg = str(connect(owner, "telegram").at("id"));
  auto sent = owner.post("/api/integrations/" + tg + "/test-message", {{"recipient", "123456789"}, {"text", "Hello from Switchboard"}});
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_TRUE(sent.json().at("ok").as_bool());
  EXPECT_FALSE(sent.json().at("platform_message_id").is_null());
  EXPECT_NE(str(sent.json().at("message")).find("Telegram accepted the message"), std::string::npos);
  auto delivered = fake.sent();
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].recipient, "123456789");
  EXPECT_EQ(delivered[0].text, "Hello from Switchboard");

  fake.script("telegram", {FakeOutcome{FakeKind::invalid_recipient}});
  auto refused = owner.post("/api/integrations/" + tg + "/test-message", {{"recipient", "42"}, {"text", "Hi"}});
  ASSERT_EQ(refused.status, 200);
  EXPECT_FALSE(refused.json().at("ok").as_bool());
  EXPECT_EQ(refused.json().at("http_status").as_int64(), 400);
  EXPECT_NE(str(refused.json().at("message")).find("chat not found"), std::string::npos) << refused.body;

  for (const std::string platform : {"whatsapp", "messenger", "slack", "discord", "twilio"}) {
    std::string id = str(connect(owner, platform).at("id"));
    auto r = owner.post("/api/integrations/" + id + "/test-message",
                        {{"recipient", sample_recipients().at(platform)}, {"text", "Ping " + platform}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.json().at("ok").as_bool()) << platform << ": " << r.body;
    EXPECT_EQ(fake.sent().back().text, "Ping " + platform);
    captured += r.body;
  }
  EXPECT_EQ(owner.post("/api/integrations/" + tg + "/test-message", {{"recipient", ""}, {"text", "Hi"}}).status, 422);
  EXPECT_EQ(owner.post("/api/integrations/" + tg + "/test-message", {{"recipient", "1"}, {"text", ""}}).status, 422);
  for (const auto& s : secrets()) EXPECT_EQ(captured.find(s), std::string::npos) << "leaked " << s;
}

TEST_F(IntegrationsTest, TelegramWebhookIsRegisteredWithAGeneratedSecret) {
  std::string id = str(connect(owner, "telegram").at("id"));
  auto r = owner.post("/api/integrations/" + id + "/webhook", json::object{});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json().at("ok").as_bool());
  EXPECT_FALSE(r.json().at("integration").at("webhook_registered_at").is_null());
  EXPECT_EQ(fake.telegram_webhook_url(), "https://switchboard.example.com/hooks/telegram/" + id);
  std::string secret = fake.telegram_webhook_secret();
  EXPECT_GE(secret.size(), 32u);
  EXPECT_EQ(r.body.find(secret), std::string::npos) << "the secret token is never shown";

  // Telegram's deliveries must carry that secret: a wrong or missing one is refused.
  EXPECT_EQ(owner.send("POST", "/hooks/telegram/" + id, "{}", {{"X-Telegram-Bot-Api-Secret-Token", "wrong"}}).status, 401);
  EXPECT_EQ(owner.send("POST", "/hooks/telegram/" + id, "{}").status, 401);
  EXPECT_NE(owner.send("POST", "/hooks/telegram/" + id, "{}", {{"X-Telegram-Bot-Api-Secret-Token", secret}}).status, 401);

  // Other platforms are set up in their dashboards.
  std::string slack = str(connect(owner, "slack").at("id"));
  EXPECT_EQ(owner.post("/api/integrations/" + slack + "/webhook", json::object{}).status, 422);
  fake.script("telegram", {FakeOutcome{FakeKind::unauthorized}});
  auto failed = owner.post("/api/integrations/" + id + "/webhook", json::object{});
  EXPECT_FALSE(failed.json().at("ok").as_bool());
  EXPECT_EQ(failed.json().at("http_status").as_int64(), 401);
}

TEST_F(IntegrationsTest, PlatformHandshakesAreAnsweredWithTheConfiguredSecrets) {
  std::string wa = str(connect(owner, "whatsapp").at("id"));
  Agent meta(base_url);
  auto ok = meta.get("/hooks/whatsapp/" + wa + "?hub.mode=subscribe&hub.verify_token=canary-wa-verify-token&hub.challenge=1158201444");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "1158201444");
  EXPECT_EQ(meta.get("/hooks/whatsapp/" + wa + "?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1").status, 403);
  EXPECT_EQ(meta.get("/hooks/messenger/" + wa + "?hub.mode=subscribe&hub.verify_token=canary-wa-verify-token&hub.challenge=1").status,
            404)
      << "the platform in the path must match the integration";
  EXPECT_EQ(meta.get("/hooks/whatsapp/int_unknown?hub.mode=subscribe").status, 404);

  std::string slack = str(connect(owner, "slack").at("id"));
  std::string body = R"({"token":"x","challenge":"abc123challenge","type":"url_verification"})";
  std::string ts = std::to_string(std::time(nullptr));
  std::string sig = "v0=" + crypto::to_hex(crypto::hmac_sha256("c0ffee00c0ffee00c0ffee00c0ffee03", "v0:" + ts + ":" + body));
  auto challenge = meta.send("POST", "/hooks/slack/" + slack, body, {{"X-Slack-Request-Timestamp", ts}, {"X-Slack-Signature", sig}});
  EXPECT_EQ(challenge.status, 200);
  EXPECT_EQ(challenge.body, R"({"challenge":"abc123challenge"})");
  std::string old = std::to_string(std::time(nullptr) - 400);
  std::string old_sig = "v0=" + crypto::to_hex(crypto::hmac_sha256("c0ffee00c0ffee00c0ffee00c0ffee03", "v0:" + old + ":" + body));
  EXPECT_EQ(meta.send("POST", "/hooks/slack/" + slack, body, {{"X-Slack-Request-Timestamp", old}, {"X-Slack-Signature", old_sig}}).status,
            401);
}

TEST_F(IntegrationsTest, OnlyOwnersAndAdminsManageAndNobodySeesSecrets) {
  std::string id = str(connect(owner, "telegram").at("id"));
  std::string org = str(owner.get("/api/auth/session").json().at("organization").at("id"));
  auto invite = [&](const std::string& role) {
    std::string email = unique_email(role);
    auto inv = owner.post("/api/orgs/" + org + "/invites", {{"email", email}, {"role", role}});
    EXPECT_EQ(inv.status, 201) << inv.body;
    Agent a = agent();
    a.signup(email);
    std::string url = str(inv.json().at("accept_url"));
    EXPECT_EQ(a.post("/api/invites/accept", {{"token", url.substr(url.rfind('/') + 1)}}).status, 200);
    return a;
  };
  Agent member = invite("member");
  Agent admin = invite("admin");
  auto seen = member.get("/api/integrations/" + id);
  EXPECT_EQ(seen.status, 200) << "members see the status";
  EXPECT_EQ(seen.body.find("AAHcanary"), std::string::npos);
  EXPECT_EQ(member.post("/api/integrations", {{"platform", "slack"}, {"name", "Mine"}, {"credentials", sample_credentials().at("slack")}}).status,
            403);
  EXPECT_EQ(member.patch("/api/integrations/" + id, {{"name", "Hijacked"}}).status, 403);
  EXPECT_EQ(member.post("/api/integrations/" + id + "/verify", json::object{}).status, 403);
  EXPECT_EQ(member.post("/api/integrations/" + id + "/test-message", {{"recipient", "1"}, {"text", "x"}}).status, 403);
  EXPECT_EQ(member.send("DELETE", "/api/integrations/" + id).status, 403);
  EXPECT_EQ(admin.patch("/api/integrations/" + id, {{"name", "Renamed by admin"}}).status, 200);

  Agent stranger = agent();
  stranger.signup(unique_email("stranger"));
  EXPECT_EQ(stranger.get("/api/integrations/" + id).status, 404);
  EXPECT_EQ(stranger.post("/api/integrations/" + id + "/verify", json::object{}).status, 404);
  EXPECT_EQ(stranger.send("DELETE", "/api/integrations/" + id).status, 404);
  EXPECT_EQ(stranger.get("/api/integrations").json().at("items").as_array().size(), 0u);
  EXPECT_EQ(owner.get("/api/integrations/" + id).status, 200) << "still there";
}

TEST_F(IntegrationsTest, StoredCredentialsAreSealed) {
  for (const auto& [platform, creds] : sample_credentials()) connect(owner, platform);
  auto conn = app->database().acquire();
  auto rows = conn->query("SELECT id, credentials_sealed, credentials_key_id FROM integrations");
  ASSERT_EQ(rows.size(), 6u);
  for (const auto& row : rows) {
    std::string sealed = row.text("credentials_sealed");
    auto raw = crypto::base64_decode(sealed);
    ASSERT_TRUE(raw.has_value());
    for (const auto& s : secrets()) {
      EXPECT_EQ(sealed.find(s), std::string::npos);
      EXPECT_EQ(raw->find(s), std::string::npos);
    }
    EXPECT_EQ(raw->find("bot_token"), std::string::npos) << "field names are sealed too";
  }
  // A sealed value moved to another row does not open there (the id is the associated data).
  std::string a = rows[0].text("id"), b = rows[1].text("id");
  conn->execute("UPDATE integrations SET credentials_sealed = $1 WHERE id = $2", {rows[0].text("credentials_sealed"), b});
  auto moved = owner.post("/api/integrations/" + b + "/verify", json::object{});
  EXPECT_EQ(moved.status, 500);
  EXPECT_EQ(moved.error_code(), "credentials_unreadable");
}

TEST_F(IntegrationsTest, DeployingNeedsAConnectedIntegration) {
  auto bot = owner.post("/api/bots", {{"name", "Shop helper"}});
  ASSERT_EQ(bot.status, 201);
  std::string bot_id = str(bot.json().at("id"));
  std::string id = str(connect(owner, "telegram", "Shop bot").at("id"));
  auto refused = owner.post("/api/deployments", {{"bot_id", bot_id}, {"integration_id", id}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(str(refused.json().at("error").at("details").at("fields").at("integration_id")).find("Shop bot is not verified yet"),
            std::string::npos);
  fake.script("telegram", {FakeOutcome{FakeKind::unauthorized}});
  verify(id);
  refused = owner.post("/api/deployments", {{"bot_id", bot_id}, {"integration_id", id}});
  EXPECT_EQ(refused.status, 422);
  fake.reset();
  verify(id);
  auto deployed = owner.post("/api/deployments", {{"bot_id", bot_id}, {"integration_id", id}});
  ASSERT_EQ(deployed.status, 201) << deployed.body;
  EXPECT_EQ(str(deployed.json().at("channel")), "telegram");
  EXPECT_EQ(str(deployed.json().at("integration_name")), "Shop bot");
  EXPECT_EQ(str(deployed.json().at("integration_status")), "connected");
  EXPECT_EQ(owner.get("/api/integrations/" + id).json().at("deployment_count").as_int64(), 1);
  Agent visitor(base_url);
  EXPECT_EQ(visitor.get("/widget/" + str(deployed.json().at("key"))).status, 404) << "only web chat has a public chat";
  EXPECT_EQ(owner.post("/api/deployments", {{"bot_id", bot_id}, {"integration_id", "int_nope"}}).status, 422);

  // Disconnecting removes the deployments on it.
  EXPECT_EQ(owner.send("DELETE", "/api/integrations/" + id).status, 204);
  EXPECT_EQ(owner.get("/api/deployments?bot_id=" + bot_id).json().at("items").as_array().size(), 0u);
  EXPECT_EQ(owner.get("/api/integrations/" + id).status, 404);
}

TEST_F(IntegrationsTest, SecretsNeverReachTheLog) {
  log::init("debug");
  ::testing::internal::CaptureStderr();
  for (const auto& [platform, creds] : sample_credentials()) {
    std::string id = str(connect(owner, platform).at("id"));
    fake.script(platform == "whatsapp" || platform == "messenger" ? "graph" : platform, {FakeOutcome{FakeKind::unauthorized}});
    verify(id);
    fake.reset();
    verify(id);
    auto sent = owner.post("/api/integrations/" + id + "/test-message", {{"recipient", sample_recipients().at(platform)}, {"text", "Hi"}});
    EXPECT_EQ(sent.status, 200) << sent.body;
    captured += sent.body;
    captured += owner.post("/api/integrations/" + id + "/webhook", json::object{}).body;
    captured += owner.patch("/api/integrations/" + id, {{"credentials", creds}}).body;
    captured += owner.get("/api/integrations/" + id).body;
  }
  captured += owner.get("/api/integrations").body;
  captured += owner.get("/api/integrations/platforms").body;
  std::string org = str(owner.get("/api/auth/session").json().at("organization").at("id"));
  captured += owner.get("/api/orgs/" + org + "/audit").body;  // the audit trail is the export there is
  captured += owner.get("/api/deployments").body;
  std::string all_logs = ::testing::internal::GetCapturedStderr();
  log::init("error");
  // The fake platforms run in this process on the same logger; their lines show what the
  // platforms received, which rightly holds credentials. Only the server's own lines count.
  std::string logs;
  std::istringstream lines(all_logs);
  for (std::string line; std::getline(lines, line);) {
    bool fake_line = false;
    for (const char* prefix : {"/telegram", "/graph", "/slack", "/discord", "/twilio", "/_control"})
      fake_line = fake_line || line.find(std::string("\"path\":\"") + prefix) != std::string::npos;
    if (!fake_line) logs += line + "\n";
  }
  EXPECT_NE(logs.find("/api/integrations"), std::string::npos) << "the requests were logged";
  for (const auto& s : secrets()) EXPECT_EQ(logs.find(s), std::string::npos) << "log leaked " << s;
  for (const auto& s : secrets()) EXPECT_EQ(captured.find(s), std::string::npos) << "answer leaked " << s;
}

TEST_F(IntegrationsTest, MasterKeyRotationKeepsEveryIntegrationUsable) {
  std::vector<std::string> ids;
  for (const auto& [platform, creds] : sample_credentials()) ids.push_back(str(connect(owner, platform).at("id")));
  std::string key_file = config.data_dir + "/master.key";
  std::string old_key = [&] {
    std::ifstream in(key_file);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }();
  app->stop();
  std::string out = config.data_dir + "/rotate.out";
  std::string cmd = std::string(SB_BINARY_PATH) + " admin rotate-master-key --data-dir '" + config.data_dir +
                    "' --database-url '" + config.database_url + "' > '" + out + "' 2>&1";
  int rc = std::system(cmd.c_str());
  std::ifstream said(out);
  std::string output((std::istreambuf_iterator<char>(said)), std::istreambuf_iterator<char>());
  ASSERT_EQ(WEXITSTATUS(rc), 0) << output;
  EXPECT_NE(output.find("Re-encrypted the credentials of 6 integration(s)"), std::string::npos) << output;
  std::ifstream in(key_file);
  std::string new_key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(new_key, old_key);
  EXPECT_TRUE(std::filesystem::exists(config.data_dir + "/master.key.previous"));
  EXPECT_FALSE(std::filesystem::exists(config.data_dir + "/master.key.next"));

  restart();
  Agent again(base_url);
  again.cookie = owner.cookie;
  again.csrf = owner.csrf;
  owner = again;
  for (const auto& id : ids) {
    auto v = verify(id);
    EXPECT_EQ(str(v.at("status")), "connected") << json::serialize(v);
  }
  bool twilio_seen = false;
  for (const auto& r : fake.requests())
    twilio_seen = twilio_seen || r.authorization == "Basic " + crypto::base64_encode(
                                                      "AC0123456789abcdef0123456789abcdef:c0ffee00c0ffee00c0ffee00c0ffee04");
  EXPECT_TRUE(twilio_seen) << "the decrypted credentials are the original ones";

  // The old key no longer opens anything: start with it and the credentials are unreadable.
  app->stop();
  app.reset();
  std::filesystem::copy_file(config.data_dir + "/master.key.previous", key_file, std::filesystem::copy_options::overwrite_existing);
  app = std::make_unique<App>(config);
  base_url = "http://127.0.0.1:" + std::to_string(app->start_server());
  Agent stale(base_url);
  stale.cookie = owner.cookie;
  stale.csrf = owner.csrf;
  EXPECT_EQ(stale.post("/api/integrations/" + ids[0] + "/verify", json::object{}).error_code(), "credentials_unreadable");
}

// Security issue 17: every credential that goes into a URL path (Telegram's bot token, the Graph ids,
// Discord's application id, Twilio's Account SID), a header (the tokens) or a form (Twilio's number)
// is refused when saved if it could leave its place, with the field named, whether the integration
// is created or edited; nothing is called.
TEST_F(IntegrationsTest, HostileIdsInCredentialsAreRefusedWhenSavedAndNeverCalled) {
  const std::vector<std::pair<std::string, std::string>> url_fields = {
      {"telegram", "bot_token"},       {"whatsapp", "phone_number_id"},      {"messenger", "page_id"},
      {"discord", "application_id"},   {"twilio", "account_sid"},            {"whatsapp", "access_token"},
      {"messenger", "page_access_token"}, {"slack", "bot_token"},            {"discord", "bot_token"},
      {"twilio", "auth_token"},        {"twilio", "from_number"}};
  std::map<std::string, std::string> ids;
  for (const auto& [platform, field] : url_fields)
    if (!ids.count(platform)) ids[platform] = str(connect(owner, platform).at("id"));
  for (const auto& [platform, field] : url_fields) {
    std::string good(sample_credentials().at(platform).at(field).as_string());
    for (const auto& bad : hostile(good)) {
      json::object creds = sample_credentials().at(platform);
      creds[field] = bad;
      auto created = owner.post("/api/integrations", {{"platform", platform}, {"name", "Hostile " + platform}, {"credentials", creds}});
      ASSERT_EQ(created.status, 422) << platform << "." << field << " = " << bad << ": " << created.body;
      EXPECT_TRUE(created.json().at("error").at("details").at("fields").as_object().contains("credentials." + field))
          << created.body;
      auto edited = owner.patch("/api/integrations/" + ids[platform], {{"credentials", {{field, bad}}}});
      ASSERT_EQ(edited.status, 422) << platform << "." << field << " = " << bad << ": " << edited.body;
      EXPECT_TRUE(edited.json().at("error").at("details").at("fields").as_object().contains("credentials." + field))
          << edited.body;
      if (bad.size() > 3) EXPECT_EQ(created.body.find(bad), std::string::npos) << "the refused value is not echoed";
    }
  }
  EXPECT_EQ(owner.get("/api/integrations").json().at("items").as_array().size(), ids.size()) << "nothing was stored";
  EXPECT_TRUE(fake.requests().empty()) << "saving called " << fake.requests().front().target;

  // What is stored is still the good value: each check calls exactly its API's path and nothing else.
  std::map<std::string, std::string> expected = {
      {"telegram", "/bot7654321098:AAHcanaryTelegramBotToken0123456789ab/getMe"},
      {"whatsapp", "/982340000011122"},
      {"messenger", "/871230000099988"},
      {"discord", "/applications/@me"},
      {"slack", "/auth.test"},
      {"twilio", "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef.json"}};
  for (const auto& [platform, id] : ids) {
    fake.reset();
    EXPECT_EQ(str(verify(id).at("status")), "connected") << platform;
    auto seen = fake.requests();
    ASSERT_EQ(seen.size(), 1u) << platform;
    EXPECT_TRUE(seen[0].known_route) << seen[0].target;
    EXPECT_EQ(seen[0].path, expected[platform]);
  }
  for (const auto& s : secrets()) EXPECT_EQ(captured.find(s), std::string::npos) << "leaked " << s;
}

// Security issue 17: a test message to a recipient that could leave its place in the URL (Discord's
// channel id is a path segment) or the request is a 422 naming the recipient, and the platform is
// never called; a proper recipient reaches exactly the API's path.
TEST_F(IntegrationsTest, HostileTestMessageRecipientsAreRefusedAndNeverSent) {
  std::map<std::string, std::string> expected = {
      {"telegram", "/bot7654321098:AAHcanaryTelegramBotToken0123456789ab/sendMessage"},
      {"whatsapp", "/982340000011122/messages"},
      {"messenger", "/871230000099988/messages"},
      {"slack", "/chat.postMessage"},
      {"discord", "/channels/998877665544332211/messages"},
      {"twilio", "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json"}};
  for (const auto& [platform, recipient] : sample_recipients()) {
    std::string id = str(connect(owner, platform).at("id"));
    auto values = hostile(recipient);
    if (platform == "discord")
      for (std::string v : {"interaction:../../../applications/@me", "interaction:itok/../../x", "interaction:%2e%2e",
                            "interaction:itok?y=1", "interaction:itok#", "interaction:it ok", "interaction:"})
        values.push_back(v);
    for (const auto& bad : values) {
      auto r = owner.post("/api/integrations/" + id + "/test-message", {{"recipient", bad}, {"text", "Hello"}});
      ASSERT_EQ(r.status, 422) << platform << " " << bad << ": " << r.body;
      EXPECT_TRUE(r.json().at("error").at("details").at("fields").as_object().contains("recipient")) << r.body;
      captured += r.body;
    }
    EXPECT_TRUE(fake.requests().empty()) << platform << " was called at " << fake.requests().front().target;
    auto r = owner.post("/api/integrations/" + id + "/test-message", {{"recipient", recipient}, {"text", "Ping"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.json().at("ok").as_bool()) << platform << ": " << r.body;
    captured += r.body;
    auto seen = fake.requests();
    ASSERT_EQ(seen.size(), 1u) << platform;
    EXPECT_TRUE(seen[0].known_route) << seen[0].target;
    EXPECT_EQ(seen[0].path, expected[platform]);
    EXPECT_EQ(fake.sent().back().recipient, recipient);
    fake.reset();
  }
  for (const auto& s : secrets()) EXPECT_EQ(captured.find(s), std::string::npos) << "leaked " << s;
}

// Rows saved before these checks may hold an id of the wrong shape: verifying, registering the
// webhook and test messages then say which field to fix, and the platform is never called.
TEST_F(IntegrationsTest, OldRowsWithHostileStoredIdsAreRefusedWithoutACall) {
  auto keys = load_master_keys(config.data_dir, "");
  ASSERT_TRUE(keys) << keys.error().message;
  struct Case {
    std::string platform, field, value, reason;
  };
  std::vector<Case> cases = {
      {"telegram", "bot_token", "7654321098:AAH/../../x?", "The stored bot token is not a valid Telegram value"},
      {"whatsapp", "phone_number_id", "982340000011122/../me", "The stored phone number ID is not a valid WhatsApp value"},
      {"discord", "application_id", "../../applications/@me#", "The stored application ID is not a valid Discord value"}};
  for (const auto& c : cases) {
    std::string id = str(connect(owner, c.platform).at("id"));
    json::object creds = sample_credentials().at(c.platform);
    creds[c.field] = c.value;
    if (c.platform == "telegram") creds["webhook_secret"] = "an-old-webhook-secret";
    auto conn = app->database().acquire();
    conn->execute("UPDATE integrations SET credentials_sealed = $1 WHERE id = $2",
                  {crypto::seal(keys->primary, json::serialize(creds), id), id});
    auto v = verify(id);
    EXPECT_EQ(str(v.at("status")), "invalid") << c.platform;
    EXPECT_NE(str(v.at("status_reason")).find(c.reason), std::string::npos) << str(v.at("status_reason"));
    EXPECT_EQ(str(v.at("status_reason")).find(c.value), std::string::npos) << "the stored value is not repeated";
    auto sent = owner.post("/api/integrations/" + id + "/test-message",
                           {{"recipient", sample_recipients().at(c.platform)}, {"text", "Hi"}});
    ASSERT_EQ(sent.status, 200) << sent.body;
    EXPECT_FALSE(sent.json().at("ok").as_bool());
    EXPECT_NE(str(sent.json().at("message")).find(c.reason), std::string::npos) << sent.body;
    captured += sent.body + json::serialize(v);
    if (c.platform == "telegram") {
      auto hook = owner.post("/api/integrations/" + id + "/webhook", json::object{});
      ASSERT_EQ(hook.status, 200) << hook.body;
      EXPECT_FALSE(hook.json().at("ok").as_bool());
      EXPECT_NE(str(hook.json().at("message")).find(c.reason), std::string::npos) << hook.body;
      EXPECT_TRUE(hook.json().at("integration").at("webhook_registered_at").is_null());
      captured += hook.body;
    }
  }
  EXPECT_EQ(fake.requests().size(), 0u) << "called " << fake.requests().front().target;
  for (const auto& s : secrets()) EXPECT_EQ(captured.find(s), std::string::npos) << "leaked " << s;
}

// The reply workers meet ids saved before these checks existed: a stored credential or a job's
// reply target of the wrong shape fails that message alone, in words, and calls nothing.
TEST_F(IntegrationsTest, RepliesWithHostileStoredIdsAreRefusedWithoutACall) {
  SystemClock clock;
  MasterKeys keys{std::string(32, 'k'), {std::string(32, 'k')}};
  http::CurlHttpClient client;
  integrations::IntegrationService service(app->database(), clock, keys, client, platform_endpoints(config),
                                           config.public_base_url);
  auto account = [](const std::string& platform, const std::string& field = "", const std::string& value = "") {
    integrations::IntegrationService::Account a;
    a.integration.platform = platform;
    for (const auto& kv : sample_credentials().at(platform)) a.credentials[kv.key()] = kv.value().as_string();
    if (!field.empty()) a.credentials[field] = value;
    return a;
  };
  auto discord = account("discord");
  auto discord_app = account("discord", "application_id", "../../applications/@me#");
  auto telegram = account("telegram", "bot_token", "7654321098:AAH/../../x?");
  auto whatsapp = account("whatsapp", "phone_number_id", "982340000011122/../me");
  auto messenger = account("messenger", "page_id", "%2e%2e%2f871230000099988");
  auto twilio = account("twilio", "account_sid", "AC0123456789abcdef0123456789abcdef/Calls.json?");
  std::vector<integrations::IntegrationService::Delivery> deliveries = {
      {&discord, {"../../../applications/@me/x?y=1#", "a"}},
      {&discord, {"interaction:../../../applications/@me", "b"}},
      {&discord_app, {"interaction:itok-1", "c"}},
      {&telegram, {"42", "d"}},
      {&whatsapp, {"15551234567", "e"}},
      {&messenger, {"7000000000001", "f"}},
      {&twilio, {"+15551234567", "g"}},
      {&discord, {"112233445566778899", "h"}}};
  std::map<std::size_t, integrations::PlatformAnswer> answers;
  service.deliver_all(deliveries, 8, [&](std::size_t i, integrations::PlatformAnswer a) { answers.emplace(i, std::move(a)); },
                      [] {});
  ASSERT_EQ(answers.size(), deliveries.size());
  for (std::size_t i = 0; i + 1 < deliveries.size(); ++i) {
    EXPECT_EQ(answers.at(i).kind, integrations::PlatformAnswer::Kind::refused) << i << ": " << answers.at(i).message;
    for (const auto& secret : secrets()) EXPECT_EQ(answers.at(i).message.find(secret), std::string::npos) << answers.at(i).message;
    EXPECT_EQ(answers.at(i).message.find("../"), std::string::npos) << answers.at(i).message;
  }
  EXPECT_NE(answers.at(2).message.find("The stored application ID is not a valid Discord value"), std::string::npos)
      << answers.at(2).message;
  EXPECT_NE(answers.at(0).message.find("Discord cannot send to this recipient"), std::string::npos) << answers.at(0).message;
  EXPECT_TRUE(answers.at(deliveries.size() - 1).ok()) << answers.at(deliveries.size() - 1).message;
  auto seen = fake.requests();
  ASSERT_EQ(seen.size(), 1u) << seen.back().target;
  EXPECT_TRUE(seen[0].known_route);
  EXPECT_EQ(seen[0].path, "/channels/112233445566778899/messages");
}

// The reply workers' path: many messages side by side. A message its connector cannot even build
// (a credential field missing from an old row) fails alone, in words and without the secret; the
// web chat refuses in its own words; the others are sent.
TEST_F(IntegrationsTest, DeliverAllFailsOnlyTheMessageThatCannotBeBuilt) {
  SystemClock clock;
  MasterKeys keys{std::string(32, 'k'), {std::string(32, 'k')}};
  http::CurlHttpClient client;
  integrations::IntegrationService service(app->database(), clock, keys, client, platform_endpoints(config),
                                           config.public_base_url);
  auto creds = [](const std::string& platform) {
    integrations::Credentials c;
    for (const auto& kv : sample_credentials().at(platform)) c[kv.key()] = kv.value().as_string();
    return c;
  };
  integrations::IntegrationService::Account telegram{{}, creds("telegram")};
  telegram.integration.platform = "telegram";
  integrations::IntegrationService::Account broken{{}, creds("whatsapp")};
  broken.integration.platform = "whatsapp";
  broken.credentials.erase("phone_number_id");
  integrations::IntegrationService::Account webchat{{}, {}};
  webchat.integration.platform = "webchat";

  std::map<std::size_t, integrations::PlatformAnswer> answers;
  int idle_calls = 0;
  service.deliver_all({{&telegram, {"42", "first"}}, {&broken, {"15551230000", "lost"}}, {&webchat, {"v1", "web"}},
                       {&telegram, {"43", "second"}}},
                      8, [&](std::size_t i, integrations::PlatformAnswer a) { answers.emplace(i, std::move(a)); },
                      [&] { ++idle_calls; });
  ASSERT_EQ(answers.size(), 4u);
  EXPECT_TRUE(answers.at(0).ok()) << answers.at(0).message;
  EXPECT_FALSE(answers.at(0).platform_message_id.empty());
  EXPECT_EQ(answers.at(1).kind, integrations::PlatformAnswer::Kind::unavailable);
  EXPECT_EQ(answers.at(1).message,
            "The reply could not be sent: the stored credentials lack a field this platform needs. Edit the "
            "integration and enter them again.");
  EXPECT_EQ(answers.at(2).kind, integrations::PlatformAnswer::Kind::refused);
  EXPECT_NE(answers.at(2).message.find("web chat"), std::string::npos) << answers.at(2).message;
  EXPECT_TRUE(answers.at(3).ok()) << answers.at(3).message;
  for (const auto& [i, a] : answers)
    for (const auto& secret : secrets()) EXPECT_EQ(a.message.find(secret), std::string::npos) << a.message;
  std::vector<std::string> texts;
  for (const auto& m : fake.sent()) texts.push_back(m.text);
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(texts, (std::vector<std::string>{"first", "second"}));
}

}  // namespace
}  // namespace sb::test
