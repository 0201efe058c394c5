// Insight runs and analytics settings (ADR 0037): a saved run's inputs and outputs.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::analytics {

inline constexpr const char* kPromptVersion = "2026-12-1";

struct Finding {
  std::string title;
  std::string detail;
};

struct InsightRun {
  std::string id;
  std::string org_id;
  std::optional<std::string> created_by;  // user id; null once the user is gone
  std::string created_by_label;
  std::string status = "running";  // running, done, failed
  std::string kind = "ai";         // ai, heuristic
  boost::json::object filters;
  std::optional<std::string> model;
  std::string prompt_version = kPromptVersion;
  bool transcripts_sent = false;
  boost::json::object metrics;  // the overview snapshot the run was given
  std::optional<std::string> summary;
  std::vector<Finding> themes;
  std::vector<Finding> recommendations;
  std::optional<std::string> error;
  std::optional<std::int64_t> prompt_tokens, completion_tokens, cost_micros;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> finished_at;
};

struct InsightPage {
  std::vector<InsightRun> items;
  std::optional<std::string> next;  // cursor of the next (older) page
};

struct AnalyticsSettings {
  bool share_transcripts = false;
  std::string time_zone = "UTC";
};

// What a heuristic run reads besides the overview.
struct QuestionCount {
  std::string question;
  std::int64_t count = 0;
};
struct Segment {
  std::string platform;
  std::string bot_id;
  std::string bot_name;
  std::int64_t conversations = 0;
  std::vector<std::int64_t> first_response_ms;  // of the conversations that had a reply
  std::int64_t ratings = 0, rating_sum = 0;
  std::int64_t previous_ratings = 0, previous_rating_sum = 0;
};

// One conversation of a transcript sent to the model (already redacted when it leaves the service).
struct Transcript {
  std::string conversation_id;
  std::string platform;
  std::vector<std::pair<std::string, std::string>> lines;  // direction (in/out), text
};

}  // namespace sb::analytics
