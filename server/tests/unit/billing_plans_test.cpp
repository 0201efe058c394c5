// Plans and entitlements: the contract's defaults, the --plans-file override and its errors, and
// what a subscription state entitles an organisation to (grace, cancellation, grandfathering).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "billing/plans.hpp"
#include "billing/service.hpp"

namespace sb::billing {
namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;
// 2026-03-15T12:00:00Z
constexpr std::int64_t kMidMarch = 1773576000000LL;

TEST(BillingPlansTest, DefaultsAreTheContractValues) {
  PlanSet plans;
  const Plan* free = plans.find("free");
  ASSERT_NE(free, nullptr);
  EXPECT_EQ(free->limits.bots, 3);
  EXPECT_EQ(free->limits.integrations, 2);
  EXPECT_EQ(free->limits.members, 3);
  EXPECT_EQ(free->limits.messages_per_month, 500);
  EXPECT_EQ(free->limits.insight_runs_per_month, 5);
  EXPECT_EQ(free->limits.retention_days, 30);
  EXPECT_FALSE(free->features.csv_export);
  EXPECT_FALSE(free->features.advanced_analytics);
  const Plan* pro = plans.find("pro");
  ASSERT_NE(pro, nullptr);
  EXPECT_EQ(pro->limits.bots, 20);
  EXPECT_EQ(pro->limits.messages_per_month, 10000);
  EXPECT_TRUE(pro->features.csv_export);
  const Plan* business = plans.find("business");
  ASSERT_NE(business, nullptr);
  EXPECT_EQ(business->limits.bots, 100);
  EXPECT_EQ(business->limits.messages_per_month, 100000);
  EXPECT_EQ(business->limits.retention_days, 730);
  const Plan* unlimited = plans.find("unlimited");
  ASSERT_NE(unlimited, nullptr);
  EXPECT_FALSE(unlimited->limits.bots.has_value());
  EXPECT_FALSE(unlimited->limits.messages_per_month.has_value());
  for (const auto& p : plans.all()) EXPECT_TRUE(p.stripe_price_id.empty()) << p.key;
}

TEST(BillingPlansTest, AFileOverridesOnlyWhatItNames) {
  auto plans = parse_plans(R"([
    {"key": "pro", "stripe_price_id": "price_pro_monthly", "limits": {"bots": 25, "messages_per_month": null}},
    {"key": "free", "name": "Starter", "features": {"csv_export": true}}
  ])");
  ASSERT_TRUE(plans) << plans.error().message;
  EXPECT_EQ(plans->find("pro")->limits.bots, 25);
  EXPECT_FALSE(plans->find("pro")->limits.messages_per_month.has_value());
  EXPECT_EQ(plans->find("pro")->limits.integrations, 10);  // untouched default
  EXPECT_EQ(plans->find("pro")->stripe_price_id, "price_pro_monthly");
  EXPECT_EQ(plans->by_price_id("price_pro_monthly")->key, "pro");
  EXPECT_EQ(plans->by_price_id("price_unknown"), nullptr);
  EXPECT_EQ(plans->find("free")->name, "Starter");
  EXPECT_TRUE(plans->find("free")->features.csv_export);
  EXPECT_EQ(plans->find("business")->limits.bots, 100);

  // The shape GET /api/billing/plans shows ({"plans": [...]} too) is accepted.
  EXPECT_TRUE(parse_plans(R"({"plans": [{"key": "business", "purchasable": true}]})"));
}

TEST(BillingPlansTest, ABadFileNamesTheField) {
  struct Case {
    const char* text;
    const char* field;
  };
  for (const auto& c : std::vector<Case>{
           {R"([{"key": "pro", "limits": {"bots": -1}}])", "plans[0].limits.bots"},
           {R"([{"key": "pro", "limits": {"bots": "ten"}}])", "plans[0].limits.bots"},
           {R"([{"key": "pro"}, {"key": "business", "limits": {"robots": 3}}])", "plans[1].limits.robots"},
           {R"([{"key": "gold"}])", "plans[0].key"},
           {R"([{"name": "No key"}])", "plans[0].key"},
           {R"([{"key": "pro", "features": {"csv_export": "yes"}}])", "plans[0].features.csv_export"},
           {R"([{"key": "pro", "stripe_price_id": "prod_123"}])", "plans[0].stripe_price_id"},
           {R"([{"key": "pro", "colour": "blue"}])", "plans[0].colour"},
           {R"([{"key": "pro"}, {"key": "pro"}])", "plans[1].key"},
           {R"([{"key": "pro", "name": ""}])", "plans[0].name"},
           {R"({"key": "pro"})", "plans file"},
           {R"([{"key": "pro",)", "plans file"},
       }) {
    auto plans = parse_plans(c.text);
    ASSERT_FALSE(plans) << c.text;
    EXPECT_EQ(plans.error().message.rfind(c.field, 0), 0u) << c.text << " → " << plans.error().message;
  }
  auto same_price = parse_plans(
      R"([{"key": "pro", "stripe_price_id": "price_1"}, {"key": "business", "stripe_price_id": "price_1"}])");
  ASSERT_FALSE(same_price);
  EXPECT_NE(same_price.error().message.find("same stripe_price_id"), std::string::npos);
}

