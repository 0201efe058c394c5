// Connectors without a network: signature checks against PLATFORMS.md §10 vectors, handshakes,
// credential shapes, id shapes and URLs that keep ids inside their segment, and sealed credentials.
#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/url/parse.hpp>
#include <stdexcept>

#include "core/crypto.hpp"
#include "integrations/connector.hpp"
#include "integrations/ids.hpp"
#include "integrations/platform_call.hpp"

namespace sb::integrations {
namespace {

InboundRequest post(std::string body, std::map<std::string, std::string> headers, std::int64_t now = 1700000000,
                    std::string url = "") {
  InboundRequest r;
  r.method = "POST";
  r.url = std::move(url);
  r.body = std::move(body);
  r.now_seconds = now;
  r.header = [headers](std::string_view name) {
    for (const auto& [k, v] : headers)
      if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          }))
        return v;
    return std::string();
  };
  return r;
}

const Connector& connector(std::string_view platform) { return *find_connector(platform); }

TEST(Connectors, EveryPlatformIsListedOnce) {
  std::vector<std::string> names;
  for (const auto* c : all_connectors()) names.emplace_back(c->platform());
  EXPECT_EQ(names, (std::vector<std::string>{"telegram", "whatsapp", "messenger", "slack", "discord", "twilio", "webchat"}));
  EXPECT_EQ(find_connector("icq"), nullptr);
}

TEST(Connectors, MetaSignatureMatchesTheVector) {
  Credentials c{{"app_secret", "app_secret"}, {"verify_token", "my-verify-token"}};
  std::string body = R"({"object":"whatsapp_business_account","entry":[]})";
  std::string good = "sha256=c236c758c9b2bd40b388a550eeca09eaca72384dd0aa5e7c31d19cddac5bba46";
  EXPECT_TRUE(connector("whatsapp").authenticate(post(body, {{"X-Hub-Signature-256", good}}), c).accepted);
  EXPECT_TRUE(connector("messenger").authenticate(post(body, {{"X-Hub-Signature-256", good}}), c).accepted);
  std::string flipped = body;
  flipped[3] = 'X';
  EXPECT_FALSE(connector("whatsapp").authenticate(post(flipped, {{"X-Hub-Signature-256", good}}), c).accepted);
  EXPECT_FALSE(connector("whatsapp").authenticate(post(body, {}), c).accepted);
  Credentials wrong{{"app_secret", "other_secret"}};
  EXPECT_FALSE(connector("whatsapp").authenticate(post(body, {{"X-Hub-Signature-256", good}}), wrong).accepted);
}

TEST(Connectors, MetaHandshakeEchoesTheChallengeOnlyForTheRightToken) {
  Credentials c{{"app_secret", "app_secret"}, {"verify_token", "my-verify-token"}};
  InboundRequest get;
  get.method = "GET";
  get.header = [](std::string_view) { return std::string(); };
  get.query = {{"hub.mode", "subscribe"}, {"hub.verify_token", "my-verify-token"}, {"hub.challenge", "1158201444"}};
  auto ok = connector("whatsapp").authenticate(get, c);
  ASSERT_TRUE(ok.accepted);
  EXPECT_EQ(ok.reply_body.value_or(""), "1158201444");
  get.query["hub.verify_token"] = "My-verify-token";
  EXPECT_FALSE(connector("messenger").authenticate(get, c).accepted);
}

