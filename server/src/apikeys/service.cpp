// API key service.
#include "apikeys/service.hpp"

#include "apikeys/store.hpp"
#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "orgs/permissions.hpp"

namespace sb::apikeys {
namespace {

constexpr std::size_t kPrefixLength = 12;  // "sbk_" + 8 random characters

boost::json::object audit_view(const ApiKey& k) {
  return {{"name", k.name}, {"role", k.role}, {"prefix", k.prefix}};
}

}  // namespace

void revoke_keys_of_creator(db::Connection& conn, const AuthContext& actor, const std::string& org_id,
                            const std::string& user_id, const std::string& reason, std::int64_t now) {
  for (const auto& key : store::list_active_by_creator(conn, org_id, user_id)) {
    store::revoke(conn, org_id, key.id, now);
    audit::record(conn, actor, org_id, "api_key.revoked", {"api_key", key.id, key.name}, now, audit_view(key),
                  boost::json::object{{"reason", reason}});
  }
}

Result<std::vector<ApiKey>> ApiKeyService::list(const AuthContext& ctx) {
  if (!orgs::can(ctx, orgs::Action::api_keys_read)) return Error::forbidden("Only owners and admins can see API keys.");
  auto conn = db_.acquire();
  return store::list(*conn, ctx.org_id);
}

Result<IssuedKey> ApiKeyService::create(const AuthContext& ctx, const NewKey& req) {
  if (!orgs::can(ctx, orgs::Action::api_keys_manage))
    return Error::forbidden("Only owners and admins can create API keys.");
  if (!ctx.email_verified) return email_unverified();
  std::map<std::string, std::string> errors;
  if (req.name.empty()) errors["name"] = "Give the key a name, such as the system that will use it.";
  if (req.name.size() > 100) errors["name"] = "Use at most 100 characters.";
  text::check(errors, "name", req.name, text::Lines::single);
  if (!orgs::valid_role(req.role)) errors["role"] = "Choose owner, admin, member or viewer.";
  else if (orgs::role_rank(req.role) > orgs::role_rank(ctx.role))
    errors["role"] = "A key cannot have a higher role than yours (" + ctx.role + ").";
  std::int64_t now = clock_.now_ms();
  if (req.expires_at && *req.expires_at <= now) errors["expires_at"] = "Choose a time in the future.";
  if (!errors.empty()) return Error::validation(errors);
  // A key that administers the organisation needs the person to have proved the password lately.
  if (!ctx.is_api_key() && (req.role == "owner" || req.role == "admin") && !ctx.authenticated_recently(now))
    return reauthentication_required();

  // The secret is random; its first characters double as a public prefix for lookup.
  std::string random = crypto::random_token(32);
  std::string prefix = "sbk_" + random.substr(0, kPrefixLength - 4);
  // Every key traces back to a person: one made by a key belongs to that key's creator.
  std::string creator = ctx.is_api_key() ? ctx.key_creator_id : ctx.user_id;
  if (creator.empty()) return Error::forbidden("Only a person, or a key acting for one, can create API keys.");
  IssuedKey issued;
  issued.secret = prefix + "_" + random.substr(kPrefixLength - 4);
  issued.key = ApiKey{new_id("key", now), ctx.org_id, req.name, req.role, prefix, crypto::sha256_hex(issued.secret),
                      creator, "", now, req.expires_at, std::nullopt, std::nullopt, std::nullopt};
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  store::insert(*conn, issued.key);
  if (auto stored = store::find(*conn, ctx.org_id, issued.key.id)) issued.key = *stored;  // with the creator's name
  audit::record(*conn, ctx, ctx.org_id, "api_key.created", {"api_key", issued.key.id, issued.key.name}, now,
                std::nullopt, audit_view(issued.key));
  tx.commit();
  return issued;
}

Result<void> ApiKeyService::revoke(const AuthContext& ctx, const std::string& key_id) {
  if (!orgs::can(ctx, orgs::Action::api_keys_manage))
    return Error::forbidden("Only owners and admins can revoke API keys.");
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto key = store::find(*conn, ctx.org_id, key_id);
  if (!key) return Error::not_found("No such API key.");
  if (orgs::role_rank(key->role) > orgs::role_rank(ctx.role))
    return Error::forbidden("Only an owner can revoke a key with the owner role.");
  if (!key->revoked_at) {
    store::revoke(*conn, ctx.org_id, key_id, now);
    audit::record(*conn, ctx, ctx.org_id, "api_key.revoked", {"api_key", key->id, key->name}, now, audit_view(*key),
                  std::nullopt);
  }
  tx.commit();
  return {};
}

Result<AuthContext> ApiKeyService::authenticate(const std::string& presented) {
  Error refused = Error::unauthenticated("The API key is not valid, or it was revoked or has expired.");
  if (presented.size() < kPrefixLength + 2 || presented.size() > 200 || presented.rfind("sbk_", 0) != 0) return refused;
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  auto key = store::find_by_prefix(*conn, presented.substr(0, kPrefixLength));
  if (!key || !crypto::constant_time_equals(key->key_hash, crypto::sha256_hex(presented))) return refused;
  if (key->revoked_at || (key->expires_at && *key->expires_at <= now)) return refused;
  // A key acts for its creator and never above them: gone from the organisation, it stops.
  if (!key->created_by || !key->creator_role || !orgs::valid_role(*key->creator_role)) return refused;
  if (!key->last_used_at || now - *key->last_used_at > 60'000) store::touch(*conn, key->id, now);
  AuthContext ctx;
  ctx.org_id = key->org_id;
  ctx.role = orgs::role_rank(*key->creator_role) < orgs::role_rank(key->role) ? *key->creator_role : key->role;
  ctx.key_creator_id = *key->created_by;
  ctx.name = key->name;
  ctx.api_key_id = key->id;
  return ctx;
}

}  // namespace sb::apikeys
