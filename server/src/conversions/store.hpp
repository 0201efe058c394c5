// SQL of conversions; every query is scoped to an organisation.
#pragma once

#include <optional>

#include "conversions/model.hpp"
#include "db/database.hpp"

namespace sb::conversions::store {

// False when the organisation has a conversion with the same external id already (it is kept).
bool insert(db::Connection& conn, const Conversion& c);
std::optional<Conversion> find_by_external_id(db::Connection& conn, const std::string& org_id,
                                              const std::string& external_id);

}  // namespace sb::conversions::store
