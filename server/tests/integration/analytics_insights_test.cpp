// Analytics part C over real HTTP: CSV exports (content, time zone, filters, escaping, scoping, role
// and plan gates, audit, a large streamed export), analytics settings, and insight runs through the
// fake OpenRouter (success, failures, malformed answers, timeouts, transcripts only when opted in and
// redacted, usage and the plan's limit, paging, other organisations' runs) or heuristic without a key.
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <sstream>

#include "billing/model.hpp"
#include "fakes/fake_openrouter.hpp"
#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

std::string str(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }

// 2026-12-01T00:00:00Z and friends.
constexpr std::int64_t kDec1 = 1796083200000LL;
constexpr std::int64_t kHour = 3600 * 1000LL;
constexpr std::int64_t kDay = 24 * kHour;

std::vector<std::string> lines_of(const std::string& body) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < body.size()) {
    auto end = body.find("\r\n", start);
    if (end == std::string::npos) end = body.size();
    out.push_back(body.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

class InsightPlans final : public billing::EntitlementSource {
 public:
  billing::Entitlements entitlements(const std::string& org_id) override {
    std::lock_guard lock(mu);
    billing::Entitlements e;
    e.org_id = org_id;
    e.billing_enabled = true;
    e.plan.key = "pro";
    e.plan.name = "Pro";
    e.plan.limits.insight_runs_per_month = runs;
    return e;
  }
  std::mutex mu;
  std::int64_t runs = 2;
};

class AnalyticsInsightsTest : public ServerTest {
 protected:
  void configure(Config& c) override {
    c.blocking_threads = 4;
    c.ai_timeout_ms = 400;
    if (with_key) {
      c.openrouter_base_url = model.base_url();
      c.openrouter_api_key = "sk-or-installation-secret-key-123";
    }
  }
  // Runs listed newest first need distinct creation times: the test moves the clock between them.
  const Clock* clock() override { return &test_clock; }
  void SetUp() override {
    ServerTest::SetUp();
    owner = agent();
    owner_email = unique_email("owner");
    owner.signup(owner_email);
    org_id = str(owner.get("/api/orgs").json().at("items").as_array().at(0).at("id"));
    auto bot = owner.post("/api/bots", json::object{{"name", "Helper"}});
    ASSERT_EQ(bot.status, 201) << bot.body;
    bot_id = str(bot.json().at("id"));
  }

  std::string session(const std::string& org, const std::string& bot, const std::string& platform, std::int64_t started,
                      const std::string& user, std::optional<std::int64_t> first_response_ms = std::nullopt,
                      std::optional<int> score = std::nullopt) {
    std::string id = "cnv_t" + std::to_string(++seq);
    auto conn = app->database().acquire();
    conn->execute(
        "INSERT INTO conversation_sessions (id, org_id, bot_id, platform, external_user_id, display_name, started_at, "
        "last_message_at, first_response_at, status, satisfaction_score, user_messages) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'ended', $10, 1)",
        {id, org, bot, platform, "u-" + user, user, started, started + 60000,
         first_response_ms ? db::Value(started + *first_response_ms) : db::Value(nullptr),
         score ? db::Value(std::int64_t(*score)) : db::Value(nullptr)});
    return id;
  }
  void message(const std::string& org, const std::string& session_id, std::int64_t at, const std::string& direction,
               const std::string& text) {
    auto conn = app->database().acquire();
    conn->execute(
        "INSERT INTO messages (id, org_id, session_id, direction, text, source, created_at) VALUES ($1, $2, $3, $4, $5, "
        "$6, $7)",
        {"msg_t" + std::to_string(++seq), org, session_id, direction, text,
         direction == "out" ? db::Value(std::string("ai")) : db::Value(nullptr), at});
  }
  json::object wait_for(const std::string& run_id) {
    app->insights().wait_idle();
    auto r = owner.get("/api/analytics/insights/" + run_id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  std::string start_run(Agent& who, json::object body = {{"from", "2026-12-01"}, {"to", "2026-12-07"}}) {
    auto r = who.post("/api/analytics/insights", body);
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return "";
    return str(r.json().at("run").at("id"));
  }
  std::int64_t audit_count(const std::string& action) {
    auto conn = app->database().acquire();
    return conn->query_one("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1", {action})->integer("n");
  }
  Agent key_agent(const std::string& role) {
    auto key = owner.post("/api/orgs/" + org_id + "/api-keys", {{"name", role + " key"}, {"role", role}});
    EXPECT_EQ(key.status, 201) << key.body;
    Agent a(base_url);
    a.bearer = str(key.json().at("key"));
    return a;
  }
  static std::string report(const std::string& summary = "People ask about shipping.") {
    return json::serialize(json::object{
        {"summary", summary},
        {"themes", json::array{json::object{{"title", "Shipping"}, {"detail", "Many ask where orders are."}}}},
        {"recommendations", json::array{json::object{{"title", "Add a tracking template"}, {"detail", "Answer it."}}}}});
  }

  bool with_key = false;
  FakeOpenRouter model;
  // Billing turned on for the rest of the test: the organisation (grandfathered on the first start)
  // gets `plan`, and the owner signs in to the new server.
  void billing_on(const std::string& plan) {
    config.billing = "on";
    restart();
    owner = agent();
    owner.signin(owner_email);
    ASSERT_TRUE(app->billing().set_plan_from_cli(org_id, plan).ok());
  }

  Agent owner{""};
  std::string owner_email, org_id, bot_id;
  InsightPlans plans;
  TestClock test_clock;
  int seq = 0;
};

class AnalyticsInsightsAiTest : public AnalyticsInsightsTest {
 protected:
  void configure(Config& c) override {
    with_key = true;
    AnalyticsInsightsTest::configure(c);
  }
};

TEST_F(AnalyticsInsightsTest, ConversationExportHasTheRangeInTheTimeZoneWithFilters) {
  auto a = session(org_id, bot_id, "telegram", kDec1 + 10 * kHour, "Ada", 1500, 5);
  // 23:30 UTC on 30 November is 1 December in Berlin, not in UTC.
  auto b = session(org_id, bot_id, "webchat", kDec1 - 30 * 60000, "Bob");
  session(org_id, bot_id, "telegram", kDec1 + 3 * kDay, "Late");  // after the range
  {
    auto conn = app->database().acquire();
    conn->execute("UPDATE conversation_sessions SET resolved_at = $1, resolved_by = 'user' WHERE id = $2",
                  {kDec1 + 11 * kHour, a});
  }
  message(org_id, a, kDec1 + 10 * kHour, "in", "hello");
  message(org_id, a, kDec1 + 10 * kHour + 1500, "out", "hi there");

  auto r = owner.get("/api/analytics/export?kind=conversations&from=2026-12-01&to=2026-12-02&tz=UTC");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r.header("content-disposition"), "attachment; filename=\"conversations-2026-12-01-to-2026-12-02.csv\"");
  auto lines = lines_of(r.body);
  ASSERT_EQ(lines.size(), 2u) << r.body;
  EXPECT_EQ(lines[0],
            "conversation_id,started_at,last_message_at,bot,platform,deployment,user,messages,first_response_ms,"
            "resolved,resolved_by,resolved_at,satisfaction,converted_at,status");
  EXPECT_EQ(lines[1], a + ",2026-12-01T10:00:00Z,2026-12-01T10:01:00Z,Helper,telegram,,Ada,2,1500,true,user,"
                          "2026-12-01T11:00:00Z,5,,ended")
      << r.body;

  auto berlin = owner.get("/api/analytics/export?kind=conversations&from=2026-12-01&to=2026-12-02&tz=Europe/Berlin");
  ASSERT_EQ(berlin.status, 200);
  auto bl = lines_of(berlin.body);
  ASSERT_EQ(bl.size(), 3u) << berlin.body;
  EXPECT_EQ(bl[1].substr(0, b.size()), b);
  EXPECT_EQ(bl[2].substr(0, a.size()), a);

  auto filtered = owner.get("/api/analytics/export?kind=conversations&from=2026-12-01&to=2026-12-02&tz=Europe/Berlin&platform=webchat");
  ASSERT_EQ(lines_of(filtered.body).size(), 2u) << filtered.body;
  EXPECT_EQ(lines_of(filtered.body)[1].substr(0, b.size()), b);

  // Bad filters change nothing and say what is wrong.
  EXPECT_EQ(owner.get("/api/analytics/export?kind=conversations&from=2026-12-05&to=2026-12-01").status, 422);
  EXPECT_EQ(owner.get("/api/analytics/export?kind=conversations&tz=Mars/Olympus").status, 422);
  EXPECT_EQ(owner.get("/api/analytics/export?kind=secrets").status, 422);
  EXPECT_EQ(owner.get("/api/analytics/export?kind=conversations&bot_id=..%2F..%2Fetc").status, 404);
  EXPECT_EQ(audit_count("analytics.exported"), 3);
}

TEST_F(AnalyticsInsightsTest, ExportEscapesFormulasAndQuotesAsRfc4180) {
  auto s = session(org_id, bot_id, "telegram", kDec1 + kHour, "=HYPERLINK(\"x\")");
  std::vector<std::string> texts = {"=cmd|' /C calc'!A0", "+1", "-2", "@x", "say \"hi\"", "line1\nline2", "a,b",
                                    "\tTab", "plain"};
  for (std::size_t i = 0; i < texts.size(); ++i) message(org_id, s, kDec1 + kHour + static_cast<std::int64_t>(i), "in", texts[i]);
  auto r = owner.get("/api/analytics/export?kind=messages&from=2026-12-01&to=2026-12-01&tz=UTC");
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> expected = {"'=cmd|' /C calc'!A0", "'+1", "'-2", "'@x", "\"say \"\"hi\"\"\"",
                                       "\"line1\nline2\"", "\"a,b\"", "'\tTab", "plain"};
  EXPECT_EQ(r.body.substr(0, r.body.find("\r\n")),
            "conversation_id,message_id,created_at,direction,source,template,model,text,tokens,cost_micros");
  for (const auto& e : expected) EXPECT_NE(r.body.find("," + e + ",,\r\n"), std::string::npos) << e << "\n" << r.body;
  auto c = owner.get("/api/analytics/export?kind=conversations&from=2026-12-01&to=2026-12-01&tz=UTC");
  EXPECT_NE(c.body.find(",\"'=HYPERLINK(\"\"x\"\")\","), std::string::npos) << c.body;
}

TEST_F(AnalyticsInsightsTest, ExportShowsOnlyTheCallersOrganisationAndNoEventBodies) {
  Agent other = agent();
  other.signup(unique_email("other"));
  std::string other_org = str(other.get("/api/orgs").json().at("items").as_array().at(0).at("id"));
  std::string other_bot = str(other.post("/api/bots", json::object{{"name", "Theirs"}}).json().at("id"));
  auto mine = session(org_id, bot_id, "telegram", kDec1 + kHour, "Mine");
  auto theirs = session(other_org, other_bot, "telegram", kDec1 + kHour, "Theirs");
  message(other_org, theirs, kDec1 + kHour, "in", "their secret words");
  auto r = owner.get("/api/analytics/export?kind=messages&from=2026-12-01&to=2026-12-01&tz=UTC");
  EXPECT_EQ(r.body.find("their secret words"), std::string::npos);
  auto c = owner.get("/api/analytics/export?kind=conversations&from=2026-12-01&to=2026-12-01&tz=UTC");
  EXPECT_NE(c.body.find(mine), std::string::npos);
  EXPECT_EQ(c.body.find(theirs), std::string::npos);
  // Their bot is unknown here.
  EXPECT_EQ(owner.get("/api/analytics/export?kind=conversations&bot_id=" + other_bot).status, 404);

  auto integration = owner.post("/api/integrations", {{"platform", "webchat"}, {"name", "Site chat"}});
  ASSERT_EQ(integration.status, 201) << integration.body;
  {
    auto conn = app->database().acquire();
    conn->execute(
        "INSERT INTO webhook_events (id, org_id, integration_id, platform, idempotency_key, kind, status, payload, "
        "payload_hash, received_at) VALUES ('evt_t1', $1, $2, 'webchat', 'k1', 'message', 'accepted', $3, 'h', $4)",
        {org_id, str(integration.json().at("id")), std::string("{\"token\":\"PAYLOAD-SECRET\",\"text\":\"hi\"}"),
         kDec1 + 2 * kHour});
  }
  auto e = owner.get("/api/analytics/export?kind=events&from=2026-12-01&to=2026-12-01&tz=UTC");
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_EQ(e.body, "event_id,received_at,platform,integration,kind,status\r\n"
                    "evt_t1,2026-12-01T02:00:00Z,webchat,Site chat,message,accepted\r\n");
  auto o = other.get("/api/analytics/export?kind=events&from=2026-12-01&to=2026-12-01&tz=UTC");
  EXPECT_EQ(lines_of(o.body).size(), 1u) << o.body;
}

TEST_F(AnalyticsInsightsTest, ExportNeedsTheRoleAndThePlan) {
  session(org_id, bot_id, "telegram", kDec1 + kHour, "Ada");
  Agent viewer = key_agent("viewer"), member = key_agent("member"), admin = key_agent("admin");
  std::string q = "&from=2026-12-01&to=2026-12-01";
  EXPECT_EQ(viewer.get("/api/analytics/export?kind=conversations" + q).status, 403);
  EXPECT_EQ(member.get("/api/analytics/export?kind=conversations" + q).status, 200);
  EXPECT_EQ(member.get("/api/analytics/export?kind=messages" + q).status, 403);
  EXPECT_EQ(member.get("/api/analytics/export?kind=events" + q).status, 403);
  EXPECT_EQ(admin.get("/api/analytics/export?kind=messages" + q).status, 200);
  Agent anonymous = agent();
  EXPECT_EQ(anonymous.get("/api/analytics/export?kind=conversations").status, 401);

  billing_on("free");
  auto free = owner.get("/api/analytics/export?kind=conversations" + q);
  EXPECT_EQ(free.status, 402) << free.body;
  EXPECT_EQ(free.error_code(), "feature_not_in_plan");
  ASSERT_TRUE(app->billing().set_plan_from_cli(org_id, "pro").ok());
  EXPECT_EQ(owner.get("/api/analytics/export?kind=conversations" + q).status, 200);
}

TEST_F(AnalyticsInsightsTest, LargeExportIsStreamedWhole) {
  const int n = 20000;
  {
    auto conn = app->database().acquire();
    db::Transaction tx(*conn);
    for (int i = 0; i < n; ++i)
      conn->execute(
          "INSERT INTO conversation_sessions (id, org_id, bot_id, platform, external_user_id, display_name, started_at, "
          "last_message_at, status) VALUES ($1, $2, $3, 'telegram', $4, $4, $5, $5, 'ended')",
          {"cnv_big" + std::to_string(100000 + i), org_id, bot_id, "user" + std::to_string(i),
           kDec1 + (i % 50) * 1000});
    tx.commit();
  }
  auto r = owner.get("/api/analytics/export?kind=conversations&from=2026-12-01&to=2026-12-01&tz=UTC");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("transfer-encoding"), "chunked");
  auto lines = lines_of(r.body);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(n + 1));
  std::set<std::string> ids;
  for (std::size_t i = 1; i < lines.size(); ++i) ids.insert(lines[i].substr(0, lines[i].find(',')));
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(n));  // every conversation once, none twice across pages
}