TEST(Connectors, SlackSignatureAndReplayWindow) {
  Credentials c{{"signing_secret", "slack_secret"}};
  std::string body = R"({"type":"event_callback","event_id":"Ev123","event":{"type":"message","text":"hi"}})";
  std::map<std::string, std::string> h{
      {"X-Slack-Request-Timestamp", "1700000000"},
      {"X-Slack-Signature", "v0=2cc4b6cea65f429d99603e103532659303e554b71674ad08e8bd49569c9eeb3f"}};
  EXPECT_TRUE(connector("slack").authenticate(post(body, h, 1700000000), c).accepted);
  EXPECT_TRUE(connector("slack").authenticate(post(body, h, 1700000300), c).accepted);
  auto old = connector("slack").authenticate(post(body, h, 1700000301), c);
  EXPECT_FALSE(old.accepted);
  EXPECT_NE(old.reason.find("5-minute"), std::string::npos);
  EXPECT_FALSE(connector("slack").authenticate(post(body + " ", h, 1700000000), c).accepted);
}

TEST(Connectors, SlackUrlVerificationAnswersTheChallenge) {
  std::string secret = "0123456789abcdef0123456789abcdef";
  Credentials c{{"signing_secret", secret}};
  std::string body = R"({"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})";
  std::string sig = "v0=" + crypto::to_hex(crypto::hmac_sha256(secret, "v0:1700000000:" + body));
  auto out = connector("slack").authenticate(
      post(body, {{"X-Slack-Request-Timestamp", "1700000000"}, {"X-Slack-Signature", sig}}), c);
  ASSERT_TRUE(out.accepted);
  EXPECT_EQ(out.reply_body.value_or(""), R"({"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})");
}

TEST(Connectors, DiscordEd25519VectorAndPing) {
  Credentials c{{"public_key", "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"}};
  std::string sig =
      "c1098e97d711377f30225d53d94b89d43537f92e5b3afaddc590781b1f9f9d4b2eeab335d370be3b9a090bc61a85b86448bc140dcd195f"
      "1569c2bff181257607";
  auto ok = connector("discord").authenticate(
      post(R"({"type":1})", {{"X-Signature-Ed25519", sig}, {"X-Signature-Timestamp", "1700000000"}}), c);
  ASSERT_TRUE(ok.accepted);
  EXPECT_EQ(ok.reply_body.value_or(""), R"({"type":1})");
  EXPECT_FALSE(connector("discord")
                   .authenticate(post(R"({"type":1})", {{"X-Signature-Ed25519", sig}, {"X-Signature-Timestamp", "1700000001"}}), c)
                   .accepted);
  EXPECT_FALSE(connector("discord").authenticate(post(R"({"type":1})", {{"X-Signature-Ed25519", "zz"}, {"X-Signature-Timestamp", "1"}}), c).accepted);
}

TEST(Connectors, TwilioSignatureVectors) {
  // Twilio's documented example (V2).
  auto documented = post("CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212",
                         {{"X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="}}, 0,
                         "https://mycompany.com/myapp.php?foo=1&bar=2");
  EXPECT_TRUE(connector("twilio").authenticate(documented, {{"auth_token", "12345"}}).accepted);
  // V7, with the form fields in another order: they are sorted before signing.
  auto v7 = post("To=%2B15550002222&MessageSid=SM00000000000000000000000000000001&From=%2B15550001111&Body=hello",
                 {{"X-Twilio-Signature", "6xHNtT2T2dNEG+8yv+IZKpnefT4="}}, 0, "https://example.test/twilio/sms");
  EXPECT_TRUE(connector("twilio").authenticate(v7, {{"auth_token", "twilio_token"}}).accepted);
  v7.url = "http://example.test/twilio/sms";
  EXPECT_FALSE(connector("twilio").authenticate(v7, {{"auth_token", "twilio_token"}}).accepted);
}

TEST(Connectors, TelegramSecretTokenIsCaseSensitive) {
  Credentials c{{"bot_token", "123456:abc"}, {std::string(kWebhookSecretField), "Secret_Token-1"}};
  EXPECT_TRUE(connector("telegram").authenticate(post("{}", {{"X-Telegram-Bot-Api-Secret-Token", "Secret_Token-1"}}), c).accepted);
  EXPECT_FALSE(connector("telegram").authenticate(post("{}", {{"X-Telegram-Bot-Api-Secret-Token", "secret_token-1"}}), c).accepted);
  EXPECT_FALSE(connector("telegram").authenticate(post("{}", {}), c).accepted);
  EXPECT_FALSE(connector("telegram").authenticate(post("{}", {{"X-Telegram-Bot-Api-Secret-Token", "x"}}), {{"bot_token", "1:a"}}).accepted);
}

