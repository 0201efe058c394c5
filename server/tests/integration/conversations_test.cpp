// The organisation's conversations list over real HTTP: every filter, text search, paging, refused
// parameters and other organisations' data.
#include <map>
#include <set>

#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

class ConversationsTest : public ServerTest {
 protected:
  const Clock* clock() override { return &test_clock; }
  void SetUp() override {
    ServerTest::SetUp();
    owner = agent();
    owner.signup(unique_email("owner"), "correct horse battery", "Grace Hopper");
    shop = create_bot("Shop");
    desk = create_bot("Desk");
    auto dep = owner.post("/api/deployments", {{"bot_id", shop}, {"channel", "webchat"}});
    EXPECT_EQ(dep.status, 201) << dep.body;
    deployment = std::string(dep.json().at("id").as_string());
    key = std::string(dep.json().at("key").as_string());

    t0 = test_clock.now_ms();
    parcel = session_of(webchat("visitor-1", "Where is my parcel? Order 4411"));
    test_clock.advance(3'600'000);  // an hour: past the 30 minute inactivity window
    refund = session_of(owner.post("/api/bots/" + desk + "/chat", {{"text", "I would like a refund, please"}}));
    test_clock.advance(3'600'000);
    // visitor-1 again after the inactivity window: the parcel conversation ends, a new one starts.
    hours = session_of(webchat("visitor-1", "What are your opening hours?"));
    test_clock.advance(60'000);
  }
  std::string create_bot(const std::string& name) {
    auto r = owner.post("/api/bots", {{"name", name}, {"fallback_message", "We will get back to you."}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(r.json().at("id").as_string()) : "";
  }
  // A message from one visitor of the web chat, who holds the visitor token the chat gave them.
  Reply webchat(const std::string& visitor, const std::string& text) {
    auto& token = visitor_tokens[visitor];
    if (token.empty()) token = std::string(agent().get("/widget/" + key).json().at("visitor_token").as_string());
    return agent().post("/widget/" + key + "/messages", {{"visitor_token", token}, {"text", text}});
  }
  // The platform user id the web chat gave visitor-1 (the server picks it, in the signed token).
  std::string visitor_one_id() {
    auto r = owner.get("/api/conversations/" + parcel);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? std::string(r.json().at("external_user_id").as_string()) : "";
  }
  static std::string session_of(const Reply& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? std::string(r.json().at("session_id").as_string()) : "";
  }
  // The ids the list answers, in order; asserts a 200.
  std::vector<std::string> ids(const std::string& query, Agent* as = nullptr) {
    auto r = (as ? *as : owner).get("/api/conversations" + query);
    EXPECT_EQ(r.status, 200) << query << " → " << r.body;
    std::vector<std::string> out;
    if (r.status != 200) return out;
    auto body = r.json();
    for (const auto& item : body.at("items").as_array()) out.emplace_back(item.at("id").as_string());
    return out;
  }
  // The fields a 422 names.
  json::object refused(const std::string& query) {
    auto r = owner.get("/api/conversations" + query);
    EXPECT_EQ(r.status, 422) << query << " → " << r.body;
    if (r.status != 422) return {};
    EXPECT_EQ(r.error_code(), "validation_failed") << r.body;
    return r.json().at("error").at("details").at("fields").as_object();
  }
  static std::string iso(std::int64_t ms) { return format_rfc3339(ms); }

  TestClock test_clock;
  Agent owner{""};
  std::string shop, desk, deployment, key, parcel, refund, hours;
  std::map<std::string, std::string> visitor_tokens;  // visitor → the token the chat gave them
  std::int64_t t0 = 0;
};

using List = std::vector<std::string>;

TEST_F(ConversationsTest, NewestFirstWithoutFilters) {
  EXPECT_EQ(ids(""), (List{hours, refund, parcel}));
  auto item = owner.get("/api/conversations?limit=1").json().at("items").at(0);
  EXPECT_EQ(item.at("bot_name").as_string(), "Shop");
  EXPECT_EQ(item.at("platform").as_string(), "webchat");
  EXPECT_EQ(item.at("deployment_id").as_string(), deployment);
}

TEST_F(ConversationsTest, EachFilterNarrowsTheList) {
  EXPECT_EQ(ids("?bot_id=" + shop), (List{hours, parcel}));
  EXPECT_EQ(ids("?bot_id=" + desk), (List{refund}));
  EXPECT_EQ(ids("?platform=webchat"), (List{hours, parcel}));
  EXPECT_EQ(ids("?platform=console"), (List{refund}));
  EXPECT_EQ(ids("?platform=telegram"), List{});
  EXPECT_EQ(ids("?deployment_id=" + deployment), (List{hours, parcel}));
  EXPECT_EQ(ids("?status=ended"), (List{parcel}));
  EXPECT_EQ(ids("?status=open"), (List{hours, refund}));
  // user: a part of the name in any case, or the platform's user id exactly.
  EXPECT_EQ(ids("?user=hopper"), (List{refund}));
  EXPECT_EQ(ids("?user=" + visitor_one_id()), (List{hours, parcel}));
  EXPECT_EQ(ids("?user=visitor"), (List{hours, parcel})) << "web chat visitors are named Visitor";
  EXPECT_EQ(ids("?user=%25"), List{}) << "a LIKE wildcard is searched for as itself";
  EXPECT_EQ(ids("?user=_"), List{});
  // Time: conversations active in the range.
  EXPECT_EQ(ids("?to=" + iso(t0 + 1000)), (List{parcel}));
  EXPECT_EQ(ids("?from=" + iso(t0 + 3'600'000)), (List{hours, refund}));
  EXPECT_EQ(ids("?from=" + iso(t0 + 3'500'000) + "&to=" + iso(t0 + 3'700'000)), (List{refund}));
  EXPECT_EQ(ids("?from=" + iso(t0 + 100 * 3'600'000LL)), List{});
  // Together, and empty parameters are no filter (a cleared form field).
  EXPECT_EQ(ids("?bot_id=" + shop + "&status=open&platform=webchat&q=hours&user=&from="), (List{hours}));
}

TEST_F(ConversationsTest, StartedInARangeIsNotActiveInIt) {
  // started_from / started_to (ms): conversations that started in the range, its end excluded.
  auto ms = [](std::int64_t v) { return std::to_string(v); };
  EXPECT_EQ(ids("?started_from=" + ms(t0 + 3'600'000)), (List{hours, refund}));
  EXPECT_EQ(ids("?started_from=" + ms(t0 + 3'600'001)), (List{hours}));
  EXPECT_EQ(ids("?started_to=" + ms(t0 + 3'600'000)), (List{parcel})) << "the end is excluded";
  EXPECT_EQ(ids("?started_from=" + ms(t0 + 3'600'000) + "&started_to=" + ms(t0 + 7'200'000)), (List{refund}));
  EXPECT_EQ(ids("?started_from=" + ms(t0) + "&started_to=" + ms(t0)), List{}) << "an empty range";
  EXPECT_EQ(ids("?bot_id=" + shop + "&started_from=" + ms(t0)), (List{hours, parcel}));
  EXPECT_EQ(ids("?started_from=&started_to="), (List{hours, refund, parcel})) << "empty parameters are no filter";
  // A conversation that started before the range and is still talking is active in it, not started in it.
  webchat("visitor-1", "And on Sundays?");
  std::int64_t mid = t0 + 7'200'000 + 30'000;
  EXPECT_EQ(ids("?from=" + iso(mid)), (List{hours}));
  EXPECT_EQ(ids("?started_from=" + ms(mid)), List{});
  for (std::string bad : {"yesterday", "-1", "1.5", "1e12", "1234567890123456", "%20"})
    EXPECT_TRUE(refused("?started_from=" + bad).contains("started_from")) << bad;
  EXPECT_TRUE(refused("?started_to=" + ms(t0) + "x").contains("started_to"));
  EXPECT_TRUE(refused("?started_from=" + ms(t0 + 1) + "&started_to=" + ms(t0)).contains("started_to"))
      << "the start after the end";
}

TEST_F(ConversationsTest, TextSearchFindsWordsInAnyMessage) {
  EXPECT_EQ(ids("?q=parcel"), (List{parcel}));
  EXPECT_EQ(ids("?q=PARCEL"), (List{parcel})) << "any case";
  EXPECT_EQ(ids("?q=4411"), (List{parcel}));
  EXPECT_EQ(ids("?q=refund%20please"), (List{refund})) << "every word, in any order";
  EXPECT_EQ(ids("?q=please%20refund"), (List{refund}));
  EXPECT_EQ(ids("?q=refund%20parcel"), List{}) << "both words in one message";
  EXPECT_EQ(ids("?q=back"), (List{hours, refund, parcel})) << "the bot's replies are searched too";
  EXPECT_EQ(ids("?q=submarine"), List{});
  EXPECT_EQ(ids("?q=parc"), List{}) << "whole words";
}

TEST_F(ConversationsTest, HostileSearchTextIsSearchedForNotObeyed) {
  for (std::string q : {"%22", "%22%22%22", "NEAR(parcel%20order)", "parcel%20NEAR%20order", "*", "parc*", "text:parcel",
                        "parcel%20OR%20refund", "NOT%20parcel", "-parcel", "%27%3B%20DROP%20TABLE%20messages%3B--",
                        "(((", "%5Eparcel", "%F0%9F%98%80", "parcel%22%20OR%20%22refund", "%5C", "!%26%7C:()"}) {
    auto r = owner.get("/api/conversations?q=" + q);
    EXPECT_EQ(r.status, 200) << q << " → " << r.body;
  }
  EXPECT_EQ(ids("?q=parcel%20OR%20refund"), List{}) << "OR is a word here, and no message has all three";
  EXPECT_EQ(ids("?q=" + std::string(500, 'a')), List{});
  auto fields = refused("?q=" + std::string(501, 'a'));
  EXPECT_TRUE(fields.contains("q"));
  EXPECT_EQ(ids(""), (List{hours, refund, parcel})) << "nothing changed";
}

TEST_F(ConversationsTest, PagesFollowTheCursor) {
  auto first = owner.get("/api/conversations?limit=2").json();
  auto items = first.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("id").as_string(), hours);
  EXPECT_EQ(items[1].at("id").as_string(), refund);
  ASSERT_TRUE(first.at("next_cursor").is_string());
  std::string cursor(first.at("next_cursor").as_string());
  auto second = owner.get("/api/conversations?limit=2&before=" + cursor).json();
  ASSERT_EQ(second.at("items").as_array().size(), 1u);
  EXPECT_EQ(second.at("items").at(0).at("id").as_string(), parcel);
  EXPECT_TRUE(second.at("next_cursor").is_null()) << "the last page";
  // A page exactly full has no next page either.
  EXPECT_TRUE(owner.get("/api/conversations?limit=3").json().at("next_cursor").is_null());
  // Paging keeps the filters.
  auto shop_first = owner.get("/api/conversations?bot_id=" + shop + "&limit=1").json();
  EXPECT_EQ(shop_first.at("items").at(0).at("id").as_string(), hours);
  std::string shop_cursor(shop_first.at("next_cursor").as_string());
  EXPECT_EQ(ids("?bot_id=" + shop + "&limit=1&before=" + shop_cursor), (List{parcel}));
}

TEST_F(ConversationsTest, PagingByOneVisitsEveryConversationOnce) {
  for (int i = 0; i < 7; ++i) {
    session_of(webchat("many-" + std::to_string(i), "hello number " + std::to_string(i)));
    if (i % 2) test_clock.advance(1);  // some share a time: the id breaks the tie
  }
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  for (;;) {
    auto page = owner.get("/api/conversations?limit=1" + (cursor.empty() ? "" : "&before=" + cursor)).json();
    for (const auto& item : page.at("items").as_array())
      EXPECT_TRUE(seen.insert(std::string(item.at("id").as_string())).second) << "shown twice";
    ++pages;
    if (page.at("next_cursor").is_null() || pages > 20) break;
    cursor = std::string(page.at("next_cursor").as_string());
  }
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(pages, 10);
}

TEST_F(ConversationsTest, RefusedParametersAreNamed) {
  EXPECT_TRUE(refused("?channel=webchat").contains("channel")) << "unknown filters are refused, not ignored";
  EXPECT_TRUE(refused("?bot=" + shop).contains("bot"));
  EXPECT_TRUE(refused("?from=yesterday").contains("from"));
  EXPECT_TRUE(refused("?to=2026-13-45T00:00:00Z").contains("to"));
  EXPECT_TRUE(refused("?from=" + iso(t0 + 1000) + "&to=" + iso(t0)).contains("to")) << "from after to";
  for (std::string limit : {"0", "-1", "101", "abc", "", "1.5", "99999999999999999999"})
    EXPECT_TRUE(refused("?limit=" + limit).contains("limit")) << limit;
  EXPECT_TRUE(refused("?status=closed").contains("status"));
  EXPECT_TRUE(refused("?platform=fax").contains("platform"));
  EXPECT_TRUE(refused("?before=garbage").contains("before"));
  EXPECT_TRUE(refused("?before=123.bad%20id").contains("before"));
  EXPECT_TRUE(refused("?bot_id=" + std::string(65, 'x')).contains("bot_id"));
  EXPECT_TRUE(refused("?bot_id=bot%27%20OR%201=1").contains("bot_id"));
  EXPECT_TRUE(refused("?q=%FF%FE").contains("q")) << "not UTF-8";
  EXPECT_TRUE(refused("?user=a%00b").contains("user")) << "control characters";
  auto several = refused("?status=x&limit=0&nope=1");
  EXPECT_TRUE(several.contains("status") && several.contains("limit") && several.contains("nope"));
  // Ids that do not exist are not found, like another organisation's.
  EXPECT_EQ(owner.get("/api/conversations?bot_id=bot_nothere").status, 404);
  EXPECT_EQ(owner.get("/api/conversations?deployment_id=dep_nothere").status, 404);
}

TEST_F(ConversationsTest, AnotherOrganisationSeesNoneOfIt) {
  auto other = agent();
  other.signup(unique_email("other"), "correct horse battery", "Grace Other");
  EXPECT_EQ(ids("", &other), List{});
  EXPECT_EQ(ids("?q=parcel", &other), List{}) << "search stays inside the organisation";
  EXPECT_EQ(ids("?user=" + visitor_one_id(), &other), List{});
  auto by_bot = other.get("/api/conversations?bot_id=" + shop);
  EXPECT_EQ(by_bot.status, 404) << by_bot.body;
  EXPECT_EQ(by_bot.body.find("Shop"), std::string::npos);
  EXPECT_EQ(other.get("/api/conversations?deployment_id=" + deployment).status, 404);
  EXPECT_EQ(other.get("/api/conversations/" + parcel).status, 404);
  // A cursor made from our conversation shows the other organisation only its own.
  auto page = owner.get("/api/conversations?limit=1").json();
  EXPECT_EQ(ids("?before=" + std::string(page.at("next_cursor").as_string()), &other), List{});
  // Their own conversation with the same words is theirs alone.
  auto bot = other.post("/api/bots", {{"name", "Theirs"}});
  ASSERT_EQ(bot.status, 201);
  auto chat = other.post("/api/bots/" + std::string(bot.json().at("id").as_string()) + "/chat", {{"text", "parcel"}});
  std::string theirs = session_of(chat);
  EXPECT_EQ(ids("?q=parcel", &other), (List{theirs}));
  EXPECT_EQ(ids("?q=parcel"), (List{parcel}));
}

TEST_F(ConversationsTest, TranscriptHoldsEveryMessageInOrder) {
  auto detail = owner.get("/api/conversations/" + parcel).json();
  auto messages = detail.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].at("direction").as_string(), "in");
  EXPECT_EQ(messages[0].at("text").as_string(), "Where is my parcel? Order 4411");
  EXPECT_EQ(messages[1].at("direction").as_string(), "out");
  EXPECT_EQ(detail.at("status").as_string(), "ended");
}

TEST_F(ConversationsTest, DeletedBotsConversationsLeaveTheSearch) {
  ASSERT_EQ(owner.send("DELETE", "/api/bots/" + desk).status, 204);
  EXPECT_EQ(ids("?q=refund"), List{});
  EXPECT_EQ(ids("?q=parcel"), (List{parcel})) << "the others are still found";
}

}  // namespace
}  // namespace sb::test
