// Account recovery: password reset by email, email verification and email change. Part of
// AccountService (it shares the sign-in throttle, sessions and device cookies); docs/adr/0021.
#include <map>

#include "accounts/service.hpp"
#include "accounts/store.hpp"
#include "audit/service.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "orgs/store.hpp"

namespace sb::accounts {
namespace {

constexpr const char* kReset = "password_reset";
constexpr const char* kVerification = "email_verification";

Error reset_link_invalid() {
  return {"reset_link_invalid", "This link has expired or was already used. Ask for a new one.", {}};
}
Error verification_link_invalid() {
  return {"verification_link_invalid",
          "This link has expired or was already used. Send a new one from the banner after signing in.",
          {}};
}

int seconds_until(std::int64_t at_ms, std::int64_t now_ms) {
  return static_cast<int>(std::max<std::int64_t>(1, (at_ms - now_ms + 999) / 1000));
}

// The person's events go to every organisation they belong to: each one's owners see them.
void audit_everywhere(db::Connection& conn, const AuthContext& actor, const std::string& action,
                      const std::string& label, std::int64_t now, const boost::json::object& after) {
  for (const auto& m : orgs::store::memberships_of(conn, actor.user_id))
    audit::record(conn, actor, m.org.id, action, {"user", actor.user_id, label}, now, std::nullopt, after);
}

}  // namespace

std::string AccountService::issue_token(db::Connection& conn, const std::string& user_id, const std::string& purpose,
                                        const std::string& email, std::int64_t ttl_ms, std::int64_t now) {
  std::string token = crypto::random_token(32);
  store::insert_account_token(
      conn, AccountToken{new_id("tok", now), user_id, purpose, crypto::sha256_hex(token), email, now, now + ttl_ms});
  return token;
}

void AccountService::mail_verification(const std::string& email, const std::string& token) {
  auto sent = mailer_.send(mail::Message{
      email, "Verify your email address for Switchboard",
      "Open this link to verify your email address for Switchboard:\n\n" + settings_.public_base_url +
          "/verify-email?token=" + token +
          "\n\nThe link works once, for 7 days. Until then you can build bots, but not invite people, "
          "connect platforms or create API keys.\n\nIf you did not sign up, ignore this message."});
  if (!sent) log::warn("verification mail not sent", {{"reason", sent.error().message}});
}

Result<void> AccountService::check_mail_throttle(db::Connection& conn, const std::string& kind,
                                                 const std::string& email, const std::string& ip,
                                                 std::int64_t now) const {
  // Requests are kept with the sign-in attempts under "<kind>:<email>": they count against the
  // caller's address like failed sign-ins, and per address mailed, without touching the email's
  // own sign-in throttle.
  std::int64_t since = now - settings_.failure_window_ms;
  auto by_email = store::failures_for_email(conn, kind + ":" + email, since);
  auto by_ip = store::failures_for_ip(conn, ip, since);
  std::int64_t free_at = 0;
  if (by_email.count >= settings_.max_mails_per_email) free_at = by_email.oldest_at + settings_.failure_window_ms;
  if (by_ip.count >= settings_.max_failures_per_ip)
    free_at = std::max(free_at, by_ip.oldest_at + settings_.failure_window_ms);
  if (free_at > 0)
    return Error::rate_limited(seconds_until(free_at, now), "Too many requests. Wait a little and try again.");
  return {};
}

Result<void> AccountService::request_password_reset(const std::string& raw_email, const Caller& caller) {
  std::string email = normalize_email(raw_email);
  if (!valid_email(email)) return Error::validation({{"email", "Enter a valid email address."}});
  std::int64_t now = clock_.now_ms();
  std::string token;
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    if (auto allowed = check_mail_throttle(*conn, "reset", email, caller.ip, now); !allowed) return allowed.error();
    // Recorded whether or not the account exists, so the throttle does not tell either.
    store::record_login_attempt(*conn, "reset:" + email, caller.ip, false, now);
    auto user = store::find_user_by_email(*conn, email);
    if (user) {
      // Only the newest link works.
      store::delete_account_tokens(*conn, user->id, kReset);
      token = issue_token(*conn, user->id, kReset, email, settings_.password_reset_ttl_ms, now);
    }
    tx.commit();
  }
  if (token.empty()) return {};
  auto sent = mailer_.send(mail::Message{
      email, "Reset your Switchboard password",
      "Someone (we hope you) asked to reset the password of your Switchboard account.\n\nChoose a new password: " +
          settings_.public_base_url + "/reset-password?token=" + token +
          "\n\nThe link works once, for 30 minutes. Using it signs you out everywhere else. If you did not ask, "
          "ignore this message: your password stays as it is.\n\nRequested from " +
          (caller.ip.empty() ? std::string("an unknown address") : caller.ip) + "."});
  if (!sent) log::warn("password reset mail not sent", {{"reason", sent.error().message}});
  return {};
}