std::optional<std::string> check(std::string_view platform, std::string_view field, const std::string& value) {
  for (const auto& f : connector(platform).credential_schema())
    if (f.name == field) return f.check ? f.check(value) : std::nullopt;
  ADD_FAILURE() << "no field " << field;
  return std::nullopt;
}

TEST(Connectors, CredentialShapesAreChecked) {
  EXPECT_FALSE(check("telegram", "bot_token", "123456789:AAEabcdefghijklmnopqrstuvwxyz012345678"));
  EXPECT_TRUE(check("telegram", "bot_token", "not a token"));
  EXPECT_FALSE(check("slack", "signing_secret", "0123456789abcdef0123456789abcdef"));
  EXPECT_TRUE(check("slack", "signing_secret", "0123456789abcdef"));
  EXPECT_TRUE(check("slack", "bot_token", "xoxp-user-token-not-bot"));
  EXPECT_FALSE(check("whatsapp", "phone_number_id", "106540352242922"));
  EXPECT_TRUE(check("whatsapp", "phone_number_id", "+1 555 0100"));
  EXPECT_TRUE(check("twilio", "account_sid", "AC123"));
  EXPECT_FALSE(check("twilio", "from_number", "+15550001111"));
  EXPECT_TRUE(check("twilio", "from_number", "555-0001"));
  EXPECT_TRUE(check("discord", "public_key", "abc"));
}

// Values that try to leave their place in a URL: traversal, encoded traversal, a query, a fragment,
// another segment, spaces, header injection, encoded variants, backslashes.
std::vector<std::string> hostile_values() {
  return {"../../../applications/@me/x?y=1#", "..", ".", "../", "..%2f", "%2e%2e/", "%2e%2e%2f", "%2E%2E",
          "a/b", "a?b=1", "a#b", "a b", "a\r\nX-Injected: 1", "a%0d%0aX: 1", "a%2fb", "a%3fb", "a%23b", "..\\x",
          "/", "?", "#", "%", " ", "\t", std::string("a\0b", 3), "\xc3\xa9"};
}

// read_send on answers as the platforms write them, without a network: recipient refusals are
// their own kind; credential refusals stay credential refusals; odd error bodies never throw.
CallResult answer(long status, std::string body) {
  CallResult r;
  r.response.status = status;
  r.response.body = body;
  boost::system::error_code ec;
  r.body = boost::json::parse(body, ec);
  r.json_ok = !ec;
  return r;
}

