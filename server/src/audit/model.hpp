// The audit log: who did what to which target, when, from where, with before/after values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::audit {

struct Target {
  std::string type;   // "member", "invite", "api_key", "organization", …
  std::string id;
  std::string label;  // what a person recognises it by: an email, a key's name
};

struct AuditEvent {
  std::string id;
  std::string org_id;
  std::string actor_type;  // user, api_key, system
  std::string actor_id;
  std::string actor_label;
  std::string action;      // "member.role_changed", …
  Target target;
  std::string ip;
  std::optional<std::string> before_json;  // secrets removed before storing
  std::optional<std::string> after_json;
  std::int64_t created_at = 0;
};

struct AuditQuery {
  std::optional<std::string> action;
  std::optional<std::string> actor_id;
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> to;
  std::optional<std::string> before;  // cursor: the id of the last event already shown
  int limit = 50;
};

struct AuditPage {
  std::vector<AuditEvent> items;
  std::optional<std::string> next_before;
};

}  // namespace sb::audit
