// Team rules: organisations, members and roles, ownership, invitations. Every check goes through can().
#pragma once

#include <string>
#include <vector>

#include "billing/service.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "mail/mailer.hpp"
#include "orgs/model.hpp"

namespace sb::orgs {

struct OrgSettings {
  std::string public_base_url = "http://127.0.0.1:8080";
  std::int64_t invite_ttl_ms = 7LL * 24 * 3600 * 1000;
};

class OrgService {
 public:
  OrgService(db::Database& db, const Clock& clock, mail::Mailer& mailer, OrgSettings settings)
      : db_(db), clock_(clock), mailer_(mailer), settings_(std::move(settings)) {}

  // The caller acting in org_id: a member with their role there, or an API key of that
  // organisation with the key's role. Anything else is not_found, like an org that does not exist.
  Result<AuthContext> enter(const AuthContext& ctx, const std::string& org_id);

  // Below, ctx comes from enter() unless it says otherwise.
  Result<std::vector<Membership>> list(const AuthContext& caller);  // caller: any authenticated
  Result<Membership> create(const AuthContext& caller, const std::string& name);  // a person
  Result<Membership> get(const AuthContext& ctx);
  Result<Membership> rename(const AuthContext& ctx, const std::string& name);
  // The time zone of the organisation's analytics days (an IANA name of the system's tzdata).
  Result<Membership> set_time_zone(const AuthContext& ctx, const std::string& time_zone);
  // Owners only; turning it on needs the owner's own second factor, so they cannot lock themselves out.
  Result<Membership> require_two_factor(const AuthContext& ctx, bool required);
  Result<void> destroy(const AuthContext& ctx);

  Result<std::vector<Member>> members(const AuthContext& ctx);
  Result<Member> change_role(const AuthContext& ctx, const std::string& user_id, const std::string& role);
  Result<void> remove_member(const AuthContext& ctx, const std::string& user_id);  // own id: leave
  Result<void> transfer_ownership(const AuthContext& ctx, const std::string& user_id);

  Result<std::vector<Invite>> invites(const AuthContext& ctx);
  Result<IssuedInvite> invite(const AuthContext& ctx, const std::string& email, const std::string& role);
  Result<IssuedInvite> resend_invite(const AuthContext& ctx, const std::string& invite_id);
  Result<void> revoke_invite(const AuthContext& ctx, const std::string& invite_id);
  Result<InvitePreview> preview_invite(const std::string& token);  // public
  // caller: a signed-in person whose email is the invited one. Returns the organisation joined.
  Result<std::string> accept_invite(const AuthContext& caller, const std::string& token);
  // Limits of the organisation's plan on new invitations; deleting an organisation ends its subscription.
  void use_billing(billing::BillingService* billing) { billing_ = billing; }

 private:
  std::string accept_url(const std::string& token) const;
  void mail_invite(const Invite& invite, const std::string& org_name, const std::string& inviter,
                   const std::string& url);
  db::Database& db_;
  const Clock& clock_;
  mail::Mailer& mailer_;
  OrgSettings settings_;
  billing::BillingService* billing_ = nullptr;
};

// The invitation behind a link's token, when it can still be used by `email`: 404 invite_invalid
// when it is unknown, used, revoked or expired; 403 invite_email_mismatch when it was sent elsewhere.
Result<Invite> usable_invite(db::Connection& conn, const std::string& token, const std::string& email,
                             std::int64_t now);
Error invite_invalid();

}  // namespace sb::orgs
