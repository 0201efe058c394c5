// switchboard admin seed-demo: the demo data is deterministic, consistent with itself (the counters a
// conversation carries agree with its messages), looks like real traffic, and its rollups equal the
// raw recomputation. SQLite, or PostgreSQL with SWITCHBOARD_TEST_PG_URL.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "admin/seed_demo.hpp"
#include "analytics/service.hpp"
#include "core/config.hpp"
#include "core/crypto.hpp"
#include "db/migrations.hpp"
#include "harness.hpp"

namespace sb::test {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;
// A fixed end, so every run writes the same rows: 2025-12-01T15:27:00Z.
constexpr std::int64_t kUntil = 1'764'602'820'000;

class SeedDemoTest : public ::testing::Test {
 protected:
  void SetUp() override { db = open(scratch); }

  static std::unique_ptr<db::Database> open(ScratchDatabase& s) {
    auto d = db::open_database(s.url(), 4);
    db::apply_migrations(*d, kUntil);
    return d;
  }

  admin::SeedDemoOptions options(std::int64_t conversations = 400, std::uint64_t seed = 7) {
    admin::SeedDemoOptions o;
    o.create_org = "Demo Outfitters";
    o.conversations = conversations;
    o.days = 30;
    o.seed = seed;
    o.now_ms = kUntil;
    o.master_key = std::string(32, 'k');
    o.batch_conversations = 150;  // several transactions, a partial last one
    return o;
  }

  std::int64_t count(const std::string& sql, const db::Params& params = {}) {
    auto conn = db->acquire();
    return conn->query_one(sql, params)->integer("n");
  }

  // Every demo row of the organisation, without the organisation's own (random) id: equal dumps
  // mean equal data.
  static std::string dump(db::Database& d, const std::string& org) {
    auto conn = d.acquire();
    std::ostringstream out;
    auto rows = [&](const std::string& sql) {
      for (const auto& r : conn->query(sql, {org})) {
        for (std::size_t i = 0; i < r.size(); ++i) out << (r.at(i) ? *r.at(i) : "∅") << '|';
        out << '\n';
      }
    };
    rows("SELECT id, bot_id, deployment_id, platform, external_user_id, display_name, started_at, last_message_at, "
         "first_response_at, resolved_at, resolved_by, status, satisfaction_score, user_messages, fallback_replies, "
         "converted_at, rating_asked_at, rated_at FROM conversation_sessions WHERE org_id = $1 ORDER BY id");
    rows("SELECT id, session_id, direction, text, source, model, prompt_tokens, completion_tokens, latency_ms, "
         "created_at, cost_micros, template_id FROM messages WHERE org_id = $1 ORDER BY session_id, created_at, id");
    rows("SELECT id, session_id, name, value_cents, source, external_id, created_at FROM conversions "
         "WHERE org_id = $1 ORDER BY id");
    return out.str();
  }

  ScratchDatabase scratch;
  std::unique_ptr<db::Database> db;
};

TEST_F(SeedDemoTest, TheSameSeedWritesTheSameRowsAndAnotherSeedOthers) {
  auto first = admin::seed_demo(*db, options());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->conversations, 400);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM conversation_sessions WHERE org_id = $1", {first->org_id}), 400);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM messages WHERE org_id = $1", {first->org_id}), first->messages);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM conversions WHERE org_id = $1", {first->org_id}), first->conversions);

  ScratchDatabase other_scratch;
  auto other = open(other_scratch);
  auto again = admin::seed_demo(*other, options());
  ASSERT_TRUE(again) << again.error().message;
  const std::string a = dump(*db, first->org_id);
  EXPECT_EQ(a, dump(*other, again->org_id));

  // Another seed in the same database: other rows, beside the first ones.
  auto third = admin::seed_demo(*db, options(400, 8));
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_NE(a, dump(*db, third->org_id));
  EXPECT_EQ(dump(*db, first->org_id), a);
}

