// AI replies through a fake OpenRouter: the request we send, and every failure path ending in the fallback.
#include "fakes/fake_openrouter.hpp"
#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

class RepliesTest : public ServerTest {
 protected:
  void configure(Config& config) override {
    config.openrouter_api_key = "sk-or-test-secret-key";
    config.openrouter_base_url = fake.base_url();
    config.ai_timeout_ms = 800;
  }
  void SetUp() override {
    ServerTest::SetUp();
    owner = agent();
    owner.signup("owner@example.com");
    auto tpl = owner.post("/api/templates", {{"name", "Hours"}, {"trigger_phrases", json::array{"opening hours"}},
                                             {"body", "We are open 9 to 5."}});
    auto bot = owner.post("/api/bots", {{"name", "Concierge"}, {"system_prompt", "You are the hotel concierge."},
                                        {"model", "anthropic/claude-3.5-haiku"}, {"history_turns", 2},
                                        {"fallback_message", "A colleague will answer soon."},
                                        {"template_ids", json::array{tpl.json().at("id")}}});
    ASSERT_EQ(bot.status, 201) << bot.body;
    bot_id = std::string(bot.json().at("id").as_string());
  }
  json::object chat(const std::string& text, const std::string& session = "") {
    json::object body{{"text", text}};
    if (!session.empty()) body["session_id"] = session;
    auto r = owner.post("/api/bots/" + bot_id + "/chat", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().as_object() : json::object{};
  }
  std::string reply_field(const json::object& exchange, const char* name) {
    if (!exchange.contains("reply")) return "";
    const auto& v = exchange.at("reply").at(name);
    return v.is_string() ? std::string(v.as_string()) : "";
  }
  FakeOpenRouter fake;
  Agent owner{""};
  std::string bot_id;
};

TEST_F(RepliesTest, AnswersThroughOpenRouterWithPersonaTemplatesAndHistory) {
  fake.answer({FakeAnswer{200, "Breakfast is served from 7."}});
  auto first = chat("When is breakfast?");
  EXPECT_EQ(reply_field(first, "source"), "ai");
  EXPECT_EQ(reply_field(first, "text"), "Breakfast is served from 7.");
  EXPECT_EQ(first.at("reply").at("prompt_tokens").as_int64(), 42);
  EXPECT_EQ(first.at("reply").at("completion_tokens").as_int64(), 7);
  std::string session(first.at("session_id").as_string());
  chat("And dinner?", session);

  auto seen = fake.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].authorization, "Bearer sk-or-test-secret-key");
  EXPECT_EQ(seen[0].body.at("model").as_string(), "anthropic/claude-3.5-haiku");
  auto messages = seen[1].body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u) << "system, the earlier turn (user + assistant), the new message";
  std::string system(messages[0].at("content").as_string());
  EXPECT_NE(system.find("You are the hotel concierge."), std::string::npos);
  EXPECT_NE(system.find("We are open 9 to 5."), std::string::npos) << "templates are approved answers";
  EXPECT_EQ(messages[1].at("content").as_string(), "When is breakfast?");
  EXPECT_EQ(messages[2].at("role").as_string(), "assistant");
  EXPECT_EQ(messages[3].at("content").as_string(), "And dinner?");

  // Both sides are recorded with the model and token counts.
  auto conversation = owner.get("/api/conversations/" + session).json();
  auto recorded = conversation.at("messages").as_array();
  ASSERT_EQ(recorded.size(), 4u);
  EXPECT_EQ(recorded[1].at("source").as_string(), "ai");
  EXPECT_EQ(recorded[1].at("model").as_string(), "anthropic/claude-3.5-haiku");
  EXPECT_FALSE(conversation.at("first_response_at").is_null());
  // The key never leaves the server.
  EXPECT_EQ(owner.get("/api/ai/status").body.find("sk-or-test"), std::string::npos);
  EXPECT_EQ(owner.get("/api/debug").body.find("sk-or-test"), std::string::npos);
}

TEST_F(RepliesTest, RejectedKeyFallsBackAndShowsTheProviderRed) {
  fake.answer({FakeAnswer{401}});
  auto r = chat("hello");
  EXPECT_EQ(reply_field(r, "source"), "fallback");
  EXPECT_EQ(reply_field(r, "text"), "A colleague will answer soon.");
  EXPECT_EQ(reply_field(r, "error"), "OpenRouter rejected the API key (401).");
  EXPECT_EQ(fake.seen().size(), 1u) << "a 401 is not retried";
  auto status = owner.get("/api/ai/status").json();
  EXPECT_EQ(status.at("last_error").at("status").as_int64(), 401);
  auto debug = owner.get("/api/debug").json();
  for (const auto& c : debug.at("checks").as_array())
    if (c.at("name") == "ai provider") EXPECT_EQ(c.at("status").as_string(), "red");
}

TEST_F(RepliesTest, NoCreditFallsBack) {
  fake.answer({FakeAnswer{402}});
  auto r = chat("hello");
  EXPECT_EQ(reply_field(r, "source"), "fallback");
  EXPECT_EQ(reply_field(r, "error"), "The OpenRouter account has no credit left (402).");
}

