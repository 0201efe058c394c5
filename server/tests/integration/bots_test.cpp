// Bots, templates and the public web chat over real HTTP.
#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

class BotsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    owner = agent();
    owner.signup("owner@example.com");
  }
  std::string create_bot(const std::string& name, json::object extra = {}) {
    extra["name"] = name;
    auto r = owner.post("/api/bots", extra);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(r.json().at("id").as_string()) : "";
  }
  json::object fields_of(const Reply& r) {
    EXPECT_EQ(r.status, 422) << r.body;
    return r.status == 422 ? r.json().at("error").at("details").at("fields").as_object() : json::object{};
  }
  Agent owner{""};
};

TEST_F(BotsTest, CreateReadUpdateWithVersions) {
  std::string id = create_bot("Support", {{"greeting", "Welcome!"}, {"temperature", 0.2}, {"ask_satisfaction", true}});
  auto bot = owner.get("/api/bots/" + id).json();
  EXPECT_EQ(bot.at("greeting").as_string(), "Welcome!");
  EXPECT_EQ(bot.at("model").as_string(), "openai/gpt-4o-mini") << "a sensible default";
  EXPECT_EQ(bot.at("version").as_int64(), 1);
  auto edited = owner.patch("/api/bots/" + id, {{"greeting", "Hello again"}, {"max_tokens", 256}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json().at("version").as_int64(), 2);
  EXPECT_EQ(edited.json().at("greeting").as_string(), "Hello again");
  EXPECT_TRUE(edited.json().at("ask_satisfaction").as_bool()) << "fields not sent keep their values";
  EXPECT_NE(edited.json().at("updated_at"), bot.at("updated_at"));
}

TEST_F(BotsTest, EveryFieldIsValidatedAndNothingChanges) {
  auto r = owner.post("/api/bots", {{"name", ""}, {"avatar_color", "blue"}, {"model", "gpt 4"}, {"temperature", 3},
                                    {"max_tokens", 0}, {"language", "English"}, {"history_turns", 99},
                                    {"fallback_message", ""}, {"avatar_url", "ftp://x"}});
  auto fields = fields_of(r);
  for (const char* f : {"name", "avatar_color", "model", "temperature", "max_tokens", "language", "history_turns",
                        "fallback_message", "avatar_url"})
    EXPECT_TRUE(fields.contains(f)) << f;
  auto types = owner.post("/api/bots", {{"name", "X"}, {"temperature", "hot"}, {"ask_satisfaction", "yes"},
                                        {"template_ids", "all"}});
  auto type_fields = fields_of(types);
  EXPECT_TRUE(type_fields.contains("temperature"));
  EXPECT_TRUE(type_fields.contains("ask_satisfaction"));
  EXPECT_TRUE(type_fields.contains("template_ids"));
  EXPECT_TRUE(owner.get("/api/bots").json().at("items").as_array().empty()) << "nothing was created";
  std::string id = create_bot("Valid");
  fields_of(owner.patch("/api/bots/" + id, {{"temperature", -1}}));
  EXPECT_EQ(owner.get("/api/bots/" + id).json().at("version").as_int64(), 1) << "a refused edit changes nothing";
}

TEST_F(BotsTest, NamesAreUniquePerOrganization) {
  create_bot("Front desk");
  auto dup = owner.post("/api/bots", {{"name", "Front desk"}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_TRUE(dup.json().at("error").at("details").at("fields").as_object().contains("name"));
  Agent other = agent();
  other.signup("other@example.com");
  EXPECT_EQ(other.post("/api/bots", {{"name", "Front desk"}}).status, 201) << "another organisation may use it";
}

TEST_F(BotsTest, TemplateWithoutPhrasesMustBeMarkedManual) {
  // A template with no trigger phrase never fires on its own: saving one silently hid that.
  auto silent = owner.post("/api/templates", {{"name", "Refunds"}, {"body", "Refunds take 5 days."}});
  EXPECT_EQ(silent.status, 422) << silent.body;
  EXPECT_EQ(silent.error_code(), "validation_failed");
  auto fields = fields_of(silent);
  ASSERT_TRUE(fields.contains("trigger_phrases")) << silent.body;
  EXPECT_NE(std::string(fields.at("trigger_phrases").as_string()).find("manual"), std::string::npos);
  EXPECT_EQ(fields_of(owner.post("/api/templates", {{"name", "Refunds"}, {"trigger_phrases", json::array{}},
                                                    {"manual", false}, {"body", "Refunds take 5 days."}}))
                .count("trigger_phrases"),
            1u);
  EXPECT_TRUE(fields_of(owner.post("/api/templates", {{"name", "Refunds"}, {"manual", "yes"}, {"body", "x"}}))
                  .contains("manual"))
      << "manual must be true or false";
  EXPECT_EQ(owner.get("/api/templates").json().at("items").as_array().size(), 0u) << "refused saves keep nothing";

  auto manual = owner.post("/api/templates", {{"name", "Refunds"}, {"manual", true}, {"body", "Refunds take 5 days."}});
  ASSERT_EQ(manual.status, 201) << manual.body;
  EXPECT_TRUE(manual.json().at("manual").as_bool());
  std::string id(manual.json().at("id").as_string());
  EXPECT_TRUE(owner.get("/api/templates/" + id).json().at("manual").as_bool()) << "stored, not only echoed";
  EXPECT_TRUE(owner.get("/api/templates").json().at("items").at(0).at("manual").as_bool());

  // Turning manual off without adding a phrase is refused and changes nothing; with a phrase it saves.
  EXPECT_TRUE(fields_of(owner.patch("/api/templates/" + id, {{"manual", false}})).contains("trigger_phrases"));
  EXPECT_TRUE(owner.get("/api/templates/" + id).json().at("manual").as_bool());
  auto fired = owner.patch("/api/templates/" + id, {{"manual", false}, {"trigger_phrases", json::array{"refund"}}});
  ASSERT_EQ(fired.status, 200) << fired.body;
  EXPECT_FALSE(owner.get("/api/templates/" + id).json().at("manual").as_bool());
  // Removing the last phrase of a triggered template is refused too.
  EXPECT_TRUE(fields_of(owner.patch("/api/templates/" + id, {{"trigger_phrases", json::array{}}})).contains("trigger_phrases"));
  auto triggered = owner.post("/api/templates", {{"name", "Hours"}, {"trigger_phrases", json::array{"hours"}}, {"body", "9 to 5"}});
  ASSERT_EQ(triggered.status, 201) << triggered.body;
  EXPECT_FALSE(triggered.json().at("manual").as_bool()) << "a template with phrases is not manual by default";
}

TEST_F(BotsTest, TemplateNamesAreUniquePerOrganization) {
  auto first = owner.post("/api/templates", {{"name", "Hours"}, {"trigger_phrases", json::array{"hours"}}, {"body", "9 to 5"}});
  ASSERT_EQ(first.status, 201) << first.body;
  auto dup = owner.post("/api/templates", {{"name", "Hours"}, {"trigger_phrases", json::array{"open"}}, {"body", "Always"}});
  EXPECT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(dup.error_code(), "conflict");
  EXPECT_TRUE(dup.json().at("error").at("details").at("fields").as_object().contains("name"));
  auto second = owner.post("/api/templates", {{"name", "Opening"}, {"trigger_phrases", json::array{"open"}}, {"body", "Always"}});
  ASSERT_EQ(second.status, 201) << second.body;
  std::string second_id(second.json().at("id").as_string());
  EXPECT_EQ(owner.patch("/api/templates/" + second_id, {{"name", "Hours"}}).status, 409) << "renaming onto a taken name";
  EXPECT_EQ(owner.patch("/api/templates/" + second_id, {{"body", "Still always"}}).status, 200)
      << "keeping its own name is no conflict";
  auto listed = owner.get("/api/templates").json();
  EXPECT_EQ(listed.at("items").as_array().size(), 2u) << "nothing was created by the refused requests";
  Agent other = agent();
  other.signup("other@example.com");
  EXPECT_EQ(other.post("/api/templates", {{"name", "Hours"}, {"trigger_phrases", json::array{"x"}}, {"body", "y"}}).status,
            201)
      << "another organisation may use it";
}

TEST_F(BotsTest, DuplicateArchiveSearchAndDelete) {
  std::string id = create_bot("Sales");
  auto copy = owner.post("/api/bots/" + id + "/duplicate", json::object{});
  ASSERT_EQ(copy.status, 201);
  EXPECT_EQ(copy.json().at("name").as_string(), "Sales (copy)");
  EXPECT_EQ(owner.post("/api/bots/" + id + "/duplicate", json::object{}).json().at("name").as_string(), "Sales (copy 2)");
  owner.patch("/api/bots/" + id, {{"status", "archived"}});
  auto active = owner.get("/api/bots").json().at("items").as_array();
  EXPECT_EQ(active.size(), 2u) << "archived bots leave the default list";
  EXPECT_EQ(owner.get("/api/bots?status=archived").json().at("items").as_array().size(), 1u);
  EXPECT_EQ(owner.get("/api/bots?status=all&q=copy%202").json().at("items").as_array().size(), 1u);
  EXPECT_EQ(owner.send("DELETE", "/api/bots/" + id).status, 204);
  EXPECT_EQ(owner.get("/api/bots/" + id).status, 404);
}

TEST_F(BotsTest, AnotherOrganizationsBotIsNotFound) {
  std::string id = create_bot("Private");
  Agent other = agent();
  other.signup("other@example.com");
  EXPECT_EQ(other.get("/api/bots/" + id).status, 404);
  EXPECT_EQ(other.patch("/api/bots/" + id, {{"name", "Mine"}}).status, 404);
  EXPECT_EQ(other.post("/api/bots/" + id + "/chat", {{"text", "hi"}}).status, 404);
  EXPECT_EQ(other.post("/api/deployments", {{"bot_id", id}}).status, 422);
  auto tpl = other.post("/api/templates", {{"name", "T"}, {"manual", true}, {"body", "x"}});
  EXPECT_EQ(owner.patch("/api/bots/" + id, {{"template_ids", json::array{tpl.json().at("id")}}}).status, 422)
      << "another organisation's template cannot be attached";
}

TEST_F(BotsTest, TemplatePreviewRendersLikeRepliesAndRejectsBadBodies) {
  auto ok = owner.post("/api/templates/preview",
                       {{"body", "Hi {{ user_name }}, code {{code}}"}, {"defaults", json::array{json::object{{"name", "code"}, {"default", "X1"}}}},
                        {"variables", json::object{{"user_name", "Sam"}}}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().at("text").as_string(), "Hi Sam, code X1");
  auto unknown = fields_of(owner.post("/api/templates/preview", {{"body", "Hi {{nickname}}"}}));
  EXPECT_NE(std::string(unknown.at("body").as_string()).find("{{nickname}} is not a known variable"), std::string::npos);
  auto open = fields_of(owner.post("/api/templates/preview", {{"body", "Hi {{user_name"}}));
  EXPECT_NE(std::string(open.at("body").as_string()).find("never closed"), std::string::npos);
  auto stray = fields_of(owner.post("/api/templates/preview", {{"body", "Hi }} there"}}));
  EXPECT_NE(std::string(stray.at("body").as_string()).find("without a"), std::string::npos);
  fields_of(owner.post("/api/templates/preview", {{"body", std::string(2001, 'a')}}));
  fields_of(owner.post("/api/templates/preview", {{"body", "{{Bad-Name}}"}}));
}

TEST_F(BotsTest, TemplatesValidateAndUsePlatformVariants) {
  auto bad = fields_of(owner.post("/api/templates", {{"name", "T"}, {"body", "Hi {{who}}"},
                                                     {"platform_variants", json::object{{"fax", "x"}}}}));
  EXPECT_TRUE(bad.contains("body"));
  EXPECT_TRUE(bad.contains("platform_variants"));
  auto tpl = owner.post("/api/templates", {{"name", "Hours"}, {"trigger_phrases", json::array{"hours"}},
                                           {"body", "We are open from 9am to 5pm, Monday to Friday."},
                                           {"platform_variants", json::object{{"webchat", "9–5, Mon–Fri."}}}});
  ASSERT_EQ(tpl.status, 201) << tpl.body;
  std::string bot = create_bot("Desk", {{"template_ids", json::array{tpl.json().at("id")}}});
  auto dep = owner.post("/api/deployments", {{"bot_id", bot}, {"channel", "webchat"}});
  std::string key(dep.json().at("key").as_string());
  std::string token(agent().get("/widget/" + key).json().at("visitor_token").as_string());
  auto chat = agent().post("/widget/" + key + "/messages", {{"visitor_token", token}, {"text", "hours?"}});
  ASSERT_EQ(chat.status, 200) << chat.body;
  EXPECT_EQ(chat.json().at("reply").at("text").as_string(), "9–5, Mon–Fri.") << "the web chat variant";
  auto console = owner.post("/api/bots/" + bot + "/chat", {{"text", "hours?"}}).json();
  EXPECT_EQ(console.at("reply").at("text").as_string(), "We are open from 9am to 5pm, Monday to Friday.");
  EXPECT_EQ(owner.send("DELETE", "/api/templates/" + std::string(tpl.json().at("id").as_string())).status, 204);
  EXPECT_TRUE(owner.get("/api/bots/" + bot).json().at("template_ids").as_array().empty()) << "detached";
}

class WebchatTest : public BotsTest {
 protected:
  void SetUp() override {
    BotsTest::SetUp();
    bot_id = create_bot("Shop", {{"greeting", "Hi, shopper!"}, {"fallback_message", "We will get back to you."}});
    auto dep = owner.post("/api/deployments", {{"bot_id", bot_id}, {"channel", "webchat"},
                                               {"allowed_origins", json::array{"https://Shop.example.com/"}}});
    ASSERT_EQ(dep.status, 201) << dep.body;
    deployment_id = std::string(dep.json().at("id").as_string());
    key = std::string(dep.json().at("key").as_string());
    EXPECT_EQ(dep.json().at("allowed_origins").at(0).as_string(), "https://shop.example.com");
    EXPECT_NE(dep.json().at("embed_snippet").as_string().find("data-key=\"" + key + "\""), std::string::npos);
  }
  // The server-signed token of the visitor the test calls `visitor` ("" : none).
  std::string token_of(const std::string& visitor) {
    if (visitor.empty()) return "";
    auto& token = tokens[visitor];
    if (token.empty()) token = std::string(agent().get("/widget/" + key).json().at("visitor_token").as_string());
    return token;
  }
  Reply message(const std::string& origin, const std::string& visitor, const std::string& text) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!origin.empty()) headers.emplace_back("Origin", origin);
    return agent().send("POST", "/widget/" + key + "/messages",
                        json::serialize(json::object{{"visitor_token", token_of(visitor)}, {"text", text}}), headers);
  }
  std::map<std::string, std::string> tokens;
  std::string bot_id, deployment_id, key;
};

TEST_F(WebchatTest, AllowedOriginGetsAnAnswerWithCors) {
  auto info = agent().get("/widget/" + key);
  ASSERT_EQ(info.status, 200);
  EXPECT_EQ(info.json().at("bot").at("greeting").as_string(), "Hi, shopper!");
  auto r = message("https://shop.example.com", "visitor-1", "Hello?");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("access-control-allow-origin"), "https://shop.example.com");
  EXPECT_EQ(r.json().at("reply").at("text").as_string(), "We will get back to you.");
  auto preflight = agent().send("OPTIONS", "/widget/" + key + "/messages", "", {{"Origin", "https://shop.example.com"},
                                                                                 {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_NE(preflight.header("access-control-allow-methods").find("POST"), std::string::npos);
  // The conversation shows up for the team.
  auto recent = owner.get("/api/conversations?bot_id=" + bot_id).json().at("items").as_array();
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].at("platform").as_string(), "webchat");
  EXPECT_EQ(recent[0].at("message_count").as_int64(), 2);
}

TEST_F(WebchatTest, OtherOriginsAreRefused) {
  auto r = message("https://evil.example.net", "visitor-1", "Hello?");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.error_code(), "origin_not_allowed");
  EXPECT_TRUE(r.header("access-control-allow-origin").empty());
  auto preflight = agent().send("OPTIONS", "/widget/" + key + "/messages", "", {{"Origin", "https://evil.example.net"}});
  EXPECT_TRUE(preflight.header("access-control-allow-origin").empty());
  EXPECT_TRUE(owner.get("/api/conversations").json().at("items").as_array().empty()) << "nothing was recorded";
  // The hosted page on our own origin is always allowed.
  EXPECT_EQ(message(base_url, "visitor-2", "Hi").status, 200);
}

TEST_F(WebchatTest, PausedDeploymentRefusesAndResumes) {
  ASSERT_EQ(owner.patch("/api/deployments/" + deployment_id, {{"status", "paused"}}).status, 200);
  auto r = message("https://shop.example.com", "v", "Hello?");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json().at("error").at("message").as_string(), "This chat is paused.");
  EXPECT_EQ(agent().get("/widget/" + key).json().at("status").as_string(), "paused");
  owner.patch("/api/deployments/" + deployment_id, {{"status", "active"}});
  EXPECT_EQ(message("https://shop.example.com", "v", "Hello?").status, 200);
}

