// Analytics over real HTTP (ADR 0037): known numbers of a hand-built day in New York (with its
// daylight-saving change and the edges of midnight), the organisation's time zone, filters, plan
// gates and hostile queries; and, after random workloads through the real message paths (web chat,
// platform jobs, the model, templates and fallbacks), rollups equal to the raw recomputation and
// a backfill equal to the incremental rollups.
#include <random>
#include <thread>

#include "analytics/backfill.hpp"
#include "analytics/daily.hpp"
#include "analytics/raw.hpp"
#include "analytics/recorder.hpp"
#include "analytics/service.hpp"
#include "core/clock.hpp"
#include "fakes/fake_openrouter.hpp"
#include "integration/messaging_fixture.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;

// 2026-03-08, the day New York moves its clocks forward (EST → EDT at 2 a.m.), at 00:00 UTC.
constexpr std::int64_t kMar8 = 1772928000000;

std::string org_of(const json::object& session) { return std::string(session.at("organization").at("id").as_string()); }

class AnalyticsTest : public ServerTest {
 protected:
  const Clock* clock() override { return &test_clock; }
  void SetUp() override {
    ServerTest::SetUp();
    owner = agent();
    org_id = org_of(owner.signup(unique_email("owner")));
    auto tpl = owner.post("/api/templates", {{"name", "Hours"}, {"trigger_phrases", json::array{"opening hours"}},
                                             {"body", "We are open 9 to 5."}});
    ASSERT_EQ(tpl.status, 201) << tpl.body;
    template_id = std::string(tpl.json().at("id").as_string());
    auto bot = owner.post("/api/bots", {{"name", "Shop"}, {"fallback_message", "A colleague will answer soon."},
                                        {"template_ids", json::array{template_id}}});
    ASSERT_EQ(bot.status, 201) << bot.body;
    bot_id = std::string(bot.json().at("id").as_string());
    auto dep = owner.post("/api/deployments", {{"bot_id", bot_id}, {"channel", "webchat"},
                                               {"allowed_origins", json::array{"https://shop.example.com"}}});
    ASSERT_EQ(dep.status, 201) << dep.body;
    deployment_id = std::string(dep.json().at("id").as_string());
    key = std::string(dep.json().at("key").as_string());
  }
  std::string visitor() { return std::string(agent().get("/widget/" + key).json().at("visitor_token").as_string()); }
  // One web chat message at `at` (the test clock); returns the conversation id.
  std::string say(const std::string& token, const std::string& text, std::int64_t at) {
    test_clock.now = at;
    auto r = agent().send("POST", "/widget/" + key + "/messages",
                          json::serialize(json::object{{"visitor_token", token}, {"text", text}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? std::string(r.json().at("session_id").as_string()) : "";
  }
  Reply rate(const std::string& token, const std::string& session, int score) {
    return agent().send("POST", "/widget/" + key + "/rating",
                        json::serialize(json::object{{"visitor_token", token}, {"session_id", session}, {"score", score}}));
  }
  json::object get(const std::string& path, long status = 200) {
    auto r = owner.get(path);
    EXPECT_EQ(r.status, status) << path << " " << r.body;
    return r.status == 200 ? r.json().as_object() : json::object{};
  }
  static json::value metric(const json::object& overview, const char* name, const char* which = "value") {
    return overview.at("metrics").at(name).at(which);
  }
  // The New York day built by hand: see NewYorkDayHasTheNumbersCountedByHand.
  void build_new_york_day() {
    std::string a = visitor(), b = visitor(), c = visitor(), d = visitor();
    // A: 23:59:59.999 on 7 March in New York (EST); the reply a millisecond later is 8 March.
    say(a, "What are your opening hours?", kMar8 + 5 * kHour - 1);
    // B: midnight exactly; asks the same unanswered question twice, written differently.
    say(b, "Do you ship to Mars?", kMar8 + 5 * kHour);
    say(b, "  do you SHIP   to mars? ", kMar8 + 5 * kHour + 2000);
    // C: late morning; opening hours twice, then rates the chat 4, then changes it to 5.
    std::string c_session = say(c, "opening hours", kMar8 + 15 * kHour);
    say(c, "opening hours again please", kMar8 + 15 * kHour + 1000);
    ASSERT_EQ(rate(c, c_session, 4).status, 204);
    ASSERT_EQ(rate(c, c_session, 5).status, 204);
    // A again, a new conversation at 23:59:59.999 on 8 March (EDT): answered on 9 March.
    say(a, "hello", kMar8 + 28 * kHour - 1);
    // D: midnight of 9 March, outside the day.
    say(d, "hi", kMar8 + 28 * kHour);
  }

  // Whole UTC days before `until` into the daily level (ADR 0037, part D), as the scheduled task does.
  void compact(std::int64_t until) { analytics::compact_org(app->database(), org_id, until); }
  std::int64_t count(const std::string& sql) {
    auto conn = app->database().acquire();
    return conn->query_one(sql, {org_id})->integer("n");
  }
  void expect_new_york_day_numbers();

  TestClock test_clock;
  Agent owner{""};
  std::string org_id, template_id, bot_id, deployment_id, key;
};

TEST_F(AnalyticsTest, NewYorkDayHasTheNumbersCountedByHand) {
  build_new_york_day();
  expect_new_york_day_numbers();
}

// The same known numbers with the days compacted into the daily level: the New York ranges start
// and end mid-UTC-day (05:00Z, 04:00Z on the DST day), so every read mixes both levels.
TEST_F(AnalyticsTest, NewYorkDayHasTheSameNumbersWithTheDaysCompacted) {
  build_new_york_day();
  compact(kMar8 + 3 * kDay);
  EXPECT_EQ(count("SELECT until AS n FROM analytics_daily_until WHERE org_id = $1"), kMar8 + 3 * kDay);
  EXPECT_EQ(count("SELECT SUM(conversations) AS n FROM analytics_daily WHERE org_id = $1"), 5);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM analytics_users_daily WHERE org_id = $1"), 2) << "8 and 9 March (UTC)";
  expect_new_york_day_numbers();
}

void AnalyticsTest::expect_new_york_day_numbers() {
  auto o = get("/api/analytics/overview?tz=America/New_York&from=2026-03-08&to=2026-03-08");
  const auto& range = o.at("range").as_object();
  EXPECT_EQ(range.at("start").as_string(), "2026-03-08T05:00:00Z");
  EXPECT_EQ(range.at("end").as_string(), "2026-03-09T04:00:00Z") << "a 23-hour day";
  EXPECT_EQ(range.at("granularity").as_string(), "hour");
  EXPECT_EQ(range.at("days").as_int64(), 1);
  EXPECT_EQ(o.at("previous").at("from").as_string(), "2026-03-07");
  EXPECT_EQ(o.at("previous").at("start").as_string(), "2026-03-07T05:00:00Z");
  EXPECT_EQ(o.at("template_scope").as_string(), "all");
  // Conversations that started that day: B at midnight, C, and A's second one at 23:59:59.999.
  EXPECT_EQ(metric(o, "conversations"), 3);
  EXPECT_EQ(metric(o, "conversations", "previous"), 1) << "A's first conversation, a millisecond before midnight";
  EXPECT_EQ(metric(o, "engaged"), 2) << "B and C wrote twice";
  EXPECT_EQ(metric(o, "handoffs"), 2) << "B and A's second conversation got the fallback";
  EXPECT_EQ(metric(o, "unique_users"), 3);
  EXPECT_EQ(metric(o, "resolved"), 0);
  EXPECT_TRUE(metric(o, "resolution_rate").is_number());
  EXPECT_DOUBLE_EQ(metric(o, "handoff_rate").as_double(), 2.0 / 3.0);
  // Messages created that day: inbound B×2, C×2, A×1; replies A's first (00:00:00.000), B×2, C×2.
  EXPECT_EQ(metric(o, "messages_in"), 5);
  EXPECT_EQ(metric(o, "messages_out"), 5);
  EXPECT_EQ(metric(o, "messages_in", "previous"), 1);
  EXPECT_EQ(metric(o, "messages_out", "previous"), 0);
  EXPECT_EQ(metric(o, "template_replies"), 3);
  EXPECT_EQ(metric(o, "fallback_replies"), 2);
  EXPECT_EQ(metric(o, "ai_replies"), 0);
  EXPECT_DOUBLE_EQ(metric(o, "fallback_rate").as_double(), 0.4);
  EXPECT_EQ(metric(o, "first_response_p50_ms"), 50) << "answered within a millisecond: the first bucket";
  EXPECT_TRUE(metric(o, "conversion_rate").is_number());
  // The rating was changed from 4 to 5: one rating, of 5; rated without being asked counts as asked.
  EXPECT_EQ(metric(o, "ratings"), 1);
  EXPECT_DOUBLE_EQ(metric(o, "satisfaction_average").as_double(), 5.0);
  EXPECT_DOUBLE_EQ(metric(o, "satisfaction_response_rate").as_double(), 1.0);
  EXPECT_EQ(o.at("satisfaction").at("distribution"), (json::array{0, 0, 0, 0, 1}));
  EXPECT_TRUE(metric(o, "satisfaction_average", "previous").is_null()) << "no ratings: null, never 0";

  // The same day in UTC: A's first conversation (04:59:59.999Z) is in it, A's second is not.
  auto utc = get("/api/analytics/overview?tz=UTC&from=2026-03-08&to=2026-03-08&compare=none");
  EXPECT_EQ(metric(utc, "conversations"), 3);
  EXPECT_TRUE(metric(utc, "conversations", "previous").is_null());
  EXPECT_TRUE(utc.at("previous").is_null());

  // Hours of the day in New York: 23 points, no 02:00; the previous day aligned by index.
  auto s = get("/api/analytics/series?tz=America/New_York&from=2026-03-08&to=2026-03-08");
  const auto& points = s.at("points").as_array();
  ASSERT_EQ(points.size(), 23u);
  EXPECT_EQ(points[0].at("label").as_string(), "2026-03-08 00:00");
  EXPECT_EQ(points[2].at("label").as_string(), "2026-03-08 03:00");
  EXPECT_EQ(points[0].at("start").as_string(), "2026-03-08T05:00:00Z");
  EXPECT_EQ(points[0].at("metrics").at("conversations"), 1) << "B at midnight";
  EXPECT_EQ(points[0].at("metrics").at("messages_out"), 3) << "A's first reply and B's two";
  EXPECT_EQ(points[22].at("metrics").at("conversations"), 1) << "A at 23:59:59.999";
  EXPECT_EQ(points[22].at("metrics").at("messages_out"), 0) << "its reply came on 9 March";
  EXPECT_TRUE(points[1].at("metrics").at("fallback_rate").is_null());
  ASSERT_EQ(s.at("previous_points").as_array().size(), 23u);
  EXPECT_EQ(s.at("previous_points").as_array()[22].at("metrics").at("messages_in"), 0);
  EXPECT_EQ(s.at("previous_points").as_array()[23 - 1].at("label").as_string(), "2026-03-07 22:00");

  // Days: the week ending 9 March.
  auto week = get("/api/analytics/series?tz=America/New_York&from=2026-03-03&to=2026-03-09&compare=none");
  const auto& days = week.at("points").as_array();
  ASSERT_EQ(days.size(), 7u);
  EXPECT_EQ(week.at("range").at("granularity").as_string(), "day");
  EXPECT_EQ(days[4].at("label").as_string(), "2026-03-07");
  EXPECT_EQ(days[4].at("metrics").at("conversations"), 1);
  EXPECT_EQ(days[5].at("metrics").at("conversations"), 3);
  EXPECT_EQ(days[6].at("metrics").at("conversations"), 1) << "D at midnight of 9 March";
  EXPECT_EQ(days[6].at("metrics").at("messages_out"), 2) << "A's late reply and D's";
  EXPECT_EQ(days[5].at("metrics").at("unique_users"), 3);
  EXPECT_TRUE(week.at("previous_points").is_null());

  // Both periods of a series come from one read (part H): each is what asking for it alone gives.
  // 9 March (24 hours) against 8 March (23 hours: the last previous point is padded).
  for (const std::string& extra : std::vector<std::string>{"", "&template_id=" + template_id, "&platform=webchat"}) {
    const std::string base = "/api/analytics/series?tz=America/New_York";
    auto both = get(base + "&from=2026-03-09&to=2026-03-09" + extra);
    auto current = get(base + "&from=2026-03-09&to=2026-03-09&compare=none" + extra);
    auto before = get(base + "&from=2026-03-08&to=2026-03-08&compare=none" + extra);
    EXPECT_EQ(both.at("points"), current.at("points")) << extra;
    const auto& prev = both.at("previous_points").as_array();
    const auto& alone = before.at("points").as_array();
    ASSERT_EQ(prev.size(), 24u);
    ASSERT_EQ(alone.size(), 23u);
    for (std::size_t i = 0; i < alone.size(); ++i) EXPECT_EQ(prev[i], alone[i]) << extra << " point " << i;
    EXPECT_TRUE(prev[23].at("label").is_null());
    EXPECT_EQ(prev[23].at("metrics").at("conversations"), 0);
  }
  {
    // Days: the week ending 9 March against the week before, which holds A's first conversation.
    auto both = get("/api/analytics/series?tz=America/New_York&from=2026-03-10&to=2026-03-16");
    auto before = get("/api/analytics/series?tz=America/New_York&from=2026-03-03&to=2026-03-09&compare=none");
    EXPECT_EQ(both.at("previous_points"), before.at("points"));
    EXPECT_EQ(both.at("previous_points").as_array()[5].at("metrics").at("conversations"), 3);
  }

  // The questions the fallback answered, normalised, most asked first.
  auto u = get("/api/analytics/unanswered?tz=America/New_York&from=2026-03-08&to=2026-03-09");
  ASSERT_EQ(u.at("rows").as_array().size(), 3u);
  EXPECT_EQ(u.at("rows").as_array()[0], (json::object{{"question", "do you ship to mars?"}, {"count", 2}}));

  // Funnel and breakdown.
  auto f = get("/api/analytics/funnel?tz=America/New_York&from=2026-03-08&to=2026-03-08");
  const auto& steps = f.at("segments").as_array()[0].at("steps").as_array();
  EXPECT_EQ(f.at("segments").as_array()[0].at("key").as_string(), "all");
  EXPECT_EQ(steps[0].at("count"), 3);
  EXPECT_EQ(steps[1].at("count"), 2);
  EXPECT_EQ(steps[1].at("drop_off"), 1);
  EXPECT_EQ(steps[2].at("key").as_string(), "resolved");
  auto by_platform = get("/api/analytics/funnel?by=platform&tz=America/New_York&from=2026-03-08&to=2026-03-08");
  EXPECT_EQ(by_platform.at("segments").as_array()[0].at("label").as_string(), "Web chat");
  auto templates = get("/api/analytics/breakdown?by=template&tz=America/New_York&from=2026-03-08&to=2026-03-08");
  ASSERT_EQ(templates.at("rows").as_array().size(), 1u);
  EXPECT_EQ(templates.at("rows").as_array()[0],
            (json::object{{"key", template_id}, {"label", "Hours"}, {"metrics", json::object{{"template_replies", 3}}}}));
  auto bots = get("/api/analytics/breakdown?by=bot&tz=America/New_York&from=2026-03-08&to=2026-03-08");
  EXPECT_EQ(bots.at("rows").as_array()[0].at("label").as_string(), "Shop");
  EXPECT_EQ(bots.at("rows").as_array()[0].at("metrics").at("conversations"), 3);

  // template_id narrows message metrics to that template; conversations are not split.
  auto tpl = get("/api/analytics/overview?tz=America/New_York&from=2026-03-08&to=2026-03-08&template_id=" + template_id);
  EXPECT_EQ(tpl.at("template_scope").as_string(), "messages");
  EXPECT_EQ(metric(tpl, "messages_out"), 3);
  EXPECT_EQ(metric(tpl, "fallback_replies"), 0);
  EXPECT_EQ(metric(tpl, "conversations"), 3);
  EXPECT_TRUE(get("/api/analytics/unanswered?from=2026-03-08&to=2026-03-09&template_id=" + template_id)
                  .at("rows").as_array().empty());

  // Filters: the bot, the platform, the deployment.
  EXPECT_EQ(metric(get("/api/analytics/overview?tz=America/New_York&from=2026-03-08&to=2026-03-08&platform=telegram"),
                   "conversations"), 0);
  EXPECT_EQ(metric(get("/api/analytics/overview?tz=America/New_York&from=2026-03-08&to=2026-03-08&bot_id=" + bot_id +
                       "&deployment_id=" + deployment_id),
                   "conversations"), 3);
}

// Every dashboard call answers the same from the daily level as from the hourly rows alone: UTC
// (daily points), New York over its DST change and Berlin (local days straddle UTC days), ranges
// whose edges fall mid-day, filters; a rating of a conversation on a compacted day (a late
// addition) and a conversation recorded below the watermark count on both levels.
TEST_F(AnalyticsTest, TheDailyLevelAnswersAsTheHourlyRowsDo) {
  build_new_york_day();
  // A week before: a conversation a day at a different hour, some unanswered, one rated later.
  std::vector<std::pair<std::string, std::string>> earlier;  // visitor, conversation
  for (int d = 1; d <= 6; ++d) {
    std::string v = visitor();
    const std::int64_t at = kMar8 - d * kDay + (d * 5 % 24) * kHour + 17 * 60'000;
    earlier.emplace_back(v, say(v, d % 2 ? "Do you ship to Mars?" : "opening hours", at));
    say(v, d % 3 ? "and to Venus?" : "opening hours please", at + 20 * 60'000);
  }
  compact(kMar8 + 3 * kDay);
  ASSERT_GT(count("SELECT COUNT(*) AS n FROM analytics_daily WHERE org_id = $1"), 6);
  // Late additions below the watermark: a rating of 2 March's conversation, and a conversation
  // written now at 4 March (a message path's hour, as an import would be).
  ASSERT_EQ(rate(earlier[5].first, earlier[5].second, 2).status, 204);
  say(visitor(), "Do you ship to Mars?", kMar8 - 4 * kDay + 22 * kHour);
  EXPECT_EQ(count("SELECT SUM(ratings) AS n FROM analytics_daily WHERE org_id = $1"),
            count("SELECT SUM(ratings) AS n FROM analytics_hourly WHERE org_id = $1"));
  EXPECT_EQ(count("SELECT SUM(conversations) AS n FROM analytics_daily WHERE org_id = $1"), 12);

  std::vector<std::string> calls;
  for (const std::string tz : {"UTC", "America/New_York", "Europe/Berlin"}) {
    for (const std::string range : {"from=2026-03-01&to=2026-03-09", "from=2026-03-03&to=2026-03-08",
                                    "from=2026-03-08&to=2026-03-09", "from=2026-03-06&to=2026-03-06"}) {
      const std::string q = "?tz=" + tz + "&" + range;
      for (const std::string& extra : std::vector<std::string>{"", "&compare=none", "&template_id=" + template_id,
                                                                "&platform=webchat", "&deployment_id=" + deployment_id}) {
        calls.push_back("/api/analytics/overview" + q + extra);
        calls.push_back("/api/analytics/series" + q + extra);
      }
      for (const std::string by : {"none", "platform", "bot", "deployment"})
        calls.push_back("/api/analytics/funnel" + q + "&by=" + by);
      for (const std::string by : {"platform", "bot", "deployment", "template"}) {
        calls.push_back("/api/analytics/breakdown" + q + "&by=" + by);
        calls.push_back("/api/analytics/breakdown" + q + "&by=" + by + "&template_id=" + template_id);
      }
      calls.push_back("/api/analytics/unanswered" + q + "&limit=2");
      calls.push_back("/api/analytics/unanswered" + q);
    }
  }
  std::vector<json::object> daily;
  for (const auto& c : calls) daily.push_back(get(c));
  EXPECT_EQ(metric(daily[0], "ratings"), 2);
  // The hourly rows alone: no daily rows, no watermark.
  {
    auto conn = app->database().acquire();
    for (const char* t : {"analytics_daily", "analytics_users_daily", "analytics_first_response_daily",
                          "analytics_templates_daily", "analytics_unanswered_daily", "analytics_users_daily_all",
                          "analytics_daily_until"})
      conn->execute(std::string("DELETE FROM ") + t + " WHERE org_id = $1", {org_id});
  }
  for (std::size_t i = 0; i < calls.size(); ++i) EXPECT_EQ(get(calls[i]), daily[i]) << calls[i];
}

// Series in an organisation's own zone (part U): local days that straddle UTC days take counters
// and histograms from the daily level by subtraction and unique users from the zone-day sketches;
// every series answers as from the hourly rows alone, in Berlin, New York over its DST change and
// Kolkata (a half-hour offset), with a late rating and a late conversation below the marks, and
// after the organisation moves to another zone (the sketches are rebuilt for it).
TEST_F(AnalyticsTest, SeriesInTheOrganisationsZoneAnswerAsTheHourlyRowsDo) {
  build_new_york_day();
  std::vector<std::pair<std::string, std::string>> earlier;  // visitor, conversation
  for (int d = 1; d <= 9; ++d) {
    std::string v = visitor();
    const std::int64_t at = kMar8 - d * kDay + (d * 7 % 24) * kHour + 11 * 60'000;
    earlier.emplace_back(v, say(v, d % 2 ? "Do you ship to Mars?" : "opening hours", at));
    say(v, "and on Sundays?", at + 30 * 60'000);
    say(visitor(), "opening hours", at + 3 * kHour);
  }
  int late = 0;
  for (const std::string zone : {"Europe/Berlin", "America/New_York", "Asia/Kolkata"}) {
    SCOPED_TRACE(zone);
    ASSERT_EQ(owner.patch("/api/orgs/" + org_id, {{"time_zone", zone}}).status, 200);
    compact(kMar8 + 3 * kDay);
    {
      auto conn = app->database().acquire();
      auto m = analytics::store::daily_marks(*conn, org_id);
      EXPECT_EQ(m.zone, zone);
      EXPECT_GT(m.zone_until, kMar8) << "local days up to 10 March are compacted";
      EXPECT_LE(m.zone_until, kMar8 + 3 * kDay);
    }
    EXPECT_GE(count("SELECT COUNT(*) AS n FROM analytics_users_zone_daily_all WHERE org_id = $1"), 10);
    // Late additions below the marks: a rating and a new conversation on compacted days.
    ASSERT_EQ(rate(earlier[late].first, earlier[late].second, 1 + late).status, 204);
    ++late;
    say(visitor(), "opening hours", kMar8 - 2 * kDay + (5 + 7 * late) * kHour);
    std::vector<std::string> calls;
    for (const std::string range : {"from=2026-02-28&to=2026-03-09", "from=2026-03-03&to=2026-03-08",
                                    "from=2026-03-08&to=2026-03-09", "from=2026-03-06&to=2026-03-06",
                                    "from=2026-03-01&to=2026-03-12"})
      for (const std::string& extra : std::vector<std::string>{"", "&compare=none", "&platform=webchat",
                                                                "&template_id=" + template_id, "&tz=" + zone,
                                                                "&tz=Europe/Lisbon"})
        calls.push_back("/api/analytics/series?" + range + extra);
    std::vector<json::object> compacted;
    for (const auto& c : calls) compacted.push_back(get(c));
    // Unique users are in the points: the check below is not of empty answers.
    std::int64_t users = 0;
    for (const auto& pt : compacted[0].at("points").as_array())
      users += pt.at("metrics").at("unique_users").as_int64();
    EXPECT_GT(users, 10);
    std::string marks;
    {
      auto conn = app->database().acquire();
      auto r = conn->query_one("SELECT until, zone, zone_until FROM analytics_daily_until WHERE org_id = $1", {org_id});
      ASSERT_TRUE(r);
      marks = r->text("until") + "," + r->text("zone") + "," + r->text("zone_until");
      conn->execute("DELETE FROM analytics_daily_until WHERE org_id = $1", {org_id});
    }
    for (std::size_t i = 0; i < calls.size(); ++i) EXPECT_EQ(get(calls[i]), compacted[i]) << calls[i];
    // Back to the marks as they were (the next zone's compaction starts from them).
    {
      auto conn = app->database().acquire();
      auto parts = marks;
      const auto a = parts.find(','), b = parts.rfind(',');
      conn->execute("INSERT INTO analytics_daily_until (org_id, until, zone, zone_until) VALUES ($1, $2, $3, $4)",
                    {org_id, std::stoll(parts.substr(0, a)), parts.substr(a + 1, b - a - 1), std::stoll(parts.substr(b + 1))});
    }
  }
}

// The scheduled compaction lists an organisation in another zone only while it has days to fill:
// with no rows yet its zone days are complete at once; rows that arrive below the marks later go
// in as late additions (the series still answers as from the hourly rows); a zone change lists it
// again until its zone days are rebuilt.
TEST_F(AnalyticsTest, TheCompactionListsAnOrganisationOnlyWhileItsZoneDaysLag) {
  ASSERT_EQ(owner.patch("/api/orgs/" + org_id, {{"time_zone", "Europe/Berlin"}}).status, 200);
  const std::int64_t now = kMar8 + 5 * kDay + 7 * kHour;
  EXPECT_GE(analytics::compact_all(app->database(), now).organizations, 1);
  EXPECT_EQ(analytics::compact_all(app->database(), now).organizations, 0) << "no rows: nothing left to fill";
  EXPECT_GT(count("SELECT zone_until AS n FROM analytics_daily_until WHERE org_id = $1"), 0);
  build_new_york_day();  // 8 March: below both marks
  const std::string q = "/api/analytics/series?from=2026-03-05&to=2026-03-11";
  auto compacted = get(q);
  EXPECT_GT(count("SELECT COUNT(*) AS n FROM analytics_users_zone_daily_all WHERE org_id = $1"), 0);
  for (const std::string zone : {"America/New_York", "Europe/Berlin"}) {
    ASSERT_EQ(owner.patch("/api/orgs/" + org_id, {{"time_zone", zone}}).status, 200);
    EXPECT_GE(analytics::compact_all(app->database(), now + kDay).organizations, 1) << zone;
    EXPECT_EQ(analytics::compact_all(app->database(), now + kDay).organizations, 0) << zone;
  }
  EXPECT_EQ(get(q), compacted);
  {
    auto conn = app->database().acquire();
    conn->execute("DELETE FROM analytics_daily_until WHERE org_id = $1", {org_id});
  }
  EXPECT_EQ(get(q), compacted);
}

// Late additions racing with the compaction (PostgreSQL: the watermark row FOR SHARE against
// FOR UPDATE; SQLite: one writer): every compacted day's daily row equals its hourly rows.
TEST_F(AnalyticsTest, LateAdditionsRacingWithTheCompactionAreCountedOnBothLevels) {
  const std::int64_t base = kMar8;
  std::thread compactor([&] {
    for (int day = 1; day <= 8; ++day) compact(base + day * kDay);
  });
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    analytics::SessionKey key{org_id, bot_id, "webchat", deployment_id,
                              base + static_cast<std::int64_t>(rng() % (8 * 24)) * kHour + 60'000};
    auto conn = app->database().acquire();
    db::Transaction tx(*conn);
    analytics::Delta d;
    d.conversation(key, "user-" + std::to_string(rng() % 50));
    d.rating(key, 1 + static_cast<int>(rng() % 5), std::nullopt, true);
    d.first_response(key, 100 + static_cast<std::int64_t>(rng() % 5000));
    d.flush(*conn);
    tx.commit();
  }
  compactor.join();
  ASSERT_EQ(count("SELECT until AS n FROM analytics_daily_until WHERE org_id = $1"), base + 8 * kDay);
  auto conn = app->database().acquire();
  for (const char* column : {"conversations", "ratings", "rating_sum", "first_responses", "first_response_ms_sum"}) {
    const std::string c = column;
    auto hourly = conn->query("SELECT hour - hour % 86400000 AS d, SUM(" + c + ") AS n FROM analytics_hourly WHERE org_id = $1 "
                              "GROUP BY hour - hour % 86400000 ORDER BY 1", {org_id});
    auto daily = conn->query("SELECT day AS d, SUM(" + c + ") AS n FROM analytics_daily WHERE org_id = $1 GROUP BY day ORDER BY 1",
                             {org_id});
    ASSERT_EQ(hourly.size(), daily.size()) << c;
    for (std::size_t i = 0; i < hourly.size(); ++i) {
      EXPECT_EQ(hourly[i].integer("d"), daily[i].integer("d")) << c;
      EXPECT_EQ(hourly[i].integer("n"), daily[i].integer("n")) << c << " on day " << i;
    }
  }
  // The sketches and histograms too: every call answers the same as from the hourly rows alone.
  const std::string q = "?tz=UTC&from=2026-03-08&to=2026-03-15";
  auto with_daily = get("/api/analytics/overview" + q), series = get("/api/analytics/series" + q);
  EXPECT_EQ(metric(with_daily, "ratings"), 300);
  conn->execute("DELETE FROM analytics_daily_until WHERE org_id = $1", {org_id});
  EXPECT_EQ(get("/api/analytics/overview" + q), with_daily);
  EXPECT_EQ(get("/api/analytics/series" + q), series);
}

TEST_F(AnalyticsTest, TheOrganisationsTimeZoneIsTheDefaultAndIsSetValidatedAndAudited) {
  build_new_york_day();
  auto plain = get("/api/analytics/overview?from=2026-03-08&to=2026-03-08");
  EXPECT_EQ(plain.at("range").at("tz").as_string(), "UTC");
  EXPECT_EQ(get("/api/orgs/" + org_id).at("time_zone").as_string(), "UTC");
  for (const char* bad : {"../../etc/passwd", "Mars/Base", "%2e%2e", ""}) {
    auto r = owner.patch("/api/orgs/" + org_id, {{"time_zone", bad}});
    EXPECT_EQ(r.status, 422) << bad << " " << r.body;
  }
  EXPECT_EQ(owner.patch("/api/orgs/" + org_id, {{"time_zone", 5}}).status, 422);
  auto set = owner.patch("/api/orgs/" + org_id, {{"time_zone", "America/New_York"}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json().at("time_zone").as_string(), "America/New_York");
  auto local = get("/api/analytics/overview?from=2026-03-08&to=2026-03-08");
  EXPECT_EQ(local.at("range").at("tz").as_string(), "America/New_York");
  EXPECT_EQ(metric(local, "conversations"), 3);
  EXPECT_EQ(local.at("range").at("start").as_string(), "2026-03-08T05:00:00Z");
  auto audit = get("/api/orgs/" + org_id + "/audit?action=organization.time_zone_changed");
  EXPECT_NE(json::serialize(audit).find("America/New_York"), std::string::npos) << json::serialize(audit);
  // Presets count back from today in the zone.
  test_clock.now = kMar8 + 28 * kHour + 30 * 60 * 1000;  // 00:30 on 9 March in New York
  auto today = get("/api/analytics/overview?preset=today");
  EXPECT_EQ(today.at("range").at("from").as_string(), "2026-03-09");
  EXPECT_EQ(metric(today, "conversations"), 1);
  auto yesterday = get("/api/analytics/overview?preset=yesterday");
  EXPECT_EQ(yesterday.at("range").at("from").as_string(), "2026-03-08");
  auto thirty = get("/api/analytics/overview");
  EXPECT_EQ(thirty.at("range").at("days").as_int64(), 30);
  EXPECT_EQ(thirty.at("range").at("to").as_string(), "2026-03-09");
  EXPECT_EQ(thirty.at("range").at("granularity").as_string(), "day");
}

TEST_F(AnalyticsTest, BadQueriesAreRefusedAndOtherOrganisationsIdsAreUnknown) {
  auto code = [&](const std::string& path) {
    auto r = owner.get(path);
    return std::to_string(r.status) + " " + r.error_code();
  };
  EXPECT_EQ(code("/api/analytics/overview?tz=../../etc/passwd"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/overview?tz=%2e%2e"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/overview?tz=%2Fetc%2Fpasswd"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/overview?tz=Nowhere%2FAtAll"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/overview?preset=1y"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/overview?from=2026-03-09&to=2026-03-08"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/overview?from=2025-01-01&to=2026-03-08"), "422 validation_failed") << "over 366 days";
  EXPECT_EQ(code("/api/analytics/overview?from=2026-02-30&to=2026-03-08"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/overview?from=2026-03-01"), "422 validation_failed") << "from without to";
  EXPECT_EQ(code("/api/analytics/overview?compare=sometimes"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/overview?colour=red"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/overview?platform=myspace"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/unanswered?limit=100000000000000000000"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/unanswered?limit=0"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/unanswered?limit=-1"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/unanswered?limit=100"), "200 ");
  EXPECT_EQ(code("/api/analytics/funnel?by=colour"), "422 validation_failed");
  EXPECT_EQ(code("/api/analytics/breakdown?by=../bot"), "422 validation_failed");
  auto r = owner.get("/api/analytics/overview?from=2026-03-09&to=2026-03-08");
  EXPECT_TRUE(r.json().at("error").at("details").at("fields").as_object().contains("from")) << r.body;

  // Ids that are not ours, or not ids at all, name nothing.
  Agent stranger = agent();
  stranger.signup(unique_email("stranger"));
  auto their_bot = stranger.post("/api/bots", {{"name", "Theirs"}});
  std::string theirs(their_bot.json().at("id").as_string());
  EXPECT_EQ(code("/api/analytics/overview?bot_id=" + theirs), "404 not_found");
  EXPECT_EQ(owner.get("/api/analytics/overview?bot_id=" + theirs).json().at("error").at("message").as_string(),
            "No such bot.");
  EXPECT_EQ(code("/api/analytics/overview?bot_id=bot_nope"), "404 not_found");
  EXPECT_EQ(code("/api/analytics/overview?bot_id=..%2F..%2Fbot"), "404 not_found");
  EXPECT_EQ(code("/api/analytics/overview?deployment_id=dep%2F1"), "404 not_found");
  EXPECT_EQ(code("/api/analytics/overview?template_id=" + theirs), "404 not_found");
  // The stranger sees none of this organisation's numbers.
  build_new_york_day();
  auto theirs_overview = stranger.get("/api/analytics/overview?tz=America/New_York&from=2026-03-08&to=2026-03-08");
  ASSERT_EQ(theirs_overview.status, 200);
  EXPECT_EQ(theirs_overview.json().at("metrics").at("conversations").at("value"), 0);
  EXPECT_EQ(agent().get("/api/analytics/overview").status, 401);
}

class AnalyticsPlanTest : public AnalyticsTest {
 protected:
  void configure(Config& c) override { c.billing = "on"; }
};

TEST_F(AnalyticsPlanTest, FreeHasOverviewAndSeriesOnly) {
  EXPECT_EQ(owner.get("/api/analytics/overview").status, 200);
  EXPECT_EQ(owner.get("/api/analytics/series").status, 200);
  EXPECT_EQ(owner.get("/api/analytics/overview?bot_id=" + bot_id + "&platform=webchat").status, 200);
  for (const std::string& path : std::vector<std::string>{"/api/analytics/funnel", "/api/analytics/breakdown?by=bot", "/api/analytics/unanswered",
                                 "/api/analytics/overview?deployment_id=" + deployment_id,
                                 "/api/analytics/series?template_id=" + template_id}) {
    auto r = owner.get(path);
    EXPECT_EQ(r.status, 402) << path << " " << r.body;
    EXPECT_EQ(r.error_code(), "feature_not_in_plan") << path;
  }
}

class AnalyticsRetentionTest : public AnalyticsTest {
 protected:
  void configure(Config& c) override {
    c.billing = "on";  // Free: 30 days of data
    c.session_ttl_days = 3650;
  }
  std::int64_t count_rows(const std::string& table) {
    auto conn = app->database().acquire();
    return conn->query_one("SELECT COUNT(*) AS n FROM " + table)->integer("n");
  }
};

TEST_F(AnalyticsRetentionTest, UnansweredQuestionsGoWithTheConversationsTheCountsStay) {
  std::string v = visitor();
  const std::int64_t start = test_clock.now_ms();
  say(v, "Where is my parcel 4711?", start);
  app->retention().sweep();
  EXPECT_EQ(count_rows("analytics_unanswered_hourly"), 1) << "kept while the conversation is";
  test_clock.now = start + 31LL * 24 * kHour;
  say(v, "Do you ship to Mars?", test_clock.now_ms());
  auto removed = app->retention().sweep();
  EXPECT_EQ(removed.conversations, 1);
  auto conn = app->database().acquire();
  auto rows = conn->query("SELECT question FROM analytics_unanswered_hourly");
  ASSERT_EQ(rows.size(), 1u) << "what people wrote is deleted past the retention";
  EXPECT_EQ(rows[0].text("question"), "do you ship to mars?");
  EXPECT_EQ(conn->query_one("SELECT SUM(conversations) AS n FROM analytics_hourly")->integer("n"), 2)
      << "the counts hold no text and stay";
}

// Retention covers the daily level: its days before the cutoff go, and the day the cutoff falls
// in keeps the questions of its hours after it.
TEST_F(AnalyticsRetentionTest, UnansweredQuestionsGoFromTheDailyLevelToo) {
  // Days after the test clock's start (retention counts from the organisation's plan onwards).
  const std::int64_t day1 = analytics::store::day_of(test_clock.now_ms()) + kDay;
  say(visitor(), "Where is my parcel 4711?", day1 + 10 * kHour);
  app->retention().sweep();  // the first sweep starts the plan's retention
  say(visitor(), "Can I get a refund?", day1 + kDay + 14 * kHour);
  compact(day1 + 3 * kDay);
  auto questions = [this](const std::string& table) {
    auto conn = app->database().acquire();
    std::vector<std::string> out;
    for (const auto& r : conn->query("SELECT question FROM " + table + " WHERE org_id = $1 ORDER BY question", {org_id}))
      out.push_back(r.text("question"));
    return out;
  };
  ASSERT_EQ(questions("analytics_unanswered_daily"),
            (std::vector<std::string>{"can i get a refund?", "where is my parcel 4711?"}));
  // 30 days later: the cutoff is the second day's 12:00 UTC; the refund question came at 14:00.
  say(visitor(), "Do you ship to Mars?", day1 + 31 * kDay + 12 * kHour);
  auto removed = app->retention().sweep();
  EXPECT_EQ(removed.conversations, 1);
  EXPECT_EQ(questions("analytics_unanswered_hourly"), (std::vector<std::string>{"can i get a refund?", "do you ship to mars?"}));
  EXPECT_EQ(questions("analytics_unanswered_daily"), (std::vector<std::string>{"can i get a refund?"}))
      << "the first day is gone; the second keeps the hours after the cutoff";
  EXPECT_EQ(count("SELECT SUM(conversations) AS n FROM analytics_daily WHERE org_id = $1"), 2) << "counts stay";
}

// Random workloads through the real message paths; the rollups must equal the raw recomputation.
class AnalyticsWorkloadTest : public MessagingTest {
 protected:
  void configure_more(Config& c) override {
    if (with_model) {
      c.openrouter_api_key = "sk-or-analytics-test-key";
      c.openrouter_base_url = model.base_url();
      c.ai_timeout_ms = 10000;
    }
  }
  // Every rollup row of the organisation (zero rows left out), for comparing two builds.
  // `level`: hourly, or daily (then the watermark too).
  std::string rollup_dump(const std::string& level = "hourly") {
    auto conn = app->database().acquire();
    std::string out;
    const bool pg = scratch->postgres();
    const std::string t = level == "hourly" ? "hour" : "day";
    std::vector<std::string> queries = {
        "SELECT * FROM analytics_" + level + " WHERE org_id = $1 ORDER BY " + t + ", bot_id, platform, deployment_id",
        "SELECT " + t + ", bot_id, platform, deployment_id, " +
            (pg ? "convert_from(sketch, 'UTF8')" : "CAST(sketch AS TEXT)") + " AS sketch FROM analytics_users_" + level +
            " WHERE org_id = $1 ORDER BY " + t + ", bot_id, platform, deployment_id",
        "SELECT * FROM analytics_first_response_" + level + " WHERE org_id = $1 AND buckets <> '' ORDER BY " + t +
            ", bot_id, platform, deployment_id",
        "SELECT * FROM analytics_templates_" + level + " WHERE org_id = $1 AND uses <> 0 ORDER BY " + t +
            ", bot_id, platform, deployment_id, template_id",
        "SELECT * FROM analytics_unanswered_" + level + " WHERE org_id = $1 AND n <> 0 ORDER BY " + t +
            ", bot_id, platform, deployment_id, question"};
    if (level == "daily") {
      queries.push_back(std::string("SELECT day, ") + (pg ? "convert_from(sketch, 'UTF8')" : "CAST(sketch AS TEXT)") +
                        " AS sketch FROM analytics_users_daily_all WHERE org_id = $1 ORDER BY day");
      queries.push_back("SELECT until FROM analytics_daily_until WHERE org_id = $1");
    }
    for (const std::string& sql : queries) {
      for (const auto& r : conn->query(sql, {org_id})) {
        std::string line;
        bool nonzero = false;
        for (std::size_t i = 0; i < r.size(); ++i) {
          const auto& v = r.at(i);
          line += (v ? *v : "null") + "|";
          const auto& name = r.columns()[i];
          if (name != "hour" && name != "day" && v && *v != "0" && name != "org_id" && name != "bot_id" && name != "platform" &&
              name != "deployment_id")
            nonzero = true;
        }
        if (nonzero) out += line + "\n";
      }
      out += "--\n";
    }
    return out;
  }
  void expect_rollups_equal_raw(std::int64_t start, std::int64_t end) {
    auto& service = app->analytics();
    auto conn = app->database().acquire();
    std::vector<analytics::Filters> filters = {{}, {bot_id, {}, {}, {}}, {{}, "webchat", {}, {}},
                                               {{}, "telegram", {}, {}}, {{}, {}, webchat_deployment, {}},
                                               {{}, {}, {}, template_id}};
    for (const auto& f : filters)
      for (std::int64_t from = start; from < end; from += (end - start) / 3 / kHour * kHour + kHour) {
        auto rollups = analytics::metrics_json(service.rollup_totals(org_id, from, end, f));
        auto raw = analytics::metrics_json(analytics::raw::totals(*conn, org_id, from, end, f));
        EXPECT_EQ(json::serialize(rollups), json::serialize(raw))
            << "from " << format_rfc3339(from) << " platform " << f.platform.value_or("-")
            << " template " << f.template_id.value_or("-");
      }
  }
  // Many ranges: starts and ends on and between hours and UTC days.
  void expect_ranges_equal_raw(std::int64_t start, std::int64_t end) {
    auto& service = app->analytics();
    auto conn = app->database().acquire();
    std::vector<analytics::Filters> filters = {{}, {{}, "telegram", {}, {}}, {{}, {}, webchat_deployment, {}},
                                               {{}, {}, {}, template_id}};
    for (const auto& f : filters)
      for (std::int64_t from = start; from < end; from += 11 * kHour)
        for (std::int64_t to = end; to > from; to -= 17 * kHour) {
          auto rollups = analytics::metrics_json(service.rollup_totals(org_id, from, to, f));
          auto raw = analytics::metrics_json(analytics::raw::totals(*conn, org_id, from, to, f));
          EXPECT_EQ(json::serialize(rollups), json::serialize(raw))
              << format_rfc3339(from) << " to " << format_rfc3339(to) << " platform " << f.platform.value_or("-")
              << " template " << f.template_id.value_or("-");
        }
  }
  void run_workload(unsigned seed, int steps) {
    setup_workload();
    workload_steps(seed, steps);
  }
  std::string workload_key, telegram;
  std::vector<std::string> visitors;
  std::map<std::string, std::string> last_session;  // visitor → conversation
  std::int64_t update = 500000;
  void setup_workload() {
    auto dep = owner.post("/api/deployments", {{"bot_id", bot_id}, {"channel", "webchat"},
                                               {"allowed_origins", json::array{"https://shop.example.com"}}});
    ASSERT_EQ(dep.status, 201) << dep.body;
    webchat_deployment = str(dep.json().at("id"));
    workload_key = str(dep.json().at("key"));
    telegram = connect_telegram();
    for (int i = 0; i < 6; ++i) visitors.push_back(str(agent().get("/widget/" + workload_key).json().at("visitor_token")));
  }
  void workload_steps(unsigned seed, int steps) {
    std::mt19937 rng(seed);
    const std::string& key = workload_key;
    const std::vector<std::string> texts = {"What are your opening hours?", "do you ship to mars", "Hello",
                                            "opening hours please", "Can I pay by card?  ", "thanks"};
    for (int step = 0; step < steps; ++step) {
      // Minutes apart, sometimes past the inactivity window (a new conversation), across hours.
      test_clock.advance(std::uniform_int_distribution<std::int64_t>(1000, 45 * 60 * 1000)(rng));
      const auto& text = texts[rng() % texts.size()];
      switch (rng() % 5) {
        case 0:
        case 1:
        case 2: {
          auto v = rng() % visitors.size();
          auto r = agent().send("POST", "/widget/" + key + "/messages",
                                json::serialize(json::object{{"visitor_token", visitors[v]}, {"text", text}}));
          ASSERT_EQ(r.status, 200) << r.body;
          last_session[visitors[v]] = str(r.json().at("session_id"));
          break;
        }
        case 3: {
          ASSERT_EQ(deliver_telegram(telegram, telegram_update(++update, text, 100 + rng() % 4), telegram_secret).status,
                    200);
          run();
          break;
        }
        case 4: {
          if (last_session.empty()) break;
          auto it = std::next(last_session.begin(), rng() % last_session.size());
          auto r = agent().send("POST", "/widget/" + key + "/rating",
                                json::serialize(json::object{{"visitor_token", it->first},
                                                             {"session_id", it->second},
                                                             {"score", 1 + rng() % 5}}));
          ASSERT_EQ(r.status, 204) << r.body;
          break;
        }
      }
    }
    run();
  }
  FakeOpenRouter model;
  bool with_model = false;
  std::string webchat_deployment, template_id, org_id;
};

TEST_F(AnalyticsWorkloadTest, TemplatesAndFallbacksRollupsEqualRawAndBackfill) {
  auto me = owner.get("/api/auth/session");
  org_id = org_of(me.json().as_object());
  template_id = str(owner.get("/api/templates").json().at("items").as_array()[0].at("id"));
  const std::int64_t start = analytics::hour_of(test_clock.now_ms());
  run_workload(11, 80);
  const std::int64_t end = analytics::hour_of(test_clock.now_ms()) + kHour;
  expect_rollups_equal_raw(start, end);
  std::string incremental = rollup_dump();
  EXPECT_NE(incremental.find("|webchat|"), std::string::npos);
  EXPECT_NE(incremental.find("|telegram|"), std::string::npos);
  analytics::backfill(app->database(), org_id);
  EXPECT_EQ(rollup_dump(), incremental) << "the backfill rebuilds exactly what the message path kept";
  expect_rollups_equal_raw(start, end);
}

class AnalyticsModelWorkloadTest : public AnalyticsWorkloadTest {
 protected:
  void SetUp() override {
    with_model = true;
    AnalyticsWorkloadTest::SetUp();
  }
};

TEST_F(AnalyticsModelWorkloadTest, ModelRepliesFailuresAndTemplatesRollupsEqualRawAndBackfill) {
  // The model answers most messages; some calls fail, and a template or the fallback answers.
  std::vector<FakeAnswer> answers;
  std::mt19937 rng(5);
  for (int i = 0; i < 400; ++i) answers.push_back(FakeAnswer{rng() % 4 == 0 ? 500u : 200u, "From the model."});
  model.answer(answers);
  auto me = owner.get("/api/auth/session");
  org_id = org_of(me.json().as_object());
  template_id = str(owner.get("/api/templates").json().at("items").as_array()[0].at("id"));
  const std::int64_t start = analytics::hour_of(test_clock.now_ms());
  run_workload(23, 70);
  const std::int64_t end = analytics::hour_of(test_clock.now_ms()) + kHour;
  expect_rollups_equal_raw(start, end);
  auto conn = app->database().acquire();
  auto t = analytics::raw::totals(*conn, org_id, start, end, {});
  EXPECT_GT(t.ai_replies, 0);
  EXPECT_GT(t.ai_tokens, 0);
  EXPECT_GT(t.ai_cost_micros, 0);
  EXPECT_GT(t.fallback_replies + t.template_replies, 0);
  std::string incremental = rollup_dump();
  analytics::backfill(app->database(), org_id);
  EXPECT_EQ(rollup_dump(), incremental);
}

// The daily level (ADR 0037, part D) compacted between batches of the workload, up to the start of
// the day in progress: ratings of earlier conversations land in compacted days (late additions).
// Rollups over ranges starting and ending anywhere equal the raw recomputation; the backfill
// rebuilds both levels and the watermark exactly; the scheduled compaction is idempotent.
TEST_F(AnalyticsWorkloadTest, RollupsEqualRawWithTheDailyLevelCompactedMidWorkload) {
  auto me = owner.get("/api/auth/session");
  org_id = org_of(me.json().as_object());
  template_id = str(owner.get("/api/templates").json().at("items").as_array()[0].at("id"));
  const std::int64_t start = analytics::hour_of(test_clock.now_ms());
  setup_workload();
  std::pair<std::string, std::string> early;  // a conversation of the first batch: visitor, id
  for (unsigned batch = 0; batch < 4; ++batch) {
    workload_steps(31 + batch, 60);
    if (batch == 0) {
      ASSERT_FALSE(last_session.empty());
      early = *last_session.begin();
    }
    analytics::compact_org(app->database(), org_id, analytics::store::day_of(test_clock.now_ms()));
    // A late rating (a changed one after the first) of that conversation, whose day is compacted.
    ASSERT_EQ(agent().send("POST", "/widget/" + workload_key + "/rating",
                           json::serialize(json::object{{"visitor_token", early.first},
                                                        {"session_id", early.second},
                                                        {"score", 1 + batch}})).status, 204);
  }
  const std::int64_t end = analytics::hour_of(test_clock.now_ms()) + kHour;
  auto conn = app->database().acquire();
  const std::int64_t until = conn->query_one("SELECT until FROM analytics_daily_until WHERE org_id = $1", {org_id})->integer("until");
  ASSERT_GT(until, start + 2 * kDay) << "the workload spans days: " << format_rfc3339(start) << " to " << format_rfc3339(end);
  EXPECT_EQ(conn->query_one("SELECT SUM(ratings) AS n FROM analytics_daily WHERE org_id = $1", {org_id})->integer("n"),
            conn->query_one("SELECT SUM(ratings) AS n FROM analytics_hourly WHERE org_id = $1 AND hour < $2", {org_id, until})
                ->integer("n"));
  expect_rollups_equal_raw(start, end);
  expect_ranges_equal_raw(start, end);
  const std::string hourly = rollup_dump(), daily = rollup_dump("daily");
  EXPECT_NE(daily.find("|webchat|"), std::string::npos);
  analytics::backfill(app->database(), org_id, {}, test_clock.now_ms());
  EXPECT_EQ(rollup_dump(), hourly);
  EXPECT_EQ(rollup_dump("daily"), daily) << "the backfill rebuilds the daily level up to the same watermark";
  // The scheduled task: up to the start of yesterday, never back; a second run does nothing.
  analytics::compact_all(app->database(), test_clock.now_ms());
  EXPECT_EQ(rollup_dump("daily"), daily) << "the watermark is already past yesterday";
  expect_rollups_equal_raw(start, end);
}

TEST_F(AnalyticsWorkloadTest, RollupsCanBeTurnedOffForBenchmarks) {
  auto me = owner.get("/api/auth/session");
  org_id = org_of(me.json().as_object());
  analytics::set_rollups_enabled(false);
  run_workload(3, 10);
  analytics::set_rollups_enabled(true);
  auto conn = app->database().acquire();
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM analytics_hourly")->integer("n"), 0);
  EXPECT_GT(conn->query_one("SELECT COUNT(*) AS n FROM messages")->integer("n"), 0);
}

}  // namespace
}  // namespace sb::test
