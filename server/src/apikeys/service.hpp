// API key rules: who may create and revoke keys, role ceilings, and authenticating a presented key.
#pragma once

#include <vector>

#include "apikeys/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::apikeys {

// Why a person's keys stop working when they leave an organisation, as the audit log says it.
inline constexpr const char* kCreatorRemoved = "creator_removed";
inline constexpr const char* kCreatorLeft = "creator_left";

// Revokes every working key user_id created in org_id, each with an api_key.revoked audit entry
// naming the reason; runs inside the caller's transaction (the one that ends the membership).
void revoke_keys_of_creator(db::Connection& conn, const AuthContext& actor, const std::string& org_id,
                            const std::string& user_id, const std::string& reason, std::int64_t now);

class ApiKeyService {
 public:
  ApiKeyService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // ctx acts in the key's organisation (see OrgService::enter).
  Result<std::vector<ApiKey>> list(const AuthContext& ctx);
  Result<IssuedKey> create(const AuthContext& ctx, const NewKey& key);
  Result<void> revoke(const AuthContext& ctx, const std::string& key_id);
  // The caller behind "Authorization: Bearer <key>": its organisation and role, which is the
  // lower of the key's role and its creator's role now (read on every request, never cached);
  // 401 when the key is unknown, revoked or expired, or its creator is no longer a member.
  Result<AuthContext> authenticate(const std::string& presented);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace sb::apikeys
