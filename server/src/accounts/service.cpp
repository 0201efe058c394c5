// Account service: the rules of sign-up, sign-in, sessions, passwords and profiles.
#include "accounts/service.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "accounts/store.hpp"
#include "accounts/two_factor_store.hpp"
#include "audit/service.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "orgs/service.hpp"
#include "orgs/store.hpp"

namespace sb::accounts {

bool valid_email(const std::string& email) {
  static const std::regex shape(R"(^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$)");
  return email.size() <= 254 && std::regex_match(email, shape);
}

std::string normalize_email(const std::string& email) {
  std::string out = email;
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool valid_timezone(const std::string& tz) {
  if (tz == "UTC") return true;
  static const std::regex shape(R"(^[A-Za-z_]+(/[A-Za-z0-9_+\-]+){1,2}$)");
  if (tz.size() > 64 || !std::regex_match(tz, shape)) return false;
  // Where the system has a time zone database, the name must be in it.
  if (std::filesystem::is_directory("/usr/share/zoneinfo"))
    return std::filesystem::is_regular_file("/usr/share/zoneinfo/" + tz);
  return true;
}

std::string csrf_token_for(const std::string& session_token) {
  // The cookie token is 256 random bits; an HMAC keyed by it under a fixed label gives a second
  // secret that page scripts may read without learning the cookie. It survives restarts and key
  // rotations, and every process of a PostgreSQL deployment derives the same one.
  return crypto::to_hex(crypto::hmac_sha256(session_token, "switchboard csrf token v1"));
}

std::string device_cookie_name(const std::string& user_id) {
  return std::string(kDeviceCookiePrefix) + crypto::sha256_hex("switchboard device cookie name\n" + user_id).substr(0, 16);
}

std::string describe_user_agent(const std::string& ua) {
  auto has = [&](const char* s) { return ua.find(s) != std::string::npos; };
  if (ua.empty()) return "Unknown device";
  std::string browser;
  if (has("Edg/")) browser = "Edge";
  else if (has("OPR/") || has("Opera")) browser = "Opera";
  else if (has("Firefox/")) browser = "Firefox";
  else if (has("Chrome/") || has("Chromium/") || has("CriOS/")) browser = "Chrome";
  else if (has("Safari/")) browser = "Safari";
  else if (ua.rfind("curl/", 0) == 0) return "curl";
  std::string os;
  if (has("iPhone")) os = "iPhone";
  else if (has("iPad")) os = "iPad";
  else if (has("Android")) os = "Android";
  else if (has("Mac OS X") || has("Macintosh")) os = "macOS";
  else if (has("Windows")) os = "Windows";
  else if (has("CrOS")) os = "ChromeOS";
  else if (has("Linux")) os = "Linux";
  if (browser.empty() && os.empty()) {
    // Not a browser: the product name (up to the first slash or space), kept short.
    std::string product = ua.substr(0, ua.find_first_of("/ "));
    return product.empty() ? "Unknown device" : product.substr(0, 40);
  }
  if (browser.empty()) return "Browser on " + os;
  if (os.empty()) return browser;
  return browser + " on " + os;
}

namespace {

constexpr std::size_t kMaxPasswordLength = 1024;  // Argon2 takes any length; this bounds the work

std::map<std::string, std::string> password_errors(const std::string& field, const std::string& password,
                                                   std::size_t min_length) {
  if (password.size() < min_length)
    return {{field, "Use at least " + std::to_string(min_length) + " characters."}};
  if (password.size() > kMaxPasswordLength)
    return {{field, "Use at most " + std::to_string(kMaxPasswordLength) + " characters."}};
  return {};
}

int seconds_until(std::int64_t at_ms, std::int64_t now_ms) {
  return static_cast<int>(std::max<std::int64_t>(1, (at_ms - now_ms + 999) / 1000));
}

}  // namespace

AccountService::AccountService(db::Database& db, const Clock& clock, TwoFactorService& two_factor,
                               mail::Mailer& mailer, AccountSettings settings)
    : db_(db), clock_(clock), two_factor_(two_factor), mailer_(mailer), settings_(std::move(settings)) {
  if (settings_.device_keys.empty()) settings_.device_keys.push_back(crypto::random_bytes(32));
}

std::string AccountService::sign_device(const std::string& key, const std::string& user_id,
                                        const std::string& device_id, const std::string& secret) const {
  // The user id is signed but not sent: another account's cookie fails the check.
  return crypto::to_hex(
      crypto::hmac_sha256(key, "switchboard device cookie v1\n" + user_id + "\n" + device_id + "\n" + secret));
}

std::optional<Device> AccountService::trusted_device(db::Connection& conn, const std::string& user_id,
                                                     const Caller& caller, std::int64_t now) const {
  auto it = caller.device_cookies.find(device_cookie_name(user_id));
  if (it == caller.device_cookies.end() || it->second.size() > 256) return std::nullopt;
  // <device id>.<secret>.<signature>
  const std::string& value = it->second;
  auto first = value.find('.');
  auto second = first == std::string::npos ? std::string::npos : value.find('.', first + 1);
  if (second == std::string::npos) return std::nullopt;
  std::string device_id = value.substr(0, first);
  std::string secret = value.substr(first + 1, second - first - 1);
  std::string signature = value.substr(second + 1);
  if (device_id.empty() || secret.empty()) return std::nullopt;
  bool signed_by_us = false;
  for (const auto& key : settings_.device_keys)
    signed_by_us |= crypto::constant_time_equals(sign_device(key, user_id, device_id, secret), signature);
  if (!signed_by_us) return std::nullopt;
  // Genuine; still valid only while its row exists (revocation deletes it).
  auto device = store::find_device(conn, device_id, user_id, now);
  if (!device || !crypto::constant_time_equals(device->secret_hash, crypto::sha256_hex(secret))) return std::nullopt;
  return device;
}

Result<void> AccountService::check_throttle(db::Connection& conn, const std::string& email, const std::string& ip,
                                            const std::optional<Device>& device, std::int64_t now) const {
  std::int64_t since = now - settings_.failure_window_ms;
  if (device) {
    // A browser that signed in before is counted on its own: an attacker's failures for the same
    // email elsewhere do not lock it out, and its own failures lock out only itself.
    auto mine = store::failures_for_device(conn, device->id, since);
    if (mine.count >= settings_.max_failures_per_device)
      return Error::rate_limited(seconds_until(mine.oldest_at + settings_.failure_window_ms, now),
                                 "Too many failed sign-in attempts from this browser. Wait a little and try again.");
    return {};
  }
  auto by_email = store::failures_for_email(conn, email, since);
  auto by_ip = store::failures_for_ip(conn, ip, since);
  if (by_email.count >= settings_.max_failures_per_email || by_ip.count >= settings_.max_failures_per_ip) {
    std::int64_t free_at = 0;
    if (by_email.count >= settings_.max_failures_per_email) free_at = by_email.oldest_at + settings_.failure_window_ms;
    if (by_ip.count >= settings_.max_failures_per_ip)
      free_at = std::max(free_at, by_ip.oldest_at + settings_.failure_window_ms);
    return Error::rate_limited(seconds_until(free_at, now), "Too many failed sign-in attempts. Wait a little and try again.");
  }
  return {};
}

DeviceCookie AccountService::remember_device(db::Connection& conn, const std::string& user_id, const Caller& caller,
                                             const std::optional<Device>& known, std::int64_t now) {
  std::string name = device_cookie_name(user_id);
  if (known) {
    // The same cookie again, for another year; re-signed with the current key.
    store::touch_device(conn, known->id, now, now + settings_.device_ttl_ms);
    const std::string& value = caller.device_cookies.at(name);
    auto first = value.find('.');
    auto second = value.find('.', first + 1);
    std::string secret = value.substr(first + 1, second - first - 1);
    return {name, known->id + "." + secret + "." + sign_device(settings_.device_keys.front(), user_id, known->id, secret),
            known->id};
  }
  Device device{new_id("dev", now), user_id, "", caller.user_agent.substr(0, 512), now, now,
                now + settings_.device_ttl_ms, std::nullopt};
  std::string secret = crypto::random_token(32);
  device.secret_hash = crypto::sha256_hex(secret);
  store::insert_device(conn, device);
  return {name, device.id + "." + secret + "." + sign_device(settings_.device_keys.front(), user_id, device.id, secret),
          device.id};
}

Result<std::string> AccountService::insert_account(db::Connection& conn, const std::string& email,
                                                   const std::string& password_hash, const std::string& name,
                                                   bool verified, const orgs::Invite* invite) {
  std::int64_t now = clock_.now_ms();
  store::lock_signups(conn);
  if (store::find_user_by_email(conn, email))
    return Error::validation({{"email", "This email address cannot be used to sign up. If you already have an "
                                        "account, sign in instead."}});
  // The first account of an installation has nobody to prove its address to.
  bool first = !store::any_platform_admin(conn);
  User user{new_id("usr", now), email, password_hash, std::nullopt, now, now,
            verified || first ? std::optional<std::int64_t>(now) : std::nullopt};
  store::insert_user(conn, user);
  store::insert_profile(conn, Profile{user.id, email, name, std::nullopt, "UTC", now});
  AuthContext actor;
  actor.user_id = user.id;
  actor.email = email;
  actor.name = name;
  if (invite) {
    // Only one request can use the token, even when two arrive together.
    if (!orgs::store::accept_invite(conn, invite->id, user.id, now)) return orgs::invite_invalid();
    orgs::store::insert_member(conn, invite->org_id, user.id, invite->role, now);
    store::set_last_org(conn, user.id, invite->org_id);
    actor.org_id = invite->org_id;
    actor.role = invite->role;
    audit::record(conn, actor, invite->org_id, "member.joined", {"member", user.id, email}, now, std::nullopt,
                  boost::json::object{{"role", invite->role}, {"invite_id", invite->id}});
    return user.id;
  }
  orgs::Organization org{new_id("org", now), name + "'s organization", user.id, now, now};
  orgs::store::insert_organization(conn, org);
  orgs::store::insert_member(conn, org.id, user.id, "owner", now);
  store::set_last_org(conn, user.id, org.id);
  actor.org_id = org.id;
  actor.role = "owner";
  audit::record(conn, actor, org.id, "organization.created", {"organization", org.id, org.name}, now, std::nullopt,
                boost::json::object{{"name", org.name}});
  // The first account of an installation operates it.
  if (first) store::grant_platform_role(conn, user.id, "admin", now);
  return user.id;
}

Result<SignedIn> AccountService::signup(const std::string& raw_email, const std::string& password,
                                        const std::string& name, const Caller& caller,
                                        const std::string& invite_token) {
  std::string email = normalize_email(raw_email);
  std::map<std::string, std::string> errors;
  if (!valid_email(email)) errors["email"] = "Enter a valid email address.";
  errors.merge(password_errors("password", password, settings_.min_password_length));
  if (name.empty()) errors["name"] = "Enter your name.";
  if (name.size() > 100) errors["name"] = "Use at most 100 characters.";
  text::check(errors, "name", name, text::Lines::single);
  if (!errors.empty()) return Error::validation(errors);

  std::int64_t now = clock_.now_ms();
  {
    auto conn = db_.acquire();
    auto ip = store::failures_for_ip(*conn, caller.ip, now - settings_.failure_window_ms);
    if (ip.count >= settings_.max_failures_per_ip)
      return Error::rate_limited(seconds_until(ip.oldest_at + settings_.failure_window_ms, now),
                                 "Too many attempts from your address. Wait a little and try again.");
  }
  // An account made from an invitation joins the inviting organisation only, and the invitation
  // mailed to this address proves the mailbox. A token that cannot be used changes nothing.
  if (!invite_token.empty()) {
    auto conn = db_.acquire();
    if (auto invite = orgs::usable_invite(*conn, invite_token, email, now); !invite) return invite.error();
  }
  // Hash before taking the write lock: Argon2 is slow on purpose.
  std::string hash = crypto::hash_password(password, settings_.password_cost);
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  std::optional<orgs::Invite> invite;
  if (!invite_token.empty()) {
    auto usable = orgs::usable_invite(*conn, invite_token, email, now);
    if (!usable) return usable.error();  // used in the meantime: nothing written
    invite = *usable;
  }
  auto user_id = insert_account(*conn, email, hash, name, invite.has_value(), invite ? &*invite : nullptr);
  if (!user_id) {
    // A refused address counts against the caller's address, so probing for accounts is throttled;
    // it is kept apart from the email's own sign-in failures so nobody can lock another user out.
    store::record_login_attempt(*conn, "signup:" + email, caller.ip, false, now);
    tx.commit();
    return user_id.error();
  }
  auto signed_in = start_session(*conn, *user_id, caller);
  if (!signed_in) return signed_in;
  // Signing up proves the password as a sign-in does: this browser is the account's first device.
  signed_in->device = remember_device(*conn, *user_id, caller, std::nullopt, now);
  std::string verification;
  if (!signed_in->ctx.email_verified)
    verification = issue_token(*conn, *user_id, "email_verification", email, settings_.email_verification_ttl_ms, now);
  tx.commit();
  if (!verification.empty()) mail_verification(email, verification);
  return signed_in;
}

Result<SigninOutcome> AccountService::signin(const std::string& raw_email, const std::string& password,
                                             const Caller& caller) {
  std::string email = normalize_email(raw_email);
  std::map<std::string, std::string> errors;
  if (email.empty()) errors["email"] = "Enter your email address.";
  if (password.empty()) errors["password"] = "Enter your password.";
  if (!errors.empty()) return Error::validation(errors);

  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  auto user = store::find_user_by_email(*conn, email);
  std::optional<Device> device = user ? trusted_device(*conn, user->id, caller, now) : std::nullopt;
  auto allowed = check_throttle(*conn, email, caller.ip, device, now);
  if (!allowed) return allowed.error();

  // Verify against a fixed hash when there is no such user, so timing does not tell.
  static const std::string dummy_hash = crypto::hash_password("switchboard-no-such-user", settings_.password_cost);
  bool ok = crypto::verify_password(user ? user->password_hash : dummy_hash, password) && user.has_value();
  std::optional<std::string> device_id = device ? std::optional<std::string>(device->id) : std::nullopt;
  db::Transaction tx(*conn);
  if (!ok) {
    store::record_login_attempt(*conn, email, caller.ip, false, now, device_id);
    tx.commit();
    return Error::invalid_credentials();
  }
  SigninOutcome out;
  bool remembered = device && device->two_factor_remembered_until && *device->two_factor_remembered_until > now;
  if (!remembered && two_factor_.enabled(*conn, user->id)) {
    // The password was right; the attempt counts as a success only once the second factor is.
    out.challenge = crypto::random_token(32);
    out.challenge_expires_at = now + settings_.two_factor_challenge_ttl_ms;
    store::insert_signin_challenge(*conn, new_id("chl", now), crypto::sha256_hex(out.challenge), user->id, now,
                                   out.challenge_expires_at);
    tx.commit();
    return out;
  }
  store::record_login_attempt(*conn, email, caller.ip, true, now, device_id);
  auto signed_in = start_session(*conn, user->id, caller);
  if (!signed_in) return signed_in.error();
  signed_in->device = remember_device(*conn, user->id, caller, device, now);
  tx.commit();
  out.signed_in = std::move(*signed_in);
  return out;
}

Result<SignedIn> AccountService::complete_two_factor(const std::string& challenge, const std::string& code,
                                                     bool remember, const Caller& caller) {
  if (code.empty()) return Error::validation({{"code", "Enter the code from your app or a recovery code."}});
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  auto pending = challenge.empty() || challenge.size() > 128
                     ? std::nullopt
                     : store::find_signin_challenge(*conn, crypto::sha256_hex(challenge), now);
  if (!pending) return Error::unauthenticated("This sign-in has expired. Enter your email and password again.");
  auto user = store::find_user(*conn, pending->user_id);
  if (!user) return Error::unauthenticated("This sign-in has expired. Enter your email and password again.");
  std::optional<Device> device = trusted_device(*conn, user->id, caller, now);
  if (auto allowed = check_throttle(*conn, user->email, caller.ip, device, now); !allowed) return allowed.error();
  std::optional<std::string> device_id = device ? std::optional<std::string>(device->id) : std::nullopt;
  db::Transaction tx(*conn);
  if (!two_factor_.prove(*conn, user->id, code)) {
    // Wrong codes count like wrong passwords, and a challenge dies after a few of them.
    store::record_login_attempt(*conn, user->email, caller.ip, false, now, device_id);
    if (pending->failures + 1 >= settings_.max_two_factor_failures) store::delete_signin_challenge(*conn, pending->id);
    else store::count_challenge_failure(*conn, pending->id);
    tx.commit();
    return Error::validation({{"code", "That code is not right. Try the next code your app shows, or a recovery code."}});
  }
  store::delete_signin_challenge(*conn, pending->id);
  store::record_login_attempt(*conn, user->email, caller.ip, true, now, device_id);
  auto signed_in = start_session(*conn, user->id, caller);
  if (!signed_in) return signed_in;
  signed_in->device = remember_device(*conn, user->id, caller, device, now);
  // "Remember this device": the next sign-ins from this browser need only the password.
  if (remember)
    store::remember_two_factor(*conn, signed_in->device->device_id, now + settings_.two_factor_remember_ms);
  tx.commit();
  return signed_in;
}

bool AccountService::two_factor_enrollment_required(const std::string& user_id, const std::string& org_id) {
  if (org_id.empty()) return false;
  auto conn = db_.acquire();
  auto org = orgs::store::find_organization(*conn, org_id);
  return org && org->require_two_factor && !two_factor_.enabled(*conn, user_id);
}

Result<SignedIn> AccountService::start_session(db::Connection& conn, const std::string& user_id, const Caller& caller) {
  std::int64_t now = clock_.now_ms();
  auto user = store::find_user(conn, user_id);
  if (!user) return Error::invalid_credentials();
  std::optional<orgs::Membership> membership;
  if (user->last_org_id) membership = orgs::store::find_membership(conn, *user->last_org_id, user_id);
  if (!membership) membership = orgs::store::first_membership(conn, user_id);

  SignedIn out;
  out.token = crypto::random_token(32);
  Session s{new_id("ses", now),
            user_id,
            crypto::sha256_hex(out.token),
            membership ? std::optional<std::string>(membership->org.id) : std::nullopt,
            caller.ip,
            caller.user_agent.substr(0, 512),
            now,
            now,
            now + settings_.session_ttl_ms,
            now};
  store::insert_session(conn, s);
  auto profile = store::find_profile(conn, user_id);
  out.ctx = AuthContext{.user_id = user_id,
                        .email = user->email,
                        .name = profile ? profile->name : "",
                        .org_id = membership ? membership->org.id : "",
                        .role = membership ? membership->role : "",
                        .is_platform_admin = store::has_platform_role(conn, user_id, "admin"),
                        .session_id = s.id,
                        .csrf_token = csrf_token_for(out.token),
                        .session_expires_at = s.expires_at,
                        .password_verified_at = s.password_verified_at,
                        .email_verified = user->email_verified_at.has_value()};
  return out;
}

Result<void> AccountService::signout(const AuthContext& ctx) {
  auto conn = db_.acquire();
  store::delete_session(*conn, ctx.session_id);
  return {};
}

Result<AuthContext> AccountService::authenticate(const std::string& token) {
  if (token.empty() || token.size() > 128) return Error::unauthenticated();
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  auto principal = store::find_principal(*conn, crypto::sha256_hex(token), now);
  if (!principal) return Error::unauthenticated("Your session has ended. Sign in again.");
  const Session& session = principal->session;
  AuthContext ctx{.user_id = session.user_id,
                  .email = principal->email,
                  .name = principal->name,
                  .org_id = session.org_id.value_or(""),
                  .role = principal->member_role.value_or(""),
                  .is_platform_admin = principal->is_platform_admin,
                  .session_id = session.id,
                  .csrf_token = csrf_token_for(token),
                  .session_expires_at = session.expires_at,
                  .password_verified_at = session.password_verified_at,
                  .email_verified = principal->email_verified};
  ctx.two_factor_enrollment_required = principal->org_requires_two_factor && !principal->has_two_factor;
  if (!principal->member_role) {
    // Removed from the session's organisation since signing in: act in another one, if any.
    auto membership = orgs::store::first_membership(*conn, session.user_id);
    ctx.org_id = membership ? membership->org.id : "";
    ctx.role = membership ? membership->role : "";
    ctx.two_factor_enrollment_required = !principal->has_two_factor && membership && membership->org.require_two_factor;
  }
  // Recording activity at most once a minute keeps reads from turning into writes.
  if (now - session.last_seen_at > 60'000) store::touch_session(*conn, session.id, now);
  return ctx;
}

Result<SessionView> AccountService::describe(const AuthContext& ctx) {
  auto conn = db_.acquire();
  auto user = store::find_user(*conn, ctx.user_id);
  if (!user) return Error::unauthenticated();
  SessionView view{ctx, std::nullopt, user->created_at};
  view.ctx.email = user->email;
  view.ctx.email_verified = user->email_verified_at.has_value();
  if (!ctx.org_id.empty()) view.membership = orgs::store::find_membership(*conn, ctx.org_id, ctx.user_id);
  view.two_factor_enabled = two_factor_.enabled(*conn, ctx.user_id);
  view.two_factor_enrollment_required =
      !view.two_factor_enabled && view.membership && view.membership->org.require_two_factor;
  return view;
}

Result<SessionView> AccountService::switch_org(const AuthContext& ctx, const std::string& org_id) {
  if (ctx.is_api_key()) return Error::forbidden("API keys belong to one organization.");
  AuthContext switched = ctx;
  {
    auto conn = db_.acquire();
    auto membership = orgs::store::find_membership(*conn, org_id, ctx.user_id);
    if (!membership) return Error::not_found("No such organization.");
    db::Transaction tx(*conn);
    store::set_session_org(*conn, ctx.session_id, org_id);
    store::set_last_org(*conn, ctx.user_id, org_id);
    tx.commit();
    switched.org_id = org_id;
    switched.role = membership->role;
  }
  return describe(switched);
}

Result<void> AccountService::change_password(const AuthContext& ctx, const std::string& current_password,
                                             const std::string& new_password, const Caller& caller) {
  std::map<std::string, std::string> errors = password_errors("new_password", new_password, settings_.min_password_length);
  if (current_password.empty()) errors["current_password"] = "Enter your current password.";
  if (!errors.empty()) return Error::validation(errors);
  std::int64_t now = clock_.now_ms();
  if (!ctx.authenticated_recently(now)) return reauthentication_required();
  auto conn = db_.acquire();
  // A wrong current password counts like a failed sign-in (someone holding a stolen session must
  // not get unlimited guesses): per device with a device cookie, else per email and address.
  auto device = trusted_device(*conn, ctx.user_id, caller, now);
  auto allowed = check_throttle(*conn, ctx.email, caller.ip, device, now);
  if (!allowed) return Error::rate_limited(allowed.error().retry_after_seconds,
                                           "Too many wrong passwords. Wait a little and try again.");
  auto user = store::find_user(*conn, ctx.user_id);
  if (!user) return Error::unauthenticated();
  if (!crypto::verify_password(user->password_hash, current_password)) {
    store::record_login_attempt(*conn, ctx.email, caller.ip, false, now,
                                device ? std::optional<std::string>(device->id) : std::nullopt);
    return Error::validation({{"current_password", "This is not your current password."}});
  }
  std::string hash = crypto::hash_password(new_password, settings_.password_cost);
  db::Transaction tx(*conn);
  store::update_password(*conn, ctx.user_id, hash, now);
  // Anyone signed in elsewhere with the old password is signed out, and no browser keeps the
  // trust it earned with it.
  store::delete_other_sessions(*conn, ctx.user_id, ctx.session_id);
  store::revoke_devices(*conn, ctx.user_id);
  store::set_password_verified(*conn, ctx.session_id, now);
  tx.commit();
  return {};
}

Result<void> AccountService::reauthenticate(const AuthContext& ctx, const std::string& password,
                                            const std::string& code, const Caller& caller) {
  if (password.empty() && code.empty())
    return Error::validation({{"password", "Enter your password or a code from your authenticator app."}});
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  auto device = trusted_device(*conn, ctx.user_id, caller, now);
  auto allowed = check_throttle(*conn, ctx.email, caller.ip, device, now);
  if (!allowed) return allowed.error();
  auto user = store::find_user(*conn, ctx.user_id);
  if (!user) return Error::unauthenticated();
  db::Transaction tx(*conn);
  // Either factor proves the person: the password, or a code from their second factor.
  bool ok = password.empty() ? two_factor_.enabled(*conn, ctx.user_id) && two_factor_.prove(*conn, ctx.user_id, code)
                             : crypto::verify_password(user->password_hash, password);
  store::record_login_attempt(*conn, ctx.email, caller.ip, ok, now,
                              device ? std::optional<std::string>(device->id) : std::nullopt);
  // 422, not 401: the session is fine, only this answer is not.
  if (!ok) {
    tx.commit();
    if (password.empty()) return Error::validation({{"code", "That code is not right."}});
    return Error::validation({{"password", "This is not your password."}});
  }
  store::set_password_verified(*conn, ctx.session_id, now);
  tx.commit();
  return {};
}

Result<std::vector<SessionInfo>> AccountService::list_sessions(const AuthContext& ctx) {
  auto conn = db_.acquire();
  std::vector<SessionInfo> out;
  for (auto& s : store::list_sessions(*conn, ctx.user_id, clock_.now_ms())) {
    std::string device = describe_user_agent(s.user_agent);
    bool current = s.id == ctx.session_id;
    out.push_back(SessionInfo{std::move(s), std::move(device), current});
  }
  return out;
}

namespace {
// Sessions belong to a person, not an organisation; their events go to the audit log of the
// organisation the person acts in (none when they belong to none).
void audit_sessions(db::Connection& conn, const AuthContext& ctx, const std::string& action,
                    const audit::Target& target, std::int64_t now, std::optional<boost::json::object> after = {}) {
  if (ctx.org_id.empty()) return;
  audit::record(conn, ctx, ctx.org_id, action, target, now, std::nullopt, std::move(after));
}
}  // namespace

Result<void> AccountService::revoke_session(const AuthContext& ctx, const std::string& session_id) {
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  std::optional<Session> target;
  for (auto& s : store::list_sessions(*conn, ctx.user_id, now))
    if (s.id == session_id) target = std::move(s);
  // Another user's session looks exactly like a missing one.
  if (!target) return Error::not_found("No such session.");
  db::Transaction tx(*conn);
  if (!store::delete_session_of_user(*conn, ctx.user_id, session_id)) return Error::not_found("No such session.");
  audit_sessions(*conn, ctx, "session.revoked", {"session", session_id, describe_user_agent(target->user_agent)}, now,
                 boost::json::object{{"ip", target->ip}, {"current", session_id == ctx.session_id}});
  tx.commit();
  return {};
}

Result<void> AccountService::revoke_other_sessions(const AuthContext& ctx) {
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto ended = store::delete_other_sessions(*conn, ctx.user_id, ctx.session_id);
  audit_sessions(*conn, ctx, "session.others_revoked", {"user", ctx.user_id, ctx.email}, now,
                 boost::json::object{{"sessions_ended", ended}});
  tx.commit();
  return {};
}

Result<void> AccountService::signout_everywhere(const AuthContext& ctx) {
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto ended = store::delete_all_sessions(*conn, ctx.user_id);
  auto devices = store::revoke_devices(*conn, ctx.user_id);
  audit_sessions(*conn, ctx, "session.signed_out_everywhere", {"user", ctx.user_id, ctx.email}, now,
                 boost::json::object{{"sessions_ended", ended}, {"devices_revoked", devices}});
  tx.commit();
  return {};
}

void AccountService::revoke_devices(const std::string& user_id) {
  auto conn = db_.acquire();
  store::revoke_devices(*conn, user_id);
}

Result<Profile> AccountService::profile(const AuthContext& ctx) {
  auto conn = db_.acquire();
  auto p = store::find_profile(*conn, ctx.user_id);
  if (!p) return Error::not_found("No profile.");
  return *p;
}

Result<Profile> AccountService::update_profile(const AuthContext& ctx, const ProfileUpdate& update) {
  std::map<std::string, std::string> errors;
  if (update.name && update.name->empty()) errors["name"] = "Enter your name.";
  if (update.name && update.name->size() > 100) errors["name"] = "Use at most 100 characters.";
  if (update.name) text::check(errors, "name", *update.name, text::Lines::single);
  if (update.avatar_url && *update.avatar_url) {
    auto url = boost::urls::parse_absolute_uri(**update.avatar_url);
    if (!url || (url->scheme() != "https" && url->scheme() != "http") || url->host().empty() ||
        (*update.avatar_url)->size() > 2048)
      errors["avatar_url"] = "Enter a full http:// or https:// address of an image.";
  }
  if (update.timezone && !valid_timezone(*update.timezone))
    errors["timezone"] = "Choose a time zone such as Europe/Berlin or UTC.";
  if (!errors.empty()) return Error::validation(errors);

  auto conn = db_.acquire();
  auto p = store::find_profile(*conn, ctx.user_id);
  if (!p) return Error::not_found("No profile.");
  if (update.name) p->name = *update.name;
  if (update.avatar_url) p->avatar_url = *update.avatar_url;
  if (update.timezone) p->timezone = *update.timezone;
  p->updated_at = clock_.now_ms();
  store::update_profile(*conn, *p);
  return *p;
}

Result<std::string> AccountService::create_user(const std::string& raw_email, const std::string& password,
                                                const std::string& name) {
  std::string email = normalize_email(raw_email);
  std::map<std::string, std::string> errors;
  if (!valid_email(email)) errors["email"] = "Enter a valid email address.";
  errors.merge(password_errors("password", password, settings_.min_password_length));
  if (name.empty()) errors["name"] = "Enter a name.";
  text::check(errors, "name", name, text::Lines::single);
  if (!errors.empty()) return Error::validation(errors);
  std::string hash = crypto::hash_password(password, settings_.password_cost);
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  // An operator made the account for a known person: the address counts as proved.
  auto id = insert_account(*conn, email, hash, name, true);
  if (id) tx.commit();
  return id;
}

Result<void> AccountService::make_platform_admin(const std::string& raw_email) {
  auto conn = db_.acquire();
  auto user = store::find_user_by_email(*conn, normalize_email(raw_email));
  if (!user) return Error::not_found("No user has that email address.");
  store::grant_platform_role(*conn, user->id, "admin", clock_.now_ms());
  return {};
}

std::int64_t AccountService::purge_expired() {
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  return store::delete_expired_sessions(*conn, now) + store::delete_expired_devices(*conn, now) +
         store::delete_login_attempts_before(*conn, now - 24LL * 3600 * 1000) +
         store::delete_expired_signin_challenges(*conn, now) + store::delete_expired_account_tokens(*conn, now);
}

}  // namespace sb::accounts
