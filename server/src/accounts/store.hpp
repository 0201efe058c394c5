// All SQL of users, profiles, platform roles, sessions, devices and sign-in attempts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/model.hpp"
#include "db/database.hpp"

namespace sb::accounts::store {

void insert_user(db::Connection& conn, const User& user);
std::optional<User> find_user_by_email(db::Connection& conn, const std::string& email);
std::optional<User> find_user(db::Connection& conn, const std::string& user_id);
void update_password(db::Connection& conn, const std::string& user_id, const std::string& hash, std::int64_t now);
void set_last_org(db::Connection& conn, const std::string& user_id, const std::string& org_id);
// Records the address as proved (no change when it already was).
void mark_email_verified(db::Connection& conn, const std::string& user_id, std::int64_t now);
// A new address, not yet proved.
void change_email(db::Connection& conn, const std::string& user_id, const std::string& email, std::int64_t now);

// Mailed links (password reset, email verification).
void insert_account_token(db::Connection& conn, const AccountToken& token);
// The live token of that purpose with that hash.
std::optional<AccountToken> find_account_token(db::Connection& conn, const std::string& purpose,
                                               const std::string& token_hash, std::int64_t now);
// Uses the token up: true for the one caller that deleted it.
bool delete_account_token(db::Connection& conn, const std::string& token_id);
void delete_account_tokens(db::Connection& conn, const std::string& user_id, const std::string& purpose);
std::int64_t delete_expired_account_tokens(db::Connection& conn, std::int64_t now);

void insert_profile(db::Connection& conn, const Profile& profile);
std::optional<Profile> find_profile(db::Connection& conn, const std::string& user_id);
void update_profile(db::Connection& conn, const Profile& profile);

// Platform roles (user_roles): "admin" for installation operators.
void grant_platform_role(db::Connection& conn, const std::string& user_id, const std::string& role, std::int64_t now);
bool has_platform_role(db::Connection& conn, const std::string& user_id, const std::string& role);
bool any_platform_admin(db::Connection& conn);
// Serialises first-user checks across processes (PostgreSQL advisory lock; SQLite's write lock already does).
void lock_signups(db::Connection& conn);

void insert_session(db::Connection& conn, const Session& session);
// Everything a request needs to know about its caller, in one round trip: the live session, the
// user, their profile name, their platform admin flag and their membership of the session's
// organisation (absent when they no longer belong to it). The hot path of every signed-in request.
struct Principal {
  Session session;
  std::string email;
  bool email_verified = false;
  std::string name;
  bool is_platform_admin = false;
  std::optional<std::string> member_role;  // role in session.org_id, if still a member
  bool org_requires_two_factor = false;    // session.org_id requires a second factor
  bool has_two_factor = false;
};
std::optional<Principal> find_principal(db::Connection& conn, const std::string& token_hash, std::int64_t now);
void set_session_org(db::Connection& conn, const std::string& session_id, const std::string& org_id);
void touch_session(db::Connection& conn, const std::string& session_id, std::int64_t now);
void set_password_verified(db::Connection& conn, const std::string& session_id, std::int64_t now);
void delete_session(db::Connection& conn, const std::string& session_id);
// Deletes the session only when it is user_id's; returns whether it was.
bool delete_session_of_user(db::Connection& conn, const std::string& user_id, const std::string& session_id);
std::int64_t delete_other_sessions(db::Connection& conn, const std::string& user_id, const std::string& keep_session_id);
std::int64_t delete_all_sessions(db::Connection& conn, const std::string& user_id);
std::int64_t delete_expired_sessions(db::Connection& conn, std::int64_t now);
// The user's live sessions, most recently seen first.
std::vector<Session> list_sessions(db::Connection& conn, const std::string& user_id, std::int64_t now);

void insert_device(db::Connection& conn, const Device& device);
// The live device row, only when it belongs to user_id.
std::optional<Device> find_device(db::Connection& conn, const std::string& device_id, const std::string& user_id,
                                  std::int64_t now);
// Two-factor "remember this device": sign-ins with this device's cookie skip the second step until then.
void remember_two_factor(db::Connection& conn, const std::string& device_id, std::int64_t until);
// Every remembered device of the user asks for the second factor again (it was turned off).
void forget_two_factor_devices(db::Connection& conn, const std::string& user_id);
void touch_device(db::Connection& conn, const std::string& device_id, std::int64_t now, std::int64_t expires_at);
// Revokes every device cookie of the user (password change or reset, sign out everywhere,
// two-factor reset). Returns how many there were.
std::int64_t revoke_devices(db::Connection& conn, const std::string& user_id);
std::int64_t delete_expired_devices(db::Connection& conn, std::int64_t now);

// device_id: the valid device cookie the attempt carried, or nullopt for an anonymous attempt.
void record_login_attempt(db::Connection& conn, const std::string& email, const std::string& ip, bool succeeded,
                          std::int64_t now, const std::optional<std::string>& device_id = std::nullopt);
struct FailureWindow {
  std::int64_t count = 0;
  std::int64_t oldest_at = 0;  // the earliest counted failure, to say when the window frees up
};
// Anonymous failures (no valid device cookie) for an email since its last anonymous success.
FailureWindow failures_for_email(db::Connection& conn, const std::string& email, std::int64_t since);
// Anonymous failures from an address.
FailureWindow failures_for_ip(db::Connection& conn, const std::string& ip, std::int64_t since);
// Failures made with one device's cookie since that device's last success.
FailureWindow failures_for_device(db::Connection& conn, const std::string& device_id, std::int64_t since);
std::int64_t delete_login_attempts_before(db::Connection& conn, std::int64_t before);

}  // namespace sb::accounts::store
