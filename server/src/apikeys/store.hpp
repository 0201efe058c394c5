// SQL of API keys.
#pragma once

#include <optional>
#include <vector>

#include "apikeys/model.hpp"
#include "db/database.hpp"

namespace sb::apikeys::store {

void insert(db::Connection& conn, const ApiKey& key);
std::vector<ApiKey> list(db::Connection& conn, const std::string& org_id);
std::optional<ApiKey> find(db::Connection& conn, const std::string& org_id, const std::string& key_id);
// Across organisations by prefix: the presented key itself is the proof of access.
std::optional<ApiKey> find_by_prefix(db::Connection& conn, const std::string& prefix);
void revoke(db::Connection& conn, const std::string& org_id, const std::string& key_id, std::int64_t now);
// The keys a person created in the organisation that still work (not revoked).
std::vector<ApiKey> list_active_by_creator(db::Connection& conn, const std::string& org_id, const std::string& user_id);
void touch(db::Connection& conn, const std::string& key_id, std::int64_t now);

}  // namespace sb::apikeys::store
