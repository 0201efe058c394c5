// Accounts: users, their profiles and their sign-in sessions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sb::accounts {

struct User {
  std::string id;
  std::string email;  // lower-cased
  std::string password_hash;
  std::optional<std::string> last_org_id;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct Profile {
  std::string user_id;
  std::string email;
  std::string name;
  std::optional<std::string> avatar_url;
  std::string timezone = "UTC";
  std::int64_t updated_at = 0;
};

struct Session {
  std::string id;
  std::string user_id;
  std::string token_hash;  // SHA-256 of the cookie token; the token itself is never stored
  std::string csrf_token;
  std::optional<std::string> org_id;
  std::string ip;
  std::string user_agent;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
};

struct ProfileUpdate {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> avatar_url;  // inner nullopt clears it
  std::optional<std::string> timezone;
};

}  // namespace sb::accounts
