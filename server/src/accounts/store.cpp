// SQL for accounts.
#include "accounts/store.hpp"

#include "core/ids.hpp"

namespace sb::accounts::store {
namespace {

db::Value nullable(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); }

User user_from(const db::Row& r) {
  return User{r.text("id"),          r.text("email"),         r.text("password_hash"),
              r.opt_text("last_org_id"), r.integer("created_at"), r.integer("updated_at"),
              r.opt_integer("email_verified_at")};
}

constexpr const char* kUserColumns =
    "SELECT id, email, password_hash, last_org_id, created_at, updated_at, email_verified_at FROM users ";

}  // namespace

void insert_user(db::Connection& conn, const User& u) {
  conn.execute(
      "INSERT INTO users (id, email, password_hash, last_org_id, created_at, updated_at, email_verified_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {u.id, u.email, u.password_hash, nullable(u.last_org_id), u.created_at, u.updated_at,
       u.email_verified_at ? db::Value(*u.email_verified_at) : db::Value(nullptr)});
}

std::optional<User> find_user_by_email(db::Connection& conn, const std::string& email) {
  auto row = conn.query_one(std::string(kUserColumns) + "WHERE email = $1", {email});
  if (!row) return std::nullopt;
  return user_from(*row);
}

std::optional<User> find_user(db::Connection& conn, const std::string& user_id) {
  auto row = conn.query_one(std::string(kUserColumns) + "WHERE id = $1", {user_id});
  if (!row) return std::nullopt;
  return user_from(*row);
}

void update_password(db::Connection& conn, const std::string& user_id, const std::string& hash, std::int64_t now) {
  conn.execute("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1", {user_id, hash, now});
}

void set_last_org(db::Connection& conn, const std::string& user_id, const std::string& org_id) {
  conn.execute("UPDATE users SET last_org_id = $2 WHERE id = $1", {user_id, org_id});
}

void mark_email_verified(db::Connection& conn, const std::string& user_id, std::int64_t now) {
  conn.execute("UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL", {user_id, now});
}

void change_email(db::Connection& conn, const std::string& user_id, const std::string& email, std::int64_t now) {
  conn.execute("UPDATE users SET email = $2, email_verified_at = NULL, updated_at = $3 WHERE id = $1",
               {user_id, email, now});
}

void insert_account_token(db::Connection& conn, const AccountToken& t) {
  conn.execute(
      "INSERT INTO account_tokens (id, user_id, purpose, token_hash, email, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {t.id, t.user_id, t.purpose, t.token_hash, t.email, t.created_at, t.expires_at});
}

std::optional<AccountToken> find_account_token(db::Connection& conn, const std::string& purpose,
                                               const std::string& token_hash, std::int64_t now) {
  auto row = conn.query_one(
      "SELECT id, user_id, purpose, token_hash, email, created_at, expires_at FROM account_tokens "
      "WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3",
      {token_hash, purpose, now});
  if (!row) return std::nullopt;
  return AccountToken{row->text("id"),         row->text("user_id"),    row->text("purpose"), row->text("token_hash"),
                      row->text("email"),      row->integer("created_at"), row->integer("expires_at")};
}

bool delete_account_token(db::Connection& conn, const std::string& token_id) {
  return conn.execute("DELETE FROM account_tokens WHERE id = $1", {token_id}) > 0;
}

void delete_account_tokens(db::Connection& conn, const std::string& user_id, const std::string& purpose) {
  conn.execute("DELETE FROM account_tokens WHERE user_id = $1 AND purpose = $2", {user_id, purpose});
}

std::int64_t delete_expired_account_tokens(db::Connection& conn, std::int64_t now) {
  return conn.execute("DELETE FROM account_tokens WHERE expires_at <= $1", {now});
}

void insert_profile(db::Connection& conn, const Profile& p) {
  conn.execute("INSERT INTO profiles (user_id, name, avatar_url, timezone, updated_at) VALUES ($1, $2, $3, $4, $5)",
               {p.user_id, p.name, nullable(p.avatar_url), p.timezone, p.updated_at});
}

std::optional<Profile> find_profile(db::Connection& conn, const std::string& user_id) {
  auto row = conn.query_one(
      "SELECT p.user_id, u.email, p.name, p.avatar_url, p.timezone, p.updated_at "
      "FROM profiles p JOIN users u ON u.id = p.user_id WHERE p.user_id = $1",
      {user_id});
  if (!row) return std::nullopt;
  return Profile{row->text("user_id"), row->text("email"),    row->text("name"),
                 row->opt_text("avatar_url"), row->text("timezone"), row->integer("updated_at")};
}

void update_profile(db::Connection& conn, const Profile& p) {
  conn.execute("UPDATE profiles SET name = $2, avatar_url = $3, timezone = $4, updated_at = $5 WHERE user_id = $1",
               {p.user_id, p.name, nullable(p.avatar_url), p.timezone, p.updated_at});
}

void grant_platform_role(db::Connection& conn, const std::string& user_id, const std::string& role, std::int64_t now) {
  conn.execute(
      "INSERT INTO user_roles (user_id, role, created_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, role) DO NOTHING",
      {user_id, role, now});
}

bool has_platform_role(db::Connection& conn, const std::string& user_id, const std::string& role) {
  return conn.query_one("SELECT 1 AS present FROM user_roles WHERE user_id = $1 AND role = $2", {user_id, role})
      .has_value();
}

bool any_platform_admin(db::Connection& conn) {
  return conn.query_one("SELECT 1 AS present FROM user_roles WHERE role = 'admin' LIMIT 1").has_value();
}

void lock_signups(db::Connection& conn) {
  if (conn.dialect() == db::Dialect::postgres) conn.query("SELECT pg_advisory_xact_lock(7201001)");
}

void insert_session(db::Connection& conn, const Session& s) {
  conn.execute(
      "INSERT INTO sessions (id, user_id, token_hash, org_id, ip, user_agent, created_at, last_seen_at, "
      "expires_at, password_verified_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {s.id, s.user_id, s.token_hash, nullable(s.org_id), s.ip, s.user_agent, s.created_at, s.last_seen_at,
       s.expires_at, s.password_verified_at});
}

