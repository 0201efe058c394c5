// The permission table.
#include "orgs/permissions.hpp"

namespace sb::orgs {

const std::vector<Permission>& permission_table() {
  //                                                                              owner  admin  member viewer
  static const std::vector<Permission> table = {
      {Action::org_read, "org.read", "See the organisation and its settings", {true, true, true, true}},
      {Action::org_update, "org.update", "Rename the organisation", {true, true, false, false}},
      {Action::org_security, "org.security", "Require two-factor sign-in of every member", {true, false, false, false}},
      {Action::org_delete, "org.delete", "Delete the organisation and everything it owns", {true, false, false, false}},
      {Action::members_read, "members.read", "See who is a member and their roles", {true, true, true, true}},
      {Action::members_manage, "members.manage",
       "Change roles and remove members (owners only for owners; nobody for themselves)", {true, true, false, false}},
      {Action::ownership_transfer, "ownership.transfer", "Hand ownership to another member", {true, false, false, false}},
      {Action::invites_read, "invites.read", "See pending invitations", {true, true, false, false}},
      {Action::invites_manage, "invites.manage", "Invite, resend and revoke (up to one's own role)",
       {true, true, false, false}},
      {Action::api_keys_read, "api_keys.read", "See API keys (never their secrets)", {true, true, false, false}},
      {Action::api_keys_manage, "api_keys.manage", "Create and revoke API keys (up to one's own role)",
       {true, true, false, false}},
      {Action::audit_read, "audit.read", "Read the audit log", {true, true, false, false}},
      {Action::bots_read, "bots.read", "See bots, templates, deployments and conversations", {true, true, true, true}},
      {Action::bots_manage, "bots.manage", "Create, change and delete bots, templates and deployments; use the test console",
       {true, true, true, false}},
      {Action::integrations_read, "integrations.read",
       "See connected platform accounts and their status (never their credentials)", {true, true, true, true}},
      {Action::integrations_manage, "integrations.manage",
       "Connect, change, verify, test and disconnect platform accounts", {true, true, false, false}},
      {Action::jobs_read, "jobs.read", "See delivered messages, reply jobs and their attempts; export them",
       {true, true, true, true}},
      {Action::jobs_manage, "jobs.manage", "Retry and cancel reply jobs; send simulated deliveries",
       {true, true, false, false}},
      {Action::jobs_in_doubt, "jobs.in_doubt",
       "Resend or discard replies held in doubt after a crash (they may have been delivered)",
       {true, true, false, false}},
      {Action::ai_manage, "ai.manage",
       "Set the organisation's own OpenRouter key and the models its bots may use", {true, true, false, false}},
      {Action::billing_read, "billing.read", "See the plan, usage, limits and invoices", {true, true, false, false}},
      {Action::billing_manage, "billing.manage", "Subscribe, change the plan and manage payment through Stripe",
       {true, false, false, false}},
      {Action::analytics_read, "analytics.read", "See analytics dashboards, conversations and insight runs",
       {true, true, true, true}},
      {Action::analytics_export, "analytics.export", "Export conversations as CSV", {true, true, true, false}},
      {Action::analytics_manage, "analytics.manage",
       "Export messages and events, run AI insights and choose whether transcripts are shared with the model",
       {true, true, false, false}},
  };
  return table;
}

int role_rank(std::string_view role) {
  if (role == "owner") return 3;
  if (role == "admin") return 2;
  if (role == "member") return 1;
  if (role == "viewer") return 0;
  return -1;
}

bool valid_role(std::string_view role) { return role_rank(role) >= 0; }

bool can(std::string_view role, Action action) {
  int rank = role_rank(role);
  if (rank < 0) return false;
  for (const auto& p : permission_table())
    if (p.action == action) return p.allowed[static_cast<std::size_t>(3 - rank)];
  return false;
}

bool can(const AuthContext& ctx, Action action) { return can(ctx.role, action); }

}  // namespace sb::orgs
