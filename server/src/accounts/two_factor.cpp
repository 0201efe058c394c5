// Two-factor sign-in: the rules of enrolment, recovery codes, proving a code and resets.
#include "accounts/two_factor.hpp"

#include <algorithm>
#include <cctype>

#include "accounts/store.hpp"
#include "accounts/two_factor_store.hpp"
#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "core/totp.hpp"
#include "orgs/store.hpp"

namespace sb::accounts {
namespace {

std::string associated_data(const std::string& user_id) { return "totp:" + user_id; }

bool looks_like_totp(const std::string& code) {
  return code.size() == static_cast<std::size_t>(totp::kDigits) &&
         std::all_of(code.begin(), code.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Ten characters of base32 (50 bits) shown as "xxxxx-xxxxx".
std::string new_recovery_code() {
  std::string raw = totp::base32_encode(crypto::random_bytes(7)).substr(0, 10);
  std::transform(raw.begin(), raw.end(), raw.begin(), [](unsigned char c) { return std::tolower(c); });
  return raw.substr(0, 5) + "-" + raw.substr(5);
}

}  // namespace

std::string recovery_code_hash(const std::string& typed) {
  std::string plain;
  for (unsigned char c : typed)
    if (std::isalnum(c)) plain += static_cast<char>(std::tolower(c));
  return crypto::sha256_hex("recovery-code:" + plain);
}

TwoFactorService::TwoFactorService(db::Database& db, const Clock& clock, const MasterKeys& keys, std::string issuer)
    : db_(db), clock_(clock), keys_(keys), issuer_(std::move(issuer)) {}

std::optional<std::string> TwoFactorService::open_secret(const std::string& user_id, const std::string& sealed) const {
  for (const auto& key : keys_.all)
    if (auto plain = crypto::open(key, sealed, associated_data(user_id))) return plain;
  return std::nullopt;
}

Result<TwoFactorStatus> TwoFactorService::status(const AuthContext& ctx) {
  auto conn = db_.acquire();
  TwoFactorStatus out;
  auto row = store::find_two_factor(*conn, ctx.user_id);
  if (row && row->enabled_at) {
    out.enabled = true;
    out.enabled_at = row->enabled_at;
    out.recovery_codes_left = store::unused_recovery_codes(*conn, ctx.user_id);
  }
  return out;
}

Result<TwoFactorSetup> TwoFactorService::begin_setup(const AuthContext& ctx) {
  if (ctx.is_api_key()) return Error::forbidden("Two-factor sign-in belongs to a person, not an API key.");
  auto conn = db_.acquire();
  auto row = store::find_two_factor(*conn, ctx.user_id);
  if (row && row->enabled_at) return Error::conflict("Two-factor sign-in is already on. Turn it off first to set up a new app.");
  std::string secret = crypto::random_bytes(20);  // 160 bits, as RFC 4226 recommends for HMAC-SHA1
  store::put_pending_two_factor(*conn, ctx.user_id, crypto::seal(keys_.primary, secret, associated_data(ctx.user_id)),
                                clock_.now_ms());
  return TwoFactorSetup{totp::base32_encode(secret), totp::otpauth_uri(issuer_, ctx.email, secret)};
}

std::vector<std::string> TwoFactorService::issue_recovery_codes(db::Connection& conn, const std::string& user_id,
                                                                std::int64_t now) {
  std::vector<std::string> codes, hashes;
  while (codes.size() < static_cast<std::size_t>(kRecoveryCodeCount)) {
    auto code = new_recovery_code();
    auto hash = recovery_code_hash(code);
    if (std::find(hashes.begin(), hashes.end(), hash) != hashes.end()) continue;
    codes.push_back(code);
    hashes.push_back(hash);
  }
  store::replace_recovery_codes(conn, user_id, hashes, now);
  return codes;
}

void TwoFactorService::audit_for_user(db::Connection& conn, const AuthContext& actor, const std::string& user_id,
                                      const std::string& action, std::int64_t now) {
  // An account's own security changes show in the log of every organisation it belongs to.
  auto profile = store::find_profile(conn, user_id);
  std::string label = profile ? profile->name + " <" + profile->email + ">" : user_id;
  for (const auto& m : orgs::store::memberships_of(conn, user_id))
    audit::record(conn, actor, m.org.id, action, {"user", user_id, label}, now);
}

Result<std::vector<std::string>> TwoFactorService::enable(const AuthContext& ctx, const std::string& code) {
  if (!looks_like_totp(code)) return Error::validation({{"code", "Enter the 6-digit code your app shows."}});
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  auto row = store::find_two_factor(*conn, ctx.user_id);
  if (!row) return Error::conflict("Start the set-up first: scan the QR code, then enter the code.");
  if (row->enabled_at) return Error::conflict("Two-factor sign-in is already on.");
  auto secret = open_secret(ctx.user_id, row->secret_sealed);
  if (!secret) return Error::conflict("Start the set-up again: the pending secret cannot be read.");
  auto step = totp::matching_step(*secret, code, now, row->last_step);
  if (!step) return Error::validation({{"code", "That code is not right. Check the time on your phone and try the next one."}});
  db::Transaction tx(*conn);
  store::enable_two_factor(*conn, ctx.user_id, *step, now);
  auto codes = issue_recovery_codes(*conn, ctx.user_id, now);
  audit_for_user(*conn, ctx, ctx.user_id, "user.two_factor_enabled", now);
  tx.commit();
  return codes;
}

Result<void> TwoFactorService::disable(const AuthContext& ctx) {
  std::int64_t now = clock_.now_ms();
  if (!ctx.authenticated_recently(now)) return reauthentication_required();
  auto conn = db_.acquire();
  auto row = store::find_two_factor(*conn, ctx.user_id);
  if (!row || !row->enabled_at) return Error::conflict("Two-factor sign-in is not on.");
  db::Transaction tx(*conn);
  store::delete_two_factor(*conn, ctx.user_id);
  store::forget_two_factor_devices(*conn, ctx.user_id);
  audit_for_user(*conn, ctx, ctx.user_id, "user.two_factor_disabled", now);
  tx.commit();
  return {};
}

Result<std::vector<std::string>> TwoFactorService::regenerate_recovery_codes(const AuthContext& ctx) {
  std::int64_t now = clock_.now_ms();
  if (!ctx.authenticated_recently(now)) return reauthentication_required();
  auto conn = db_.acquire();
  auto row = store::find_two_factor(*conn, ctx.user_id);
  if (!row || !row->enabled_at) return Error::conflict("Two-factor sign-in is not on.");
  db::Transaction tx(*conn);
  auto codes = issue_recovery_codes(*conn, ctx.user_id, now);
  audit_for_user(*conn, ctx, ctx.user_id, "user.recovery_codes_regenerated", now);
  tx.commit();
  return codes;
}

Result<void> TwoFactorService::admin_reset(const AuthContext& admin, const std::string& user_id) {
  if (!admin.is_platform_admin) return Error::forbidden();
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  if (!store::find_user(*conn, user_id)) return Error::not_found("No such user.");
  auto row = store::find_two_factor(*conn, user_id);
  if (!row || !row->enabled_at) return Error::conflict("This user has no second factor to reset.");
  db::Transaction tx(*conn);
  store::delete_two_factor(*conn, user_id);
  // Whoever holds the lost phone may hold a signed-in browser too: every device cookie goes.
  store::revoke_devices(*conn, user_id);
  audit_for_user(*conn, admin, user_id, "user.two_factor_reset", now);
  tx.commit();
  return {};
}

bool TwoFactorService::enabled(db::Connection& conn, const std::string& user_id) {
  auto row = store::find_two_factor(conn, user_id);
  return row && row->enabled_at;
}

bool TwoFactorService::prove(db::Connection& conn, const std::string& user_id, const std::string& code) {
  auto row = store::find_two_factor(conn, user_id);
  if (!row || !row->enabled_at) return false;
  std::int64_t now = clock_.now_ms();
  if (looks_like_totp(code)) {
    auto secret = open_secret(user_id, row->secret_sealed);
    if (!secret) return false;
    auto step = totp::matching_step(*secret, code, now, row->last_step);
    return step && store::take_two_factor_step(conn, user_id, *step);
  }
  return store::use_recovery_code(conn, user_id, recovery_code_hash(code), now);
}

Result<std::size_t> reseal_all_two_factor_secrets(db::Database& db, const MasterKeys& keys, const std::string& new_key) {
  auto conn = db.acquire();
  db::Transaction tx(*conn);
  auto rows = store::all_two_factor(*conn);
  for (const auto& row : rows) {
    auto sealed = reseal(keys, new_key, row.secret_sealed, "", associated_data(row.user_id));
    if (!sealed)
      return Error{"credentials_unreadable",
                   "A two-factor secret cannot be opened with the current master key; nothing was changed.", {}};
    store::update_two_factor_secret(*conn, row.user_id, *sealed);
  }
  tx.commit();
  return rows.size();
}

}  // namespace sb::accounts