TEST(Connectors, RecipientRefusalsAreToldApartFromCredentialRefusals) {
  struct Case {
    std::string platform;
    long status;
    std::string body;
    PlatformAnswer::Kind kind;
    std::string words;
  };
  using K = PlatformAnswer::Kind;
  const std::vector<Case> cases = {
      {"telegram", 403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})",
       K::recipient, "The recipient blocked the bot (Telegram 403: Forbidden: bot was blocked by the user)."},
      {"telegram", 403, R"({"ok":false,"error_code":403,"description":"Forbidden: user is deactivated"})",
       K::recipient, "The recipient's Telegram account was deleted"},
      {"telegram", 403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was kicked from the group chat"})",
       K::recipient, "The bot was removed from this chat"},
      {"telegram", 400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})", K::recipient,
       "The chat was not found"},
      {"telegram", 401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})", K::rejected,
       "Telegram rejected the bot token (401)"},
      {"whatsapp", 400, R"({"error":{"code":131047,"message":"Re-engagement message"}})", K::recipient,
       "The 24-hour window to reply to this person has closed"},
      {"whatsapp", 400, R"({"error":{"code":190,"message":"Invalid OAuth access token"}})", K::rejected,
       "rejected the access token"},
      {"whatsapp", 400, R"({"error":{"code":"not a number","error_subcode":"x"}})", K::refused, "WhatsApp refused"},
      {"messenger", 400, R"({"error":{"code":10,"error_subcode":2018278,"message":"outside of allowed window"}})",
       K::recipient, "The 24-hour window to reply to this person has closed"},
      {"messenger", 403, R"({"error":{"code":10,"message":"Requires pages_messaging permission"}})", K::rejected,
       "missing a permission"},
      {"slack", 200, R"({"ok":false,"error":"channel_not_found"})", K::recipient,
       "The Slack channel was not found (deleted, or the bot cannot see it) (Slack: channel_not_found)."},
      {"slack", 200, R"({"ok":false,"error":"invalid_auth"})", K::rejected, "Slack rejected the bot token"},
      {"discord", 403, R"({"message":"Cannot send messages to this user","code":50007})", K::recipient,
       "Discord does not let the bot message this user"},
      {"discord", 401, R"({"message":"401: Unauthorized","code":0})", K::rejected, "Discord rejected the bot token"},
      {"twilio", 400, R"({"code":21610,"message":"Attempt to send to unsubscribed recipient","status":400})",
       K::recipient, "The recipient has opted out of messages from this number (replied STOP)"},
      {"twilio", 401, R"({"code":20003,"message":"Authenticate","status":401})", K::rejected, "rejected the Account SID or auth token"},
  };
  for (const auto& c : cases) {
    auto a = connector(c.platform).read_send({"42", "hi"}, answer(c.status, c.body), {});
    EXPECT_EQ(a.kind, c.kind) << c.platform << " " << c.body << ": " << a.message;
    EXPECT_NE(a.message.find(c.words), std::string::npos) << c.platform << ": " << a.message;
    if (c.kind == K::recipient) {
      EXPECT_NE(a.message.find("Retrying cannot help; the account itself is fine."), std::string::npos) << a.message;
      EXPECT_EQ(a.message.find("token"), std::string::npos) << a.message;
    }
  }
}

TEST(ApiUrl, KeepsEveryHostileValueInsideItsOwnSegment) {
  for (const std::string& base : {std::string("http://127.0.0.1:9/discord"), std::string("https://discord.com/api/v10/")}) {
    for (const auto& value : hostile_values()) {
      if (value == "." || value == "..") continue;
      std::string url = ids::api_url(base, {"channels", value, "messages"});
      auto parsed = boost::urls::parse_absolute_uri(url);
      ASSERT_TRUE(parsed) << url;
      EXPECT_FALSE(parsed->has_query()) << url;
      EXPECT_FALSE(parsed->has_fragment()) << url;
      std::vector<std::string> segments(parsed->segments().begin(), parsed->segments().end());
      ASSERT_EQ(segments.size(), base.find("discord.com") != std::string::npos ? 5u : 4u) << url;
      EXPECT_EQ(segments[segments.size() - 2], value) << url;
      EXPECT_EQ(segments.back(), "messages");
      for (const auto& s : segments) EXPECT_TRUE(s != ".." && s != ".") << url;
      EXPECT_EQ(url.find_first_of(" \r\n\t#?"), std::string::npos) << url;
    }
  }
  EXPECT_EQ(ids::api_url("http://127.0.0.1:9/discord", {"channels", "../../../applications/@me/x?y=1#", "messages"}),
            "http://127.0.0.1:9/discord/channels/..%2F..%2F..%2Fapplications%2F@me%2Fx%3Fy=1%23/messages");
  EXPECT_EQ(ids::api_url("https://discord.com/api/v10/", {"users", "@me"}), "https://discord.com/api/v10/users/@me");
  for (const char* dot : {"", ".", ".."})
    EXPECT_THROW(ids::api_url("https://discord.com/api/v10", {"channels", dot}), std::invalid_argument) << dot;
  EXPECT_THROW(ids::api_url("not a url", {"x"}), std::invalid_argument);

  // Query values stay values.
  std::string url = ids::api_url("https://graph.facebook.com/v21.0", {"106540352242922"}, {{"fields", "id&access_token=x#y"}});
  auto parsed = boost::urls::parse_absolute_uri(url);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->has_fragment());
  ASSERT_EQ(parsed->params().size(), 1u);
  EXPECT_EQ((*parsed->params().begin()).key, "fields");
  EXPECT_EQ((*parsed->params().begin()).value, "id&access_token=x#y");
}

