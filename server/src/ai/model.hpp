// AI settings of an organisation: its own OpenRouter key (sealed) and the models its bots may use;
// the list of models OpenRouter offers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::ai {

struct OrgAiSettings {
  std::string org_id;
  std::optional<std::string> key_sealed;  // base64(nonce || ciphertext), associated data: org_id
  std::optional<std::string> key_key_id;  // which master key sealed it
  std::optional<std::int64_t> key_set_at;
  std::optional<std::string> key_set_by;
  std::optional<std::int64_t> key_verified_at;
  std::vector<std::string> allowed_models;  // empty: any model
  std::int64_t updated_at = 0;
};

struct AiSettingsInput {
  std::optional<std::string> api_key;
  std::optional<std::vector<std::string>> allowed_models;
};

// Whose key an organisation's replies use.
enum class KeySource { organization, installation, none };

struct AiSettingsView {
  OrgAiSettings settings;
  KeySource using_key = KeySource::none;
  std::string installation_key;  // available, forbidden, none
  std::string fingerprint;       // of the key in use (its circuit breaker); empty: none
  std::string health = "off";    // that breaker: ok, down, needs_attention; off without a key
  std::string health_reason;
  std::int64_t health_since = 0;
  bool can_manage = false;
};

struct ModelInfo {
  std::string id;
  std::string name;
  std::optional<std::int64_t> context_length;
  std::optional<std::string> prompt_price;      // US dollars per token, as OpenRouter writes it
  std::optional<std::string> completion_price;
};

struct ModelList {
  std::vector<ModelInfo> models;
  std::int64_t fetched_at = 0;  // 0: never loaded
  std::optional<std::string> error;
};

}  // namespace sb::ai
