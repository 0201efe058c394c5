// Webhook events: each delivery a platform made, deduplicated on its own id.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "integrations/connector.hpp"

namespace sb::webhooks {

struct WebhookEvent {
  std::string id;
  std::string org_id;
  std::string integration_id;
  std::string platform;
  std::string idempotency_key;
  std::string kind;    // "message", or what was ignored
  std::string status;  // accepted | ignored
  std::string payload;
  std::string payload_hash;
  std::int64_t received_at = 0;
};

// What became of one delivery.
struct IngestOutcome {
  integrations::Acknowledgement ack;  // what the platform gets with its 200
  bool handshake = false;             // answered by the connector; nothing stored
  std::size_t stored = 0;             // new events
  std::size_t duplicates = 0;         // events already stored: nothing new was created
  std::vector<std::string> event_ids;
  std::vector<std::string> job_ids;
};

struct SimulateOutcome {
  std::string event_id;
  std::string job_id;
  bool duplicate = false;
};

}  // namespace sb::webhooks
