// App: wires configuration, database, services, routes, the HTTP server and background tasks.
#pragma once

#include <memory>
#include <string>

#include "analytics/service.hpp"
#include "accounts/authenticator.hpp"
#include "accounts/service.hpp"
#include "ai/openrouter.hpp"
#include "ai/reply_engine.hpp"
#include "ai/service.hpp"
#include "apikeys/service.hpp"
#include "billing/service.hpp"
#include "bots/service.hpp"
#include "conversations/service.hpp"
#include "conversions/service.hpp"
#include "deployments/service.hpp"
#include "integrations/service.hpp"
#include "db/batch_writer.hpp"
#include "jobs/runner.hpp"
#include "jobs/service.hpp"
#include "webhooks/service.hpp"
#include "http/client.hpp"
#include "templates/service.hpp"
#include "onboarding/service.hpp"
#include "retention/service.hpp"
#include "audit/service.hpp"
#include "analytics/export.hpp"
#include "analytics/insights.hpp"
#include "mail/mailer.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/master_key.hpp"
#include "db/database.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "ops/scheduler.hpp"
#include "ops/service.hpp"
#include "orgs/service.hpp"
#include "usage/service.hpp"

namespace sb {

namespace db {
class Coordination;
}
namespace cluster {
class SharedRateLimiter;
}

class App {
 public:
  // Opens the database (creating the data folder) and applies pending migrations.
  // clock: tests pass their own to control time; by default the system clock.
  explicit App(Config config, accounts::AccountSettings account_settings = {}, const Clock* clock = nullptr);
  ~App();

  // serve: HTTP plus background tasks. Returns the bound port.
  std::uint16_t start_server();
  // worker: background tasks only.
  void start_background();
  // Graceful stop of whatever was started; waits for it.
  void stop();

  db::Database& database() { return *db_; }
  accounts::AccountService& accounts() { return accounts_; }
  const http::Router& router() const { return router_; }
  const Config& config() const { return config_; }
  jobs::JobRunner& job_runner() { return job_runner_; }
  usage::UsageService& usage() { return usage_; }
  // Plans, entitlements and limits: the one source every service asks (ADR 0034).
  billing::BillingService& billing() { return billing_; }
  retention::RetentionService& retention() { return retention_; }
  analytics::AnalyticsService& analytics() { return analytics_; }
  analytics::InsightService& insights() { return insights_; }
  // Which process runs the singleton tasks, and notifications between processes (ADR 0039).
  db::Coordination& coordination() { return *coordination_; }

 private:
  // The channel that carries "integration:<id>" and "bot:<id>" after a change (ADR 0039).
  static constexpr const char* kChangesChannel = "sb_changes";
  void wire_processes();
  // task, run only while this process holds the singleton lock.
  std::function<std::string()> singleton(std::function<std::string()> task);

  Config config_;
  SystemClock system_clock_;
  const Clock& clock_;
  MasterKeys master_keys_;  // seal stored platform credentials
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<db::Coordination> coordination_;
  std::unique_ptr<cluster::SharedRateLimiter> shared_limiter_;  // PostgreSQL: platform limits of all processes
  std::unique_ptr<mail::Mailer> mailer_;
  usage::UsageService usage_;  // counters of the monthly quota and AI usage
  accounts::TwoFactorService two_factor_;
  accounts::AccountService accounts_;
  apikeys::ApiKeyService api_keys_;
  audit::AuditService audit_;
  http::CurlHttpClient http_client_;
  std::unique_ptr<billing::StripeClient> stripe_;  // set when a Stripe secret key is configured
  billing::BillingService billing_;
  orgs::OrgService orgs_;
  accounts::Authenticator authenticator_;
  ai::CircuitBreakers ai_breakers_;
  http::AsyncHttpClient ai_http_;  // model calls: one thread for all of them
  ai::OpenRouterClient ai_provider_;
  ai::Dispatcher ai_dispatcher_;
  ai::AiSettingsService ai_settings_;  // each organisation's own key and allowed models
  ai::ReplyEngine reply_engine_;
  bots::BotService bots_;
  templates::TemplateService templates_;
  onboarding::OnboardingService onboarding_;  // the dashboard's getting-started checklist
  retention::RetentionService retention_;     // conversations and audit log kept as long as the plan says
  analytics::AnalyticsService analytics_;     // the dashboards' numbers, from the hourly rollups (ADR 0037)
  conversations::ConversationService conversations_;
  deployments::DeploymentService deployments_;
  conversions::ConversionService conversions_;
  integrations::IntegrationService integrations_;
  db::BatchWriter writer_;
  jobs::JobRunner job_runner_;
  jobs::JobService jobs_;
  analytics::ExportService analytics_exports_;  // CSV exports of conversations, messages, events
  analytics::InsightService insights_;          // analytics settings and insight runs
  ops::OpsService ops_;
  ops::Scheduler scheduler_;
  http::Metrics metrics_;
  http::Router router_;
  http::StaticFiles static_files_;
  std::unique_ptr<http::Server> server_;
  // Built once the routes' dependencies exist; declared last so it goes first.
  std::unique_ptr<webhooks::WebhookService> webhooks_;
};

// The platform API endpoints named by the configuration.
integrations::PlatformEndpoints platform_endpoints(const Config& config);

// Opens the configured database, creating the data folder for SQLite.
std::unique_ptr<db::Database> open_configured_database(const Config& config);

}  // namespace sb
