// Authenticator: turns a request's session cookie into an AuthContext and enforces CSRF on writes.
#pragma once

#include <string>

#include "accounts/service.hpp"
#include "http/message.hpp"

namespace sb::accounts {

inline constexpr const char* kSessionCookie = "sb_session";

struct CookieSettings {
  bool secure = false;
};

class Authenticator {
 public:
  explicit Authenticator(AccountService& accounts) : accounts_(accounts) {}
  // 401 without a live session; 403 csrf_failed for a cookie-authenticated write whose
  // X-CSRF-Token header does not match the session's token.
  Result<AuthContext> require(const http::Request& req) const;

 private:
  AccountService& accounts_;
};

std::string session_cookie(const std::string& token, std::int64_t max_age_seconds, const CookieSettings& settings);
std::string cleared_session_cookie(const CookieSettings& settings);

}  // namespace sb::accounts
