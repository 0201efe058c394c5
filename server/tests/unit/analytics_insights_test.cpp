// Insight runs and exports without a server: the redactor against tricky inputs, CSV cells, the
// validation of the model's answer, the percentile and the heuristic findings.
#include <gtest/gtest.h>

#include "analytics/export.hpp"
#include "analytics/insights_prompt.hpp"

namespace sb::analytics {
namespace {

TEST(InsightRedaction, HidesAddressesPhonesAndCardsButNotDatesOrSmallNumbers) {
  EXPECT_EQ(redact("mail ada@example.com now"), "mail [email] now");
  EXPECT_EQ(redact("first.last+tag@sub.example.co.uk."), "[email].");
  EXPECT_EQ(redact("(ADA_L@Example.ORG)"), "([email])");
  EXPECT_EQ(redact("two: a@b.io,c@d.io"), "two: [email],[email]");
  EXPECT_EQ(redact("@handle and a@b and x@y.z"), "@handle and a@b and x@y.z");
  EXPECT_EQ(redact("call +49 151 2345 6789 please"), "call [phone] please");
  EXPECT_EQ(redact("call 555-123-4567."), "call [phone].");
  EXPECT_EQ(redact("(030) 123 4567"), "[phone]");
  EXPECT_EQ(redact("+1 (415) 555-0100"), "[phone]");
  EXPECT_EQ(redact("card 4111 1111 1111 1111 ok"), "card [card] ok");
  EXPECT_EQ(redact("4111-1111-1111-1111"), "[card]");
  EXPECT_EQ(redact("4111111111111111"), "[card]");
  EXPECT_EQ(redact("amex 3782 822463 10005"), "amex [card]");
  EXPECT_EQ(redact("on 2026-12-04 at 10:30"), "on 2026-12-04 at 10:30");
  EXPECT_EQ(redact("order 12345 costs 1,299.00 for 2 items"), "order 12345 costs 1,299.00 for 2 items");
  EXPECT_EQ(redact("version 1.2.3 and ip 192.168.100.200"), "version 1.2.3 and ip 192.168.100.200");
  EXPECT_EQ(redact("id abc1234567890 and 1234567890xyz"), "id abc1234567890 and 1234567890xyz");
  EXPECT_EQ(redact("Grüße, 0151 23456789!"), "Grüße, [phone]!");
  EXPECT_EQ(redact(""), "");
  EXPECT_EQ(redact("+"), "+");
  EXPECT_EQ(redact("ends with a dash 12-"), "ends with a dash 12-");
}

TEST(InsightRedaction, TranscriptsAreRedactedAndCapped) {
  std::vector<Transcript> t;
  for (int i = 0; i < 100; ++i)
    t.push_back({"cnv_" + std::to_string(i), "telegram", {{"in", "I am a@b.io\nsecond line"}, {"out", std::string(900, 'x')}}});
  auto text = transcripts_text(t, 20 * 1024);
  EXPECT_LE(text.size(), 20u * 1024);
  EXPECT_NE(text.find("User: I am [email] second line\n"), std::string::npos);
  EXPECT_EQ(text.find("a@b.io"), std::string::npos);
  EXPECT_NE(text.find("Bot: " + std::string(500, 'x') + "…\n"), std::string::npos);
  EXPECT_EQ(text.find("cnv_99"), std::string::npos);  // over the cap
}

TEST(CsvExport, CellsAreFormulaSafeAndQuotedAsRfc4180Needs) {
  EXPECT_EQ(csv_cell("plain"), "plain");
  EXPECT_EQ(csv_cell(""), "");
  EXPECT_EQ(csv_cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
  EXPECT_EQ(csv_cell("+1"), "'+1");
  EXPECT_EQ(csv_cell("-2"), "'-2");
  EXPECT_EQ(csv_cell("@x"), "'@x");
  EXPECT_EQ(csv_cell("\tx"), "'\tx");
  EXPECT_EQ(csv_cell("\rx"), "\"'\rx\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("l1\nl2"), "\"l1\nl2\"");
  EXPECT_EQ(csv_cell("=1,\"2\""), "\"'=1,\"\"2\"\"\"");
  EXPECT_EQ(csv_cell("a=b"), "a=b");
}

TEST(InsightAnswer, AcceptsTheReportAndRefusesEverythingElse) {
  auto ok = parse_answer(R"({"summary":"S","themes":[{"title":"T","detail":"D"}],"recommendations":[]})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->summary, "S");
  ASSERT_EQ(ok->themes.size(), 1u);
  EXPECT_EQ(ok->themes[0].detail, "D");
  auto fenced = parse_answer("```json\n{\"summary\":\"S\",\"themes\":[],\"recommendations\":[]}\n```");
  EXPECT_TRUE(fenced.ok());
  for (const char* bad : {"", "not json", "[1,2]", R"({"summary":"","themes":[],"recommendations":[]})",
                          R"({"summary":"S","themes":[]})", R"({"summary":"S","themes":[{"title":1,"detail":"D"}],"recommendations":[]})",
                          R"({"summary":"S","themes":"x","recommendations":[]})", "{\"summary\": \"S\""}) {
    auto r = parse_answer(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("not the report asked for"), std::string::npos);
  }
}

TEST(InsightHeuristic, NamesUnansweredSlowSegmentsAndMovers) {
  EXPECT_EQ(p90({}), 0);
  EXPECT_EQ(p90({5}), 5);
  EXPECT_EQ(p90({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), 9);
  Segment slow;
  slow.platform = "telegram";
  slow.bot_name = "Helper";
  slow.conversations = 3;
  slow.first_response_ms = {1000, 2000, 9000};
  slow.ratings = 1, slow.rating_sum = 2, slow.previous_ratings = 2, slow.previous_rating_sum = 10;
  Segment fast;
  fast.platform = "webchat";
  fast.bot_name = "Helper";
  fast.conversations = 1;
  fast.first_response_ms = {300};
  auto a = heuristic_findings({{"do you ship to mars", 4}}, {fast, slow});
  ASSERT_EQ(a.themes.size(), 3u);
  EXPECT_NE(a.themes[0].detail.find("\"do you ship to mars\" (4×)"), std::string::npos);
  EXPECT_NE(a.themes[1].detail.find("Helper on telegram: p90 9.0 s; Helper on webchat: p90 300 ms"), std::string::npos)
      << a.themes[1].detail;
  EXPECT_NE(a.themes[2].detail.find("Helper on telegram: 5.00 → 2.00"), std::string::npos);
  EXPECT_EQ(a.summary.rfind("4 conversations", 0), 0u);
  auto empty = heuristic_findings({}, {});
  EXPECT_TRUE(empty.themes.empty());
  EXPECT_NE(empty.summary.find("not enough data"), std::string::npos);
}

}  // namespace
}  // namespace sb::analytics