TEST(Connectors, RecipientShapesAreChecked) {
  std::map<std::string, std::vector<std::string>> valid = {
      {"telegram", {"123456789", "-1001234567890", "@switchboard_news", "9223372036854775807"}},
      {"whatsapp", {"15551234567", "+15551234567"}},
      {"messenger", {"7000000000001", "24823510912345678"}},
      {"slack", {"C0123456789", "D1", "G024BE91L", "U0123ABCD"}},
      {"discord", {"112233445566778899", "interaction:aW50ZXJhY3Rpb246MTIz-abc_9"}},
      {"twilio", {"+15551234567", "whatsapp:+15551234567"}},
  };
  for (const auto& [platform, values] : valid)
    for (const auto& v : values) EXPECT_FALSE(connector(platform).check_recipient(v)) << platform << " " << v;
  std::map<std::string, std::vector<std::string>> invalid = {
      {"telegram", {"9223372036854775808", "--5", "-", "@ab", "@../x", "12a"}},
      {"whatsapp", {"+", "1555", "+1 555 0100", "15551234567+"}},
      {"messenger", {"me", "1234"}},
      {"slack", {"c0123", "#general", "X0123", "C", "C0123-4"}},
      {"discord", {"1234", "123456789012345678901", "99999999999999999999", "interaction:", "interaction:.",
                   "interaction:..", "interaction:../x", "interaction:a/b", "interaction:a b", "@me"}},
      {"twilio", {"15551234567", "+05551234567", "whatsapp:15551234567", "sms:+15551234567", "+1555"}},
  };
  for (const auto& [platform, values] : invalid)
    for (const auto& v : values) EXPECT_TRUE(connector(platform).check_recipient(v)) << platform << " " << v;
  for (const auto& [platform, values] : valid) {
    for (std::string good : values)
      for (const auto& h : hostile_values()) {
        EXPECT_TRUE(connector(platform).check_recipient(h)) << platform << " " << h;
        EXPECT_TRUE(connector(platform).check_recipient(good + h)) << platform << " " << good + h;
        EXPECT_TRUE(connector(platform).check_recipient(h + good)) << platform << " " << h + good;
      }
  }
}

// A client that only writes down what it was asked to fetch.
class RecordingClient final : public http::HttpClient {
 public:
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    urls.push_back(request.url);
    http::ClientResponse r;
    r.status = 200;
    r.body = "{}";
    return r;
  }
  std::vector<std::string> urls;
};

