// Organisation, membership and invitation rules.
#include "orgs/service.hpp"

#include "analytics/time_range.hpp"

#include "accounts/service.hpp"
#include "accounts/store.hpp"
#include "accounts/two_factor_store.hpp"
#include "apikeys/service.hpp"
#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "core/text.hpp"
#include "orgs/permissions.hpp"
#include "orgs/store.hpp"

namespace sb::orgs {
namespace {

Error org_not_found() { return Error::not_found("No such organization."); }

std::map<std::string, std::string> name_errors(const std::string& name) {
  if (name.empty()) return {{"name", "Enter a name."}};
  if (name.size() > 100) return {{"name", "Use at most 100 characters."}};
  std::map<std::string, std::string> errors;
  text::check(errors, "name", name, text::Lines::single);
  return errors;
}

audit::Target member_target(const Member& m) { return {"member", m.user_id, m.email}; }

}  // namespace

Error invite_invalid() {
  return Error{"invite_invalid",
               "This invitation is no longer valid: it may have expired, been revoked or already been used. Ask for "
               "a new one.",
               {}};
}

Result<Invite> usable_invite(db::Connection& conn, const std::string& token, const std::string& email,
                             std::int64_t now) {
  if (token.empty() || token.size() > 128) return invite_invalid();
  auto invite = store::find_invite_by_token(conn, crypto::sha256_hex(token));
  if (!invite || invite->accepted_at || invite->revoked_at || invite->expires_at <= now) return invite_invalid();
  if (accounts::normalize_email(email) != invite->email)
    return Error{"invite_email_mismatch",
                 "This invitation is for " + invite->email + ". Sign in with that address to accept it.", {}};
  return *invite;
}

Result<AuthContext> OrgService::enter(const AuthContext& ctx, const std::string& org_id) {
  AuthContext in = ctx;
  if (ctx.is_api_key()) {
    if (ctx.org_id != org_id) return org_not_found();
    return in;
  }
  auto conn = db_.acquire();
  auto role = store::member_role(*conn, org_id, ctx.user_id);
  if (!role) return org_not_found();
  in.org_id = org_id;
  in.role = *role;
  return in;
}

Result<std::vector<Membership>> OrgService::list(const AuthContext& caller) {
  auto conn = db_.acquire();
  if (caller.is_api_key()) {
    auto org = store::find_organization(*conn, caller.org_id);
    if (!org) return std::vector<Membership>{};
    auto count = store::list_members(*conn, caller.org_id).size();
    return std::vector<Membership>{Membership{*org, caller.role, static_cast<std::int64_t>(count)}};
  }
  return store::memberships_of(*conn, caller.user_id);
}

Result<Membership> OrgService::create(const AuthContext& caller, const std::string& name) {
  if (caller.is_api_key()) return Error::forbidden("Organizations are created by people, not API keys.");
  if (auto errors = name_errors(name); !errors.empty()) return Error::validation(errors);
  std::int64_t now = clock_.now_ms();
  Organization org{new_id("org", now), name, caller.user_id, now, now};
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  store::insert_organization(*conn, org);
  store::insert_member(*conn, org.id, caller.user_id, "owner", now);
  AuthContext owner = caller;
  owner.org_id = org.id;
  owner.role = "owner";
  audit::record(*conn, owner, org.id, "organization.created", {"organization", org.id, org.name}, now, std::nullopt,
                boost::json::object{{"name", org.name}});
  tx.commit();
  return Membership{org, "owner", 1};
}

Result<Membership> OrgService::get(const AuthContext& ctx) {
  if (!can(ctx, Action::org_read)) return Error::forbidden();
  auto conn = db_.acquire();
  auto org = store::find_organization(*conn, ctx.org_id);
  if (!org) return org_not_found();
  return Membership{*org, ctx.role, static_cast<std::int64_t>(store::list_members(*conn, ctx.org_id).size())};
}

Result<Membership> OrgService::rename(const AuthContext& ctx, const std::string& name) {
  if (!can(ctx, Action::org_update)) return Error::forbidden("Only owners and admins can rename the organization.");
  if (auto errors = name_errors(name); !errors.empty()) return Error::validation(errors);
  std::int64_t now = clock_.now_ms();
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    auto org = store::find_organization(*conn, ctx.org_id);
    if (!org) return org_not_found();
    store::rename_organization(*conn, ctx.org_id, name, now);
    audit::record(*conn, ctx, ctx.org_id, "organization.renamed", {"organization", org->id, name}, now,
                  boost::json::object{{"name", org->name}}, boost::json::object{{"name", name}});
    tx.commit();
  }
  return get(ctx);
}

