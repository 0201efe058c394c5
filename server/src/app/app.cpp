// App wiring: one place that knows every feature.
#include "app/app.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>

#include "accounts/routes.hpp"
#include "admin/routes.hpp"
#include "analytics/daily.hpp"
#include "analytics/insight_routes.hpp"
#include "ai/routes.hpp"
#include "apikeys/routes.hpp"
#include "audit/routes.hpp"
#include "analytics/recorder.hpp"
#include "analytics/routes.hpp"
#include "billing/routes.hpp"
#include "bots/routes.hpp"
#include "conversations/routes.hpp"
#include "conversions/routes.hpp"
#include "deployments/routes.hpp"
#include "integrations/routes.hpp"
#include "jobs/routes.hpp"
#include "webhooks/routes.hpp"
#include "templates/routes.hpp"
#include "onboarding/routes.hpp"
#include "retention/routes.hpp"
#include "cluster/shared_rate_limiter.hpp"
#include "core/ip_network.hpp"
#include "db/coordination.hpp"
#include "core/logging.hpp"
#include "core/master_key.hpp"
#include "db/migrations.hpp"
#include "ops/routes.hpp"
#include "orgs/routes.hpp"

namespace sb {

std::unique_ptr<db::Database> open_configured_database(const Config& config) {
  std::filesystem::create_directories(config.data_dir);
  return db::open_database(config.effective_database_url(), static_cast<std::size_t>(config.db_pool_size));
}

integrations::PlatformEndpoints platform_endpoints(const Config& config) {
  return {config.telegram_api_base, config.graph_api_base,   config.slack_api_base,
          config.discord_api_base,  config.twilio_api_base, config.platform_timeout_ms};
}

namespace {
jobs::JobSettings job_settings(const Config& config) {
  jobs::JobSettings s;
  s.workers = config.workers;
  // The process's limit, shared evenly by its workers (each sends at most a batch at once).
  if (config.workers > 0)
    s.sends_in_flight = static_cast<std::size_t>((config.sends_in_flight + config.workers - 1) / config.workers);
  s.max_attempts = config.job_max_attempts;
  s.max_attempts_by_platform = config.job_max_attempts_by_platform;
  s.journal_dir = std::filesystem::path(config.data_dir) / "sent-journal";
  // Claimed jobs may wait for the model up to twice what can be in flight (the rest wait in the queue).
  s.parked_max = static_cast<std::size_t>(config.ai_in_flight) * 2;
  s.parked_per_org = static_cast<std::size_t>(config.ai_in_flight_per_org) * 2;
  return s;
}

// Names this process's workers in job logs: host name and process id (and, for a second App in
// one process, as tests start them, its number).
std::string worker_name() {
  static std::atomic<int> apps{0};
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  int n = ++apps;
  std::string name = std::string(host) + ":" + std::to_string(::getpid());
  if (n > 1) name.append("/").append(std::to_string(n));
  return name;
}

MasterKeys load_keys(const Config& config) {
  std::filesystem::create_directories(config.data_dir);
  auto keys = load_master_keys(config.data_dir, config.master_key);
  if (!keys) throw std::runtime_error(keys.error().message);
  return *keys;
}

billing::PlanSet load_plans(const Config& config) {
  if (config.plans_file.empty()) return billing::PlanSet();
  auto plans = billing::load_plans_file(config.plans_file);
  if (!plans) throw std::runtime_error("--plans-file " + plans.error().message);
  return *plans;
}

billing::BillingSettings billing_settings(const Config& config, const std::string& process) {
  billing::BillingSettings s;
  s.enabled = config.billing_enabled();
  s.stripe_configured = config.stripe_configured();
  s.public_base_url = config.effective_public_base_url();
  s.webhook_secret = config.stripe_webhook_secret;
  s.worker_name = "billing " + process;
  return s;
}

std::unique_ptr<db::Database> open_and_migrate(const Config& config, const Clock& clock) {
  auto db = open_configured_database(config);
  auto applied = db::apply_migrations(*db, clock.now_ms());
  if (!applied.empty()) log::info("migrations applied", {{"count", applied.size()}, {"database", db->describe()}});
  return db;
}
}  // namespace

App::App(Config config, accounts::AccountSettings account_settings, const Clock* clock)
    : config_(std::move(config)),
      clock_(clock ? *clock : static_cast<const Clock&>(system_clock_)),
      master_keys_(load_keys(config_)),
      db_(open_and_migrate(config_, clock_)),
      coordination_(std::make_unique<db::Coordination>(
          *db_, db::CoordinationSettings{db_->dialect() == db::Dialect::postgres ? config_.effective_database_url() : "",
                                         worker_name(), std::chrono::milliseconds(config_.leader_retry_ms)})),
      mailer_(config_.smtp_url.empty()
                  ? std::unique_ptr<mail::Mailer>(std::make_unique<mail::OutboxMailer>(*db_, clock_))
                  : std::make_unique<mail::SmtpMailer>(config_.smtp_url, config_.mail_from)),
      usage_(*db_, clock_, *mailer_, config_.effective_public_base_url()),
      two_factor_(*db_, clock_, master_keys_),
      accounts_(*db_, clock_, two_factor_, *mailer_, [&] {
        account_settings.public_base_url = config_.effective_public_base_url();
        account_settings.session_ttl_ms = static_cast<std::int64_t>(config_.session_ttl_days) * 24 * 3600 * 1000;
        // Device cookies are signed with a key derived from the master key; older master keys
        // still verify the cookies they signed.
        if (account_settings.device_keys.empty())
          for (const auto& key : master_keys_.all)
            account_settings.device_keys.push_back(crypto::hmac_sha256(key, "switchboard device cookie key v1"));
        return account_settings;
      }()),
      api_keys_(*db_, clock_),
      audit_(*db_),
      stripe_(config_.stripe_configured()
                  ? std::make_unique<billing::HttpStripeClient>(http_client_, config_.stripe_api_base,
                                                                config_.stripe_secret_key)
                  : nullptr),
      billing_(*db_, clock_, load_plans(config_), billing_settings(config_, coordination_->name()), stripe_.get()),
      orgs_(*db_, clock_, *mailer_, orgs::OrgSettings{config_.effective_public_base_url()}),
      authenticator_(accounts_, api_keys_, orgs_),
      ai_provider_(ai_http_, clock_,
                   ai::OpenRouterSettings{config_.openrouter_base_url, config_.openrouter_api_key,
                                          config_.effective_public_base_url(), config_.ai_timeout_ms},
                   ai_breakers_),
      ai_dispatcher_(ai_provider_, clock_,
                     ai::DispatchSettings{static_cast<std::size_t>(config_.ai_in_flight),
                                          static_cast<std::size_t>(config_.ai_in_flight_per_org)}),
      ai_settings_(*db_, clock_, master_keys_, http_client_, ai_breakers_,
                   ai::AiSettingsConfig{config_.openrouter_base_url, config_.openrouter_api_key, config_.ai_shared_key}),
      reply_engine_(ai_dispatcher_, [this](const std::string& org_id) { return ai_settings_.key_for(org_id); }),
      bots_(*db_, clock_, [this](const std::string& org_id) { return ai_settings_.allowed_models(org_id); }),
      templates_(*db_, clock_),
      onboarding_(*db_),
      retention_(*db_, clock_, billing_, *mailer_, retention::RetentionSettings{.public_base_url = config_.effective_public_base_url()}),
      analytics_(*db_, clock_),
      conversations_(*db_, clock_, reply_engine_,
                     static_cast<std::int64_t>(config_.conversation_inactivity_minutes) * 60 * 1000),
      deployments_(*db_, clock_, conversations_, deployments::WebchatSettings{config_.effective_public_base_url(),
                                                                               config_.webchat_visitor_per_minute,
                                                                               config_.webchat_deployment_per_minute,
                                                                               config_.webchat_address_per_minute},
                   master_keys_),
      conversions_(*db_, clock_, [this](const std::string& token) { return deployments_.visitor_of(token); }),
      integrations_(*db_, clock_, master_keys_, http_client_, platform_endpoints(config_),
                    config_.effective_public_base_url()),
      writer_(*db_),
      job_runner_(*db_, clock_, integrations_, conversations_, job_settings(config_), coordination_->name()),
      jobs_(*db_, clock_, job_runner_),
      analytics_exports_(*db_, clock_, analytics_, billing_),
      insights_(*db_, clock_, analytics_, billing_, usage_, ai_dispatcher_,
                [this](const std::string& org_id) { return ai_settings_.key_for(org_id); },
                [this](const std::string& org_id) { return ai_settings_.allowed_models(org_id); }),
      ops_(*db_, clock_),
      scheduler_(clock_),
      static_files_(http::locate_static_dir(config_.static_dir)) {
  // SQLite writes one transaction at a time: the workers' steps share the deliveries' group
  // commit. PostgreSQL writes from many connections at once, so there each step stays its own.
  if (db_->dialect() == db::Dialect::sqlite) job_runner_.use_writer(&writer_);
  wire_processes();
  // A reply that arrives from a model is recorded by the group commit: the HTTP client's thread
  // hands it over and goes on.
  conversations_.use_writer(&writer_);
  billing_.prepare();
  analytics::set_rollups_enabled(config_.analytics_rollups);
  orgs_.use_billing(&billing_);
  bots_.use_billing(&billing_);
  integrations_.use_billing(&billing_);
  usage_.use_entitlements(&billing_);
  analytics_.use_entitlements(&billing_);
  auto own_key = [this](const std::string& org_id) { return ai_settings_.uses_own_key(org_id); };
  conversations_.use_usage(&usage_, own_key);
  job_runner_.use_usage(&usage_, own_key);
  accounts::add_routes(router_, accounts_, two_factor_, authenticator_, accounts::CookieSettings{config_.cookies_secure()});
  orgs::add_routes(router_, orgs_, accounts_, authenticator_);
  apikeys::add_routes(router_, api_keys_, authenticator_);
  audit::add_routes(router_, audit_, authenticator_);
  admin::add_routes(router_, *db_, authenticator_, billing_);
  billing::add_routes(router_, billing_, authenticator_);
  ai::add_routes(router_, ai_settings_, authenticator_);
  bots::add_routes(router_, bots_, authenticator_);
  templates::add_routes(router_, templates_, authenticator_);
  onboarding::add_routes(router_, onboarding_, authenticator_);
  retention::add_routes(router_, retention_, authenticator_);
  conversations::add_routes(router_, conversations_, ai_provider_, reply_engine_, authenticator_);
  analytics::add_routes(router_, analytics_, authenticator_);
  deployments::add_routes(router_, deployments_, authenticator_, static_files_);
  conversions::add_routes(router_, conversions_, authenticator_);
  integrations::add_routes(router_, integrations_, authenticator_);
  webhooks_ = std::make_unique<webhooks::WebhookService>(
      *db_, clock_, integrations_, writer_, job_runner_, metrics_, http_client_,
      webhooks::WebhookSettings{config_.queue_bound, 30});
  webhooks_->use_usage(&usage_);
  webhooks::add_routes(router_, *webhooks_, authenticator_, clock_, config_.effective_public_base_url());
  jobs::add_routes(router_, jobs_, authenticator_);
  ops::add_routes(router_, ops_, metrics_, authenticator_);
  analytics::add_insight_routes(router_, analytics_exports_, insights_, authenticator_);
  // A model's answer to an insight run is written by the group commit, like a reply's.
  insights_.use_writer(&writer_);
  // Each run records the process that waits for its answer; a run whose process stopped heartbeating
  // will never get it and is failed, the runs of live processes are left alone (ADR 0039).
  // With workers, the job runner's heartbeat row is the process's; without, the service writes its
  // own under another id, so that the rescuer never mistakes it for reply workers' (ADR 0039).
  insights_.use_process(config_.workers > 0 ? job_runner_.process_id() : job_runner_.process_id() + "/insights",
                        job_settings(config_).process_silent_ms);
  if (auto n = insights_.fail_interrupted(); n > 0) log::info("insight runs interrupted", {{"count", n}});

  metrics_.add_gauge_provider([this] {
    auto s = db_->stats();
    return std::vector<std::tuple<std::string, std::string, double>>{
        {"switchboard_db_pool_connections", "Open database connections.", static_cast<double>(s.size)},
        {"switchboard_db_pool_in_use", "Database connections borrowed now.", static_cast<double>(s.in_use)},
        {"switchboard_db_pool_capacity", "Most connections the pool opens.", static_cast<double>(s.capacity)},
        {"switchboard_db_pool_acquired_total", "Connections handed out since start.", static_cast<double>(s.acquired_total)},
        {"switchboard_db_pool_waited_total", "Acquisitions that waited for a free connection.",
         static_cast<double>(s.waited_total)}};
  });
  // The rescuer runs where workers run (a `serve --workers 0` only takes deliveries in), in the
  // one process that holds the singleton lock (ADR 0039).
  if (config_.workers > 0)
    scheduler_.add("lease rescuer", std::chrono::seconds(5), singleton([this] {
      return std::to_string(job_runner_.rescue_expired()) + " jobs of stopped workers queued again";
    }));
  if (config_.workers > 0)
    scheduler_.add("usage reservations", std::chrono::seconds(5), singleton([this] {
      return std::to_string(usage_.release_expired()) + " AI usage reservations of stopped workers released";
    }));
  scheduler_.add("usage warnings", std::chrono::seconds(2), singleton([this] {
    return std::to_string(usage_.send_warnings()) + " usage warnings mailed";
  }));
  scheduler_.add("queue depth", std::chrono::seconds(1), [this] {
    webhooks_->refresh_queue_depth();
    return std::to_string(webhooks_->queue_depth()) + " jobs not finished";
  });
  metrics_.add_gauge_provider([this] {
    auto d = ai_dispatcher_.stats();
    auto breakers = ai_breakers_.counts();
    return std::vector<std::tuple<std::string, std::string, double>>{
        {"switchboard_ai_calls_in_flight", "Model calls waiting for their answer.", static_cast<double>(d.in_flight)},
        {"switchboard_ai_calls_waiting", "Model calls waiting for a free slot (bounds per process and organisation).",
         static_cast<double>(d.waiting)},
        {"switchboard_ai_calls_refused_total", "Model calls not made because the provider or key was marked down.",
         static_cast<double>(d.refused_by_breaker)},
        {"switchboard_ai_keys_down", "Provider keys marked down by their circuit breaker.",
         static_cast<double>(breakers["down"])},
        {"switchboard_ai_keys_need_attention", "Provider keys rejected (401) or out of credit (402).",
         static_cast<double>(breakers["needs_attention"])},
        {"switchboard_jobs_parked", "Reply jobs waiting for a model's answer.", static_cast<double>(job_runner_.parked())}};
  });
  metrics_.add_gauge_provider([this] {
    auto s = writer_.stats();
    return std::vector<std::tuple<std::string, std::string, double>>{
        {"switchboard_jobs_pending", "Reply jobs not finished (queued, processing, failed).",
         static_cast<double>(webhooks_->queue_depth())},
        {"switchboard_ingest_batches_total", "Group commits of the webhook ingest path.", static_cast<double>(s.batches)},
        {"switchboard_ingest_units_total", "Deliveries written through the group commit.", static_cast<double>(s.units)},
        {"switchboard_ingest_queue", "Deliveries waiting for the next group commit.", static_cast<double>(writer_.depth())}};
  });
  // Stripe's events, apart from reply jobs: each one re-reads its subscription and applies it.
  if (config_.billing_event_interval_ms > 0)
    scheduler_.add("stripe events", std::chrono::milliseconds(config_.billing_event_interval_ms), singleton([this] {
      return std::to_string(billing_.process_due_events()) + " Stripe events handled";
    }));
  // Older conversations and audit entries than the plan keeps; a shorter retention is announced first.
  scheduler_.add("retention", std::chrono::hours(1), singleton([this] {
    auto r = retention_.sweep();
    return std::to_string(r.conversations) + " conversations, " + std::to_string(r.events) + " webhook events, " +
           std::to_string(r.audit_entries) + " audit entries removed; " + std::to_string(r.notices) +
           " retention notices sent";
  }));
  // Insight runs of processes that stopped (crashed) are failed within seconds, not at the next start.
  scheduler_.add("insight runs", std::chrono::seconds(5), singleton([this] {
    return std::to_string(insights_.fail_orphaned()) + " insight runs of stopped processes failed";
  }));
  scheduler_.add("housekeeping", std::chrono::minutes(10), singleton([this] {
    return std::to_string(accounts_.purge_expired()) + " expired rows removed";
  }));
  // Whole UTC days before yesterday into the daily analytics rollups (ADR 0037, part D).
  scheduler_.add("analytics daily", std::chrono::minutes(10), singleton([this] {
    auto r = analytics::compact_all(*db_, clock_.now_ms());
    return std::to_string(r.days) + " days of " + std::to_string(r.organizations) + " organizations compacted";
  }));
  if (shared_limiter_)
    scheduler_.add("rate windows", std::chrono::minutes(1), singleton([this] {
      return std::to_string(shared_limiter_->sweep(clock_.now_ms() - 2 * 60 * 1000)) + " ended rate windows removed";
    }));
  ops_.add_check("background tasks", [this] { return scheduler_.health(); });
  ops_.add_check("ai provider", [this] {
    auto s = ai_provider_.status();
    // A breaker that is open: the AI is degraded since then, and replies come from templates.
    auto worst = ai_breakers_.worst();
    if (worst.state == "down")
      return ops::CheckResult{"ai provider", ops::Health::red,
                              "degraded since " + format_rfc3339(worst.since_ms) + ": " + worst.reason +
                                  " Replies come from templates and the fallback until it answers again."};
    if (worst.state == "needs_attention")
      return ops::CheckResult{"ai provider", ops::Health::red,
                              "an OpenRouter key needs attention since " + format_rfc3339(worst.since_ms) + ": " +
                                  worst.reason};
    if (!s.configured)
      return ops::CheckResult{"ai provider", ops::Health::amber,
                              "not configured: replies come from templates (set OPENROUTER_API_KEY)"};
    if (s.last_error_status && s.last_error_at > s.last_success_at) {
      bool fatal = *s.last_error_status == 401 || *s.last_error_status == 402;
      return ops::CheckResult{"ai provider", fatal ? ops::Health::red : ops::Health::amber, s.last_error_reason};
    }
    return ops::CheckResult{"ai provider", ops::Health::green,
                            s.last_success_at ? "answering through " + s.base_url_host
                                              : "configured for " + s.base_url_host + "; no request yet"};
  });
  ops_.add_check("billing", [this] {
    if (!billing_.enabled())
      return ops::CheckResult{"billing", ops::Health::green, "off: every organization is unlimited"};
    if (!config_.stripe_configured())
      return ops::CheckResult{"billing", ops::Health::green, "on without Stripe: platform admins set plans"};
    if (config_.stripe_webhook_secret.empty())
      return ops::CheckResult{"billing", ops::Health::amber,
                              "Stripe has no webhook secret (SWITCHBOARD_STRIPE_WEBHOOK_SECRET): subscriptions are "
                              "never applied"};
    auto [waiting, failed] = billing_.event_queue();
    if (failed > 0)
      return ops::CheckResult{"billing", ops::Health::amber,
                              std::to_string(failed) + " Stripe events failed for good; see stripe_events.last_error"};
    return ops::CheckResult{"billing", ops::Health::green,
                            "Stripe configured; " + std::to_string(waiting) + " events waiting"};
  });
  ops_.add_check("web ui", [this] {
    return static_files_.available()
               ? ops::CheckResult{"web ui", ops::Health::green, "served from " + static_files_.root()}
               : ops::CheckResult{"web ui", ops::Health::amber, "not built; run `make build`"};
  });
}

std::function<std::string()> App::singleton(std::function<std::string()> task) {
  return [this, task = std::move(task)] {
    if (!coordination_->leader()) return std::string("left to the process that holds the singleton lock");
    return task();
  };
}

// Many processes on one PostgreSQL (ADR 0039): platform limits counted in the database, and the
// caches of every process dropped when a bot, deployment, integration, an organisation's AI
// settings or its plan changes in any of them.
void App::wire_processes() {
  if (db_->dialect() == db::Dialect::postgres) {
    shared_limiter_ = std::make_unique<cluster::SharedRateLimiter>(*db_);
    job_runner_.use_limiter(shared_limiter_.get());
  }
  // Payloads are "<kind>:<id>": what changed, so each process drops only that.
  integrations_.on_change([this](const std::string& id) { coordination_->notify(kChangesChannel, "integration:" + id); });
  deployments_.on_change([this](const deployments::Deployment& d) {
    coordination_->notify(kChangesChannel, "integration:" + d.integration_id.value_or(""));
  });
  bots_.on_change([this](const std::string& id) { coordination_->notify(kChangesChannel, "bot:" + id); });
  // An organisation's AI settings (its own key, allowed models) and its plan (an admin's change, a
  // Stripe event applied by the singleton process): "org:<id>" drops both.
  ai_settings_.on_change([this](const std::string& id) { coordination_->notify(kChangesChannel, "org:" + id); });
  billing_.on_change([this](const std::string& id) { coordination_->notify(kChangesChannel, "org:" + id); });
  coordination_->listen(kChangesChannel, [this](const std::string& payload) {
    auto colon = payload.find(':');
    std::string kind = payload.substr(0, colon), id = colon == std::string::npos ? "" : payload.substr(colon + 1);
    if (kind == "integration") {
      integrations_.drop_cached(id);
      if (webhooks_) webhooks_->drop_deployment(id);
    } else if (kind == "bot") {
      // Bots are read afresh for each batch; which deployment answers on an integration may change.
      if (webhooks_) webhooks_->drop_all_deployments();
    } else if (kind == "org") {
      ai_settings_.drop_cached(id);
      billing_.drop_cached(id);
    }
  });
  coordination_->on_reconnect([this] {
    integrations_.drop_all_cached();
    if (webhooks_) webhooks_->drop_all_deployments();
    ai_settings_.drop_all_cached();
    billing_.drop_all_cached();
  });
  metrics_.add_gauge_provider([this] {
    return std::vector<std::tuple<std::string, std::string, double>>{
        {"switchboard_singleton_tasks_here", "1 when this process runs the singleton tasks (rescuer, retention, …).",
         coordination_->leader() ? 1.0 : 0.0},
        {"switchboard_coordination_reconnects_total", "Times the listening connection was opened again (caches dropped).",
         static_cast<double>(coordination_->reconnects())}};
  });
  ops_.add_check("singleton tasks", [this] {
    std::string holder = coordination_->holder();
    if (holder.empty())
      return ops::CheckResult{"singleton tasks", ops::Health::amber,
                              "no process holds the singleton lock now; one takes it within seconds"};
    return ops::CheckResult{"singleton tasks", ops::Health::green,
                            "run by " + holder + (coordination_->leader() ? " (this process)" : "")};
  });
}

App::~App() { stop(); }

std::uint16_t App::start_server() {
  http::ServerOptions options;
  options.host = config_.listen_host;
  options.port = config_.listen_port;
  options.io_threads = config_.io_threads;
  options.blocking_threads = config_.blocking_threads;
  options.default_body_limit = config_.body_limit_bytes;
  options.header_timeout_seconds = config_.header_timeout_seconds;
  options.idle_timeout_seconds = config_.idle_timeout_seconds;
  for (const auto& cidr : config_.trusted_proxies) {
    auto network = parse_ip_network(cidr);
    if (!network) throw std::invalid_argument("trusted proxy '" + cidr + "' is not a network");
    options.trusted_proxies.push_back(*network);
  }
  options.hsts = config_.serves_https();
  server_ = std::make_unique<http::Server>(options, router_, metrics_, &static_files_);
  auto port = server_->start();
  // The simulator posts to this process's own endpoint.
  std::string host = config_.listen_host == "0.0.0.0" || config_.listen_host == "::" ? "127.0.0.1" : config_.listen_host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  webhooks_->set_self_url("http://" + host + ":" + std::to_string(port));
  start_background();
  return port;
}

void App::start_background() {
  coordination_->start();
  webhooks_->refresh_queue_depth();
  job_runner_.start();
  // A process without workers writes no heartbeat of its own; its insight runs need one to count as alive.
  if (config_.workers <= 0) insights_.start_heartbeat(job_settings(config_).heartbeat_ms);
  scheduler_.start();
}

void App::stop() {
  if (server_) {
    server_->stop();
    server_->wait();
    server_.reset();
  }
  job_runner_.stop();
  // Model calls still in flight end here unanswered: their jobs' leases run out and the jobs are
  // taken up again (the replies were not stored, so they are made once more).
  ai_http_.stop();
  insights_.stop_heartbeat();
  scheduler_.stop();
  // Last: the singleton lock goes to another process only once this one's tasks have stopped.
  coordination_->stop();
  writer_.stop();
}

}  // namespace sb
