// Data retention: how long an organisation's conversations and audit log are kept, and a shorter
// retention announced to its owners before it applies (docs/adr/0036-data-retention.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb::retention {

// 'data': conversations with their messages, webhook events and finished reply jobs.
// 'audit': the audit log.
enum class Kind { data, audit };
std::string_view kind_name(Kind kind);

struct Policy {
  std::string org_id;
  Kind kind = Kind::data;
  std::optional<std::int64_t> applied_days;  // what is deleted by now; none: nothing is
  std::optional<std::int64_t> pending_days;  // a shorter retention the owners were told of
  std::optional<std::int64_t> pending_effective_at;  // when it takes over (Unix ms)
  std::optional<std::int64_t> notified_at;
};

// What one sweep removed.
struct Removed {
  std::int64_t conversations = 0;
  std::int64_t events = 0;  // webhook events, with their finished reply jobs
  std::int64_t audit_entries = 0;
  std::int64_t notices = 0;  // owners told of a shorter retention
};

}  // namespace sb::retention
