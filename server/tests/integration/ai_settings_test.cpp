// Per-organisation AI settings through the HTTP API: an organisation's own OpenRouter key (checked
// with OpenRouter, sealed, never shown, used before the installation's), the installation setting
// that forbids the shared key, the models an organisation's bots may use, and OpenRouter's model list.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/logging.hpp"
#include "fakes/fake_openrouter.hpp"
#include "integration/harness.hpp"
#include "integration/teams_fixture.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

constexpr const char* kInstallationKey = "sk-or-v1-installation-0000000000";
constexpr const char* kOrgKey = "sk-or-v1-acme-own-key-7f3a9c51d2e8";

std::string str(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }

class AiSettingsTest : public ServerTest {
 protected:
  void configure(Config& c) override {
    c.openrouter_api_key = kInstallationKey;
    c.openrouter_base_url = fake.base_url();
    c.ai_timeout_ms = 2000;
    c.ai_shared_key = shared_key;
  }
  void SetUp() override {
    ServerTest::SetUp();
    owner = agent();
    owner.signup(unique_email("owner"));
    org_id = str(owner.get("/api/auth/session").json().at("organization").at("id"));
    auto bot = owner.post("/api/bots", {{"name", "Concierge"}, {"model", "anthropic/claude-3.5-haiku"},
                                        {"fallback_message", "A colleague will answer soon."}});
    ASSERT_EQ(bot.status, 201) << bot.body;
    bot_id = str(bot.json().at("id"));
  }
  Reply settings(Agent& who) { return who.get("/api/orgs/" + org_id + "/ai"); }
  Reply put(Agent& who, const json::object& body) {
    return who.send("PUT", "/api/orgs/" + org_id + "/ai", json::serialize(body));
  }
  // The source of the reply the test console gets, and the Authorization header the fake saw last.
  std::pair<std::string, std::string> chat(Agent& who, const std::string& bot) {
    auto calls = fake.seen().size();
    auto r = who.post("/api/bots/" + bot + "/chat", {{"text", "hello"}});
    EXPECT_EQ(r.status, 200) << r.body;
    auto seen = fake.seen();
    std::string auth = seen.size() > calls ? seen.back().authorization : "";
    return {r.status == 200 ? str(r.json().at("reply").at("source")) : "", auth};
  }

  bool shared_key = true;
  FakeOpenRouter fake;
  Agent owner{""};
  std::string org_id, bot_id;
};

