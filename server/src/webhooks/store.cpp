// Webhook event SQL.
#include "webhooks/store.hpp"

namespace sb::webhooks::store {
namespace {
WebhookEvent from_row(const db::Row& r) {
  return WebhookEvent{r.text("id"),      r.text("org_id"),         r.text("integration_id"), r.text("platform"),
                      r.text("idempotency_key"), r.text("kind"),   r.text("status"),         r.text("payload"),
                      r.text("payload_hash"),    r.integer("received_at")};
}
}  // namespace

bool insert_if_new(db::Connection& conn, const WebhookEvent& e) {
  auto r = conn.query_one(
      "INSERT INTO webhook_events (id, org_id, integration_id, platform, idempotency_key, kind, status, payload, "
      "payload_hash, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
      "ON CONFLICT (integration_id, idempotency_key) DO NOTHING RETURNING id",
      {e.id, e.org_id, e.integration_id, e.platform, e.idempotency_key, e.kind, e.status, e.payload, e.payload_hash,
       e.received_at});
  return r.has_value();
}

std::optional<WebhookEvent> find(db::Connection& conn, const std::string& org_id, const std::string& id) {
  auto r = conn.query_one("SELECT * FROM webhook_events WHERE org_id = $1 AND id = $2", {org_id, id});
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::optional<WebhookEvent> find_by_key(db::Connection& conn, const std::string& integration_id, const std::string& key) {
  auto r = conn.query_one("SELECT * FROM webhook_events WHERE integration_id = $1 AND idempotency_key = $2",
                          {integration_id, key});
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::optional<Target> deployment_for(db::Connection& conn, const std::string& integration_id) {
  auto r = conn.query_one(
      "SELECT id, bot_id, status FROM deployments WHERE integration_id = $1 ORDER BY (status = 'active') DESC, "
      "created_at LIMIT 1",
      {integration_id});
  if (!r) return std::nullopt;
  return Target{r->text("id"), r->text("bot_id"), r->text("status")};
}

}  // namespace sb::webhooks::store