TEST_F(SeedDemoTest, EachConversationsCountersAgreeWithItsMessages) {
  auto seeded = admin::seed_demo(*db, options(600));
  ASSERT_TRUE(seeded) << seeded.error().message;
  const db::Params org{seeded->org_id};
  // Inbound messages, fallback replies and the first reply as the session records them.
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM conversation_sessions s WHERE s.org_id = $1 AND s.user_messages <> "
                  "(SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id AND m.direction = 'in')",
                  org),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM conversation_sessions s WHERE s.org_id = $1 AND s.fallback_replies <> "
                  "(SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id AND m.source = 'fallback')",
                  org),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM conversation_sessions s WHERE s.org_id = $1 AND "
                  "COALESCE(s.first_response_at, -1) <> COALESCE((SELECT MIN(m.created_at) FROM messages m "
                  "WHERE m.session_id = s.id AND m.direction = 'out'), -1)",
                  org),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM conversation_sessions s WHERE s.org_id = $1 AND "
                  "(s.started_at <> (SELECT MIN(m.created_at) FROM messages m WHERE m.session_id = s.id) OR "
                  "s.last_message_at <> (SELECT MAX(m.created_at) FROM messages m WHERE m.session_id = s.id))",
                  org),
            0);
  // converted_at is the first conversion; a conversion always belongs to a converted conversation.
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM conversation_sessions s WHERE s.org_id = $1 AND "
                  "COALESCE(s.converted_at, -1) <> COALESCE((SELECT MIN(c.created_at) FROM conversions c "
                  "WHERE c.session_id = s.id), -1)",
                  org),
            0);
  // Ratings only where asked, 1 to 5, after the question; resolution says how.
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM conversation_sessions WHERE org_id = $1 AND satisfaction_score IS NOT "
                  "NULL AND (rating_asked_at IS NULL OR rated_at < rating_asked_at OR satisfaction_score NOT BETWEEN 1 "
                  "AND 5)",
                  org),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM conversation_sessions WHERE org_id = $1 AND (resolved_at IS NULL) <> "
                  "(resolved_by IS NULL)",
                  org),
            0);
  // Replies: a template reply names its template, an AI reply its model, tokens and cost; nothing else does.
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM messages WHERE org_id = $1 AND ((source = 'template') <> (template_id "
                  "IS NOT NULL) OR (source = 'ai') <> (model IS NOT NULL AND cost_micros > 0 AND prompt_tokens > 0) OR "
                  "(direction = 'in') <> (source IS NULL))",
                  org),
            0);
  // Everything lies in the range asked for, and the data stops at its end.
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM messages WHERE org_id = $1 AND (created_at >= $2 OR created_at < $3)",
                  {seeded->org_id, kUntil, kUntil - 30 * kDayMs}),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM conversation_sessions WHERE org_id = $1 AND (COALESCE(resolved_at, 0) "
                  ">= $2 OR COALESCE(converted_at, 0) >= $2 OR COALESCE(rated_at, 0) >= $2)",
                  {seeded->org_id, kUntil}),
            0);
}

