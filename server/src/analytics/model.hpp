// Analytics (ADR 0037): the query a dashboard asks, resolved time ranges, and the metric set.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::analytics {

// What an analytics request asks for, as parsed from its query string (or an insight run's body).
// Every field optional; the service resolves defaults (30d, the organisation's time zone).
struct Query {
  std::optional<std::string> preset;  // today | yesterday | 7d | 30d | 90d
  std::optional<std::string> from;    // YYYY-MM-DD, local
  std::optional<std::string> to;      // YYYY-MM-DD, local, inclusive
  std::optional<std::string> tz;      // IANA name
  std::optional<std::string> bot_id;
  std::optional<std::string> platform;
  std::optional<std::string> deployment_id;
  std::optional<std::string> template_id;
  bool compare = true;                // compare=previous (default) | none
};

// A resolved range: local dates and the UTC hour starts [start, end) it covers.
struct Range {
  std::string from;  // YYYY-MM-DD
  std::string to;    // YYYY-MM-DD
  std::string tz;
  std::int64_t start = 0;  // first hour start in the range (ms, UTC)
  std::int64_t end = 0;    // first hour start after it
  std::string granularity;  // hour | day
  std::int64_t days = 0;
};

// The dimensions a rollup row is keyed by, besides its hour.
struct Filters {
  std::optional<std::string> bot_id;
  std::optional<std::string> platform;
  std::optional<std::string> deployment_id;  // "" means "no deployment"
  std::optional<std::string> template_id;
};

// Summed counters of the rollup tables over a set of hours, and the merged sketches.
struct Totals {
  std::int64_t conversations = 0, engaged = 0, resolved = 0, converted = 0, handoffs = 0;
  std::int64_t first_responses = 0, first_response_ms_sum = 0;
  std::int64_t rating_asked = 0, ratings = 0, rating_sum = 0;
  std::array<std::int64_t, 5> rating_counts{};
  std::int64_t messages_in = 0, messages_out = 0, ai_replies = 0, template_replies = 0, fallback_replies = 0;
  std::int64_t ai_tokens = 0, ai_cost_micros = 0;
  std::int64_t unique_users = 0;
  std::array<std::int64_t, 256> first_response_histogram{};
};

}  // namespace sb::analytics
