// SQL of deployments.
#pragma once

#include <optional>
#include <vector>

#include "db/database.hpp"
#include "deployments/model.hpp"

namespace sb::deployments::store {

void insert(db::Connection& conn, const Deployment& d);
void update(db::Connection& conn, const Deployment& d);
void remove(db::Connection& conn, const std::string& org_id, const std::string& id);
std::optional<Deployment> find(db::Connection& conn, const std::string& org_id, const std::string& id);
std::vector<Deployment> list(db::Connection& conn, const std::string& org_id, const std::optional<std::string>& bot_id);
// A web chat deployment by public key, across organisations: the key in the page is the proof of access.
std::optional<Deployment> find_by_key(db::Connection& conn, const std::string& key);
void set_identity_secret(db::Connection& conn, const std::string& org_id, const std::string& id,
                         const std::string& sealed, const std::string& key_id, std::int64_t at);
// Every sealed identity secret, for a master key rotation (across organisations: the operator's task).
struct SealedSecret {
  std::string id;
  std::string sealed;
  std::string key_id;
};
std::vector<SealedSecret> all_identity_secrets(db::Connection& conn);
void update_identity_secret_seal(db::Connection& conn, const SealedSecret& row);

}  // namespace sb::deployments::store
