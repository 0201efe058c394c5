// Accounts: users, their profiles, their sign-in sessions and the devices (browsers) they signed in from.
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
  // When the address was proved (a verification or password-reset link, an invitation); nullopt until then.
  std::optional<std::int64_t> email_verified_at;
};

// A link mailed to the user: a password reset or an email verification. Only its hash is stored.
struct AccountToken {
  std::string id;
  std::string user_id;
  std::string purpose;  // "password_reset" or "email_verification"
  std::string token_hash;
  std::string email;  // the address it was sent to; it stops working when the account's address changes
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
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
  std::optional<std::string> org_id;
  std::string ip;
  std::string user_agent;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
  std::int64_t password_verified_at = 0;  // sign-in or the latest re-authentication
};

// A browser that signed in to an account: it holds a signed device cookie naming this row, and
// its sign-in attempts are throttled apart from anonymous ones. Deleting the row revokes the cookie.
struct Device {
  std::string id;
  std::string user_id;
  std::string secret_hash;  // SHA-256 of the cookie's random part
  std::string user_agent;
  std::int64_t created_at = 0;
  std::int64_t last_used_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> two_factor_remembered_until;  // two-factor "remember this device"
};

struct ProfileUpdate {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> avatar_url;  // inner nullopt clears it
  std::optional<std::string> timezone;
};

}  // namespace sb::accounts
