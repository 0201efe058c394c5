// Organisations and their members.
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
};

// An organisation as one member sees it.
struct Membership {
  Organization org;
  std::string role;  // owner, admin, member, viewer
};

}  // namespace sb::orgs