std::optional<Principal> find_principal(db::Connection& conn, const std::string& token_hash, std::int64_t now) {
  auto row = conn.query_one(
      "SELECT s.id, s.user_id, s.org_id, s.ip, s.user_agent, s.created_at, s.last_seen_at, "
      "s.expires_at, s.password_verified_at, u.email, u.email_verified_at, p.name, m.role AS member_role, "
      "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = s.user_id AND r.role = 'admin') AS is_admin, "
      "COALESCE((SELECT o.require_two_factor FROM organizations o WHERE o.id = s.org_id), 0) AS org_requires_two_factor, "
      "EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = s.user_id AND t.enabled_at IS NOT NULL) AS has_two_factor "
      "FROM sessions s JOIN users u ON u.id = s.user_id JOIN profiles p ON p.user_id = s.user_id "
      "LEFT JOIN organization_members m ON m.org_id = s.org_id AND m.user_id = s.user_id "
      "WHERE s.token_hash = $1 AND s.expires_at > $2",
      {token_hash, now});
  if (!row) return std::nullopt;
  Principal p;
  p.session = Session{row->text("id"),         row->text("user_id"),    token_hash,
                      row->opt_text("org_id"), row->opt_text("ip").value_or(""),
                      row->opt_text("user_agent").value_or(""), row->integer("created_at"),
                      row->integer("last_seen_at"), row->integer("expires_at"), row->integer("password_verified_at")};
  p.email = row->text("email");
  p.email_verified = row->opt_integer("email_verified_at").has_value();
  p.name = row->text("name");
  p.is_platform_admin = row->integer("is_admin") != 0;
  p.member_role = row->opt_text("member_role");
  p.org_requires_two_factor = row->integer("org_requires_two_factor") != 0;
  p.has_two_factor = row->integer("has_two_factor") != 0;
  return p;
}

void set_session_org(db::Connection& conn, const std::string& session_id, const std::string& org_id) {
  conn.execute("UPDATE sessions SET org_id = $2 WHERE id = $1", {session_id, org_id});
}

void touch_session(db::Connection& conn, const std::string& session_id, std::int64_t now) {
  conn.execute("UPDATE sessions SET last_seen_at = $2 WHERE id = $1", {session_id, now});
}

void set_password_verified(db::Connection& conn, const std::string& session_id, std::int64_t now) {
  conn.execute("UPDATE sessions SET password_verified_at = $2 WHERE id = $1", {session_id, now});
}

void delete_session(db::Connection& conn, const std::string& session_id) {
  conn.execute("DELETE FROM sessions WHERE id = $1", {session_id});
}

bool delete_session_of_user(db::Connection& conn, const std::string& user_id, const std::string& session_id) {
  return conn.execute("DELETE FROM sessions WHERE id = $1 AND user_id = $2", {session_id, user_id}) > 0;
}

std::int64_t delete_other_sessions(db::Connection& conn, const std::string& user_id,
                                   const std::string& keep_session_id) {
  return conn.execute("DELETE FROM sessions WHERE user_id = $1 AND id <> $2", {user_id, keep_session_id});
}

std::int64_t delete_all_sessions(db::Connection& conn, const std::string& user_id) {
  return conn.execute("DELETE FROM sessions WHERE user_id = $1", {user_id});
}

std::vector<Session> list_sessions(db::Connection& conn, const std::string& user_id, std::int64_t now) {
  std::vector<Session> out;
  for (const auto& row : conn.query(
           "SELECT id, user_id, org_id, ip, user_agent, created_at, last_seen_at, expires_at, password_verified_at "
           "FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC, id DESC",
           {user_id, now})) {
    out.push_back(Session{row.text("id"), row.text("user_id"), "", row.opt_text("org_id"),
                          row.opt_text("ip").value_or(""), row.opt_text("user_agent").value_or(""),
                          row.integer("created_at"), row.integer("last_seen_at"), row.integer("expires_at"),
                          row.integer("password_verified_at")});
  }
  return out;
}

