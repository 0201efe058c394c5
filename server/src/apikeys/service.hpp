// API key rules: who may create and revoke keys, role ceilings, and authenticating a presented key.
#pragma once

#include <vector>

#include "apikeys/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::apikeys {

class ApiKeyService {
 public:
  ApiKeyService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // ctx acts in the key's organisation (see OrgService::enter).
  Result<std::vector<ApiKey>> list(const AuthContext& ctx);
  Result<IssuedKey> create(const AuthContext& ctx, const NewKey& key);
  Result<void> revoke(const AuthContext& ctx, const std::string& key_id);
  // The caller behind "Authorization: Bearer <key>": its organisation and role; 401 when the key
  // is unknown, revoked or expired.
  Result<AuthContext> authenticate(const std::string& presented);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace sb::apikeys
