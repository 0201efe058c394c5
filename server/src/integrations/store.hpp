// SQL of integrations.
#pragma once

#include <optional>
#include <vector>

#include "db/database.hpp"
#include "integrations/model.hpp"

namespace sb::integrations::store {

void insert(db::Connection& conn, const Integration& i);
void update(db::Connection& conn, const Integration& i);
// Removes the integration and the deployments on it.
void remove(db::Connection& conn, const std::string& org_id, const std::string& id);
std::optional<Integration> find(db::Connection& conn, const std::string& org_id, const std::string& id);
std::vector<Integration> list(db::Connection& conn, const std::string& org_id, const std::optional<std::string>& platform);
bool name_taken(db::Connection& conn, const std::string& org_id, const std::string& name, const std::string& except_id);
// By id across organisations: a platform's call to /hooks/… proves itself by its signature.
std::optional<Integration> find_for_hook(db::Connection& conn, const std::string& platform, const std::string& id);

// An organisation's own limits for an integration, if it set any.
std::optional<RateLimit> rate_limit(db::Connection& conn, const std::string& org_id, const std::string& integration_id);
void set_rate_limit(db::Connection& conn, const std::string& org_id, const std::string& integration_id,
                    const RateLimit& limit, std::int64_t now);
void remove_rate_limit(db::Connection& conn, const std::string& org_id, const std::string& integration_id);

// Master key rotation: every row's sealed credentials, and writing one back resealed.
struct SealedRow {
  std::string id;
  std::string sealed;
  std::string key_id;
};
std::vector<SealedRow> all_sealed(db::Connection& conn);
void update_sealed(db::Connection& conn, const SealedRow& row);

}  // namespace sb::integrations::store
