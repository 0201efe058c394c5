// Usage periods: the calendar month (UTC) that free and admin-set plans count messages in.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "usage/service.hpp"

namespace sb::usage {
namespace {

std::int64_t at(const char* rfc3339) { return *parse_rfc3339(rfc3339); }

TEST(UsagePeriod, TheCalendarMonthInUtcHoldsEveryMomentOfIt) {
  EXPECT_EQ(calendar_month_start(at("2026-12-06T21:00:00Z")), at("2026-12-01T00:00:00Z"));
  EXPECT_EQ(calendar_month_end(at("2026-12-06T21:00:00Z")), at("2027-01-01T00:00:00Z"));
  EXPECT_EQ(calendar_month_start(at("2026-03-01T00:00:00Z")), at("2026-03-01T00:00:00Z"));
  EXPECT_EQ(calendar_month_start(at("2026-02-28T23:59:59.999Z")), at("2026-02-01T00:00:00Z"));
  EXPECT_EQ(calendar_month_end(at("2028-02-10T00:00:00Z")), at("2028-03-01T00:00:00Z"));
}

}  // namespace
}  // namespace sb::usage
