// The web chat widget over real HTTP: the deployment's look in the widget config, server-signed
// visitor tokens, a returning visitor's history (to its holder only), and signed identities.
#include "core/crypto.hpp"
#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

class WidgetTest : public ServerTest {
 protected:
  const Clock* clock() override { return &test_clock; }
  void SetUp() override {
    ServerTest::SetUp();
    owner = agent();
    owner.signup(unique_email("owner"));
    auto bot = owner.post("/api/bots", {{"name", "Shop"}, {"greeting", "Hi there"}, {"fallback_message", "Noted."}});
    ASSERT_EQ(bot.status, 201) << bot.body;
    bot_id = std::string(bot.json().at("id").as_string());
    auto dep = owner.post("/api/deployments", {{"bot_id", bot_id},
                                               {"channel", "webchat"},
                                               {"allowed_origins", json::array{"https://shop.example.com"}}});
    ASSERT_EQ(dep.status, 201) << dep.body;
    deployment_id = std::string(dep.json().at("id").as_string());
    key = std::string(dep.json().at("key").as_string());
  }
  std::string new_token() { return std::string(agent().get("/widget/" + key).json().at("visitor_token").as_string()); }
  Reply say(const std::string& token, const std::string& text, json::object extra = {}) {
    extra["visitor_token"] = token;
    extra["text"] = text;
    return agent().send("POST", "/widget/" + key + "/messages", json::serialize(extra));
  }
  Reply history(const std::string& token) {
    Headers h;
    if (!token.empty()) h.emplace_back("X-Visitor-Token", token);
    return agent().send("GET", "/widget/" + key + "/history", "", h);
  }
  // The display name of the newest conversation, as the team sees it.
  std::string latest_name() {
    auto items = owner.get("/api/conversations?bot_id=" + bot_id).json().at("items").as_array();
    return items.empty() ? "(none)" : std::string(items[0].at("display_name").as_string());
  }
  std::string identity_secret() {
    auto r = owner.send("POST", "/api/deployments/" + deployment_id + "/identity-secret");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("identity_secret").as_string());
  }
  static json::object identity(const std::string& secret, const std::string& id, const std::string& name,
                               std::int64_t expires) {
    std::string e = std::to_string(expires);
    return {{"id", id}, {"name", name}, {"expires", e},
            {"signature", crypto::to_hex(crypto::hmac_sha256(secret, id + "\n" + name + "\n" + e))}};
  }
  std::int64_t now_s() const { return test_clock.now_ms() / 1000; }

  TestClock test_clock;
  Agent owner{""};
  std::string bot_id, deployment_id, key;
};