Result<PasswordResetPreview> AccountService::preview_password_reset(const std::string& token) {
  if (token.empty() || token.size() > 128) return reset_link_invalid();
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  auto t = store::find_account_token(*conn, kReset, crypto::sha256_hex(token), now);
  auto user = t ? store::find_user(*conn, t->user_id) : std::nullopt;
  if (!user || user->email != t->email) return reset_link_invalid();
  return PasswordResetPreview{user->email, two_factor_.enabled(*conn, user->id), t->expires_at};
}

Result<SignedIn> AccountService::reset_password(const std::string& token, const std::string& new_password,
                                                const std::string& code, const Caller& caller) {
  if (token.empty() || token.size() > 128) return reset_link_invalid();
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  auto t = store::find_account_token(*conn, kReset, crypto::sha256_hex(token), now);
  auto user = t ? store::find_user(*conn, t->user_id) : std::nullopt;
  if (!user || user->email != t->email) return reset_link_invalid();
  auto errors = [&] {
    std::map<std::string, std::string> e;
    if (new_password.size() < settings_.min_password_length)
      e["new_password"] = "Use at least " + std::to_string(settings_.min_password_length) + " characters.";
    else if (new_password.size() > 1024)
      e["new_password"] = "Use at most 1024 characters.";
    return e;
  }();
  // The mailbox is one factor; an enrolled second factor is still asked for.
  bool two_factor = two_factor_.enabled(*conn, user->id);
  if (two_factor && code.empty()) errors["code"] = "Enter the code from your authenticator app or a recovery code.";
  if (!errors.empty()) return Error::validation(errors);
  std::optional<Device> device = trusted_device(*conn, user->id, caller, now);
  std::optional<std::string> device_id = device ? std::optional<std::string>(device->id) : std::nullopt;
  if (two_factor) {
    // Wrong codes count like wrong passwords for the account.
    if (auto allowed = check_throttle(*conn, user->email, caller.ip, device, now); !allowed) return allowed.error();
  }
  std::string hash = crypto::hash_password(new_password, settings_.password_cost);
  db::Transaction tx(*conn);
  if (two_factor && !two_factor_.prove(*conn, user->id, code)) {
    store::record_login_attempt(*conn, user->email, caller.ip, false, now, device_id);
    tx.commit();
    return Error::validation({{"code", "That code is not right. Try the next code your app shows, or a recovery code."}});
  }
  // Only one request can use the link, even when two arrive together.
  if (!store::delete_account_token(*conn, t->id)) return reset_link_invalid();
  store::delete_account_tokens(*conn, user->id, kReset);
  store::update_password(*conn, user->id, hash, now);
  // Whoever knew the old password, or holds a session or a trusted browser, is out.
  auto sessions = store::delete_all_sessions(*conn, user->id);
  auto devices = store::revoke_devices(*conn, user->id);
  store::mark_email_verified(*conn, user->id, now);  // the link reached the mailbox
  store::record_login_attempt(*conn, user->email, caller.ip, true, now, std::nullopt);
  auto signed_in = start_session(*conn, user->id, caller);
  if (!signed_in) return signed_in;
  signed_in->device = remember_device(*conn, user->id, caller, std::nullopt, now);
  AuthContext actor = signed_in->ctx;
  actor.ip = caller.ip;
  audit_everywhere(*conn, actor, "password.reset", user->email, now,
                   boost::json::object{{"sessions_ended", sessions},
                                       {"devices_revoked", devices},
                                       {"second_factor", two_factor}});
  tx.commit();
  return signed_in;
}

