// Two-factor sign-in: TOTP enrolment with recovery codes, proving the second factor at sign-in,
// organisations that require it, and a platform admin's reset.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/master_key.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::accounts {

struct TwoFactorStatus {
  bool enabled = false;
  std::optional<std::int64_t> enabled_at;
  std::int64_t recovery_codes_left = 0;
};

// What an authenticator app needs to enrol: the secret (base32) and the otpauth:// URI for a QR code.
struct TwoFactorSetup {
  std::string secret;
  std::string otpauth_uri;
};

inline constexpr int kRecoveryCodeCount = 10;

class TwoFactorService {
 public:
  TwoFactorService(db::Database& db, const Clock& clock, const MasterKeys& keys, std::string issuer = "Switchboard");

  Result<TwoFactorStatus> status(const AuthContext& ctx);
  // A new secret waiting for its first code; replaces an earlier one not yet enabled.
  Result<TwoFactorSetup> begin_setup(const AuthContext& ctx);
  // Turns it on with a code from the app; answers the recovery codes, shown once.
  Result<std::vector<std::string>> enable(const AuthContext& ctx, const std::string& code);
  // The caller must have proved their password or second factor recently (checked by the caller).
  Result<void> disable(const AuthContext& ctx);
  Result<std::vector<std::string>> regenerate_recovery_codes(const AuthContext& ctx);
  // A platform admin turns a user's second factor off (they lost their phone and their codes).
  Result<void> admin_reset(const AuthContext& admin, const std::string& user_id);

  // Whether the user has a second factor turned on.
  bool enabled(db::Connection& conn, const std::string& user_id);
  // Whether `code` (six digits from the app, or an unused recovery code) proves the user's second
  // factor now. A TOTP code is taken once; a recovery code is used up.
  bool prove(db::Connection& conn, const std::string& user_id, const std::string& code);

 private:
  std::optional<std::string> open_secret(const std::string& user_id, const std::string& sealed) const;
  std::vector<std::string> issue_recovery_codes(db::Connection& conn, const std::string& user_id, std::int64_t now);
  void audit_for_user(db::Connection& conn, const AuthContext& actor, const std::string& user_id,
                      const std::string& action, std::int64_t now);
  db::Database& db_;
  const Clock& clock_;
  const MasterKeys& keys_;
  std::string issuer_;
};

// A recovery code as typed (any case, spaces or dashes) in its stored, hashed form.
std::string recovery_code_hash(const std::string& typed);

// Master key rotation: every TOTP secret resealed under new_key, in one transaction. Returns how many.
Result<std::size_t> reseal_all_two_factor_secrets(db::Database& db, const MasterKeys& keys, const std::string& new_key);

}  // namespace sb::accounts
