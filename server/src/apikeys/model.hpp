// API keys: programmatic access to one organisation with a role, shown once, stored hashed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sb::apikeys {

struct ApiKey {
  std::string id;
  std::string org_id;
  std::string name;
  std::string role;
  std::string prefix;  // "sbk_" + 8 characters: shown in lists, looks the key up
  std::string key_hash;
  std::optional<std::string> created_by;  // always a person: a key made by a key names that key's creator
  std::string created_by_name;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> expires_at;
  std::optional<std::int64_t> last_used_at;
  std::optional<std::int64_t> revoked_at;
  // The creator's role in the key's organisation now; nullopt once they are no longer a member.
  std::optional<std::string> creator_role;
};

// A new key with its secret, shown to its creator once.
struct IssuedKey {
  ApiKey key;
  std::string secret;
};

struct NewKey {
  std::string name;
  std::string role;
  std::optional<std::int64_t> expires_at;
};

}  // namespace sb::apikeys