TEST_F(SeedDemoTest, TheDataLooksLikeRealTraffic) {
  auto seeded = admin::seed_demo(*db, options(2000));
  ASSERT_TRUE(seeded) << seeded.error().message;
  const db::Params org{seeded->org_id};
  auto conn = db->acquire();
  std::map<std::string, std::int64_t> by_platform;
  for (const auto& r : conn->query("SELECT platform, COUNT(*) AS n FROM conversation_sessions WHERE org_id = $1 GROUP BY platform", org))
    by_platform[r.text("platform")] = r.integer("n");
  EXPECT_EQ(by_platform.size(), 7u);  // every platform…
  EXPECT_GT(by_platform["webchat"], by_platform["discord"] * 4);  // …with shares like a real shop's
  EXPECT_GT(by_platform["whatsapp"], by_platform["telegram"]);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT bot_id) AS n FROM conversation_sessions WHERE org_id = $1", org), 3);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM bots WHERE org_id = $1", org), 3);
  EXPECT_GE(count("SELECT COUNT(*) AS n FROM deployments WHERE org_id = $1", org), 7);

  // About ten messages a conversation, long-tailed: many short ones, a few long ones.
  const double per_conversation = static_cast<double>(seeded->messages) / 2000.0;
  EXPECT_GT(per_conversation, 7.5);
  EXPECT_LT(per_conversation, 12.5);
  EXPECT_GT(count("SELECT COUNT(*) AS n FROM conversation_sessions WHERE org_id = $1 AND user_messages = 1", org), 300);
  EXPECT_GT(count("SELECT COUNT(*) AS n FROM conversation_sessions WHERE org_id = $1 AND user_messages >= 15", org), 20);
  // People come back.
  EXPECT_LT(seeded->users, 1700);
  EXPECT_GT(seeded->users, 500);
  // Every kind of ending, ratings mostly good, some conversions, questions only the fallback met, more than once.
  EXPECT_EQ(count("SELECT COUNT(DISTINCT resolved_by) AS n FROM conversation_sessions WHERE org_id = $1", org), 4);
  auto ratings = conn->query_one("SELECT COUNT(*) AS n, AVG(satisfaction_score * 1.0) AS avg FROM conversation_sessions "
                                 "WHERE org_id = $1 AND satisfaction_score IS NOT NULL",
                                 org);
  EXPECT_GT(ratings->integer("n"), 50);
  EXPECT_GT(ratings->real("avg"), 3.6);
  EXPECT_GT(seeded->conversions, 40);
  auto top = conn->query_one("SELECT LOWER(text) AS q, COUNT(*) AS n FROM messages m WHERE org_id = $1 AND direction = "
                             "'in' AND EXISTS (SELECT 1 FROM messages r WHERE r.session_id = m.session_id AND r.source = "
                             "'fallback' AND r.created_at > m.created_at) GROUP BY LOWER(text) ORDER BY n DESC LIMIT 1",
                             org);
  ASSERT_TRUE(top);
  EXPECT_GT(top->integer("n"), 20) << top->text("q");
  // More conversations on a weekday afternoon than at night (UTC, the demo's audience is European).
  std::int64_t day = 0, night = 0;
  for (const auto& r : conn->query("SELECT started_at FROM conversation_sessions WHERE org_id = $1", org)) {
    const std::int64_t hour = (r.integer("started_at") % kDayMs) / 3'600'000;
    if (hour >= 9 && hour < 17) ++day;
    if (hour < 5) ++night;
  }
  EXPECT_GT(day, night * 4);
}

// The rollups seed-demo leaves (rebuilt by analytics::backfill) answer exactly what the raw tables
// do: every overview metric of the last 7 and 90 days (unique users are past the sketch's exact
// range at this size, so within its error; the rest exactly).
TEST_F(SeedDemoTest, ItsRollupsEqualTheRawRecomputation) {
  auto seeded = admin::seed_demo(*db, options(3000, 11));
  ASSERT_TRUE(seeded) << seeded.error().message;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM analytics_hourly WHERE org_id = $1", {seeded->org_id}) > 0, true);
  TestClock clock;
  clock.now = kUntil;
  analytics::AnalyticsService service(*db, clock);
  for (const char* preset : {"7d", "90d"}) {
    auto check = service.check(seeded->org_id, preset);
    ASSERT_TRUE(check) << check.error().message;
    EXPECT_TRUE(check->at("equal").as_bool()) << preset << ": " << boost::json::serialize(*check);
    const auto& rollups = check->at("rollups").as_object();
    EXPECT_GT(rollups.at("conversations").to_number<double>(), 0) << preset;
    EXPECT_GT(rollups.at("messages_in").to_number<double>(), 0) << preset;
    EXPECT_GT(rollups.at("resolved").to_number<double>(), 0) << preset;
    EXPECT_GT(rollups.at("ratings").to_number<double>(), 0) << preset;
  }
  // Without the backfill the rollups stay empty, and the check says they differ.
  auto bare = options(200, 12);
  bare.backfill = false;
  bare.create_org = "Bare";
  auto unfilled = admin::seed_demo(*db, bare);
  ASSERT_TRUE(unfilled);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM analytics_hourly WHERE org_id = $1", {unfilled->org_id}), 0);
  auto differ = service.check(unfilled->org_id, "90d");
  ASSERT_TRUE(differ);
  EXPECT_FALSE(differ->at("equal").as_bool());
}

