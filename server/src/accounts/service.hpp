// Account rules: sign-up, sign-in with throttling, sessions and CSRF, passwords and profiles.
#pragma once

#include <string>

#include "accounts/model.hpp"
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
  crypto::PasswordHashCost password_cost = crypto::interactive_cost();
};

// A new sign-in: the cookie token (returned to the browser once, never stored) and who it is.
struct SignedIn {
  std::string token;
  AuthContext ctx;
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
};

class AccountService {
 public:
  AccountService(db::Database& db, const Clock& clock, AccountSettings settings = {});

  Result<SignedIn> signup(const std::string& email, const std::string& password, const std::string& name,
                          const Caller& caller);
  Result<SignedIn> signin(const std::string& email, const std::string& password, const Caller& caller);
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
  db::Database& db_;
  const Clock& clock_;
  AccountSettings settings_;
};

// Validation shared by the service and its tests.
bool valid_email(const std::string& email);
std::string normalize_email(const std::string& email);
bool valid_timezone(const std::string& tz);

}  // namespace sb::accounts
