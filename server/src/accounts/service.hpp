// Account rules: sign-up, sign-in with throttling and device cookies, sessions and CSRF, recent
// authentication, passwords and profiles.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "accounts/model.hpp"
#include "accounts/two_factor.hpp"
#include "orgs/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "mail/mailer.hpp"

namespace sb::accounts {

struct AccountSettings {
  std::int64_t session_ttl_ms = 30LL * 24 * 3600 * 1000;
  int max_failures_per_email = 5;
  int max_failures_per_ip = 20;
  std::int64_t failure_window_ms = 15LL * 60 * 1000;
  // Attempts that carry a valid device cookie for the account are counted per device instead.
  int max_failures_per_device = 5;
  std::int64_t device_ttl_ms = 365LL * 24 * 3600 * 1000;
  // HMAC keys that sign device cookies, derived from the master keys: the first signs, any verifies.
  // Empty: a random key for this process (device cookies then end with it).
  std::vector<std::string> device_keys;
  std::size_t min_password_length = 10;
  std::int64_t two_factor_challenge_ttl_ms = 5LL * 60 * 1000;
  int max_two_factor_failures = 5;  // wrong codes before a sign-in has to start again
  // "Remember this device" after a second factor: later sign-ins from that browser need only the password.
  std::int64_t two_factor_remember_ms = 30LL * 24 * 3600 * 1000;
  crypto::PasswordHashCost password_cost = crypto::interactive_cost();
  // Mailed links: where they point, how long they work, and how many one address may receive per
  // failure window (the window and the per-address limit are the sign-in ones).
  std::string public_base_url = "http://127.0.0.1:8080";
  std::int64_t password_reset_ttl_ms = 30LL * 60 * 1000;
  std::int64_t email_verification_ttl_ms = 7LL * 24 * 3600 * 1000;
  int max_mails_per_email = 3;
};

// A device cookie to set: one per browser and account, named after the account so that a
// browser used for two accounts keeps both.
struct DeviceCookie {
  std::string name;
  std::string value;
  std::string device_id;  // the devices row it names (not sent)
};

// A new sign-in: the cookie token (returned to the browser once, never stored) and who it is.
struct SignedIn {
  std::string token;
  AuthContext ctx;
  std::optional<DeviceCookie> device;
};

// What a right password gives: a session, or (with two-factor on and an unremembered device) a
// challenge token for the second step.
struct SigninOutcome {
  std::optional<SignedIn> signed_in;
  std::string challenge;
  std::int64_t challenge_expires_at = 0;
};

struct Caller {
  std::string ip;
  std::string user_agent;
  std::map<std::string, std::string> device_cookies;  // the request's sb_device_… cookies, name → value
};

// One of the user's sessions as the sessions page lists it.
struct SessionInfo {
  Session session;
  std::string device;  // "Chrome on macOS", from the user agent
  bool current = false;
};

// What GET /api/auth/session shows: the caller and the organisation they act in.
struct SessionView {
  AuthContext ctx;
  std::optional<orgs::Membership> membership;
  std::int64_t user_created_at = 0;
  bool two_factor_enabled = false;
  // The organisation requires a second factor the user has not set up yet.
  bool two_factor_enrollment_required = false;
};

// What the page behind a password-reset link shows before the new password is chosen.
struct PasswordResetPreview {
  std::string email;
  bool two_factor_required = false;
  std::int64_t expires_at = 0;
};

class AccountService {
 public:
  AccountService(db::Database& db, const Clock& clock, TwoFactorService& two_factor, mail::Mailer& mailer,
                 AccountSettings settings = {});

  // invite_token: a pending invitation for the same address proves the mailbox, so the account
  // starts verified; otherwise a verification link is mailed (the installation's first account
  // is verified at once).
  Result<SignedIn> signup(const std::string& email, const std::string& password, const std::string& name,
                          const Caller& caller, const std::string& invite_token = "");
  Result<SigninOutcome> signin(const std::string& email, const std::string& password, const Caller& caller);
  // The second step: a code from the app (or a recovery code) for a challenge from signin().
  // remember: this browser's device cookie skips the second step for 30 days.
  Result<SignedIn> complete_two_factor(const std::string& challenge, const std::string& code, bool remember,
                                       const Caller& caller);
  // Whether the user must set up a second factor before acting in org_id.
  bool two_factor_enrollment_required(const std::string& user_id, const std::string& org_id);
  Result<void> signout(const AuthContext& ctx);
  // The session behind a cookie token, with its organisation and role; unauthenticated otherwise.
  Result<AuthContext> authenticate(const std::string& token);
  Result<SessionView> describe(const AuthContext& ctx);
  // Acts in org_id from now on, and remembers it for the user's next sign-in.
  Result<SessionView> switch_org(const AuthContext& ctx, const std::string& org_id);
  // Needs recent authentication; ends every other session and revokes every device cookie.
  Result<void> change_password(const AuthContext& ctx, const std::string& current_password,
                               const std::string& new_password, const Caller& caller = {});
  // Proves the person again for the session (recent authentication) with the password or, when
  // enrolled, a second-factor code; throttled like sign-in.
  Result<void> reauthenticate(const AuthContext& ctx, const std::string& password, const std::string& code,
                              const Caller& caller);