Result<Membership> OrgService::set_time_zone(const AuthContext& ctx, const std::string& time_zone) {
  if (!can(ctx, Action::org_update))
    return Error::forbidden("Only owners and admins can change the organization's time zone.");
  if (!analytics::valid_time_zone(time_zone))
    return Error::validation({{"time_zone", "Choose a time zone such as Europe/Berlin or UTC."}});
  std::int64_t now = clock_.now_ms();
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    auto org = store::find_organization(*conn, ctx.org_id);
    if (!org) return org_not_found();
    if (org->time_zone != time_zone) {
      store::set_time_zone(*conn, ctx.org_id, time_zone, now);
      audit::record(*conn, ctx, ctx.org_id, "organization.time_zone_changed", {"organization", org->id, org->name}, now,
                    boost::json::object{{"time_zone", org->time_zone}}, boost::json::object{{"time_zone", time_zone}});
    }
    tx.commit();
  }
  return get(ctx);
}

Result<Membership> OrgService::require_two_factor(const AuthContext& ctx, bool required) {
  if (!can(ctx, Action::org_security))
    return Error::forbidden("Only owners can decide whether members need two-factor sign-in.");
  std::int64_t now = clock_.now_ms();
  {
    auto conn = db_.acquire();
    if (required && !ctx.is_api_key()) {
      auto own = accounts::store::find_two_factor(*conn, ctx.user_id);
      if (!own || !own->enabled_at)
        return Error::validation({{"require_two_factor", "Turn on two-factor sign-in for your own account first."}});
    }
    db::Transaction tx(*conn);
    auto org = store::find_organization(*conn, ctx.org_id);
    if (!org) return org_not_found();
    if (org->require_two_factor != required) {
      store::set_require_two_factor(*conn, ctx.org_id, required, now);
      audit::record(*conn, ctx, ctx.org_id, "organization.two_factor_requirement_changed",
                    {"organization", org->id, org->name}, now,
                    boost::json::object{{"require_two_factor", org->require_two_factor}},
                    boost::json::object{{"require_two_factor", required}});
    }
    tx.commit();
  }
  return get(ctx);
}

Result<void> OrgService::destroy(const AuthContext& ctx) {
  if (!can(ctx, Action::org_delete)) return Error::forbidden("Only owners can delete the organization.");
  auto conn = db_.acquire();
  // Deleting the organisation ends its paid subscription; if Stripe cannot do that, nothing is deleted.
  if (billing_)
    if (auto ended = billing_->end_subscription(ctx.org_id); !ended) return ended.error();
  // The audit log goes with the organisation; the server log keeps a line of who deleted it.
  log::info("organization deleted", {{"org_id", ctx.org_id}, {"actor", ctx.actor_id()}});
  store::delete_organization(*conn, ctx.org_id);
  return {};
}

Result<std::vector<Member>> OrgService::members(const AuthContext& ctx) {
  if (!can(ctx, Action::members_read)) return Error::forbidden();
  auto conn = db_.acquire();
  return store::list_members(*conn, ctx.org_id);
}

Result<Member> OrgService::change_role(const AuthContext& ctx, const std::string& user_id, const std::string& role) {
  if (!valid_role(role)) return Error::validation({{"role", "Choose owner, admin, member or viewer."}});
  if (!can(ctx, Action::members_manage)) return Error::forbidden("Only owners and admins can change roles.");
  if (!ctx.is_api_key() && user_id == ctx.user_id) return Error::forbidden("You cannot change your own role.");
  if (ctx.is_api_key() && user_id == ctx.key_creator_id)
    return Error::forbidden("An API key cannot change the role of the person it acts for.");
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto target = store::find_member(*conn, ctx.org_id, user_id);
  if (!target) return Error::not_found("No such member.");
  if ((target->role == "owner" || role == "owner") && ctx.role != "owner")
    return Error::forbidden("Only owners can make or unmake owners.");
  if (target->role == "owner" && role != "owner" && store::count_owners(*conn, ctx.org_id) <= 1)
    return Error::forbidden("An organization needs at least one owner.");
  if (target->role != role) {
    store::set_member_role(*conn, ctx.org_id, user_id, role);
    audit::record(*conn, ctx, ctx.org_id, "member.role_changed", member_target(*target), now,
                  boost::json::object{{"role", target->role}}, boost::json::object{{"role", role}});
  }
  tx.commit();
  target->role = role;
  return *target;
}

