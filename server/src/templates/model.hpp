// Response templates: approved answers with trigger phrases, variables and per-platform variants.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sb::templates {

struct Variable {
  std::string name;
  std::string default_value;
};

struct Template {
  std::string id;
  std::string org_id;
  std::string name;
  std::string category;
  std::vector<std::string> trigger_phrases;
  std::string body;
  std::vector<Variable> variables;
  std::map<std::string, std::string> platform_variants;  // platform → body
  bool manual = false;  // no trigger phrases on purpose: used only by the AI or by a person
  // What its answer does besides answering (ADR 0037): resolve the conversation, or record a conversion.
  std::optional<std::string> action;  // resolve, convert
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A create or a partial update; absent fields keep their value.
struct TemplateInput {
  std::optional<std::string> name, category, body;
  std::optional<std::vector<std::string>> trigger_phrases;
  std::optional<std::vector<Variable>> variables;
  std::optional<std::map<std::string, std::string>> platform_variants;
  std::optional<bool> manual;
  std::optional<std::optional<std::string>> action;  // null clears it
};

inline const std::vector<std::string>& platforms() {
  static const std::vector<std::string> names = {"telegram", "whatsapp", "messenger", "slack",
                                                 "discord",  "twilio",   "webchat"};
  return names;
}

}  // namespace sb::templates