TEST_F(AiSettingsTest, OwnKeyIsCheckedSealedUsedFirstAndNeverShown) {
  log::init("debug");
  ::testing::internal::CaptureStderr();
  std::string captured;
  auto before = settings(owner);
  ASSERT_EQ(before.status, 200) << before.body;
  captured += before.body;
  EXPECT_TRUE(before.json().at("own_key").is_null());
  EXPECT_EQ(str(before.json().at("using")), "installation");
  EXPECT_EQ(str(before.json().at("installation_key")), "available");
  EXPECT_TRUE(before.json().at("can_manage").as_bool());
  EXPECT_EQ(chat(owner, bot_id), std::make_pair(std::string("ai"), "Bearer " + std::string(kInstallationKey)));

  // A key OpenRouter rejects is not saved.
  auto rejected = put(owner, {{"api_key", "sk-or-bad-0123456789"}});
  captured += rejected.body;
  EXPECT_EQ(rejected.status, 422) << rejected.body;
  EXPECT_EQ(str(rejected.json().at("error").at("details").at("fields").at("api_key")), "OpenRouter rejected this key (401).");
  EXPECT_EQ(str(settings(owner).json().at("using")), "installation");
  EXPECT_EQ(fake.stats().key_checks, 1);

  // A good one is, and from then on this organisation's replies use it.
  auto saved = put(owner, {{"api_key", std::string("  ") + kOrgKey + "\n"}});  // pasted with whitespace
  captured += saved.body;
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(str(saved.json().at("using")), "organization");
  EXPECT_FALSE(saved.json().at("own_key").at("set_at").is_null());
  EXPECT_FALSE(saved.json().at("own_key").at("verified_at").is_null());
  EXPECT_EQ(str(saved.json().at("health").at("state")), "ok");
  EXPECT_EQ(chat(owner, bot_id), std::make_pair(std::string("ai"), "Bearer " + std::string(kOrgKey)));

  // Another organisation still uses the installation's key.
  Agent other = agent();
  other.signup(unique_email("other"));
  auto other_bot = other.post("/api/bots", {{"name", "Other"}});
  ASSERT_EQ(other_bot.status, 201) << other_bot.body;
  EXPECT_EQ(chat(other, str(other_bot.json().at("id"))).second, "Bearer " + std::string(kInstallationKey));
  // …and cannot see or change this organisation's settings: it does not exist for them.
  EXPECT_EQ(settings(other).status, 404);
  EXPECT_EQ(put(other, {{"allowed_models", json::array{}}}).status, 404);

  // Stored sealed: the plaintext is nowhere in the row.
  {
    auto conn = app->database().acquire();
    auto row = conn->query_one("SELECT key_sealed, key_key_id FROM org_ai_settings WHERE org_id = $1", {org_id});
    ASSERT_TRUE(row);
    EXPECT_EQ(row->text("key_sealed").find("acme-own-key"), std::string::npos);
    EXPECT_FALSE(row->text("key_key_id").empty());
  }
  // Nothing the server says shows it: settings, status, debug, the audit log, the bots.
  for (const char* path : {"/api/ai/status", "/api/debug", "/api/bots", "/api/ai/models"}) captured += owner.get(path).body;
  captured += settings(owner).body;
  auto audit = owner.get("/api/orgs/" + org_id + "/audit");
  captured += audit.body;
  EXPECT_NE(audit.body.find("ai.key_set"), std::string::npos) << "setting the key is in the audit log";

  // Removing it goes back to the installation's key.
  auto removed = owner.send("DELETE", "/api/orgs/" + org_id + "/ai/key");
  captured += removed.body;
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(removed.json().at("own_key").is_null());
  EXPECT_EQ(str(removed.json().at("using")), "installation");
  EXPECT_EQ(chat(owner, bot_id).second, "Bearer " + std::string(kInstallationKey));
  EXPECT_NE(owner.get("/api/orgs/" + org_id + "/audit").body.find("ai.key_removed"), std::string::npos);

  std::string logs = ::testing::internal::GetCapturedStderr();
  log::init("error");
  EXPECT_EQ(captured.find("acme-own-key"), std::string::npos) << "an answer showed the key";
  EXPECT_EQ(captured.find("installation-0000"), std::string::npos) << "an answer showed the installation key";
  EXPECT_EQ(logs.find("acme-own-key"), std::string::npos) << "the log showed the key";
  EXPECT_EQ(logs.find("sk-or-bad"), std::string::npos) << "the log showed a rejected key";
}

TEST_F(AiSettingsTest, HostileOrBrokenInputIsRefusedAndNothingIsCalledOrSaved) {
  const std::vector<std::string> bodies = {
      R"({"api_key":"sk-or-v1-abc\r\nX-Injected: 1"})",   // header injection
      R"({"api_key":"sk-or v1 with spaces"})",
      R"({"api_key":""})",
      "{\"api_key\":\"" + std::string(300, 'k') + "\"}",
      R"({"api_key":42})",
      R"({"allowed_models":"openai/gpt-4o-mini"})",
      R"({"allowed_models":["openai/gpt-4o-mini", 7]})",
      R"({"allowed_models":["../../etc/passwd"]})",
      R"({"allowed_models":["openai/gpt-4o-mini\nx"]})",
      R"({"allowed_models":["Bad/Vendor"]})",
      R"({})",
  };
  for (const auto& body : bodies) {
    auto r = owner.send("PUT", "/api/orgs/" + org_id + "/ai", body);
    EXPECT_EQ(r.status, 422) << body << " → " << r.body;
    EXPECT_EQ(r.error_code(), "validation_failed") << body;
  }
  EXPECT_EQ(owner.send("PUT", "/api/orgs/" + org_id + "/ai", "{not json").status, 400);
  EXPECT_EQ(fake.stats().key_checks, 0) << "no bad key reached OpenRouter";
  auto now = settings(owner).json();
  EXPECT_TRUE(now.at("own_key").is_null());
  EXPECT_TRUE(now.at("allowed_models").as_array().empty());
  // A hundred and one distinct models is too many.
  json::array many;
  for (int i = 0; i < 101; ++i) many.push_back(json::value("vendor/model-" + std::to_string(i)));
  EXPECT_EQ(put(owner, {{"allowed_models", many}}).status, 422);
}