TEST_F(WidgetTest, AppearanceIsSavedValidatedAndGivenToTheWidget) {
  auto fresh = agent().get("/widget/" + key).json();
  EXPECT_EQ(fresh.at("appearance").at("color").as_string(), "#4f46e5") << "default colour";
  EXPECT_EQ(fresh.at("appearance").at("position").as_string(), "right");
  EXPECT_EQ(fresh.at("appearance").at("theme").as_string(), "system");
  EXPECT_EQ(fresh.at("bot").at("greeting").as_string(), "Hi there") << "no greeting of its own: the bot's";

  auto saved = owner.patch("/api/deployments/" + deployment_id,
                           {{"color", "#FF8800"}, {"position", "left"}, {"launcher_label", "Ask us ✨"},
                            {"greeting", "Welcome to the shop!"}, {"theme", "dark"}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.json().at("color").as_string(), "#ff8800");
  EXPECT_FALSE(saved.json().at("identity_secret_set").as_bool());
  auto info = agent().get("/widget/" + key).json();
  EXPECT_EQ(info.at("appearance").at("color").as_string(), "#ff8800");
  EXPECT_EQ(info.at("appearance").at("position").as_string(), "left");
  EXPECT_EQ(info.at("appearance").at("launcher_label").as_string(), "Ask us ✨");
  EXPECT_EQ(info.at("appearance").at("theme").as_string(), "dark");
  EXPECT_EQ(info.at("bot").at("greeting").as_string(), "Welcome to the shop!");

  // Bad values: every field named, nothing changed.
  auto bad = owner.patch("/api/deployments/" + deployment_id,
                         {{"color", "red"}, {"position", "top"}, {"launcher_label", std::string(41, 'x')},
                          {"greeting", "a\nb" + std::string(600, 'x')}, {"theme", "neon"}});
  EXPECT_EQ(bad.status, 422);
  auto fields = bad.json().at("error").at("details").at("fields").as_object();
  for (const char* f : {"color", "position", "launcher_label", "greeting", "theme"}) EXPECT_TRUE(fields.contains(f)) << f;
  for (const char* colour : {"#12345", "#1234567", "#12345g", "12345678", "#ff880"})
    EXPECT_EQ(owner.patch("/api/deployments/" + deployment_id, {{"color", colour}}).status, 422) << colour;
  EXPECT_EQ(owner.patch("/api/deployments/" + deployment_id, {{"color", 5}}).status, 422) << "wrong type";
  EXPECT_EQ(owner.patch("/api/deployments/" + deployment_id, {{"launcher_label", std::string(40, 'x')}}).status, 200)
      << "40 characters fit";
  EXPECT_EQ(owner.patch("/api/deployments/" + deployment_id, {{"launcher_label", "ä" + std::string(39, 'x')}}).status, 200)
      << "characters, not bytes";
  EXPECT_EQ(agent().get("/widget/" + key).json().at("appearance").at("color").as_string(), "#ff8800");
  auto created = owner.post("/api/deployments", {{"bot_id", bot_id}, {"channel", "webchat"}, {"color", "blue"}});
  EXPECT_EQ(created.status, 422) << "validated on create too";
}

TEST_F(WidgetTest, VisitorTokensAreIssuedSignedAndChecked) {
  std::string token = new_token();
  EXPECT_EQ(token.rfind("vt1.", 0), 0u) << token;
  EXPECT_NE(new_token(), token) << "random";
  // A valid token is given back as it is; a forged one is replaced.
  Headers h{{"X-Visitor-Token", token}};
  EXPECT_EQ(agent().send("GET", "/widget/" + key, "", h).json().at("visitor_token").as_string(), token);
  std::string tampered = token;
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  Headers t{{"X-Visitor-Token", tampered}};
  EXPECT_NE(agent().send("GET", "/widget/" + key, "", t).json().at("visitor_token").as_string(), tampered);

  EXPECT_EQ(say(token, "hello").status, 200);
  for (const std::string& bad : {std::string(""), tampered, std::string("v_chosen_by_me"), token + "0",
                                 std::string("vt1..") , std::string(5000, 'x')}) {
    auto r = say(bad, "hello");
    EXPECT_EQ(r.status, 401) << bad.substr(0, 40);
    EXPECT_EQ(r.error_code(), "invalid_visitor_token");
  }
  auto old = agent().send("POST", "/widget/" + key + "/messages", R"({"visitor_id":"v1","text":"hi"})");
  EXPECT_EQ(old.status, 401) << "a client-chosen visitor id is no longer trusted";
  auto items = owner.get("/api/conversations?bot_id=" + bot_id).json().at("items").as_array();
  ASSERT_EQ(items.size(), 1u) << "refused messages recorded nothing";
  EXPECT_EQ(items[0].at("message_count").as_int64(), 2);
}

TEST_F(WidgetTest, HistoryGoesOnlyToItsHolder) {
  std::string alice = new_token(), bob = new_token();
  auto empty = history(alice);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_TRUE(empty.json().at("session_id").is_null());
  EXPECT_TRUE(empty.json().at("messages").as_array().empty());

  ASSERT_EQ(say(alice, "Alice's secret order").status, 200);
  ASSERT_EQ(say(bob, "Bob's question").status, 200);
  auto mine = history(alice);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.header("cache-control"), "no-store");
  auto lines = mine.json().at("messages").as_array();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].at("direction").as_string(), "in");
  EXPECT_EQ(lines[0].at("text").as_string(), "Alice's secret order");
  EXPECT_EQ(lines[1].at("text").as_string(), "Noted.");
  EXPECT_EQ(mine.body.find("Bob"), std::string::npos);
  EXPECT_EQ(history(bob).body.find("Alice"), std::string::npos) << "never another visitor's messages";

  std::string tampered = alice;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  for (const std::string& bad : {std::string(""), tampered, std::string("vt1.abc.def")}) {
    auto r = history(bad);
    EXPECT_EQ(r.status, 401) << bad;
    EXPECT_EQ(r.error_code(), "invalid_visitor_token");
    EXPECT_EQ(r.body.find("Alice"), std::string::npos);
  }
  // Another bot's chat does not show this one's conversation, even to its holder.
  auto other_bot = owner.post("/api/bots", {{"name", "Other"}});
  auto other = owner.post("/api/deployments", {{"bot_id", other_bot.json().at("id")}, {"channel", "webchat"}});
  std::string other_key(other.json().at("key").as_string());
  auto elsewhere = agent().send("GET", "/widget/" + other_key + "/history", "", {{"X-Visitor-Token", alice}});
  EXPECT_EQ(elsewhere.status, 200);
  EXPECT_EQ(elsewhere.body.find("Alice"), std::string::npos);
  // From a site that is not allowed: refused.
  auto foreign = agent().send("GET", "/widget/" + key + "/history", "",
                              {{"X-Visitor-Token", alice}, {"Origin", "https://evil.example.net"}});
  EXPECT_EQ(foreign.status, 403);
  // The browser may send the header: the preflight says so for an allowed origin.
  auto preflight = agent().send("OPTIONS", "/widget/" + key + "/history", "", {{"Origin", "https://shop.example.com"}});
  EXPECT_NE(preflight.header("access-control-allow-headers").find("X-Visitor-Token"), std::string::npos);
}