TEST_F(RepliesTest, RateLimitIsRetriedAfterRetryAfter) {
  FakeAnswer limited{429};
  limited.retry_after = "1";
  fake.answer({limited, FakeAnswer{200, "Now it works."}});
  auto r = chat("hello");
  EXPECT_EQ(reply_field(r, "source"), "ai");
  EXPECT_EQ(reply_field(r, "text"), "Now it works.");
  EXPECT_EQ(fake.seen().size(), 2u);
  EXPECT_GE(r.at("reply").at("latency_ms").as_int64(), 1000) << "waited for Retry-After";
}

TEST_F(RepliesTest, ServerErrorsAreRetriedThenFallBack) {
  fake.answer({FakeAnswer{500}});
  auto r = chat("hello");
  EXPECT_EQ(reply_field(r, "source"), "fallback");
  EXPECT_EQ(fake.seen().size(), 3u) << "three attempts in all";
  EXPECT_EQ(reply_field(r, "error"), "OpenRouter had an error (500).");
}

TEST_F(RepliesTest, ErrorInsideA200BodyIsAFailure) {
  FakeAnswer a;
  a.error_in_body = true;
  fake.answer({a});
  auto r = chat("hello");
  EXPECT_EQ(reply_field(r, "source"), "fallback");
  EXPECT_EQ(reply_field(r, "error"), "The model is down or answered badly (502).");
}

TEST_F(RepliesTest, TimeoutFallsBack) {
  FakeAnswer slow{200, "too late"};
  slow.delay_ms = 2000;
  fake.answer({slow});
  auto r = chat("hello");
  EXPECT_EQ(reply_field(r, "source"), "fallback");
  EXPECT_NE(reply_field(r, "error").find("did not answer within"), std::string::npos) << reply_field(r, "error");
}

TEST_F(RepliesTest, MalformedJsonFallsBack) {
  FakeAnswer broken;
  broken.malformed = true;
  fake.answer({broken});
  auto r = chat("hello");
  EXPECT_EQ(reply_field(r, "source"), "fallback");
  EXPECT_EQ(reply_field(r, "error"), "OpenRouter sent an answer we could not read.");
}

// Server-Sent Events of a streamed answer: (name, data) in order.
std::vector<std::pair<std::string, json::value>> events_of(const std::string& body) {
  std::vector<std::pair<std::string, json::value>> out;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find("\n\n", start);
    if (end == std::string::npos) end = body.size();
    std::string block = body.substr(start, end - start), name, data;
    std::size_t pos = 0;
    while (pos < block.size()) {
      std::size_t nl = block.find('\n', pos);
      std::string line = block.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      if (line.rfind("event: ", 0) == 0) name = line.substr(7);
      if (line.rfind("data: ", 0) == 0) data = line.substr(6);
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
    if (!name.empty()) out.emplace_back(name, json::parse(data));
    start = end + 2;
  }
  return out;
}

