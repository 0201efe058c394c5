// SQL of the AI settings: one row per organisation that set a key or restricted its models.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ai/model.hpp"
#include "db/database.hpp"

namespace sb::ai::store {

std::optional<OrgAiSettings> find(db::Connection& conn, const std::string& org_id);
void save(db::Connection& conn, const OrgAiSettings& s);

// Every sealed key, for a master key rotation.
struct SealedKey {
  std::string org_id;
  std::string sealed;
  std::string key_id;
};
std::vector<SealedKey> all_sealed(db::Connection& conn);
void update_sealed(db::Connection& conn, const SealedKey& row);

}  // namespace sb::ai::store