TEST_F(AnalyticsInsightsTest, SettingsShareTranscriptsAudited) {
  auto r = owner.get("/api/analytics/settings");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), json::parse(R"({"share_transcripts":false,"time_zone":"UTC"})"));
  auto put = owner.send("PUT", "/api/analytics/settings", R"({"share_transcripts":true})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json().at("share_transcripts"), true);
  EXPECT_EQ(owner.get("/api/analytics/settings").json().at("share_transcripts"), true);
  EXPECT_EQ(audit_count("analytics.settings_changed"), 1);
  EXPECT_EQ(owner.send("PUT", "/api/analytics/settings", R"({"share_transcripts":"yes"})").status, 422);
  EXPECT_EQ(owner.send("PUT", "/api/analytics/settings", R"({"share_transcripts":)").status, 400);
  Agent viewer = key_agent("viewer"), member = key_agent("member");
  EXPECT_EQ(viewer.get("/api/analytics/settings").status, 200);
  EXPECT_EQ(member.send("PUT", "/api/analytics/settings", R"({"share_transcripts":false})").status, 403);
  EXPECT_EQ(owner.get("/api/analytics/settings").json().at("share_transcripts"), true);
}

TEST_F(AnalyticsInsightsTest, WithoutAKeyARunIsHeuristic) {
  auto s1 = session(org_id, bot_id, "telegram", kDec1 + kHour, "Ada", 12000, 2);
  session(org_id, bot_id, "webchat", kDec1 + kHour, "Bob", 800, 5);
  session(org_id, bot_id, "telegram", kDec1 - 3 * kDay, "Old", 1000, 5);  // the previous period
  {
    auto conn = app->database().acquire();
    conn->execute("INSERT INTO analytics_unanswered_hourly (org_id, hour, bot_id, platform, deployment_id, question, n) "
                  "VALUES ($1, $2, $3, 'telegram', '', 'do you ship to mars', 4)",
                  {org_id, kDec1 + kHour, bot_id});
    // The rollups the overview snapshot reads (the sessions above were written around the recorder).
    conn->execute("INSERT INTO analytics_hourly (org_id, hour, bot_id, platform, deployment_id, conversations) "
                  "VALUES ($1, $2, $3, 'telegram', '', 1), ($1, $2, $3, 'webchat', '', 1)",
                  {org_id, kDec1 + kHour, bot_id});
  }
  (void)s1;
  auto id = start_run(owner);
  auto run = wait_for(id);
  EXPECT_EQ(run.at("kind"), "heuristic");
  EXPECT_EQ(run.at("status"), "done");
  EXPECT_EQ(run.at("model"), nullptr);
  EXPECT_EQ(run.at("transcripts_sent"), false);
  EXPECT_EQ(run.at("prompt_version"), "2026-12-1");
  EXPECT_EQ(run.at("filters").at("from"), "2026-12-01");
  EXPECT_EQ(run.at("metrics").at("conversations").at("value"), 2);
  std::string all = json::serialize(run.at("themes"));
  EXPECT_NE(all.find("do you ship to mars"), std::string::npos) << all;
  EXPECT_NE(all.find("Helper on telegram: p90 12.0 s"), std::string::npos) << all;
  EXPECT_NE(all.find("5.00 → 2.00"), std::string::npos) << all;
  EXPECT_EQ(model.stats().calls, 0);
  EXPECT_EQ(audit_count("analytics.insight_run_started"), 1);
}

