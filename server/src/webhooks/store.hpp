// SQL of webhook events.
#pragma once

#include <optional>

#include "db/database.hpp"
#include "webhooks/model.hpp"

namespace sb::webhooks::store {

// Inserts the event unless its (integration, idempotency key) is already stored; false then.
bool insert_if_new(db::Connection& conn, const WebhookEvent& event);
std::optional<WebhookEvent> find(db::Connection& conn, const std::string& org_id, const std::string& id);
std::optional<WebhookEvent> find_by_key(db::Connection& conn, const std::string& integration_id, const std::string& key);

// The deployment that answers on an integration: its id, bot and whether it is active.
struct Target {
  std::string deployment_id;
  std::string bot_id;
  std::string status;
};
std::optional<Target> deployment_for(db::Connection& conn, const std::string& integration_id);

}  // namespace sb::webhooks::store
