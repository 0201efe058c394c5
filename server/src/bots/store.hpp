// SQL of bots; every query is scoped to an organisation.
#pragma once

#include <optional>
#include <vector>

#include "bots/model.hpp"
#include "db/database.hpp"

namespace sb::bots::store {

void insert(db::Connection& conn, const Bot& bot);
void update(db::Connection& conn, const Bot& bot);
void remove(db::Connection& conn, const std::string& org_id, const std::string& id);
std::optional<Bot> find(db::Connection& conn, const std::string& org_id, const std::string& id);
std::vector<Bot> list(db::Connection& conn, const std::string& org_id);
bool name_taken(db::Connection& conn, const std::string& org_id, const std::string& name, const std::string& except_id);

}  // namespace sb::bots::store
