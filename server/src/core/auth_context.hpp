// AuthContext: who is calling (a person or an API key) and in which organisation, handed to every service.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace sb {

struct AuthContext {
  std::string user_id;     // empty for an API key
  std::string email;
  std::string name;
  std::string org_id;      // the organisation the request acts in
  std::string role;        // the caller's role in org_id: owner, admin, member or viewer
  bool is_platform_admin = false;
  std::string session_id;  // empty for an API key
  std::string csrf_token;
  std::int64_t session_expires_at = 0;
  std::string api_key_id{};  // set when an API key authenticated the request
  std::string key_creator_id{};  // for an API key: the person it acts for (it never outranks them)
  std::string ip{};          // the caller's address, for the audit log
  // A person acting in an organisation that requires a second factor they have not set up.
  bool two_factor_enrollment_required = false;
  std::int64_t password_verified_at = 0;  // when the session's user last proved the password; 0 for API keys
  // The person proved their email address. Until then they cannot invite people, connect platforms
  // or create API keys (so nobody reaches others from an address that is not theirs). API keys act
  // for people who had proved theirs.
  bool email_verified = true;

  // Sensitive actions (changing the password, creating owner or admin API keys) need the password
  // proved within this window; otherwise 403 reauthentication_required.
  static constexpr std::int64_t kRecentAuthenticationMs = 10LL * 60 * 1000;
  bool authenticated_recently(std::int64_t now_ms) const {
    return password_verified_at > 0 && now_ms - password_verified_at <= kRecentAuthenticationMs;
  }

  bool is_api_key() const { return !api_key_id.empty(); }
  // Who did it, in the audit log's words.
  std::string actor_type() const { return is_api_key() ? "api_key" : "user"; }
  std::string actor_id() const { return is_api_key() ? api_key_id : user_id; }
  std::string actor_label() const { return is_api_key() ? "API key " + name : (name.empty() ? email : name); }
};

// 403: the action needs the password proved again (POST /api/auth/reauthenticate), then a retry.
inline Error reauthentication_required() {
  return {"reauthentication_required", "Enter your password again to continue.", {}};
}

// 403: the action needs a verified email address (POST /api/auth/verify-email/resend sends the link again).
inline Error email_unverified() {
  return {"email_unverified",
          "Verify your email address first: open the link we sent you, or send it again from the banner.",
          {}};
}

}  // namespace sb
