// Session cookie authentication and CSRF checks.
#include "accounts/authenticator.hpp"

#include "core/crypto.hpp"

namespace sb::accounts {

Result<AuthContext> Authenticator::require(const http::Request& req) const {
  auto token = req.cookie(kSessionCookie);
  if (!token) return Error::unauthenticated();
  auto ctx = accounts_.authenticate(*token);
  if (!ctx) return ctx;
  if (req.is_write() && !crypto::constant_time_equals(req.header("X-CSRF-Token"), ctx->csrf_token))
    return Error::csrf_failed();
  return ctx;
}

std::string session_cookie(const std::string& token, std::int64_t max_age_seconds, const CookieSettings& settings) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; Max-Age=" + std::to_string(max_age_seconds) +
         "; HttpOnly; SameSite=Lax" + (settings.secure ? "; Secure" : "");
}

std::string cleared_session_cookie(const CookieSettings& settings) {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
         (settings.secure ? "; Secure" : "");
}

}  // namespace sb::accounts