TEST_F(AnalyticsInsightsAiTest, RunAsksTheModelInJsonModeWithAggregatesOnly) {
  auto s = session(org_id, bot_id, "telegram", kDec1 + kHour, "Ada", 1000);
  message(org_id, s, kDec1 + kHour, "in", "my mail is ada@example.com");
  model.answer({FakeAnswer{.content = report(), .prompt_tokens = 900, .completion_tokens = 120, .cost = 0.0042}});
  auto id = start_run(owner);
  auto run = wait_for(id);
  EXPECT_EQ(run.at("status"), "done") << json::serialize(run);
  EXPECT_EQ(run.at("kind"), "ai");
  EXPECT_EQ(run.at("summary"), "People ask about shipping.");
  EXPECT_EQ(run.at("themes").at(0).at("title"), "Shipping");
  EXPECT_EQ(run.at("recommendations").at(0).at("title"), "Add a tracking template");
  EXPECT_EQ(run.at("usage"), json::parse(R"({"prompt_tokens":900,"completion_tokens":120,"cost_micros":4200})"));
  EXPECT_EQ(run.at("transcripts_sent"), false);
  auto seen = model.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].body.at("response_format"), json::parse(R"({"type":"json_object"})"));
  std::string sent = json::serialize(seen[0].body.at("messages"));
  EXPECT_EQ(sent.find("ada@example.com"), std::string::npos);
  EXPECT_EQ(sent.find("[email]"), std::string::npos);  // no transcript at all
  EXPECT_NE(sent.find("\\\"conversations\\\""), std::string::npos) << sent;
}

