// Conversions (ADR 0037): what a conversation led to, recorded by the API or a template's action.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sb::conversions {

struct Conversion {
  std::string id;
  std::string org_id;
  std::string session_id;
  std::string name;
  std::optional<std::int64_t> value_cents;
  std::string source;  // api, template
  std::optional<std::string> external_id;  // the caller's own id: the same one twice is one conversion
  std::int64_t created_at = 0;
};

// POST /api/conversions: which conversation (by id, or the web chat visitor's) and what it came to.
struct ConversionInput {
  std::optional<std::string> conversation_id;
  std::optional<std::string> deployment_key;
  std::optional<std::string> user_token;  // the web chat's server-signed visitor token
  std::string name;
  std::optional<std::int64_t> value_cents;
  std::optional<std::string> external_id;
};

// What a call recorded: a new conversion, or the earlier one with the same external id.
struct Recorded {
  Conversion conversion;
  bool created = false;
};

}  // namespace sb::conversions
