// Authenticator: a request's caller from its session cookie or API key, CSRF on cookie writes,
// and the caller's role in the organisation a route names.
#pragma once

#include <string>

#include "accounts/service.hpp"
#include "apikeys/service.hpp"
#include "http/message.hpp"
#include "orgs/service.hpp"

namespace sb::accounts {

inline constexpr const char* kSessionCookie = "sb_session";

struct CookieSettings {
  bool secure = false;
};

class Authenticator {
 public:
  Authenticator(AccountService& accounts, apikeys::ApiKeyService& keys, orgs::OrgService& orgs)
      : accounts_(accounts), keys_(keys), orgs_(orgs) {}
  // A session (cookie) or an API key (Authorization: Bearer). 401 without either; 403
  // csrf_failed for a cookie-authenticated write whose X-CSRF-Token does not match.
  Result<AuthContext> require(const http::Request& req) const;
  // A signed-in person: API keys are refused with 403.
  Result<AuthContext> require_user(const http::Request& req) const;
  // A platform admin, signed in as a person.
  Result<AuthContext> require_platform_admin(const http::Request& req) const;
  // The caller acting in the organisation a route names (404 when it is not theirs).
  Result<AuthContext> require_in_org(const http::Request& req, const std::string& org_id) const;

 private:
  AccountService& accounts_;
  apikeys::ApiKeyService& keys_;
  orgs::OrgService& orgs_;
};

std::string session_cookie(const std::string& token, std::int64_t max_age_seconds, const CookieSettings& settings);
std::string cleared_session_cookie(const CookieSettings& settings);
// A device cookie (see AccountService): the session cookie's settings, sent only to /api/auth.
// Max-Age 0 clears it.
std::string device_cookie(const std::string& name, const std::string& value, std::int64_t max_age_seconds,
                          const CookieSettings& settings);

}  // namespace sb::accounts