TEST_F(AnalyticsInsightsAiTest, TranscriptsAreSentOnlyWhenOptedInAndRedacted) {
  auto s = session(org_id, bot_id, "telegram", kDec1 + kHour, "Ada", 1000);
  message(org_id, s, kDec1 + kHour, "in", "I am ada@example.com, call +49 151 2345 6789, card 4111 1111 1111 1111");
  message(org_id, s, kDec1 + kHour + 1000, "out", "Thanks, we will call you on 2026-12-04.");
  model.answer({FakeAnswer{.content = report()}});
  ASSERT_EQ(owner.send("PUT", "/api/analytics/settings", R"({"share_transcripts":true})").status, 200);
  auto run = wait_for(start_run(owner));
  EXPECT_EQ(run.at("status"), "done");
  EXPECT_EQ(run.at("transcripts_sent"), true);
  auto seen = model.seen();
  ASSERT_EQ(seen.size(), 1u);
  std::string sent = json::serialize(seen[0].body.at("messages"));
  EXPECT_NE(sent.find("User: I am [email], call [phone], card [card]"), std::string::npos) << sent;
  EXPECT_NE(sent.find("Bot: Thanks, we will call you on 2026-12-04."), std::string::npos) << sent;
  for (const char* leak : {"ada@example.com", "2345 6789", "4111"}) EXPECT_EQ(sent.find(leak), std::string::npos) << leak;
}

