// Session and API key authentication, CSRF checks, organisation scoping.
#include "accounts/authenticator.hpp"

#include "core/crypto.hpp"

namespace sb::accounts {
namespace {

// What a person may still do while their organisation waits for them to set up a second factor:
// their own account (session, two-factor set-up, profile), and choosing or joining organisations.
bool open_before_two_factor_enrollment(const http::Request& req) {
  const std::string& p = req.path;
  return p.starts_with("/api/auth/") || p == "/api/profile" || p.starts_with("/api/invites/") ||
         (p == "/api/orgs" && req.method == http::Method::get) || p == "/api/permissions";
}

Error two_factor_enrollment_required() {
  return Error{"two_factor_enrollment_required",
               "Your organization requires two-factor sign-in. Set it up in your profile to continue.", {}};
}

}  // namespace

Result<AuthContext> Authenticator::require(const http::Request& req) const {
  std::string authorization = req.header("Authorization");
  if (!authorization.empty()) {
    if (authorization.rfind("Bearer ", 0) != 0)
      return Error::unauthenticated("Send an API key as \"Authorization: Bearer <key>\".");
    auto ctx = keys_.authenticate(authorization.substr(7));
    if (ctx) ctx->ip = req.remote_ip;
    return ctx;  // API keys need no CSRF token: no browser sends them on its own
  }
  auto token = req.cookie(kSessionCookie);
  if (!token) return Error::unauthenticated();
  auto ctx = accounts_.authenticate(*token);
  if (!ctx) return ctx;
  if (req.is_write() && !crypto::constant_time_equals(req.header("X-CSRF-Token"), ctx->csrf_token))
    return Error::csrf_failed();
  if (ctx->two_factor_enrollment_required && !open_before_two_factor_enrollment(req))
    return two_factor_enrollment_required();
  ctx->ip = req.remote_ip;
  return ctx;
}

Result<AuthContext> Authenticator::require_user(const http::Request& req) const {
  auto ctx = require(req);
  if (ctx && ctx->is_api_key()) return Error::forbidden("This needs a signed-in person, not an API key.");
  return ctx;
}

Result<AuthContext> Authenticator::require_platform_admin(const http::Request& req) const {
  auto ctx = require_user(req);
  if (ctx && !ctx->is_platform_admin) return Error::forbidden("Only platform admins can see this.");
  return ctx;
}

Result<AuthContext> Authenticator::require_in_org(const http::Request& req, const std::string& org_id) const {
  auto ctx = require(req);
  if (!ctx) return ctx;
  auto entered = orgs_.enter(*ctx, org_id);
  if (entered && !entered->is_api_key() && entered->org_id != ctx->org_id &&
      accounts_.two_factor_enrollment_required(entered->user_id, entered->org_id) &&
      !open_before_two_factor_enrollment(req))
    return two_factor_enrollment_required();
  return entered;
}

std::string session_cookie(const std::string& token, std::int64_t max_age_seconds, const CookieSettings& settings) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; Max-Age=" + std::to_string(max_age_seconds) +
         "; HttpOnly; SameSite=Lax" + (settings.secure ? "; Secure" : "");
}

std::string cleared_session_cookie(const CookieSettings& settings) {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
         (settings.secure ? "; Secure" : "");
}

std::string device_cookie(const std::string& name, const std::string& value, std::int64_t max_age_seconds,
                          const CookieSettings& settings) {
  return name + "=" + value + "; Path=/api/auth; Max-Age=" + std::to_string(max_age_seconds) +
         "; HttpOnly; SameSite=Lax" + (settings.secure ? "; Secure" : "");
}

}  // namespace sb::accounts