Result<void> OrgService::remove_member(const AuthContext& ctx, const std::string& user_id) {
  std::int64_t now = clock_.now_ms();
  bool leaving = !ctx.is_api_key() && user_id == ctx.user_id;
  if (!leaving && !can(ctx, Action::members_manage)) return Error::forbidden("Only owners and admins can remove members.");
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto target = store::find_member(*conn, ctx.org_id, user_id);
  if (!target) return Error::not_found("No such member.");
  if (!leaving && target->role == "owner" && ctx.role != "owner")
    return Error::forbidden("Only owners can remove an owner.");
  if (target->role == "owner" && store::count_owners(*conn, ctx.org_id) <= 1)
    return Error::forbidden(leaving ? "You are the last owner. Transfer ownership or delete the organization first."
                                    : "An organization needs at least one owner.");
  store::delete_member(*conn, ctx.org_id, user_id);
  audit::record(*conn, ctx, ctx.org_id, leaving ? "member.left" : "member.removed", member_target(*target), now,
                boost::json::object{{"role", target->role}}, std::nullopt);
  // Their keys acted for them; they stop with the membership, in the same transaction.
  apikeys::revoke_keys_of_creator(*conn, ctx, ctx.org_id, user_id,
                                  leaving ? apikeys::kCreatorLeft : apikeys::kCreatorRemoved, now);
  tx.commit();
  return {};
}

Result<void> OrgService::transfer_ownership(const AuthContext& ctx, const std::string& user_id) {
  if (!can(ctx, Action::ownership_transfer) || ctx.is_api_key())
    return Error::forbidden("Only an owner can transfer ownership.");
  if (user_id == ctx.user_id) return Error::validation({{"user_id", "Choose another member."}});
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto target = store::find_member(*conn, ctx.org_id, user_id);
  if (!target) return Error::validation({{"user_id", "Choose a member of this organization."}});
  store::set_member_role(*conn, ctx.org_id, user_id, "owner");
  store::set_member_role(*conn, ctx.org_id, ctx.user_id, "admin");
  audit::record(*conn, ctx, ctx.org_id, "ownership.transferred", member_target(*target), now,
                boost::json::object{{"owner", ctx.email}, {"role", target->role}},
                boost::json::object{{"owner", target->email}, {"previous_owner_role", "admin"}});
  tx.commit();
  return {};
}

Result<std::vector<Invite>> OrgService::invites(const AuthContext& ctx) {
  if (!can(ctx, Action::invites_read)) return Error::forbidden("Only owners and admins can see invitations.");
  auto conn = db_.acquire();
  return store::list_open_invites(*conn, ctx.org_id);
}

std::string OrgService::accept_url(const std::string& token) const {
  return settings_.public_base_url + "/invite/" + token;
}

void OrgService::mail_invite(const Invite& invite, const std::string& org_name, const std::string& inviter,
                             const std::string& url) {
  auto sent = mailer_.send(mail::Message{
      invite.email, inviter + " invited you to " + org_name + " on Switchboard",
      inviter + " invited you to join " + org_name + " on Switchboard as " + invite.role + ".\n\n" +
          "Accept the invitation: " + url + "\n\nThe link works once and expires in 7 days. If you did not expect "
          "this, ignore this message."});
  if (!sent) log::warn("invitation mail not sent", {{"invite_id", invite.id}, {"reason", sent.error().message}});
}

Result<IssuedInvite> OrgService::invite(const AuthContext& ctx, const std::string& raw_email, const std::string& role) {
  if (!can(ctx, Action::invites_manage)) return Error::forbidden("Only owners and admins can invite people.");
  // Mail goes out in the inviter's name: only from an address they proved.
  if (!ctx.email_verified) return email_unverified();
  std::string email = accounts::normalize_email(raw_email);
  std::map<std::string, std::string> errors;
  if (!accounts::valid_email(email)) errors["email"] = "Enter a valid email address.";
  if (!valid_role(role)) errors["role"] = "Choose owner, admin, member or viewer.";
  else if (role_rank(role) > role_rank(ctx.role)) errors["role"] = "You cannot invite someone above your own role.";
  if (!errors.empty()) return Error::validation(errors);

  std::int64_t now = clock_.now_ms();
  std::string token = crypto::random_token(32);
  IssuedInvite issued;
  std::string org_name;
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    auto org = store::find_organization(*conn, ctx.org_id);
    if (!org) return org_not_found();
    org_name = org->name;
    if (store::find_member_by_email(*conn, ctx.org_id, email))
      return Error::conflict(email + " is already a member of this organization.");
    if (store::find_pending_invite_for_email(*conn, ctx.org_id, email, now))
      return Error::conflict(email + " already has a pending invitation. Resend it instead.");
    // Members plus open invitations, counted and inserted in one transaction.
    if (billing_)
      if (auto room = billing_->check_room(*conn, ctx.org_id, billing::Countable::members); !room) return room.error();
    issued.invite = Invite{new_id("inv", now), ctx.org_id, email, role, crypto::sha256_hex(token),
                           ctx.is_api_key() ? std::nullopt : std::optional<std::string>(ctx.user_id),
                           ctx.actor_label(), now, now + settings_.invite_ttl_ms, std::nullopt, std::nullopt};
    store::insert_invite(*conn, issued.invite);
    audit::record(*conn, ctx, ctx.org_id, "invite.created", {"invite", issued.invite.id, email}, now, std::nullopt,
                  boost::json::object{{"email", email}, {"role", role}});
    tx.commit();
  }
  issued.accept_url = accept_url(token);
  mail_invite(issued.invite, org_name, ctx.actor_label(), issued.accept_url);
  return issued;
}

