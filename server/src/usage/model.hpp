// Usage: what an organisation used in its usage period (messages, AI tokens and cost, insight
// runs), held against its plan's monthly limits. The contract is docs/adr/0034-billing-and-plans.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sb::usage {

inline constexpr const char* kMessages = "messages";
inline constexpr const char* kAiTokens = "ai_tokens";
inline constexpr const char* kAiCostMicros = "ai_cost_micros";
inline constexpr const char* kInsightRuns = "insight_runs";

// Settled use in one period (reservations of AI calls in flight not included).
struct PeriodUsage {
  std::int64_t period_start = 0;
  std::int64_t period_end = 0;
  std::int64_t messages = 0;
  std::int64_t ai_tokens = 0;
  std::int64_t ai_cost_micros = 0;
  std::int64_t insight_runs = 0;
};

// What an AI call holds until it settles or its job's lease ends.
struct Reservation {
  std::string id;  // empty: nothing reserved (billing off)
  std::string org_id;
  std::int64_t period_start = 0;
  std::int64_t tokens = 0;
  std::int64_t cost_micros = 0;
};

// Thresholds of the monthly messages that send a warning to the owners, in percent.
inline constexpr int kWarningThresholds[] = {80, 100};

}  // namespace sb::usage
