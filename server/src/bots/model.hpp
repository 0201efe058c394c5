// Bots: persona, model settings, greeting and fallback, and the templates they may answer with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::bots {

struct Bot {
  std::string id;
  std::string org_id;
  std::string name;
  std::string description;
  std::string avatar_color = "#4f46e5";
  std::optional<std::string> avatar_url;
  std::string system_prompt = "You are a friendly, concise assistant.";
  std::string model = "openai/gpt-4o-mini";
  double temperature = 0.7;
  std::int64_t max_tokens = 512;
  std::string greeting = "Hi! How can I help you today?";
  std::string fallback_message = "Sorry, I can't help with that right now. Someone from our team will get back to you.";
  // Sent instead of a reply once the organisation used its monthly messages; null: the fallback.
  std::optional<std::string> over_quota_message;
  std::string language = "en";
  std::int64_t history_turns = 10;
  bool ask_satisfaction = false;
  // A user message containing one of these (any case or accents, whole words) resolves the
  // conversation (ADR 0037). The same defaults as the column's.
  std::vector<std::string> resolution_phrases = {"thanks, that solved it", "that helped", "problem solved",
                                                 "all good now"};
  std::string status = "active";
  std::int64_t version = 1;
  std::vector<std::string> template_ids;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  // Not stored: false when the organisation restricted its models and this one is not among them
  // (the bot keeps answering with it until someone edits it).
  bool model_allowed = true;

  const std::string& over_quota_notice() const { return over_quota_message ? *over_quota_message : fallback_message; }
};

// A create or partial update: absent fields keep their value (or the default on create).
struct BotInput {
  std::optional<std::string> name, description, avatar_color, system_prompt, model, greeting, fallback_message,
      language, status;
  std::optional<std::optional<std::string>> avatar_url, over_quota_message;
  std::optional<double> temperature;
  std::optional<std::int64_t> max_tokens, history_turns;
  std::optional<bool> ask_satisfaction;
  std::optional<std::vector<std::string>> template_ids;
  std::optional<std::vector<std::string>> resolution_phrases;
};

}  // namespace sb::bots
