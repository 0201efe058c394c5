// Getting-started SQL: one existence check per step, each scoped to one organisation.
#pragma once

#include <string>

#include "db/database.hpp"

namespace sb::onboarding::store {

struct Facts {
  bool has_bot = false;
  bool has_template = false;
  bool has_connected_integration = false;
  bool has_active_deployment = false;
  bool has_conversation = false;
  bool has_teammate_or_invite = false;
};

Facts facts(db::Connection& conn, const std::string& org_id);

}  // namespace sb::onboarding::store