TEST_F(SeedDemoTest, BadRequestsWriteNothing) {
  auto o = options();
  o.create_org.reset();
  o.org_id = "org_nobody";
  auto unknown = admin::seed_demo(*db, o);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "not_found");
  EXPECT_NE(unknown.error().message.find("org_nobody"), std::string::npos);

  o.org_id = "../../etc/passwd";
  EXPECT_FALSE(admin::seed_demo(*db, o));

  auto both = options();
  both.org_id = "org_x";
  EXPECT_EQ(admin::seed_demo(*db, both).error().code, "validation_failed");
  auto zero = options(0);
  EXPECT_EQ(admin::seed_demo(*db, zero).error().code, "validation_failed");
  auto no_key = options();
  no_key.master_key = "short";
  EXPECT_EQ(admin::seed_demo(*db, no_key).error().code, "validation_failed");
  auto stranger = options();
  stranger.owner_email = "nobody@example.com";
  EXPECT_EQ(admin::seed_demo(*db, stranger).error().code, "validation_failed");
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM organizations"), 0);

  // The same seed twice into one organisation: refused before a conversation is written.
  auto seeded = admin::seed_demo(*db, options(50));
  ASSERT_TRUE(seeded);
  auto into = options(50);
  into.create_org.reset();
  into.org_id = seeded->org_id;
  auto twice = admin::seed_demo(*db, into);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "conflict");
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM conversation_sessions"), 50);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM bots"), 3);
}

// The command line an operator types; mistakes are told before anything is opened.
TEST(SeedDemoCommandLine, ParsesItsOptionsAndRefusesContradictions) {
  auto parse = [](std::vector<std::string> args) {
    args.insert(args.begin(), {"switchboard", "admin", "seed-demo"});
    return parse_command_line(args);
  };
  auto ok = parse({"--org", "org_123", "--conversations", "1000", "--days", "30", "--seed", "9", "--until",
                   "1764602820000", "--no-backfill"});
  ASSERT_FALSE(ok.exit_code) << ok.output;
  EXPECT_EQ(ok.command, Command::admin_seed_demo);
  EXPECT_EQ(ok.seed_demo.org, "org_123");
  EXPECT_EQ(ok.seed_demo.conversations, 1000);
  EXPECT_EQ(ok.seed_demo.days, 30);
  EXPECT_EQ(ok.seed_demo.seed, 9u);
  EXPECT_EQ(ok.seed_demo.until, "1764602820000");
  EXPECT_FALSE(ok.seed_demo.backfill);
  EXPECT_TRUE(parse({"--create-org", "Demo", "--owner", "a@example.com", "--conversations", "5"}).exit_code == std::nullopt);

  for (const auto& bad : std::vector<std::vector<std::string>>{
           {"--conversations", "10"},                                           // no organisation
           {"--org", "o", "--create-org", "Demo", "--conversations", "10"},     // both
           {"--org", "o"},                                                      // how many?
           {"--org", "o", "--conversations", "0"},
           {"--org", "o", "--conversations", "many"},
           {"--org", "o", "--conversations", "10", "--days", "0"},
           {"--org", "o", "--conversations", "10", "--until", "2025-12-01"},
           {"--org", "o", "--owner", "a@example.com", "--conversations", "10"},  // an owner for an existing org
       }) {
    auto r = parse(bad);
    EXPECT_TRUE(r.exit_code && *r.exit_code != 0) << bad.front() << " " << bad.back();
  }
}

}  // namespace
}  // namespace sb::test