TEST_F(AnalyticsInsightsAiTest, FailedAnswersMakeFailedRunsWithReadableErrors) {
  struct Case {
    FakeAnswer answer;
    std::string words;
  };
  std::vector<Case> cases = {
      {FakeAnswer{.status = 401}, "401"},
      {FakeAnswer{.status = 429, .retry_after = "0"}, "429"},
      {FakeAnswer{.status = 500}, "500"},
      {FakeAnswer{.content = "Sure! Here are some insights: shipping is slow."}, "not the report asked for"},
      {FakeAnswer{.content = R"({"summary":"x","themes":"none","recommendations":[]})"}, "not the report asked for"},
      {FakeAnswer{.hang = true}, ""},
  };
  int n = 0;
  for (const auto& c : cases) {
    // Each case with an organisation key of its own, so one case's failures do not open the next one's
    // circuit breaker; the run uses the organisation's key.
    std::string key = "sk-or-v1-insight-case-" + std::to_string(++n) + "-0123456789abcdef";
    auto set = owner.send("PUT", "/api/orgs/" + org_id + "/ai", json::serialize(json::object{{"api_key", key}}));
    ASSERT_EQ(set.status, 200) << set.body;
    model.answer({c.answer});
    auto run = wait_for(start_run(owner));
    EXPECT_EQ(run.at("status"), "failed") << c.words;
    std::string error = str(run.at("error"));
    EXPECT_FALSE(error.empty());
    if (!c.words.empty()) EXPECT_NE(error.find(c.words), std::string::npos) << error;
    EXPECT_EQ(error.find("sk-or-installation-secret-key-123"), std::string::npos) << error;
    EXPECT_EQ(error.find(key), std::string::npos) << error;
    EXPECT_EQ(model.seen().back().authorization, "Bearer " + key);
    EXPECT_EQ(run.at("summary"), nullptr);
    EXPECT_NE(run.at("finished_at"), nullptr);
  }
}

