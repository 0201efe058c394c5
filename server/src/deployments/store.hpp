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

}  // namespace sb::deployments::store
