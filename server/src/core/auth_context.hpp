// AuthContext: who is calling and in which organisation, handed to every service.
#pragma once

#include <cstdint>
#include <string>

namespace sb {

struct AuthContext {
  std::string user_id;
  std::string email;
  std::string name;
  std::string org_id;  // the organisation the request acts in
  std::string role;    // the caller's role in org_id: owner, admin, member or viewer
  bool is_platform_admin = false;
  std::string session_id;
  std::string csrf_token;
  std::int64_t session_expires_at = 0;
};

}  // namespace sb