Result<std::string> AccountService::verify_email(const std::string& token) {
  if (token.empty() || token.size() > 128) return verification_link_invalid();
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  auto t = store::find_account_token(*conn, kVerification, crypto::sha256_hex(token), now);
  auto user = t ? store::find_user(*conn, t->user_id) : std::nullopt;
  // A link for an address the account no longer has proves nothing.
  if (!user || user->email != t->email) return verification_link_invalid();
  db::Transaction tx(*conn);
  if (!store::delete_account_token(*conn, t->id)) return verification_link_invalid();
  store::delete_account_tokens(*conn, user->id, kVerification);
  store::mark_email_verified(*conn, user->id, now);
  tx.commit();
  return user->email;
}

Result<std::string> AccountService::resend_verification(const AuthContext& ctx, const Caller& caller) {
  if (ctx.is_api_key()) return Error::forbidden("Email addresses are verified by people, not API keys.");
  std::int64_t now = clock_.now_ms();
  std::string token;
  std::string email;
  {
    auto conn = db_.acquire();
    auto user = store::find_user(*conn, ctx.user_id);
    if (!user) return Error::unauthenticated();
    if (user->email_verified_at) return Error{"already_verified", "Your email address is already verified.", {}};
    email = user->email;
    db::Transaction tx(*conn);
    if (auto allowed = check_mail_throttle(*conn, "verify", email, caller.ip, now); !allowed) return allowed.error();
    store::record_login_attempt(*conn, "verify:" + email, caller.ip, false, now);
    // Earlier links keep working until they expire: any of them proves the same address.
    token = issue_token(*conn, user->id, kVerification, email, settings_.email_verification_ttl_ms, now);
    tx.commit();
  }
  mail_verification(email, token);
  return email;
}

Result<void> AccountService::change_email(const AuthContext& ctx, const std::string& raw_email) {
  if (ctx.is_api_key()) return Error::forbidden("API keys cannot change a person's email address.");
  std::string email = normalize_email(raw_email);
  if (!valid_email(email)) return Error::validation({{"email", "Enter a valid email address."}});
  std::int64_t now = clock_.now_ms();
  if (!ctx.authenticated_recently(now)) return reauthentication_required();
  std::string token;
  std::string old_email;
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    auto user = store::find_user(*conn, ctx.user_id);
    if (!user) return Error::unauthenticated();
    if (user->email == email) return Error::validation({{"email", "This is already your email address."}});
    if (store::find_user_by_email(*conn, email))
      return Error::validation({{"email", "Another account uses this address."}});
    old_email = user->email;
    store::change_email(*conn, user->id, email, now);
    // Links mailed to the old address stop working (they name it), and so do the old links' rows.
    store::delete_account_tokens(*conn, user->id, kReset);
    store::delete_account_tokens(*conn, user->id, kVerification);
    token = issue_token(*conn, user->id, kVerification, email, settings_.email_verification_ttl_ms, now);
    audit_everywhere(*conn, ctx, "user.email_changed", email, now,
                     boost::json::object{{"from", old_email}, {"to", email}});
    tx.commit();
  }
  mail_verification(email, token);
  auto sent = mailer_.send(mail::Message{
      old_email, "Your Switchboard email address was changed",
      "The email address of your Switchboard account was changed from " + old_email + " to " + email +
          ".\n\nIf you did not do this, contact the administrator of your Switchboard installation at once."});
  if (!sent) log::warn("email change notice not sent", {{"reason", sent.error().message}});
  return {};
}

}  // namespace sb::accounts
