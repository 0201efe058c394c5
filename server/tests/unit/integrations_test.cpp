// Connectors without a network: signature checks against PLATFORMS.md §10 vectors, handshakes,
// credential shapes, and sealed credentials.
#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "integrations/connector.hpp"
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
