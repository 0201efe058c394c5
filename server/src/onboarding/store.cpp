// Getting-started SQL.
#include "onboarding/store.hpp"

namespace sb::onboarding::store {

Facts facts(db::Connection& conn, const std::string& org_id) {
  // One round trip; each EXISTS stops at the first row.
  auto row = conn.query_one(
      "SELECT "
      "(SELECT COUNT(*) FROM (SELECT 1 FROM bots WHERE org_id = $1 LIMIT 1) b) AS has_bot, "
      "(SELECT COUNT(*) FROM (SELECT 1 FROM templates WHERE org_id = $1 LIMIT 1) t) AS has_template, "
      "(SELECT COUNT(*) FROM (SELECT 1 FROM integrations WHERE org_id = $1 AND status = 'connected' LIMIT 1) i) "
      "AS has_connected_integration, "
      "(SELECT COUNT(*) FROM (SELECT 1 FROM deployments WHERE org_id = $1 AND status = 'active' LIMIT 1) d) "
      "AS has_active_deployment, "
      "(SELECT COUNT(*) FROM (SELECT 1 FROM conversation_sessions WHERE org_id = $1 LIMIT 1) c) AS has_conversation, "
      "(SELECT COUNT(*) FROM (SELECT 1 FROM organization_members WHERE org_id = $1 LIMIT 2) m) AS members, "
      "(SELECT COUNT(*) FROM (SELECT 1 FROM invites WHERE org_id = $1 AND revoked_at IS NULL LIMIT 1) v) AS invites",
      {org_id});
  Facts f;
  if (!row) return f;
  f.has_bot = row->integer("has_bot") > 0;
  f.has_template = row->integer("has_template") > 0;
  f.has_connected_integration = row->integer("has_connected_integration") > 0;
  f.has_active_deployment = row->integer("has_active_deployment") > 0;
  f.has_conversation = row->integer("has_conversation") > 0;
  f.has_teammate_or_invite = row->integer("members") > 1 || row->integer("invites") > 0;
  return f;
}

}  // namespace sb::onboarding::store
