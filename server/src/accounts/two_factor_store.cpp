// SQL for two-factor sign-in.
#include "accounts/two_factor_store.hpp"

namespace sb::accounts::store {
namespace {
TwoFactorRow two_factor_from(const db::Row& r) {
  return TwoFactorRow{r.text("user_id"), r.text("secret_sealed"), r.opt_integer("enabled_at"), r.integer("last_step")};
}
}  // namespace

std::optional<TwoFactorRow> find_two_factor(db::Connection& conn, const std::string& user_id) {
  auto row = conn.query_one("SELECT user_id, secret_sealed, enabled_at, last_step FROM two_factor WHERE user_id = $1",
                            {user_id});
  if (!row) return std::nullopt;
  return two_factor_from(*row);
}

void put_pending_two_factor(db::Connection& conn, const std::string& user_id, const std::string& sealed,
                            std::int64_t now) {
  conn.execute(
      "INSERT INTO two_factor (user_id, secret_sealed, enabled_at, last_step, created_at) VALUES ($1, $2, NULL, 0, $3) "
      "ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, enabled_at = NULL, last_step = 0, "
      "created_at = excluded.created_at",
      {user_id, sealed, now});
}

void enable_two_factor(db::Connection& conn, const std::string& user_id, std::int64_t step, std::int64_t now) {
  conn.execute("UPDATE two_factor SET enabled_at = $2, last_step = $3 WHERE user_id = $1", {user_id, now, step});
}

bool take_two_factor_step(db::Connection& conn, const std::string& user_id, std::int64_t step) {
  return conn.execute("UPDATE two_factor SET last_step = $2 WHERE user_id = $1 AND last_step < $2", {user_id, step}) == 1;
}

void delete_two_factor(db::Connection& conn, const std::string& user_id) {
  conn.execute("DELETE FROM two_factor WHERE user_id = $1", {user_id});
  conn.execute("DELETE FROM recovery_codes WHERE user_id = $1", {user_id});
  conn.execute("DELETE FROM signin_challenges WHERE user_id = $1", {user_id});
}

std::vector<TwoFactorRow> all_two_factor(db::Connection& conn) {
  std::vector<TwoFactorRow> out;
  for (const auto& r : conn.query("SELECT user_id, secret_sealed, enabled_at, last_step FROM two_factor ORDER BY user_id"))
    out.push_back(two_factor_from(r));
  return out;
}

void update_two_factor_secret(db::Connection& conn, const std::string& user_id, const std::string& sealed) {
  conn.execute("UPDATE two_factor SET secret_sealed = $2 WHERE user_id = $1", {user_id, sealed});
}

void replace_recovery_codes(db::Connection& conn, const std::string& user_id, const std::vector<std::string>& hashes,
                            std::int64_t now) {
  conn.execute("DELETE FROM recovery_codes WHERE user_id = $1", {user_id});
  for (const auto& hash : hashes)
    conn.execute("INSERT INTO recovery_codes (user_id, code_hash, used_at, created_at) VALUES ($1, $2, NULL, $3)",
                 {user_id, hash, now});
}

bool use_recovery_code(db::Connection& conn, const std::string& user_id, const std::string& hash, std::int64_t now) {
  return conn.execute(
             "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
             {user_id, hash, now}) == 1;
}

std::int64_t unused_recovery_codes(db::Connection& conn, const std::string& user_id) {
  auto row = conn.query_one("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", {user_id});
  return row ? row->integer("n") : 0;
}

void insert_signin_challenge(db::Connection& conn, const std::string& id, const std::string& token_hash,
                             const std::string& user_id, std::int64_t now, std::int64_t expires_at) {
  conn.execute(
      "INSERT INTO signin_challenges (id, token_hash, user_id, failures, created_at, expires_at) "
      "VALUES ($1, $2, $3, 0, $4, $5)",
      {id, token_hash, user_id, now, expires_at});
}

std::optional<SigninChallenge> find_signin_challenge(db::Connection& conn, const std::string& token_hash,
                                                     std::int64_t now) {
  auto row = conn.query_one(
      "SELECT id, user_id, failures, expires_at FROM signin_challenges WHERE token_hash = $1 AND expires_at > $2",
      {token_hash, now});
  if (!row) return std::nullopt;
  return SigninChallenge{row->text("id"), row->text("user_id"), row->integer("failures"), row->integer("expires_at")};
}

void count_challenge_failure(db::Connection& conn, const std::string& id) {
  conn.execute("UPDATE signin_challenges SET failures = failures + 1 WHERE id = $1", {id});
}

void delete_signin_challenge(db::Connection& conn, const std::string& id) {
  conn.execute("DELETE FROM signin_challenges WHERE id = $1", {id});
}

std::int64_t delete_expired_signin_challenges(db::Connection& conn, std::int64_t now) {
  return conn.execute("DELETE FROM signin_challenges WHERE expires_at <= $1", {now});
}

}  // namespace sb::accounts::store