TEST_F(WebchatTest, LimitsLengthAndRatePerVisitor) {
  EXPECT_EQ(message("", "v", std::string(2001, 'x')).status, 422);
  EXPECT_EQ(message("", "", "hi").status, 401) << "no visitor token";
  EXPECT_EQ(agent().send("POST", "/widget/nope/messages", R"({"visitor_token":"vt1.x.y","text":"hi"})").status, 404);
  for (int i = 0; i < 20; ++i) ASSERT_EQ(message("", "chatty", "hi " + std::to_string(i)).status, 200) << i;
  auto limited = message("", "chatty", "one more");
  EXPECT_EQ(limited.status, 429);
  EXPECT_GT(std::stoi(limited.header("retry-after")), 0);
  EXPECT_EQ(message("", "quiet", "hi").status, 200) << "other visitors are not affected";
}

TEST_F(WebchatTest, InactivityStartsANewConversation) {
  auto first = message("", "returning", "Hello");
  std::string session(first.json().at("session_id").as_string());
  EXPECT_EQ(message("", "returning", "Still there?").json().at("session_id").as_string(), session);
  {
    // An hour passes (the window is 30 minutes).
    auto conn = app->database().acquire();
    conn->execute("UPDATE conversation_sessions SET last_message_at = last_message_at - 3600000 WHERE id = $1", {session});
  }
  auto later = message("", "returning", "Back again");
  EXPECT_NE(later.json().at("session_id").as_string(), session);
  auto old = owner.get("/api/conversations/" + session).json();
  EXPECT_EQ(old.at("status").as_string(), "ended");
  auto messages = old.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u);
  // Question before answer, always, even within one millisecond.
  for (std::size_t i = 0; i < messages.size(); ++i)
    EXPECT_EQ(messages[i].at("direction").as_string(), i % 2 == 0 ? "in" : "out") << i;
  EXPECT_EQ(old.at("last_message"), messages[3].at("text"));
}