TEST(Connectors, StoredIdsOfTheWrongShapeNeverReachTheNetwork) {
  struct Case {
    std::string platform;
    Credentials credentials;
    std::string field;
  };
  std::vector<Case> cases = {
      {"telegram", {{"bot_token", "123456789:AAE/../../x?"}}, "bot_token"},
      {"whatsapp", {{"access_token", "EAAG0123456789012345678901"}, {"phone_number_id", "106540352242922/../me"},
                    {"app_secret", "0123456789abcdef0123456789abcdef"}, {"verify_token", "verify-me-please"}}, "phone_number_id"},
      {"messenger", {{"page_access_token", "EAAG0123456789012345678901"}, {"page_id", "%2e%2e%2f104626132345678"},
                     {"app_secret", "0123456789abcdef0123456789abcdef"}, {"verify_token", "verify-me-please"}}, "page_id"},
      {"discord", {{"application_id", "../../applications/@me#"},
                   {"public_key", "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"},
                   {"bot_token", "MTIzSecretDiscordBotToken.abcdefghijklmnopqrstuvwxyz0123456789"}}, "application_id"},
      {"twilio", {{"account_sid", "AC0123456789abcdef0123456789abcdef/Calls.json?"}, {"auth_token", "0123456789abcdef0123456789abcdef"},
                  {"from_number", "+15550001111"}}, "account_sid"},
  };
  PlatformEndpoints endpoints;
  for (const auto& c : cases) {
    RecordingClient client;
    const Connector& k = connector(c.platform);
    auto refused = k.refuse_unsafe(c.credentials);
    ASSERT_TRUE(refused) << c.platform;
    EXPECT_EQ(refused->kind, PlatformAnswer::Kind::refused);
    EXPECT_EQ(refused->message.find(c.credentials.at(c.field)), std::string::npos) << refused->message;
    std::string recipient = c.platform == "telegram" ? "42" : c.platform == "twilio" ? "+15551234567"
                            : c.platform == "discord" ? "112233445566778899" : "15551234567";
    auto sent = k.send({recipient, "hi"}, c.credentials, client, endpoints);
    EXPECT_EQ(sent.kind, PlatformAnswer::Kind::refused) << c.platform;
    EXPECT_TRUE(client.urls.empty()) << c.platform << " called " << (client.urls.empty() ? "" : client.urls[0]);
  }
  // A good account and a recipient of the wrong shape: refused too, without a call.
  RecordingClient client;
  Credentials discord{{"application_id", "112233445566778899"},
                      {"public_key", "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"},
                      {"bot_token", "MTIzSecretDiscordBotToken.abcdefghijklmnopqrstuvwxyz0123456789"}};
  EXPECT_FALSE(connector("discord").refuse_unsafe(discord));
  auto sent = connector("discord").send({"../../../applications/@me/x?y=1#", "hi"}, discord, client, endpoints);
  EXPECT_EQ(sent.kind, PlatformAnswer::Kind::refused);
  EXPECT_TRUE(client.urls.empty());
  sent = connector("discord").send({"112233445566778899", "hi"}, discord, client, endpoints);
  ASSERT_EQ(client.urls.size(), 1u);
  EXPECT_EQ(client.urls[0], "https://discord.com/api/v10/channels/112233445566778899/messages");
}