TEST_F(AiSettingsTest, OpenRouterUnreachableWhileCheckingSavesNothing) {
  fake.set_key_status(503);
  auto r = put(owner, {{"api_key", kOrgKey}, {"allowed_models", json::array{"openai/gpt-4o-mini"}}});
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_NE(str(r.json().at("error").at("message")).find("Nothing was saved"), std::string::npos) << r.body;
  auto now = settings(owner).json();
  EXPECT_TRUE(now.at("own_key").is_null());
  EXPECT_TRUE(now.at("allowed_models").as_array().empty()) << "the model list in the same request was not saved either";
}

TEST_F(AiSettingsTest, MembersSeeTheSettingsButOnlyOwnersAndAdminsChangeThem) {
  Agent member = agent();
  std::string email = unique_email("member");
  member.signup(email);
  auto invite = owner.post("/api/orgs/" + org_id + "/invites", {{"email", email}, {"role", "member"}});
  ASSERT_EQ(invite.status, 201) << invite.body;
  auto accepted = member.post("/api/invites/accept", {{"token", token_from_url(str(invite.json().at("accept_url")))}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  auto seen = settings(member);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_FALSE(seen.json().at("can_manage").as_bool());
  EXPECT_EQ(put(member, {{"allowed_models", json::array{"openai/gpt-4o-mini"}}}).status, 403);
  EXPECT_EQ(put(member, {{"api_key", kOrgKey}}).status, 403);
  EXPECT_EQ(member.send("DELETE", "/api/orgs/" + org_id + "/ai/key").status, 403);
  EXPECT_EQ(fake.stats().key_checks, 0);
  EXPECT_TRUE(settings(owner).json().at("allowed_models").as_array().empty());
}

class AiSharedKeyForbiddenTest : public AiSettingsTest {
 protected:
  void configure(Config& c) override {
    shared_key = false;
    AiSettingsTest::configure(c);
  }
};

TEST_F(AiSharedKeyForbiddenTest, WithoutItsOwnKeyAnOrganisationGetsTemplatesOnly) {
  auto before = settings(owner).json();
  EXPECT_EQ(str(before.at("installation_key")), "forbidden");
  EXPECT_EQ(str(before.at("using")), "none");
  EXPECT_EQ(str(before.at("health").at("state")), "off");
  EXPECT_EQ(chat(owner, bot_id), std::make_pair(std::string("fallback"), std::string()));
  EXPECT_FALSE(owner.get("/api/ai/status").json().at("configured").as_bool());
  ASSERT_EQ(put(owner, {{"api_key", kOrgKey}}).status, 200);
  EXPECT_EQ(chat(owner, bot_id), std::make_pair(std::string("ai"), "Bearer " + std::string(kOrgKey)));
}

TEST_F(AiSettingsTest, RestrictedModelsBindNewChoicesWhileOlderBotsKeepAnswering) {
  // Concierge uses anthropic/claude-3.5-haiku; the organisation now allows two others.
  auto restricted = put(owner, {{"allowed_models", json::array{"openai/gpt-4o-mini", "google/gemini-flash-1.5",
                                                               "openai/gpt-4o-mini"}}});
  ASSERT_EQ(restricted.status, 200) << restricted.body;
  EXPECT_EQ(restricted.json().at("allowed_models").as_array().size(), 2u) << "duplicates dropped";
  EXPECT_NE(owner.get("/api/orgs/" + org_id + "/audit").body.find("ai.models_changed"), std::string::npos);

  auto outside = owner.post("/api/bots", {{"name", "Outside"}, {"model", "meta-llama/llama-3.1-8b-instruct"}});
  EXPECT_EQ(outside.status, 422) << outside.body;
  EXPECT_NE(str(outside.json().at("error").at("details").at("fields").at("model")).find("openai/gpt-4o-mini, google/gemini-flash-1.5"),
            std::string::npos)
      << outside.body;
  auto inside = owner.post("/api/bots", {{"name", "Inside"}, {"model", "google/gemini-flash-1.5"}});
  ASSERT_EQ(inside.status, 201) << inside.body;
  EXPECT_TRUE(inside.json().at("model_allowed").as_bool());

  // The older bot is flagged and keeps answering with its model.
  auto old = owner.get("/api/bots/" + bot_id).json();
  EXPECT_FALSE(old.at("model_allowed").as_bool());
  EXPECT_EQ(chat(owner, bot_id).first, "ai");
  EXPECT_EQ(fake.seen().back().body.at("model").as_string(), "anthropic/claude-3.5-haiku");
  bool flagged_in_list = false;
  auto listed = owner.get("/api/bots").json();
  for (const auto& b : listed.at("items").as_array())
    if (str(b.at("id")) == bot_id) flagged_in_list = !b.at("model_allowed").as_bool();
  EXPECT_TRUE(flagged_in_list);
  // Changes that leave the model alone go through; choosing the model means choosing an allowed one.
  EXPECT_EQ(owner.patch("/api/bots/" + bot_id, {{"greeting", "Welcome!"}}).status, 200);
  EXPECT_EQ(owner.patch("/api/bots/" + bot_id, {{"model", "anthropic/claude-3.5-haiku"}}).status, 422);
  EXPECT_EQ(owner.post("/api/bots/" + bot_id + "/duplicate", json::object{}).status, 422) << "no new bot outside the list";
  auto fixed = owner.patch("/api/bots/" + bot_id, {{"model", "openai/gpt-4o-mini"}});
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_TRUE(fixed.json().at("model_allowed").as_bool());

  // An empty list allows every model again.
  ASSERT_EQ(put(owner, {{"allowed_models", json::array{}}}).status, 200);
  EXPECT_EQ(owner.post("/api/bots", {{"name", "Outside"}, {"model", "meta-llama/llama-3.1-8b-instruct"}}).status, 201);
}

TEST_F(AiSettingsTest, ModelListComesFromOpenRouterOnceAndSkipsWhatIsNotAModel) {
  auto first = owner.get("/api/ai/models");
  ASSERT_EQ(first.status, 200) << first.body;
  auto models = first.json().at("models").as_array();
  ASSERT_EQ(models.size(), 4u) << first.body;
  EXPECT_EQ(str(models[0].at("id")), "anthropic/claude-3.5-haiku") << "sorted by id";
  EXPECT_EQ(str(models[0].at("name")), "Anthropic: Claude 3.5 Haiku");
  EXPECT_EQ(models[0].at("context_length").as_int64(), 200000);
  EXPECT_EQ(str(models[0].at("prompt_price")), "0.0000008");
  EXPECT_TRUE(first.json().at("error").is_null());
  EXPECT_FALSE(first.json().at("fetched_at").is_null());
  EXPECT_EQ(owner.get("/api/ai/models").status, 200);
  EXPECT_EQ(fake.stats().model_lists, 1) << "the list is cached";
  EXPECT_EQ(agent().get("/api/ai/models").status, 401);
}

TEST_F(AiSettingsTest, ModelListSaysWhyWhenOpenRouterFails) {
  fake.set_models_status(500);
  auto r = owner.get("/api/ai/models");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json().at("models").as_array().empty());
  EXPECT_EQ(str(r.json().at("error")), "OpenRouter answered 500.") << r.body;
  // The picker still works as free text: any valid id may be saved.
  EXPECT_EQ(owner.patch("/api/bots/" + bot_id, {{"model", "mistralai/mistral-small"}}).status, 200);
}

TEST_F(AiSettingsTest, MasterKeyRotationKeepsTheOrganisationKey) {
  ASSERT_EQ(put(owner, {{"api_key", kOrgKey}}).status, 200);
  app->stop();
  std::string out = config.data_dir + "/rotate.out";
  std::string cmd = std::string(SB_BINARY_PATH) + " admin rotate-master-key --data-dir '" + config.data_dir +
                    "' --database-url '" + config.database_url + "' > '" + out + "' 2>&1";
  int rc = std::system(cmd.c_str());
  std::ifstream said(out);
  std::string output((std::istreambuf_iterator<char>(said)), std::istreambuf_iterator<char>());
  ASSERT_EQ(WEXITSTATUS(rc), 0) << output;
  EXPECT_NE(output.find("1 organization OpenRouter key(s)"), std::string::npos) << output;
  restart();
  Agent again(base_url);
  again.cookie = owner.cookie;
  again.csrf = owner.csrf;
  EXPECT_EQ(chat(again, bot_id), std::make_pair(std::string("ai"), "Bearer " + std::string(kOrgKey)));
}

}  // namespace
}  // namespace sb::test