Result<IssuedInvite> OrgService::resend_invite(const AuthContext& ctx, const std::string& invite_id) {
  if (!can(ctx, Action::invites_manage)) return Error::forbidden("Only owners and admins can resend invitations.");
  if (!ctx.email_verified) return email_unverified();
  std::int64_t now = clock_.now_ms();
  std::string token = crypto::random_token(32);
  IssuedInvite issued;
  std::string org_name;
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    auto invite = store::find_open_invite(*conn, ctx.org_id, invite_id);
    if (!invite) return Error::not_found("No such invitation.");
    if (role_rank(invite->role) > role_rank(ctx.role))
      return Error::forbidden("Only an owner can resend an invitation to become owner.");
    auto org = store::find_organization(*conn, ctx.org_id);
    org_name = org ? org->name : "";
    invite->token_hash = crypto::sha256_hex(token);
    invite->expires_at = now + settings_.invite_ttl_ms;
    store::reissue_invite(*conn, ctx.org_id, invite_id, invite->token_hash, invite->expires_at);
    audit::record(*conn, ctx, ctx.org_id, "invite.resent", {"invite", invite->id, invite->email}, now);
    tx.commit();
    issued.invite = *invite;
  }
  issued.accept_url = accept_url(token);
  mail_invite(issued.invite, org_name, ctx.actor_label(), issued.accept_url);
  return issued;
}

Result<void> OrgService::revoke_invite(const AuthContext& ctx, const std::string& invite_id) {
  if (!can(ctx, Action::invites_manage)) return Error::forbidden("Only owners and admins can revoke invitations.");
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto invite = store::find_open_invite(*conn, ctx.org_id, invite_id);
  if (!invite) return Error::not_found("No such invitation.");
  if (role_rank(invite->role) > role_rank(ctx.role))
    return Error::forbidden("Only an owner can revoke an invitation to become owner.");
  store::revoke_invite(*conn, ctx.org_id, invite_id, now);
  audit::record(*conn, ctx, ctx.org_id, "invite.revoked", {"invite", invite->id, invite->email}, now,
                boost::json::object{{"email", invite->email}, {"role", invite->role}}, std::nullopt);
  tx.commit();
  return {};
}

Result<InvitePreview> OrgService::preview_invite(const std::string& token) {
  if (token.empty() || token.size() > 128) return invite_invalid();
  auto conn = db_.acquire();
  auto invite = store::find_invite_by_token(*conn, crypto::sha256_hex(token));
  if (!invite || invite->accepted_at || invite->revoked_at || invite->expires_at <= clock_.now_ms())
    return invite_invalid();
  auto org = store::find_organization(*conn, invite->org_id);
  if (!org) return invite_invalid();
  return InvitePreview{*invite, org->name};
}

Result<std::string> OrgService::accept_invite(const AuthContext& caller, const std::string& token) {
  if (caller.is_api_key()) return Error::forbidden("Invitations are accepted by people, not API keys.");
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto invite = usable_invite(*conn, token, caller.email, now);
  if (!invite) return invite.error();
  // Only one request can use the token, even when two arrive together.
  if (!store::accept_invite(*conn, invite->id, caller.user_id, now)) return invite_invalid();
  // The invitation reached this mailbox: the address is proved.
  accounts::store::mark_email_verified(*conn, caller.user_id, now);
  if (!store::find_member(*conn, invite->org_id, caller.user_id)) {
    store::insert_member(*conn, invite->org_id, caller.user_id, invite->role, now);
    AuthContext joined = caller;
    joined.org_id = invite->org_id;
    joined.role = invite->role;
    audit::record(*conn, joined, invite->org_id, "member.joined", {"member", caller.user_id, caller.email}, now,
                  std::nullopt, boost::json::object{{"role", invite->role}, {"invite_id", invite->id}});
  }
  tx.commit();
  return invite->org_id;
}

}  // namespace sb::orgs
