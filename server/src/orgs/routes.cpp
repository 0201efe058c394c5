// Organisation, member and invitation handlers.
#include "orgs/routes.hpp"

#include "accounts/routes.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "orgs/permissions.hpp"

namespace sb::orgs {
namespace {
namespace json = boost::json;
using http::Request;
using http::Response;

json::object member_json(const Member& m) {
  return {{"user_id", m.user_id}, {"email", m.email}, {"name", m.name}, {"role", m.role},
          {"joined_at", format_rfc3339(m.joined_at)}};
}

json::object invite_json(const Invite& i, std::int64_t now) {
  json::object invited_by{{"id", i.invited_by ? json::value(*i.invited_by) : json::value(nullptr)},
                          {"name", i.invited_by_name}};
  return {{"id", i.id},
          {"email", i.email},
          {"role", i.role},
          {"status", i.expires_at > now ? "pending" : "expired"},
          {"invited_by", std::move(invited_by)},
          {"created_at", format_rfc3339(i.created_at)},
          {"expires_at", format_rfc3339(i.expires_at)}};
}

template <typename T, typename F>
json::object items_json(const std::vector<T>& items, F to_json) {
  json::array out;
  for (const auto& item : items) out.push_back(to_json(item));
  return {{"items", std::move(out)}};
}

// Reads one required string field, answering 400/415/422 on bad input.
Result<std::string> field(const Request& req, const char* name, std::size_t max_length = 200) {
  auto body = req.json_body();
  if (!body) return body.error();
  sb::json::FieldReader f(*body);
  auto value = f.string(name, true, max_length);
  if (!f.ok()) return f.error();
  return *value;
}

}  // namespace

json::object membership_json(const Membership& m) {
  return {{"id", m.org.id},     {"name", m.org.name}, {"created_at", format_rfc3339(m.org.created_at)},
          {"role", m.role},       {"member_count", m.member_count},
          {"require_two_factor", m.org.require_two_factor}, {"time_zone", m.org.time_zone}};
}

void add_routes(http::Router& router, OrgService& orgs, accounts::AccountService& accounts,
                const accounts::Authenticator& auth) {
  using http::Method;
  // Runs fn with the caller acting in the organisation named by :id.
  auto in_org = [&auth](auto fn) {
    return [&auth, fn](Request& req) {
      auto ctx = auth.require_in_org(req, req.param("id"));
      if (!ctx) return Response::error(ctx.error());
      return fn(req, *ctx);
    };
  };
  auto no_content = [](const Result<void>& r) { return r ? Response::no_content() : Response::error(r.error()); };

  router.add(Method::get, "/api/orgs", [&orgs, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(orgs.list(*ctx), 200, [](const auto& v) { return items_json(v, membership_json); });
  });
  router.add(Method::post, "/api/orgs", [&orgs, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto name = field(req, "name", 100);
    if (!name) return Response::error(name.error());
    return http::respond(orgs.create(*ctx, *name), 201, membership_json);
  });
  router.add(Method::get, "/api/orgs/:id", in_org([&orgs](Request&, const AuthContext& ctx) {
               return http::respond(orgs.get(ctx), 200, membership_json);
             }));
  router.add(Method::patch, "/api/orgs/:id", in_org([&orgs](Request& req, const AuthContext& ctx) {
               auto body = req.json_body();
               if (!body) return Response::error(body.error());
               sb::json::FieldReader f(*body);
               auto name = f.string("name", false, 100);
               auto require_two_factor = f.boolean("require_two_factor");
               auto time_zone = f.string("time_zone", false, 64);
               if (f.ok() && !name && !require_two_factor && !time_zone) f.fail("name", "Enter a name.");
               if (!f.ok()) return Response::error(f.error());
               Result<Membership> out = Error::internal();
               if (time_zone) out = orgs.set_time_zone(ctx, *time_zone);
               if (name && (!time_zone || out)) out = orgs.rename(ctx, *name);
               if (require_two_factor && ((!name && !time_zone) || out))
                 out = orgs.require_two_factor(ctx, *require_two_factor);
               return http::respond(out, 200, membership_json);
             }));
  router.add(Method::delete_, "/api/orgs/:id", in_org([&orgs, no_content](Request&, const AuthContext& ctx) {
               return no_content(orgs.destroy(ctx));
             }));

  router.add(Method::get, "/api/orgs/:id/members", in_org([&orgs](Request&, const AuthContext& ctx) {
               return http::respond(orgs.members(ctx), 200, [](const auto& v) { return items_json(v, member_json); });
             }));
  router.add(Method::patch, "/api/orgs/:id/members/:user_id", in_org([&orgs](Request& req, const AuthContext& ctx) {
               auto role = field(req, "role", 20);
               if (!role) return Response::error(role.error());
               return http::respond(orgs.change_role(ctx, req.param("user_id"), *role), 200, member_json);
             }));
  router.add(Method::delete_, "/api/orgs/:id/members/:user_id",
             in_org([&orgs, no_content](Request& req, const AuthContext& ctx) {
               return no_content(orgs.remove_member(ctx, req.param("user_id")));
             }));
  router.add(Method::post, "/api/orgs/:id/transfer-ownership",
             in_org([&orgs, no_content](Request& req, const AuthContext& ctx) {
               auto user_id = field(req, "user_id", 64);
               if (!user_id) return Response::error(user_id.error());
               return no_content(orgs.transfer_ownership(ctx, *user_id));
             }));

  router.add(Method::get, "/api/orgs/:id/invites", in_org([&orgs](Request&, const AuthContext& ctx) {
               auto now = SystemClock().now_ms();
               return http::respond(orgs.invites(ctx), 200, [now](const auto& v) {
                 return items_json(v, [now](const Invite& i) { return invite_json(i, now); });
               });
             }));
  auto issued_json = [](const IssuedInvite& issued) {
    json::object out = invite_json(issued.invite, 0);
    out["status"] = "pending";
    out["accept_url"] = issued.accept_url;
    return out;
  };
  router.add(Method::post, "/api/orgs/:id/invites", in_org([&orgs, issued_json](Request& req, const AuthContext& ctx) {
               auto body = req.json_body();
               if (!body) return Response::error(body.error());
               sb::json::FieldReader f(*body);
               auto email = f.string("email", true, 254);
               auto role = f.string("role", true, 20);
               if (!f.ok()) return Response::error(f.error());
               return http::respond(orgs.invite(ctx, *email, *role), 201, issued_json);
             }));
  router.add(Method::post, "/api/orgs/:id/invites/:invite_id/resend",
             in_org([&orgs, issued_json](Request& req, const AuthContext& ctx) {
               return http::respond(orgs.resend_invite(ctx, req.param("invite_id")), 200, issued_json);
             }));
  router.add(Method::delete_, "/api/orgs/:id/invites/:invite_id",
             in_org([&orgs, no_content](Request& req, const AuthContext& ctx) {
               return no_content(orgs.revoke_invite(ctx, req.param("invite_id")));
             }));

  router.add(Method::get, "/api/invites/preview", [&orgs](Request& req) {
    return http::respond(orgs.preview_invite(req.query_param("token").value_or("")), 200, [](const InvitePreview& p) {
      return json::object{{"organization", json::object{{"id", p.invite.org_id}, {"name", p.org_name}}},
                          {"email", p.invite.email},
                          {"role", p.invite.role},
                          {"invited_by", p.invite.invited_by_name},
                          {"expires_at", format_rfc3339(p.invite.expires_at)}};
    });
  });
  router.add(Method::post, "/api/invites/accept", [&orgs, &accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto token = field(req, "token", 128);
    if (!token) return Response::error(token.error());
    auto org_id = orgs.accept_invite(*ctx, *token);
    if (!org_id) return Response::error(org_id.error());
    return http::respond(accounts.switch_org(*ctx, *org_id), 200, accounts::session_json);
  });
  router.add(Method::post, "/api/auth/switch-org", [&accounts, &auth](Request& req) {
    auto ctx = auth.require_user(req);
    if (!ctx) return Response::error(ctx.error());
    auto org_id = field(req, "org_id", 64);
    if (!org_id) return Response::error(org_id.error());
    return http::respond(accounts.switch_org(*ctx, *org_id), 200, accounts::session_json);
  });

  router.add(Method::get, "/api/permissions", [&auth](Request& req) {
    // ?org_id= names the organisation (so a page never reads another one's table while the
    // session switches); without it, the current one.
    auto org_id = req.query_param("org_id");
    auto ctx = org_id ? auth.require_in_org(req, *org_id) : auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    json::array roles, actions, allowed;
    for (auto r : kRoles) roles.push_back(json::string(r));
    for (const auto& p : permission_table()) {
      json::array who;
      for (std::size_t i = 0; i < kRoles.size(); ++i)
        if (p.allowed[i]) who.push_back(json::string(kRoles[i]));
      actions.push_back(json::object{{"action", p.name}, {"description", p.description}, {"roles", std::move(who)}});
      if (can(*ctx, p.action)) allowed.push_back(json::string(p.name));
    }
    json::object out{{"roles", std::move(roles)}, {"actions", std::move(actions)}, {"allowed", std::move(allowed)}};
    out["role"] = ctx->role.empty() ? json::value(nullptr) : json::value(ctx->role);
    out["organization_id"] = ctx->org_id.empty() ? json::value(nullptr) : json::value(ctx->org_id);
    return Response::json(200, out);
  });
}

}  // namespace sb::orgs