  // Password reset by email (accounts/recovery.cpp). Requesting answers the same whether or not the
  // account exists and is throttled per email and per address; the link works once, for 30
  // minutes. Using it asks for the second factor when one is enrolled, ends every session, revokes
  // every device cookie, proves the address, and signs this browser in.
  Result<void> request_password_reset(const std::string& email, const Caller& caller);
  Result<PasswordResetPreview> preview_password_reset(const std::string& token);
  Result<SignedIn> reset_password(const std::string& token, const std::string& new_password, const std::string& code,
                                  const Caller& caller);
  // Email verification: the link proves the address (returned); a new link on request, throttled.
  Result<std::string> verify_email(const std::string& token);
  Result<std::string> resend_verification(const AuthContext& ctx, const Caller& caller);
  // A new address needs recent authentication; it starts unverified and gets a verification link,
  // and the old address is told.
  Result<void> change_email(const AuthContext& ctx, const std::string& email);

  // The caller's live sessions; signing one, all others, or all of them out (the last also revokes
  // the device cookies).
  Result<std::vector<SessionInfo>> list_sessions(const AuthContext& ctx);
  Result<void> revoke_session(const AuthContext& ctx, const std::string& session_id);
  Result<void> revoke_other_sessions(const AuthContext& ctx);
  Result<void> signout_everywhere(const AuthContext& ctx);
  // Revokes every device cookie of the user: after a password change or reset, signing out
  // everywhere, or a two-factor reset. Callers inside a transaction use store::revoke_devices.
  void revoke_devices(const std::string& user_id);
  Result<Profile> profile(const AuthContext& ctx);
  Result<Profile> update_profile(const AuthContext& ctx, const ProfileUpdate& update);

  // Operator tasks (switchboard admin …).
  Result<std::string> create_user(const std::string& email, const std::string& password, const std::string& name);
  Result<void> make_platform_admin(const std::string& email);
  // Housekeeping: expired sessions and old sign-in attempts. Returns rows removed.
  std::int64_t purge_expired();

  const AccountSettings& settings() const { return settings_; }

 private:
  Result<SignedIn> start_session(db::Connection& conn, const std::string& user_id, const Caller& caller);
  // The device behind the caller's cookie for this user, when the cookie is genuine and not revoked.
  std::optional<Device> trusted_device(db::Connection& conn, const std::string& user_id, const Caller& caller,
                                       std::int64_t now) const;
  // A known device's failures, or else the email's and the address's anonymous ones: 429 when too many.
  Result<void> check_throttle(db::Connection& conn, const std::string& email, const std::string& ip,
                              const std::optional<Device>& device, std::int64_t now) const;
  // After a successful sign-in: the browser's device cookie, refreshed or new.
  DeviceCookie remember_device(db::Connection& conn, const std::string& user_id, const Caller& caller,
                               const std::optional<Device>& known, std::int64_t now);
  std::string sign_device(const std::string& key, const std::string& user_id, const std::string& device_id,
                          const std::string& secret) const;
  // verified: the address is proved already (the installation's first account always is). With an
  // invitation the account joins its organisation only; without, it gets an organisation of its own.
  Result<std::string> insert_account(db::Connection& conn, const std::string& email,
                                     const std::string& password_hash, const std::string& name, bool verified,
                                     const orgs::Invite* invite = nullptr);
  // A new mailed link of that purpose for the user's address; returns the token (only its hash is kept).
  std::string issue_token(db::Connection& conn, const std::string& user_id, const std::string& purpose,
                          const std::string& email, std::int64_t ttl_ms, std::int64_t now);
  void mail_verification(const std::string& email, const std::string& token);
  // 429 when the address (or the caller's network address) has had its share of mails of that kind.
  Result<void> check_mail_throttle(db::Connection& conn, const std::string& kind, const std::string& email,
                                   const std::string& ip, std::int64_t now) const;
  db::Database& db_;
  const Clock& clock_;
  TwoFactorService& two_factor_;
  mail::Mailer& mailer_;
  AccountSettings settings_;
};

// Validation shared by the service and its tests.
bool valid_email(const std::string& email);
std::string normalize_email(const std::string& email);
bool valid_timezone(const std::string& tz);
// The CSRF token of a session: derived from its cookie token, so nothing is stored.
std::string csrf_token_for(const std::string& session_token);
// The device cookie's name for an account (sb_device_ and a short hash of the user id).
std::string device_cookie_name(const std::string& user_id);
inline constexpr const char* kDeviceCookiePrefix = "sb_device_";
// "Chrome on macOS", "Firefox on Windows", "curl": a short, readable name for a user agent.
std::string describe_user_agent(const std::string& user_agent);

}  // namespace sb::accounts
