// What an insight run sends to the model and how its answer is read: the redaction of transcripts
// (e-mail addresses, phone numbers, card-like digit runs), the JSON-mode prompt, the validation of
// the answer, and the heuristic findings made without a model.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ai/openrouter.hpp"
#include "analytics/insights_model.hpp"
#include "core/result.hpp"

namespace sb::analytics {

// Replaces e-mail addresses with [email], card-like runs of 13–19 digits with [card] and phone
// numbers (7–15 digits, optionally with +, spaces, dashes, parentheses) with [phone]. Dates
// (2026-12-04), short numbers and digits inside words stay.
std::string redact(std::string_view text);

// The transcripts as the model reads them, redacted, at most `max_bytes` in all.
std::string transcripts_text(const std::vector<Transcript>& transcripts, std::size_t max_bytes);

// The chat messages of a run: instructions, the aggregates, and the transcripts when given.
std::vector<ai::ChatMessage> insight_prompt(const boost::json::object& aggregates, const std::string& transcripts);

struct InsightAnswer {
  std::string summary;
  std::vector<Finding> themes;
  std::vector<Finding> recommendations;
};
// Reads the model's answer: a JSON object {summary, themes:[{title,detail}], recommendations:[…]}
// (a Markdown code fence around it is tolerated). The error says what was wrong, in words.
Result<InsightAnswer> parse_answer(std::string_view text);

// A run without a model: the most asked unanswered questions, the slowest segments by first-response
// p90, and the segments whose satisfaction moved most against the previous period.
InsightAnswer heuristic_findings(const std::vector<QuestionCount>& unanswered, const std::vector<Segment>& segments);

// The 90th percentile of the values (nearest rank); 0 for none.
std::int64_t p90(std::vector<std::int64_t> values);

}  // namespace sb::analytics