TEST(BillingPlansTest, AFileThatCannotBeReadSaysWhich) {
  auto missing = load_plans_file("/nonexistent/plans.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/plans.json"), std::string::npos);
  std::string path = ::testing::TempDir() + "plans_test.json";
  std::ofstream(path) << R"([{"key": "free", "limits": {"bots": 1}}])";
  auto loaded = load_plans_file(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->find("free")->limits.bots, 1);
  std::remove(path.c_str());
}

TEST(BillingPlansTest, CalendarMonthIsUtc) {
  auto [start, end] = calendar_month(kMidMarch);
  EXPECT_EQ(start, 1772323200000LL);  // 2026-03-01T00:00:00Z
  EXPECT_EQ(end, 1775001600000LL);    // 2026-04-01T00:00:00Z
  auto [dec_start, dec_end] = calendar_month(1798675200000LL);  // 2026-12-31T00:00:00Z
  EXPECT_EQ(dec_start, 1796083200000LL);  // 2026-12-01
  EXPECT_EQ(dec_end, 1798761600000LL);    // 2027-01-01
}

BillingSettings on() {
  BillingSettings s;
  s.enabled = true;
  return s;
}

store::OrgBilling stripe_row(const std::string& status) {
  store::OrgBilling r;
  r.org_id = "org_1";
  r.plan = "pro";
  r.status = status;
  r.plan_source = "stripe";
  r.current_period_start = kMidMarch - 10 * kDay;
  r.current_period_end = kMidMarch + 20 * kDay;
  return r;
}

TEST(BillingEntitlementsTest, BillingOffIsUnlimitedForEveryone) {
  PlanSet plans;
  auto e = compute_entitlements("org_1", stripe_row("canceled"), plans, BillingSettings{}, kMidMarch);
  EXPECT_EQ(e.plan.key, "unlimited");
  EXPECT_FALSE(e.billing_enabled);
  EXPECT_FALSE(e.plan.limits.bots.has_value());
}

TEST(BillingEntitlementsTest, NewOrganisationsStartOnFreeAndGrandfatheredOnesAreUnlimited) {
  PlanSet plans;
  auto fresh = compute_entitlements("org_1", std::nullopt, plans, on(), kMidMarch);
  EXPECT_EQ(fresh.plan.key, "free");
  EXPECT_EQ(fresh.plan.limits.bots, 3);
  EXPECT_EQ(fresh.period_start, calendar_month(kMidMarch).first);
  store::OrgBilling old;
  old.org_id = "org_1";
  old.plan = "unlimited";
  old.grandfathered = true;
  auto g = compute_entitlements("org_1", old, plans, on(), kMidMarch);
  EXPECT_EQ(g.plan.key, "unlimited");
  EXPECT_TRUE(g.grandfathered);
}

TEST(BillingEntitlementsTest, ASubscriptionGivesItsPlanForItsPeriod) {
  PlanSet plans;
  for (const char* status : {"active", "trialing"}) {
    auto e = compute_entitlements("org_1", stripe_row(status), plans, on(), kMidMarch);
    EXPECT_EQ(e.plan.key, "pro") << status;
    EXPECT_EQ(e.period_start, kMidMarch - 10 * kDay);
    EXPECT_EQ(e.period_end, kMidMarch + 20 * kDay);
  }
  for (const char* status : {"canceled", "unpaid", "incomplete_expired", "incomplete", "paused"}) {
    auto e = compute_entitlements("org_1", stripe_row(status), plans, on(), kMidMarch);
    EXPECT_EQ(e.plan.key, "free") << status;
    EXPECT_EQ(e.period_start, calendar_month(kMidMarch).first) << status;
  }
}

TEST(BillingEntitlementsTest, PastDueKeepsThePlanForSevenDaysThenFallsToFree) {
  PlanSet plans;
  auto row = stripe_row("past_due");
  row.past_due_since = kMidMarch;
  EXPECT_EQ(compute_entitlements("org_1", row, plans, on(), kMidMarch + 6 * kDay).plan.key, "pro");
  EXPECT_EQ(compute_entitlements("org_1", row, plans, on(), kMidMarch + 7 * kDay - 1).plan.key, "pro");
  EXPECT_EQ(compute_entitlements("org_1", row, plans, on(), kMidMarch + 7 * kDay).plan.key, "free");
}

TEST(BillingEntitlementsTest, AnAdminPlanHoldsWhateverItsStatus) {
  PlanSet plans;
  store::OrgBilling row;
  row.org_id = "org_1";
  row.plan = "business";
  row.plan_source = "admin";
  auto e = compute_entitlements("org_1", row, plans, on(), kMidMarch);
  EXPECT_EQ(e.plan.key, "business");
  EXPECT_EQ(e.period_start, calendar_month(kMidMarch).first);
}

}  // namespace
}  // namespace sb::billing
