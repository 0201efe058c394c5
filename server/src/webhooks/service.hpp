// Inbound deliveries: authenticate, parse, store each message's event and reply job in one group
// commit (duplicates create nothing), refuse when the queue is too deep; event lookup; the simulator.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>

#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "db/batch_writer.hpp"
#include "http/client.hpp"
#include "http/metrics.hpp"
#include "integrations/service.hpp"
#include "jobs/runner.hpp"
#include "usage/service.hpp"
#include "webhooks/model.hpp"
#include "webhooks/store.hpp"

namespace sb::webhooks {

struct WebhookSettings {
  std::int64_t queue_bound = 100000;  // unfinished jobs above which deliveries get 503
  int busy_retry_after_seconds = 30;
};

class WebhookService {
 public:
  WebhookService(db::Database& db, const Clock& clock, integrations::IntegrationService& integrations,
                 db::BatchWriter& writer, jobs::JobRunner& runner, http::Metrics& metrics, http::HttpClient& client,
                 WebhookSettings settings)
      : db_(db), clock_(clock), integrations_(integrations), writer_(writer), runner_(runner), metrics_(metrics),
        client_(client), settings_(settings) {}

  // Calls done exactly once, perhaps from the writer's thread, after the commit is durable.
  // The request's body is moved into the stored event.
  void ingest(const std::string& platform, const std::string& integration_id, integrations::InboundRequest& request,
              std::function<void(Result<IngestOutcome>)> done);

  Result<WebhookEvent> event(const AuthContext& ctx, const std::string& id);

  // A signed delivery sent over HTTP to this server's own endpoint at self_url.
  Result<SimulateOutcome> simulate(const AuthContext& ctx, const std::string& integration_id, const std::string& text,
                                   const std::optional<std::string>& external_user_id);

  // The queue's depth as of the last refresh (jobs not finished), plus what was stored since.
  void refresh_queue_depth();
  std::int64_t queue_depth() const { return queue_depth_.load(); }
  void set_self_url(std::string url) { self_url_ = std::move(url); }
  // Messages are counted against the monthly quota in the ingest transaction (none: not counted).
  void use_usage(usage::UsageService* usage) { usage_ = usage; }
  // Forgets which deployment answers on one integration, or on all (after a deployment, bot or
  // integration changed, here or in another process: ADR 0039).
  void drop_deployment(const std::string& integration_id);
  void drop_all_deployments();

 private:
  class IngestUnit;
  db::Database& db_;
  const Clock& clock_;
  integrations::IntegrationService& integrations_;
  db::BatchWriter& writer_;
  jobs::JobRunner& runner_;
  http::Metrics& metrics_;
  http::HttpClient& client_;
  WebhookSettings settings_;
  // Which deployment answers on an integration, read inside the ingest transaction and kept briefly.
  std::optional<store::Target> deployment_for(db::Connection& conn, const std::string& integration_id, std::int64_t now);

  std::atomic<std::int64_t> queue_depth_{0};
  std::mutex deployments_mu_;
  std::map<std::string, std::pair<std::optional<store::Target>, std::int64_t>> deployments_;
  std::string self_url_;
  usage::UsageService* usage_ = nullptr;
};

// Masks values of keys that look like secrets (token, secret, signature, password) in a JSON
// payload; other payloads are returned as they are.
std::string redact_payload(const std::string& payload);

}  // namespace sb::webhooks