TEST_F(WidgetTest, SignedIdentityNamesTheVisitorOnlyWhenValid) {
  std::string secret = identity_secret();
  EXPECT_EQ(secret.size(), 64u);
  EXPECT_TRUE(owner.get("/api/deployments?bot_id=" + bot_id).json().at("items").at(0).at("identity_secret_set").as_bool());
  EXPECT_EQ(owner.get("/api/deployments?bot_id=" + bot_id).body.find(secret), std::string::npos) << "shown once";

  auto named = [&](json::object id) {
    std::string token = new_token();
    auto r = say(token, "hello", {{"identity", std::move(id)}});
    EXPECT_EQ(r.status, 200) << r.body;
    return latest_name();
  };
  EXPECT_EQ(named(identity(secret, "u_42", "Ada Lovelace", now_s() + 600)), "Ada Lovelace");
  EXPECT_EQ(named(identity(secret, "u_43", "Eve", now_s() - 1)), "Visitor") << "expired";
  EXPECT_EQ(named(identity("wrong secret", "u_44", "Mallory", now_s() + 600)), "Visitor") << "wrong signature";
  auto altered = identity(secret, "u_45", "Bob", now_s() + 600);
  altered["name"] = "Admin";
  EXPECT_EQ(named(altered), "Visitor") << "name changed after signing";
  auto unsigned_ = identity(secret, "u_46", "Carol", now_s() + 600);
  unsigned_.erase("signature");
  EXPECT_EQ(named(unsigned_), "Visitor") << "missing signature";
  EXPECT_EQ(named({}), "Visitor") << "no identity";
  EXPECT_EQ(say(new_token(), "hello", {{"identity", "Ada"}}).status, 200) << "a malformed identity is ignored";

  // Rotating replaces the secret: what the old one signed is no longer believed.
  std::string next = identity_secret();
  EXPECT_NE(next, secret);
  EXPECT_EQ(named(identity(secret, "u_47", "Old Key", now_s() + 600)), "Visitor");
  EXPECT_EQ(named(identity(next, "u_48", "New Key", now_s() + 600)), "New Key");
  // The secret is kept sealed, never in plain text.
  auto conn = app->database().acquire();
  auto row = conn->query_one("SELECT identity_secret_sealed FROM deployments WHERE id = $1", {deployment_id});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text("identity_secret_sealed").find(next), std::string::npos);
}

TEST_F(WidgetTest, IdentitySecretIsForOwnersAndAdminsOfTheOrgAndAudited) {
  Agent stranger = agent();
  stranger.signup(unique_email("stranger"));
  EXPECT_EQ(stranger.send("POST", "/api/deployments/" + deployment_id + "/identity-secret").status, 404)
      << "another organisation's deployment";
  EXPECT_EQ(owner.send("POST", "/api/deployments/dep_missing/identity-secret").status, 404);
  auto actions = [&] {
    std::string out;
    auto conn = app->database().acquire();
    for (const auto& r : conn->query("SELECT action FROM audit_events WHERE action LIKE 'deployment.identity%' "
                                     "ORDER BY created_at, id", {}))
      out += r.text("action") + " ";
    return out;
  };
  std::string secret = identity_secret();
  EXPECT_EQ(actions(), "deployment.identity_secret_created ");
  identity_secret();
  EXPECT_EQ(actions(), "deployment.identity_secret_created deployment.identity_secret_rotated ");
  auto conn = app->database().acquire();
  auto row = conn->query_one("SELECT COUNT(*) AS n FROM audit_events WHERE CAST(before_json AS TEXT) LIKE $1 OR "
                             "CAST(after_json AS TEXT) LIKE $1", {"%" + secret + "%"});
  EXPECT_EQ(row->integer("n"), 0) << "the secret is not in the log";
}

}  // namespace
}  // namespace sb::test
