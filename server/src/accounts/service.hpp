// Account rules: sign-up, sign-in with throttling, sessions and CSRF, passwords and profiles.
#pragma once

#include <string>

#include "accounts/model.hpp"
#include "accounts/two_factor.hpp"
#include "orgs/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::accounts {

struct AccountSettings {
  std::int64_t session_ttl_ms = 30LL * 24 * 3600 * 1000;
  int max_failures_per_email = 5;
  int max_failures_per_ip = 20;
  std::int64_t failure_window_ms = 15LL * 60 * 1000;
  std::size_t min_password_length = 10;
  std::int64_t two_factor_challenge_ttl_ms = 5LL * 60 * 1000;
  int max_two_factor_failures = 5;  // wrong codes before a sign-in has to start again
  crypto::PasswordHashCost password_cost = crypto::interactive_cost();
};

// A new sign-in: the cookie token (returned to the browser once, never stored) and who it is.
struct SignedIn {
  std::string token;
  AuthContext ctx;
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

class AccountService {
 public:
  AccountService(db::Database& db, const Clock& clock, TwoFactorService& two_factor, AccountSettings settings = {});

  Result<SignedIn> signup(const std::string& email, const std::string& password, const std::string& name,
                          const Caller& caller);
  Result<SigninOutcome> signin(const std::string& email, const std::string& password, const Caller& caller);
  // The second step: a code from the app (or a recovery code) for a challenge from signin().
  Result<SignedIn> complete_two_factor(const std::string& challenge, const std::string& code, const Caller& caller);
  // Whether the user must set up a second factor before acting in org_id.
  bool two_factor_enrollment_required(const std::string& user_id, const std::string& org_id);
  Result<void> signout(const AuthContext& ctx);
  // The session behind a cookie token, with its organisation and role; unauthenticated otherwise.
  Result<AuthContext> authenticate(const std::string& token);
  Result<SessionView> describe(const AuthContext& ctx);
  // Acts in org_id from now on, and remembers it for the user's next sign-in.
  Result<SessionView> switch_org(const AuthContext& ctx, const std::string& org_id);
  Result<void> change_password(const AuthContext& ctx, const std::string& current_password,
                               const std::string& new_password);
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
  Result<std::string> insert_account(db::Connection& conn, const std::string& email,
                                     const std::string& password_hash, const std::string& name);
  Result<void> throttle(db::Connection& conn, const std::string& email, const Caller& caller, std::int64_t now);
  db::Database& db_;
  const Clock& clock_;
  TwoFactorService& two_factor_;
  AccountSettings settings_;
};

// Validation shared by the service and its tests.
bool valid_email(const std::string& email);
std::string normalize_email(const std::string& email);
bool valid_timezone(const std::string& tz);

}  // namespace sb::accounts