TEST_F(AnalyticsInsightsTest, RunsAreMeteredPagedAndScoped) {
  billing_on("free");
  // Free has no insight runs.
  auto free = owner.post("/api/analytics/insights", json::object{});
  EXPECT_EQ(free.status, 402) << free.body;
  EXPECT_EQ(free.error_code(), "feature_not_in_plan");
  ASSERT_TRUE(app->billing().set_plan_from_cli(org_id, "pro").ok());
  app->usage().use_entitlements(&plans);
  plans.runs = 3;
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(start_run(owner, json::object{{"preset", "7d"}}));
    test_clock.advance(1000);
  }
  auto over = owner.post("/api/analytics/insights", json::object{});
  EXPECT_EQ(over.status, 402) << over.body;
  EXPECT_EQ(over.error_code(), "plan_limit_reached");
  EXPECT_EQ(app->usage().period_usage(org_id).insight_runs, 3);

  auto page = owner.get("/api/analytics/insights?limit=2");
  ASSERT_EQ(page.status, 200) << page.body;
  auto items = page.json().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(str(items[0].at("id")), ids[2]);
  EXPECT_EQ(str(items[1].at("id")), ids[1]);
  std::string next = str(page.json().at("next"));
  ASSERT_FALSE(next.empty());
  auto rest = owner.get("/api/analytics/insights?limit=2&before=" + next);
  ASSERT_EQ(rest.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(str(rest.json().at("items").at(0).at("id")), ids[0]);
  EXPECT_EQ(rest.json().at("next"), nullptr);
  EXPECT_EQ(owner.get("/api/analytics/insights?before=../x").status, 422);
  EXPECT_EQ(owner.get("/api/analytics/insights?limit=0").status, 422);

  Agent other = agent();
  other.signup(unique_email("other"));
  EXPECT_EQ(other.get("/api/analytics/insights/" + ids[0]).status, 404);
  EXPECT_EQ(other.get("/api/analytics/insights").json().at("items").as_array().size(), 0u);
  EXPECT_NE(owner.get("/api/analytics/insights/..%2F" + ids[0]).status, 200);
  Agent viewer = key_agent("viewer");
  EXPECT_EQ(viewer.get("/api/analytics/insights/" + ids[0]).status, 200);
  EXPECT_EQ(viewer.post("/api/analytics/insights", json::object{}).status, 403);
  EXPECT_EQ(owner.post("/api/analytics/insights", json::object{{"preset", 7}}).status, 422);
  EXPECT_EQ(owner.post("/api/analytics/insights", json::object{{"preset", "forever"}}).status, 422);
  EXPECT_EQ(owner.post("/api/analytics/insights", json::object{{"bot_id", "bot_../../x"}}).status, 404);
  EXPECT_EQ(owner.send("POST", "/api/analytics/insights", "[1,2]").status, 400);
  EXPECT_EQ(owner.send("POST", "/api/analytics/insights", std::string(2 * 1024 * 1024, ' ')).status, 413);
  EXPECT_EQ(owner.send("PUT", "/api/analytics/settings", std::string(2 * 1024 * 1024, ' ')).status, 413);
  // None of the refused calls was counted.
  EXPECT_EQ(app->usage().period_usage(org_id).insight_runs, 3);
}

TEST_F(AnalyticsInsightsTest, ARunLeftRunningIsFailedAtStartUp) {
  {
    auto conn = app->database().acquire();
    conn->execute(
        "INSERT INTO insight_runs (id, org_id, created_by_label, status, kind, filters, prompt_version, metrics, "
        "created_at) VALUES ('ins_left', $1, 'Test User', 'running', 'ai', '{}', '2026-12-1', '{}', $2)",
        {org_id, kDec1});
  }
  restart();
  owner = agent();
  owner.signin(owner_email);
  auto r = owner.get("/api/analytics/insights/ins_left");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("status"), "failed");
  EXPECT_NE(str(r.json().at("error")).find("Interrupted"), std::string::npos);
}

}  // namespace
}  // namespace sb::test
