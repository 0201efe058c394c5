// All SQL of two-factor sign-in: TOTP secrets, recovery codes and pending sign-in challenges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace sb::accounts::store {

struct TwoFactorRow {
  std::string user_id;
  std::string secret_sealed;
  std::optional<std::int64_t> enabled_at;
  std::int64_t last_step = 0;
};
std::optional<TwoFactorRow> find_two_factor(db::Connection& conn, const std::string& user_id);
// A new pending secret, replacing any earlier one that was never enabled.
void put_pending_two_factor(db::Connection& conn, const std::string& user_id, const std::string& sealed,
                            std::int64_t now);
void enable_two_factor(db::Connection& conn, const std::string& user_id, std::int64_t step, std::int64_t now);
// Takes a TOTP step as used, only if it is later than the last one taken: false when another
// request took this step (or a later one) first.
bool take_two_factor_step(db::Connection& conn, const std::string& user_id, std::int64_t step);
void delete_two_factor(db::Connection& conn, const std::string& user_id);
std::vector<TwoFactorRow> all_two_factor(db::Connection& conn);
void update_two_factor_secret(db::Connection& conn, const std::string& user_id, const std::string& sealed);

void replace_recovery_codes(db::Connection& conn, const std::string& user_id, const std::vector<std::string>& hashes,
                            std::int64_t now);
// Marks an unused code used; false when there is no such unused code.
bool use_recovery_code(db::Connection& conn, const std::string& user_id, const std::string& hash, std::int64_t now);
std::int64_t unused_recovery_codes(db::Connection& conn, const std::string& user_id);

struct SigninChallenge {
  std::string id;
  std::string user_id;
  std::int64_t failures = 0;
  std::int64_t expires_at = 0;
};
void insert_signin_challenge(db::Connection& conn, const std::string& id, const std::string& token_hash,
                             const std::string& user_id, std::int64_t now, std::int64_t expires_at);
std::optional<SigninChallenge> find_signin_challenge(db::Connection& conn, const std::string& token_hash,
                                                     std::int64_t now);
void count_challenge_failure(db::Connection& conn, const std::string& id);
void delete_signin_challenge(db::Connection& conn, const std::string& id);
std::int64_t delete_expired_signin_challenges(db::Connection& conn, std::int64_t now);


}  // namespace sb::accounts::store