void insert_device(db::Connection& conn, const Device& d) {
  conn.execute(
      "INSERT INTO devices (id, user_id, secret_hash, user_agent, created_at, last_used_at, expires_at, "
      "two_factor_remembered_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {d.id, d.user_id, d.secret_hash, d.user_agent, d.created_at, d.last_used_at, d.expires_at,
       d.two_factor_remembered_until ? db::Value(*d.two_factor_remembered_until) : db::Value(nullptr)});
}

std::optional<Device> find_device(db::Connection& conn, const std::string& device_id, const std::string& user_id,
                                  std::int64_t now) {
  auto row = conn.query_one(
      "SELECT id, user_id, secret_hash, user_agent, created_at, last_used_at, expires_at, two_factor_remembered_until "
      "FROM devices WHERE id = $1 AND user_id = $2 AND expires_at > $3",
      {device_id, user_id, now});
  if (!row) return std::nullopt;
  Device d{row->text("id"),          row->text("user_id"),       row->text("secret_hash"),
           row->text("user_agent"),  row->integer("created_at"), row->integer("last_used_at"),
           row->integer("expires_at"), std::nullopt};
  if (!row->is_null("two_factor_remembered_until"))
    d.two_factor_remembered_until = row->integer("two_factor_remembered_until");
  return d;
}

void touch_device(db::Connection& conn, const std::string& device_id, std::int64_t now, std::int64_t expires_at) {
  conn.execute("UPDATE devices SET last_used_at = $2, expires_at = $3 WHERE id = $1", {device_id, now, expires_at});
}

void remember_two_factor(db::Connection& conn, const std::string& device_id, std::int64_t until) {
  conn.execute("UPDATE devices SET two_factor_remembered_until = $2 WHERE id = $1", {device_id, until});
}

void forget_two_factor_devices(db::Connection& conn, const std::string& user_id) {
  conn.execute("UPDATE devices SET two_factor_remembered_until = NULL WHERE user_id = $1", {user_id});
}

std::int64_t revoke_devices(db::Connection& conn, const std::string& user_id) {
  return conn.execute("DELETE FROM devices WHERE user_id = $1", {user_id});
}

std::int64_t delete_expired_devices(db::Connection& conn, std::int64_t now) {
  return conn.execute("DELETE FROM devices WHERE expires_at <= $1", {now});
}

std::int64_t delete_expired_sessions(db::Connection& conn, std::int64_t now) {
  return conn.execute("DELETE FROM sessions WHERE expires_at <= $1", {now});
}

void record_login_attempt(db::Connection& conn, const std::string& email, const std::string& ip, bool succeeded,
                          std::int64_t now, const std::optional<std::string>& device_id) {
  conn.execute(
      "INSERT INTO login_attempts (id, email, ip, succeeded, created_at, device_id) VALUES ($1, $2, $3, $4, $5, $6)",
      {new_id("att", now), email, ip, std::int64_t{succeeded ? 1 : 0}, now, nullable(device_id)});
}

namespace {
FailureWindow window_from(std::optional<db::Row> row) {
  if (!row) return {};
  return FailureWindow{row->integer("failures"), row->integer("oldest_at")};
}
}  // namespace

FailureWindow failures_for_email(db::Connection& conn, const std::string& email, std::int64_t since) {
  return window_from(conn.query_one(
      "SELECT COUNT(*) AS failures, COALESCE(MIN(created_at), 0) AS oldest_at FROM login_attempts "
      "WHERE email = $1 AND device_id IS NULL AND succeeded = 0 AND created_at > $2 AND created_at > "
      "(SELECT COALESCE(MAX(created_at), 0) FROM login_attempts WHERE email = $1 AND device_id IS NULL "
      "AND succeeded = 1)",
      {email, since}));
}

FailureWindow failures_for_ip(db::Connection& conn, const std::string& ip, std::int64_t since) {
  return window_from(conn.query_one(
      "SELECT COUNT(*) AS failures, COALESCE(MIN(created_at), 0) AS oldest_at FROM login_attempts "
      "WHERE ip = $1 AND device_id IS NULL AND succeeded = 0 AND created_at > $2",
      {ip, since}));
}

FailureWindow failures_for_device(db::Connection& conn, const std::string& device_id, std::int64_t since) {
  return window_from(conn.query_one(
      "SELECT COUNT(*) AS failures, COALESCE(MIN(created_at), 0) AS oldest_at FROM login_attempts "
      "WHERE device_id = $1 AND succeeded = 0 AND created_at > $2 AND created_at > "
      "(SELECT COALESCE(MAX(created_at), 0) FROM login_attempts WHERE device_id = $1 AND succeeded = 1)",
      {device_id, since}));
}

std::int64_t delete_login_attempts_before(db::Connection& conn, std::int64_t before) {
  return conn.execute("DELETE FROM login_attempts WHERE created_at < $1", {before});
}

}  // namespace sb::accounts::store
