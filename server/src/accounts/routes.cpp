// Account handlers: parse, call the account service, serialise.
#include "accounts/routes.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"
#include "orgs/routes.hpp"

namespace sb::accounts {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

}  // namespace

json::object session_json(const SessionView& view) {
  const AuthContext& c = view.ctx;
  json::object user{{"id", c.user_id},
                    {"email", c.email},
                    {"name", c.name},
                    {"is_platform_admin", c.is_platform_admin},
                    {"email_verified", c.email_verified},
                    {"two_factor_enabled", view.two_factor_enabled},
                    {"created_at", format_rfc3339(view.user_created_at)}};
  json::object out{{"user", std::move(user)},
                   {"csrf_token", c.csrf_token},
                   {"expires_at", format_rfc3339(c.session_expires_at)},
                   {"two_factor_enrollment_required", view.two_factor_enrollment_required}};
  out["organization"] = view.membership ? json::value(orgs::membership_json(*view.membership)) : json::value(nullptr);
  out["role"] = view.membership ? json::value(view.membership->role) : json::value(nullptr);
  return out;
}

namespace {

json::object profile_json(const Profile& p) {
  return {{"user_id", p.user_id},
          {"email", p.email},
          {"name", p.name},
          {"avatar_url", p.avatar_url ? json::value(*p.avatar_url) : json::value(nullptr)},
          {"timezone", p.timezone},
          {"updated_at", format_rfc3339(p.updated_at)}};
}

json::object recovery_codes_json(const std::vector<std::string>& codes) {
  json::array items;
  for (const auto& c : codes) items.push_back(json::string(c));
  return {{"recovery_codes", std::move(items)}};
}

// The request's device cookies (sb_device_…), name → value; a handful at most is read.
std::map<std::string, std::string> device_cookies_of(const Request& req) {
  std::map<std::string, std::string> out;
  for (auto it = req.headers.find(http::beast_http::field::cookie);
       it != req.headers.end() && it->name() == http::beast_http::field::cookie; ++it) {
    std::string_view all(it->value().data(), it->value().size());
    while (!all.empty() && out.size() < 16) {
      auto semi = all.find(';');
      std::string_view part = all.substr(0, semi);
      all = semi == std::string_view::npos ? std::string_view() : all.substr(semi + 1);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      auto eq = part.find('=');
      if (eq == std::string_view::npos || !part.substr(0, eq).starts_with(kDeviceCookiePrefix)) continue;
      out.emplace(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
    }
  }
  return out;
}

Caller caller_of(const Request& req) {
  return Caller{req.remote_ip, req.header("User-Agent"), device_cookies_of(req)};
}

json::object session_info_json(const SessionInfo& info) {
  const Session& s = info.session;
  return {{"id", s.id},
          {"device", info.device},
          {"user_agent", s.user_agent},
          {"ip", s.ip},
          {"created_at", format_rfc3339(s.created_at)},
          {"last_seen_at", format_rfc3339(s.last_seen_at)},
          {"current", info.current}};
}

}  // namespace

void add_routes(http::Router& router, AccountService& accounts, TwoFactorService& two_factor, const Authenticator& auth,
                CookieSettings cookies) {
  auto max_age = accounts.settings().session_ttl_ms / 1000;
  auto device_max_age = accounts.settings().device_ttl_ms / 1000;
  // Answers a fresh sign-in with the session object and its cookies.
  auto signed_in_response = [&accounts, cookies, max_age, device_max_age](const Result<SignedIn>& result,
                                                                          unsigned status) {
    if (!result) return Response::error(result.error());
    auto view = accounts.describe(result->ctx);
    if (!view) return Response::error(view.error());
    Response r = Response::json(status, session_json(*view));
    r.set_header("Set-Cookie", session_cookie(result->token, max_age, cookies));
    if (result->device)
      r.headers.emplace_back("Set-Cookie",
                             device_cookie(result->device->name, result->device->value, device_max_age, cookies));
    r.set_header("Cache-Control", "no-store");
    return r;
  };

  router.add(http::Method::post, "/api/auth/signup", [&accounts, signed_in_response](Request& req) {
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    // Presence and length are the service's rules; here only types are checked.
    auto email = f.string("email", false, 254);
    auto password = f.string("password", false, 1024, true);
    auto name = f.string("name", false, 100);
    auto invite_token = f.string("invite_token", false, 128, true);
    if (!f.ok()) return Response::error(f.error());
    return signed_in_response(accounts.signup(email.value_or(""), password.value_or(""), name.value_or(""),
                                              caller_of(req), invite_token.value_or("")),
                              201);
  });

  router.add(http::Method::post, "/api/auth/signin", [&accounts, signed_in_response](Request& req) {
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto email = f.string("email", false, 254);
    auto password = f.string("password", false, 1024, true);
    if (!f.ok()) return Response::error(f.error());
    auto outcome = accounts.signin(email.value_or(""), password.value_or(""), caller_of(req));
    if (!outcome) return Response::error(outcome.error());
    if (outcome->signed_in) return signed_in_response(std::move(*outcome->signed_in), 200);
    // The password was right and a second factor is needed: no session yet, only the challenge.
    Response r = Response::json(200, json::object{{"two_factor_required", true},
                                                  {"challenge", outcome->challenge},
                                                  {"expires_at", format_rfc3339(outcome->challenge_expires_at)}});
    r.set_header("Cache-Control", "no-store");
    return r;
  });

  router.add(http::Method::post, "/api/auth/signin/two-factor", [&accounts, signed_in_response](Request& req) {
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto challenge = f.string("challenge", true, 128, true);
    auto code = f.string("code", false, 64);
    auto remember = f.boolean("remember_device");
    if (!f.ok()) return Response::error(f.error());
    return signed_in_response(
        accounts.complete_two_factor(*challenge, code.value_or(""), remember.value_or(false), caller_of(req)), 200);
  });

  router.add(http::Method::get, "/api/auth/two-factor", [&two_factor, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(two_factor.status(*ctx), 200, [](const TwoFactorStatus& s) {
      return json::object{{"enabled", s.enabled},
                          {"enabled_at", s.enabled_at ? json::value(format_rfc3339(*s.enabled_at)) : json::value(nullptr)},
                          {"recovery_codes_left", s.recovery_codes_left}};
    });
  });

  router.add(http::Method::post, "/api/auth/two-factor/setup", [&two_factor, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    Response r = http::respond(two_factor.begin_setup(*ctx), 200, [](const TwoFactorSetup& s) {
      return json::object{{"secret", s.secret}, {"otpauth_uri", s.otpauth_uri}};
    });
    r.set_header("Cache-Control", "no-store");
    return r;
  });

  router.add(http::Method::post, "/api/auth/two-factor/enable", [&two_factor, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto code = f.string("code", false, 16);
    if (!f.ok()) return Response::error(f.error());
    Response r = http::respond(two_factor.enable(*ctx, code.value_or("")), 200, recovery_codes_json);
    r.set_header("Cache-Control", "no-store");
    return r;
  });

  router.add(http::Method::post, "/api/auth/two-factor/disable", [&two_factor, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto done = two_factor.disable(*ctx);
    return done ? Response::no_content() : Response::error(done.error());
  });

  router.add(http::Method::post, "/api/auth/two-factor/recovery-codes", [&two_factor, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    Response r = http::respond(two_factor.regenerate_recovery_codes(*ctx), 200, recovery_codes_json);
    r.set_header("Cache-Control", "no-store");
    return r;
  });

  router.add(http::Method::post, "/api/admin/users/:id/two-factor/reset", [&two_factor, &auth](Request& req) {
    auto ctx = auth.require_platform_admin(req);
    if (!ctx) return Response::error(ctx.error());
    auto done = two_factor.admin_reset(*ctx, req.param("id"));
    return done ? Response::no_content() : Response::error(done.error());
  });

  router.add(http::Method::post, "/api/auth/signout", [&accounts, &auth, cookies](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto done = accounts.signout(*ctx);
    if (!done) return Response::error(done.error());
    Response r = Response::no_content();
    r.set_header("Set-Cookie", cleared_session_cookie(cookies));
    return r;
  });

  router.add(http::Method::get, "/api/auth/session", [&accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    Response r = http::respond(accounts.describe(*ctx), 200, session_json);
    r.set_header("Cache-Control", "no-store");
    return r;
  });

  router.add(http::Method::post, "/api/auth/password", [&accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto current = f.string("current_password", false, 1024, true);
    auto next = f.string("new_password", false, 1024, true);
    if (!f.ok()) return Response::error(f.error());
    auto done = accounts.change_password(*ctx, current.value_or(""), next.value_or(""), caller_of(req));
    return done ? Response::no_content() : Response::error(done.error());
  });

  // Password reset by email: public, like sign-in. The request answers 202 whether or not the
  // account exists.
  router.add(http::Method::post, "/api/auth/password-reset", [&accounts](Request& req) {
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto email = f.string("email", false, 254);
    if (!f.ok()) return Response::error(f.error());
    auto done = accounts.request_password_reset(email.value_or(""), caller_of(req));
    if (!done) return Response::error(done.error());
    return Response::json(202, json::object{{"message", "If an account uses that address, we sent it a link to choose "
                                                        "a new password. The link works once, for 30 minutes."}});
  });
  router.add(http::Method::get, "/api/auth/password-reset", [&accounts](Request& req) {
    Response r = http::respond(accounts.preview_password_reset(req.query_param("token").value_or("")), 200,
                               [](const PasswordResetPreview& p) {
                                 return json::object{{"email", p.email},
                                                     {"two_factor_required", p.two_factor_required},
                                                     {"expires_at", format_rfc3339(p.expires_at)}};
                               });
    r.set_header("Cache-Control", "no-store");
    return r;
  });
  router.add(http::Method::post, "/api/auth/password-reset/complete", [&accounts, signed_in_response](Request& req) {
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto token = f.string("token", false, 128, true);
    auto next = f.string("new_password", false, 1024, true);
    auto code = f.string("code", false, 64);
    if (!f.ok()) return Response::error(f.error());
    return signed_in_response(
        accounts.reset_password(token.value_or(""), next.value_or(""), code.value_or(""), caller_of(req)), 200);
  });

  // Email verification: the link works without a session (it may open in another browser).
  router.add(http::Method::post, "/api/auth/verify-email", [&accounts](Request& req) {
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto token = f.string("token", false, 128, true);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(accounts.verify_email(token.value_or("")), 200, [](const std::string& email) {
      return json::object{{"email", email}, {"email_verified", true}};
    });
  });
  router.add(http::Method::post, "/api/auth/verify-email/resend", [&accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(accounts.resend_verification(*ctx, caller_of(req)), 202, [](const std::string& email) {
      return json::object{{"message", "We sent a new link to " + email + "."}};
    });
  });
  router.add(http::Method::post, "/api/auth/email", [&accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto email = f.string("email", false, 254);
    if (!f.ok()) return Response::error(f.error());
    auto done = accounts.change_email(*ctx, email.value_or(""));
    if (!done) return Response::error(done.error());
    return http::respond(accounts.describe(*ctx), 200, session_json);
  });

  router.add(http::Method::post, "/api/auth/reauthenticate", [&accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    auto password = f.string("password", false, 1024, true);
    auto code = f.string("code", false, 64);
    if (!f.ok()) return Response::error(f.error());
    auto done = accounts.reauthenticate(*ctx, password.value_or(""), code.value_or(""), caller_of(req));
    return done ? Response::no_content() : Response::error(done.error());
  });

  router.add(http::Method::get, "/api/auth/sessions", [&accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    Response r = http::respond(accounts.list_sessions(*ctx), 200, [](const std::vector<SessionInfo>& all) {
      json::array items;
      for (const auto& s : all) items.push_back(session_info_json(s));
      return json::object{{"items", std::move(items)}};
    });
    r.set_header("Cache-Control", "no-store");
    return r;
  });

  router.add(http::Method::delete_, "/api/auth/sessions/:id", [&accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto done = accounts.revoke_session(*ctx, req.param("id"));
    return done ? Response::no_content() : Response::error(done.error());
  });

  router.add(http::Method::post, "/api/auth/sessions/revoke-others", [&accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto done = accounts.revoke_other_sessions(*ctx);
    return done ? Response::no_content() : Response::error(done.error());
  });

  router.add(http::Method::post, "/api/auth/signout-everywhere", [&accounts, &auth, cookies](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto done = accounts.signout_everywhere(*ctx);
    if (!done) return Response::error(done.error());
    Response r = Response::no_content();
    r.set_header("Set-Cookie", cleared_session_cookie(cookies));
    r.headers.emplace_back("Set-Cookie", device_cookie(device_cookie_name(ctx->user_id), "", 0, cookies));
    return r;
  });

  router.add(http::Method::get, "/api/profile", [&accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(accounts.profile(*ctx), 200, profile_json);
  });

  router.add(http::Method::patch, "/api/profile", [&accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    sb::json::FieldReader f(*body);
    ProfileUpdate update;
    update.name = f.string("name", false, 100);
    update.avatar_url = f.nullable_string("avatar_url", 2048);
    update.timezone = f.string("timezone", false, 64);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(accounts.update_profile(*ctx, update), 200, profile_json);
  });
}

}  // namespace sb::accounts
