// Organisations, their members and invitations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sb::orgs {

struct Organization {
  std::string id;
  std::string name;
  std::optional<std::string> created_by;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  bool require_two_factor = false;  // every member must sign in with a second factor
  std::string time_zone = "UTC";    // IANA name: the days of the analytics dashboards (ADR 0037)
};

// An organisation as one member sees it.
struct Membership {
  Organization org;
  std::string role;  // owner, admin, member, viewer
  std::int64_t member_count = 0;
};

struct Member {
  std::string user_id;
  std::string email;
  std::string name;
  std::string role;
  std::int64_t joined_at = 0;
};

struct Invite {
  std::string id;
  std::string org_id;
  std::string email;
  std::string role;
  std::string token_hash;
  std::optional<std::string> invited_by;
  std::string invited_by_name;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> accepted_at;
  std::optional<std::int64_t> revoked_at;
};

// A new or resent invitation: the row and the link with its token, shown to the inviter once.
struct IssuedInvite {
  Invite invite;
  std::string accept_url;
};

struct InvitePreview {
  Invite invite;
  std::string org_name;
};

}  // namespace sb::orgs