TEST(Connectors, DeliveriesWhoseReplyTargetIsHostileAreIgnoredNotAnswered) {
  auto one = [](std::string_view platform, const std::string& body) { return connector(platform).parse(post(body, {})); };
  auto ignored_only = [](const ParsedDelivery& d, const std::string& key) {
    EXPECT_FALSE(d.error);
    EXPECT_TRUE(d.messages.empty());
    ASSERT_EQ(d.ignored.size(), 1u);
    EXPECT_EQ(d.ignored[0], (std::pair<std::string, std::string>{key, "invalid_recipient"}));
  };
  ignored_only(one("discord", R"({"id":"9001","type":2,"token":"../../../applications/@me/x?y=1#","data":{"options":[{"value":"hi"}]},"user":{"id":"7"}})"),
               "9001");
  ignored_only(one("telegram", R"({"update_id":5,"message":{"text":"hi","from":{"id":1},"chat":{"id":"@x/../../y"}}})"), "5");
  ignored_only(one("slack", R"({"type":"event_callback","event_id":"Ev1","event":{"type":"message","text":"hi","user":"U1","channel":"C1/../../x"}})"),
               "Ev1");
  ignored_only(one("whatsapp", R"({"entry":[{"changes":[{"value":{"messages":[{"from":"1555%2f..","id":"wamid.1","type":"text","text":{"body":"hi"}}]}}]}]})"),
               "wamid.1");
  ignored_only(one("messenger", R"({"entry":[{"messaging":[{"sender":{"id":"../me"},"message":{"mid":"m_1","text":"hi"}}]}]})"), "m_1");
  ignored_only(one("twilio", "Body=hi&From=%2B15557654321%2F..%2Fx&MessageSid=SM1"), "SM1");
  // The same deliveries with proper ids are answered.
  auto ok = one("discord", R"({"id":"9002","type":2,"token":"aW50ZXJhY3Rpb24-abc","data":{"options":[{"value":"hi"}]},"user":{"id":"7"}})");
  ASSERT_EQ(ok.messages.size(), 1u);
  EXPECT_EQ(ok.messages[0].reply_to, "interaction:aW50ZXJhY3Rpb24-abc");
  EXPECT_EQ(one("twilio", "Body=hi&From=%2B15557654321&MessageSid=SM2").messages.size(), 1u);
}

// Discord signs the timestamp but sets no window; one like Slack's keeps a captured interaction
// from being replayed later.
TEST(Connectors, DiscordSignaturesExpireAfterFiveMinutesEitherWay) {
  Credentials c{{"public_key", "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"}};
  std::string sig =
      "c1098e97d711377f30225d53d94b89d43537f92e5b3afaddc590781b1f9f9d4b2eeab335d370be3b9a090bc61a85b86448bc140dcd195f"
      "1569c2bff181257607";
  auto at = [&](std::int64_t now, std::string ts = "1700000000") {
    return connector("discord").authenticate(
        post(R"({"type":1})", {{"X-Signature-Ed25519", sig}, {"X-Signature-Timestamp", ts}}, now), c);
  };
  EXPECT_TRUE(at(1700000000 + 300).accepted);
  EXPECT_TRUE(at(1700000000 - 300).accepted);
  EXPECT_TRUE(at(1700000000 + 240).accepted);
  for (std::int64_t now : {1700000000 + 301, 1700000000 - 301, 1700000000 + 86400, 1700000000 - 360}) {
    auto out = at(now);
    EXPECT_FALSE(out.accepted) << now;
    EXPECT_NE(out.reason.find("5-minute"), std::string::npos) << out.reason;
    EXPECT_FALSE(out.reply_body) << "no PONG for a stale PING";
  }
  for (const char* ts : {"1700000000abc", "-1700000000", " 1700000000", "1.7e9", "17000000000000000000", ""})
    EXPECT_FALSE(at(1700000000, ts).accepted) << ts;
}

TEST(Crypto, SealedCredentialsOpenOnlyWithTheirKeyAndOwner) {
  crypto::init();
  std::string key = crypto::random_bytes(32);
  std::string sealed = crypto::seal(key, R"({"bot_token":"123:secret"})", "int_1");
  EXPECT_EQ(sealed.find("secret"), std::string::npos);
  EXPECT_EQ(crypto::open(key, sealed, "int_1").value_or(""), R"({"bot_token":"123:secret"})");
  EXPECT_FALSE(crypto::open(key, sealed, "int_2"));                    // moved to another row
  EXPECT_FALSE(crypto::open(crypto::random_bytes(32), sealed, "int_1"));  // another key
  EXPECT_NE(crypto::seal(key, "same", "a"), crypto::seal(key, "same", "a"));  // fresh nonce each time
}

TEST(PlatformCall, ScrubRemovesEchoedSecrets) {
  Credentials c{{"bot_token", "123456:SECRETSECRET"}, {"x", "abc"}};
  EXPECT_EQ(scrub("bad token 123456:SECRETSECRET here, abc", c), "bad token [redacted] here, abc");
  EXPECT_EQ(seconds_text(5000), "5 s");
  EXPECT_EQ(seconds_text(300), "0.3 s");
}

}  // namespace
}  // namespace sb::integrations