TEST_F(RepliesTest, TheConsoleStreamsTheAnswerAndRecordsItsCostOnce) {
  FakeAnswer a{200, "Breakfast is served from seven until ten."};
  a.first_token_ms = 30;
  a.token_ms = 10;
  a.cost = 0.000321;
  fake.answer({a});
  auto r = owner.send("POST", "/api/bots/" + bot_id + "/chat", json::serialize(json::object{{"text", "Breakfast?"}}),
                      {{"Accept", "text/event-stream"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("content-type").find("text/event-stream"), std::string::npos);
  auto events = events_of(r.body);
  ASSERT_GE(events.size(), 3u) << r.body;
  EXPECT_EQ(events.front().first, "start");
  std::string session(events.front().second.at("session_id").as_string());
  std::string streamed;
  int tokens = 0;
  for (const auto& [name, data] : events)
    if (name == "token") {
      streamed += std::string(data.at("text").as_string());
      ++tokens;
    }
  EXPECT_GE(tokens, 5) << "one piece per word";
  ASSERT_EQ(events.back().first, "done");
  const auto& done = events.back().second;
  EXPECT_EQ(done.at("reply").at("text").as_string(), "Breakfast is served from seven until ten.");
  EXPECT_EQ(streamed, "Breakfast is served from seven until ten.");
  EXPECT_EQ(done.at("reply").at("cost_micros").as_int64(), 321);
  EXPECT_FALSE(done.at("interrupted").as_bool());
  EXPECT_TRUE(fake.seen()[0].body.at("stream").as_bool());
  // Stored once, with model, tokens and cost.
  auto recorded = owner.get("/api/conversations/" + session).json().at("messages").as_array();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[1].at("text").as_string(), "Breakfast is served from seven until ten.");
  EXPECT_EQ(recorded[1].at("cost_micros").as_int64(), 321);
  EXPECT_EQ(recorded[1].at("completion_tokens").as_int64(), 7);
  // The JSON answer is unchanged for clients that do not stream, and carries the cost too.
  auto plain = chat("Breakfast?", session);
  EXPECT_EQ(plain.at("reply").at("cost_micros").as_int64(), 321);
  EXPECT_FALSE(fake.seen()[1].body.contains("stream"));
}

TEST_F(RepliesTest, AStreamThatBreaksMidWayEndsWithTheFallbackMarkedInterrupted) {
  FakeAnswer broken{200, "Our breakfast room opens at seven and"};
  broken.fail_after_chunks = 2;
  fake.answer({broken});
  auto r = owner.send("POST", "/api/bots/" + bot_id + "/chat", json::serialize(json::object{{"text", "Breakfast?"}}),
                      {{"Accept", "text/event-stream"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto events = events_of(r.body);
  ASSERT_FALSE(events.empty());
  ASSERT_EQ(events.back().first, "done") << r.body;
  const auto& done = events.back().second;
  EXPECT_TRUE(done.at("interrupted").as_bool());
  EXPECT_EQ(done.at("reply").at("source").as_string(), "fallback");
  EXPECT_EQ(done.at("reply").at("text").as_string(), "A colleague will answer soon.");
  std::string session(events.front().second.at("session_id").as_string());
  auto recorded = owner.get("/api/conversations/" + session).json().at("messages").as_array();
  ASSERT_EQ(recorded.size(), 2u) << "the fallback is what was stored";
  EXPECT_EQ(recorded[1].at("text").as_string(), "A colleague will answer soon.");
  EXPECT_FALSE(recorded[1].at("error").is_null());
  EXPECT_EQ(fake.seen().size(), 1u) << "a stream already shown is not asked again";
}

TEST_F(RepliesTest, StreamErrorsBeforeTheExchangeAreJsonEnvelopes) {
  auto r = owner.send("POST", "/api/bots/bot_nope/chat", json::serialize(json::object{{"text", "hi"}}),
                      {{"Accept", "text/event-stream"}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error_code(), "not_found");
  auto empty = owner.send("POST", "/api/bots/" + bot_id + "/chat", json::serialize(json::object{{"text", ""}}),
                          {{"Accept", "text/event-stream"}});
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(fake.seen().size(), 0u);
}

TEST_F(RepliesTest, AProviderThatKeepsFailingIsMarkedDownAndTemplatesAnswerAtOnce) {
  fake.answer({FakeAnswer{502}});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(reply_field(chat("hello"), "source"), "fallback");
  auto calls = fake.seen().size();
  auto status = owner.get("/api/ai/status").json();
  EXPECT_EQ(status.at("health").at("state").as_string(), "down");
  EXPECT_FALSE(status.at("health").at("since").is_null());
  bool seen_check = false;
  auto debug = owner.get("/api/debug").json();
  for (const auto& c : debug.at("checks").as_array())
    if (c.at("name") == "ai provider") {
      seen_check = true;
      EXPECT_EQ(c.at("status").as_string(), "red");
      EXPECT_NE(std::string(c.at("reason").as_string()).find("degraded since"), std::string::npos) << c;
    }
  EXPECT_TRUE(seen_check);
  // Meanwhile a question a template knows is answered from it, without asking the provider.
  auto r = chat("What are your opening hours?");
  EXPECT_EQ(reply_field(r, "source"), "template");
  EXPECT_EQ(reply_field(r, "text"), "We are open 9 to 5.");
  EXPECT_NE(reply_field(r, "error").find("OpenRouter is down"), std::string::npos) << reply_field(r, "error");
  EXPECT_EQ(fake.seen().size(), calls) << "no call while the provider is down";
}

// Without a key the product still works: templates answer what they match, the fallback the rest.
class TemplateRepliesTest : public ServerTest {};

TEST_F(TemplateRepliesTest, TemplatesAnswerWhenAiIsOff) {
  auto owner = agent();
  owner.signup("owner@example.com");
  EXPECT_FALSE(owner.get("/api/ai/status").json().at("configured").as_bool());
  auto tpl = owner.post("/api/templates",
                        {{"name", "Hours"}, {"trigger_phrases", json::array{"opening hours", "open"}},
                         {"body", "Hi {{user_name}}, {{bot_name}} here: we open at {{time}}."},
                         {"variables", json::array{json::object{{"name", "time"}, {"default", "9am"}}}}});
  ASSERT_EQ(tpl.status, 201) << tpl.body;
  auto bot = owner.post("/api/bots", {{"name", "Desk"}, {"template_ids", json::array{tpl.json().at("id")}}});
  std::string id(bot.json().at("id").as_string());
  auto hit = owner.post("/api/bots/" + id + "/chat", {{"text", "What are your OPENING-hours?"}}).json();
  EXPECT_EQ(hit.at("reply").at("source").as_string(), "template");
  EXPECT_EQ(hit.at("reply").at("text").as_string(), "Hi Test User, Desk here: we open at 9am.");
  auto miss = owner.post("/api/bots/" + id + "/chat", {{"text", "Do you sell shoes?"}}).json();
  EXPECT_EQ(miss.at("reply").at("source").as_string(), "fallback");
  auto partial = owner.post("/api/bots/" + id + "/chat", {{"text", "Are you opening soon?"}}).json();
  EXPECT_EQ(partial.at("reply").at("source").as_string(), "fallback") << "whole words only: 'open' is not 'opening'";
}

}  // namespace
}  // namespace sb::test