TEST_F(WebchatTest, VisitorsRateTheirConversation) {
  owner.patch("/api/bots/" + bot_id, {{"ask_satisfaction", true}});
  EXPECT_TRUE(agent().get("/widget/" + key).json().at("bot").at("ask_satisfaction").as_bool());
  auto r = message("", "rater", "Hello");
  std::string session(r.json().at("session_id").as_string());
  auto rate = [&](const std::string& visitor, json::value score) {
    return agent().send("POST", "/widget/" + key + "/rating",
                        json::serialize(json::object{{"visitor_token", token_of(visitor)}, {"session_id", session}, {"score", score}}));
  };
  EXPECT_EQ(rate("rater", 7).status, 422);
  EXPECT_EQ(rate("someone-else", 1).status, 404) << "only the visitor of the conversation rates it";
  EXPECT_EQ(rate("rater", 4).status, 204);
  EXPECT_EQ(owner.get("/api/conversations/" + session).json().at("satisfaction_score").as_int64(), 4);
}

TEST_F(WebchatTest, OriginsAreValidated) {
  auto bad = owner.post("/api/deployments", {{"bot_id", bot_id}, {"allowed_origins", json::array{"shop.example.com"}}});
  EXPECT_EQ(bad.status, 422);
  auto path = owner.patch("/api/deployments/" + deployment_id, {{"allowed_origins", json::array{"https://x.com/page"}}});
  EXPECT_EQ(path.status, 422);
  EXPECT_EQ(owner.post("/api/deployments", {{"bot_id", bot_id}, {"channel", "telegram"}}).status, 422);
}

}  // namespace
}  // namespace sb::test
