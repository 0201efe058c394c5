// Command line and environment parsing with CLI11, and validation of every value.
#include "core/config.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <map>
#include <cstdlib>
#include <sstream>

#include "core/build_info.hpp"
#include "core/ip_network.hpp"

namespace sb {

std::string version_string() { return std::string("switchboard ") + kVersion + " (" + kGitCommit + ")"; }

std::string Config::effective_database_url() const {
  if (!database_url.empty()) return database_url;
  return "sqlite:" + data_dir + "/switchboard.db";
}

namespace {
bool is_postgres_url(const std::string& url) {
  return url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0;
}
}  // namespace

std::string Config::effective_public_base_url() const {
  if (!public_base_url.empty()) return public_base_url;
  return "http://" + listen_host + ":" + std::to_string(listen_port);
}

// The flag's check admits only the lowercase schemes.
bool Config::serves_https() const { return public_base_url.rfind("https://", 0) == 0; }

bool Config::cookies_secure() const { return secure_cookies || serves_https(); }

namespace {

// "host:port"; host an IPv4/IPv6 address ([::1]) or "localhost".
std::string parse_listen(const std::string& value, Config& cfg) {
  auto colon = value.rfind(':');
  if (colon == std::string::npos) return "must be host:port, for example 127.0.0.1:8080";
  std::string host = value.substr(0, colon);
  std::string port = value.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  if (ec) return "host '" + host + "' is not an IP address";
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535)
    return "port '" + port + "' must be a number from 0 to 65535";
  cfg.listen_host = host;
  cfg.listen_port = static_cast<std::uint16_t>(std::stoi(port));
  return "";
}

std::string check_database_url(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0 && url.size() > 7) return "";
  if (is_postgres_url(url)) {
    if (!boost::urls::parse_uri(url)) return "is not a valid postgres:// URL";
    return "";
  }
  return "must start with sqlite: or postgres://";
}

std::string check_base_url(const std::string& url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") || parsed->host().empty())
    return "must be an absolute http:// or https:// URL";
  return "";
}

void add_common_options(CLI::App& cmd, Config& cfg) {
  cmd.add_option("--data-dir", cfg.data_dir, "Folder for the SQLite database and master key")
      ->envname("SWITCHBOARD_DATA_DIR");
  cmd.add_option("--database-url", cfg.database_url,
                 "postgres://user:pass@host:port/db, or sqlite:PATH (default sqlite:<data-dir>/switchboard.db)")
      ->envname("DATABASE_URL");
  cmd.add_option("--log-level", cfg.log_level, "trace, debug, info, warn or error")
      ->envname("SWITCHBOARD_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  cmd.add_option("--db-pool-size", cfg.db_pool_size, "Most database connections per process")
      ->envname("SWITCHBOARD_DB_POOL_SIZE")
      ->check(CLI::Range(1, 256));
}

}  // namespace

ParsedCommandLine parse_command_line(const std::vector<std::string>& args) {
  ParsedCommandLine out;
  Config& cfg = out.config;
  std::string listen;

  std::string max_attempts_by_platform;
  CLI::App app{"Switchboard: AI chatbots on every messaging platform", "switchboard"};
  app.set_version_flag("--version", version_string());
  app.require_subcommand(1);

  auto* serve = app.add_subcommand("serve", "Run the HTTP API, web UI, webhooks and embedded workers");
  auto* worker = app.add_subcommand("worker", "Run background workers and schedulers only");
  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
  auto* admin = app.add_subcommand("admin", "Operator tasks");
  admin->require_subcommand(1);
  auto* create_user = admin->add_subcommand("create-user", "Create a user with their own organisation");
  auto* make_admin = admin->add_subcommand("make-admin", "Give an existing user the platform admin role");
  auto* rotate_key = admin->add_subcommand(
      "rotate-master-key",
      "Re-encrypt every stored credential under a new master key (with SWITCHBOARD_MASTER_KEY, the new key comes "
      "from SWITCHBOARD_NEW_MASTER_KEY)");
  auto* set_plan = admin->add_subcommand("set-plan", "Put an organisation on a plan (free, pro, business, unlimited)");

  auto* analytics_backfill = admin->add_subcommand(
      "analytics-backfill", "Rebuild the analytics rollups from the stored conversations and messages");
  auto* analytics_check = admin->add_subcommand(
      "analytics-check", "Compare an organisation's analytics rollups with a recomputation from the raw tables");
  auto* backup = admin->add_subcommand(
      "backup", "Write a consistent copy of the SQLite database to a new file while Switchboard runs");
  auto* migrate_to = admin->add_subcommand(
      "migrate-to", "Copy this installation from its SQLite database into an empty PostgreSQL database");

  for (auto* cmd : {serve, worker, migrate, create_user, make_admin, rotate_key, set_plan, analytics_backfill,
                    analytics_check, backup})
    add_common_options(*cmd, cfg);
  backup->add_option("--to", out.backup.to, "The backup file to write (must not exist)")->required();
  // migrate-to: --database-url names the target, so it has its own options rather than the common ones.
  migrate_to->add_option("--data-dir", cfg.data_dir, "Folder of the SQLite database and master key")
      ->envname("SWITCHBOARD_DATA_DIR");
  migrate_to->add_option("--from", out.migrate_to.from, "The SQLite database (default sqlite:<data-dir>/switchboard.db)");
  migrate_to->add_option("--database-url", out.migrate_to.database_url,
                         "The empty PostgreSQL database: postgres://user:pass@host:port/db")
      ->envname("DATABASE_URL")
      ->required();
  migrate_to->add_option("--batch-rows", out.migrate_to.batch_rows, "Rows read and inserted at a time")
      ->check(CLI::Range(1, 100000));
  migrate_to->add_option("--log-level", cfg.log_level, "trace, debug, info, warn or error")
      ->envname("SWITCHBOARD_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  std::map<CLI::App*, std::string> rollup_flags;
  for (auto* cmd : {serve, worker})
    cmd->add_option("--analytics-rollups", rollup_flags[cmd],
                    "Keep the analytics rollups as messages are recorded: on (default) or off (benchmarks only)")
        ->envname("SWITCHBOARD_ANALYTICS_ROLLUPS")
        ->check(CLI::IsMember({"on", "off"}));
  analytics_backfill->add_option("--org", out.admin.org, "Only this organisation (org_…); default: every one");
  analytics_check->add_option("--org", out.admin.org, "The organisation (org_…)")->required();
  analytics_check->add_option("--preset", out.admin.preset, "today, yesterday, 7d, 30d or 90d")
      ->check(CLI::IsMember({"today", "yesterday", "7d", "30d", "90d"}));
  auto* seed_demo = admin->add_subcommand(
      "seed-demo", "Write realistic demo conversations into an organisation, then rebuild its analytics rollups");
  add_common_options(*seed_demo, cfg);
  {
    auto& a = out.seed_demo;
    auto* org = seed_demo->add_option("--org", a.org, "Seed into this organisation (its id org_… or its exact name)");
    auto* create = seed_demo->add_option("--create-org", a.create_org, "Create a new organisation with this name");
    org->excludes(create);
    seed_demo->add_option("--owner", a.owner, "With --create-org: the email of an existing user who becomes its owner")
        ->needs(create);
    seed_demo->add_option("--conversations", a.conversations, "How many conversations (about 10 messages each)")
        ->required()
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
    seed_demo->add_option("--days", a.days, "Over how many days before now")->check(CLI::Range(1, 730));
    seed_demo->add_option("--seed", a.seed, "The same seed (and --until) writes the same rows");
    seed_demo->add_option("--until", a.until, "Where the data ends: Unix milliseconds (default: now)");
    seed_demo->add_flag("!--no-backfill", a.backfill, "Leave the analytics rollups as they are");
  }
  // Each subcommand keeps its own copy: CLI11 applies environment variables to the options of every
  // subcommand, so a shared variable would let the environment of one overwrite the flag of another.
  struct BillingFlags {
    std::string billing = "auto", plans_file, stripe_secret_key, stripe_webhook_secret,
                stripe_api_base = "https://api.stripe.com";
  };
  std::map<CLI::App*, BillingFlags> billing_flags;
  for (auto* cmd : {serve, worker, set_plan}) {
    BillingFlags& f = billing_flags[cmd];
    cmd->add_option("--billing", f.billing, "Plans and limits: on, off, or auto (on when a Stripe secret key is set)")
        ->envname("SWITCHBOARD_BILLING")
        ->check(CLI::IsMember({"on", "off", "auto"}));
    cmd->add_option("--plans-file", f.plans_file, "JSON file overriding the default plans (see docs/operations.md)")
        ->envname("SWITCHBOARD_PLANS_FILE");
    cmd->add_option("--stripe-secret-key", f.stripe_secret_key,
                    "Stripe secret key sk_… or rk_… (prefer the environment variable)")
        ->envname("SWITCHBOARD_STRIPE_SECRET_KEY");
    cmd->add_option("--stripe-webhook-secret", f.stripe_webhook_secret,
                    "Signing secret whsec_… of the Stripe webhook endpoint /hooks/stripe")
        ->envname("SWITCHBOARD_STRIPE_WEBHOOK_SECRET");
    cmd->add_option("--stripe-api-base", f.stripe_api_base, "Stripe API base URL")
        ->envname("SWITCHBOARD_STRIPE_API_BASE");
  }
  for (auto* cmd : {serve, worker, rotate_key}) {
    cmd->add_option("--master-key", cfg.master_key, "Base64 master key (default: <data-dir>/master.key)")
        ->envname("SWITCHBOARD_MASTER_KEY");
  }
  for (auto* cmd : {serve, worker}) {
    cmd->add_option("--openrouter-base-url", cfg.openrouter_base_url, "OpenRouter API base URL")
        ->envname("OPENROUTER_BASE_URL");
    cmd->add_option("--ai-timeout-ms", cfg.ai_timeout_ms, "Milliseconds one AI request may take")
        ->envname("SWITCHBOARD_AI_TIMEOUT_MS")
        ->check(CLI::Range(100L, 300000L));
    cmd->add_option("--ai-in-flight", cfg.ai_in_flight, "Model calls in flight at once in this process")
        ->envname("SWITCHBOARD_AI_IN_FLIGHT")
        ->check(CLI::Range(1, 100000));
    cmd->add_option("--ai-in-flight-per-org", cfg.ai_in_flight_per_org,
                    "Model calls in flight at once for one organisation (the others' calls are served in turn)")
        ->envname("SWITCHBOARD_AI_IN_FLIGHT_PER_ORG")
        ->check(CLI::Range(1, 100000));
    cmd->add_option("--ai-shared-key", cfg.ai_shared_key,
                    "Whether organisations without their own OpenRouter key use the installation's key (allow or forbid)")
        ->envname("SWITCHBOARD_AI_SHARED_KEY")
        ->transform(CLI::CheckedTransformer(std::map<std::string, bool>{{"allow", true}, {"forbid", false}}));
    cmd->add_option("--conversation-inactivity-minutes", cfg.conversation_inactivity_minutes,
                    "Minutes of silence after which the next message starts a new conversation")
        ->envname("SWITCHBOARD_CONVERSATION_INACTIVITY_MINUTES")
        ->check(CLI::Range(1, 7 * 24 * 60));
    cmd->add_option("--webchat-visitor-limit", cfg.webchat_visitor_per_minute,
                    "Web chat messages one visitor may send per minute")
        ->envname("SWITCHBOARD_WEBCHAT_VISITOR_LIMIT")
        ->check(CLI::Range(1, 1000000));
    cmd->add_option("--webchat-deployment-limit", cfg.webchat_deployment_per_minute,
                    "Web chat messages one deployment accepts per minute")
        ->envname("SWITCHBOARD_WEBCHAT_DEPLOYMENT_LIMIT")
        ->check(CLI::Range(1, 100000000));
    cmd->add_option("--webchat-address-limit", cfg.webchat_address_per_minute,
                    "Web chat messages one client address may send per minute (behind --trusted-proxies, the "
                    "forwarded address)")
        ->envname("SWITCHBOARD_WEBCHAT_ADDRESS_LIMIT")
        ->check(CLI::Range(1, 100000000));
    cmd->add_option("--smtp-url", cfg.smtp_url, "smtp://user:pass@host:587 for invitation mail (default: the outbox)")
        ->envname("SWITCHBOARD_SMTP_URL");
    cmd->add_option("--mail-from", cfg.mail_from, "Sender address of outgoing mail")->envname("SWITCHBOARD_MAIL_FROM");
    cmd->add_option("--telegram-api-base", cfg.telegram_api_base, "Telegram Bot API base URL")
        ->envname("SWITCHBOARD_TELEGRAM_API_BASE");
    cmd->add_option("--graph-api-base", cfg.graph_api_base, "Meta Graph API base URL (WhatsApp, Messenger)")
        ->envname("SWITCHBOARD_GRAPH_API_BASE");
    cmd->add_option("--slack-api-base", cfg.slack_api_base, "Slack Web API base URL")->envname("SWITCHBOARD_SLACK_API_BASE");
    cmd->add_option("--discord-api-base", cfg.discord_api_base, "Discord API base URL")
        ->envname("SWITCHBOARD_DISCORD_API_BASE");
    cmd->add_option("--twilio-api-base", cfg.twilio_api_base, "Twilio API base URL")->envname("SWITCHBOARD_TWILIO_API_BASE");
    cmd->add_option("--platform-timeout-ms", cfg.platform_timeout_ms, "Milliseconds one call to a platform API may take")
        ->envname("SWITCHBOARD_PLATFORM_TIMEOUT_MS")
        ->check(CLI::Range(100L, 120000L));
    cmd->add_option("--workers", cfg.workers, "Reply job workers in this process (0: none)")
        ->envname("SWITCHBOARD_WORKERS")
        ->check(CLI::Range(0, 256));
    cmd->add_option("--sends-in-flight", cfg.sends_in_flight,
                    "Replies waiting for a platform's answer at once in this process (replies to different chats)")
        ->envname("SWITCHBOARD_SENDS_IN_FLIGHT")
        ->check(CLI::Range(1, 4096));
    cmd->add_option("--job-max-attempts", cfg.job_max_attempts, "Sends a reply job may try before it is dead")
        ->envname("SWITCHBOARD_JOB_MAX_ATTEMPTS")
        ->check(CLI::Range(1, 100));
    cmd->add_option("--job-max-attempts-by-platform", max_attempts_by_platform,
                    "Per-platform attempts, e.g. slack=3,twilio=4")
        ->envname("SWITCHBOARD_JOB_MAX_ATTEMPTS_BY_PLATFORM");
    cmd->add_option("--queue-bound", cfg.queue_bound,
                    "Unfinished reply jobs above which deliveries are refused with 503 and Retry-After")
        ->envname("SWITCHBOARD_QUEUE_BOUND")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1000000000}));
  }
  serve->add_option("--listen", listen, "Address and port to listen on (default 127.0.0.1:8080)")
      ->envname("SWITCHBOARD_LISTEN");
  serve->add_option("--public-base-url", cfg.public_base_url, "Public URL of this installation")
      ->envname("SWITCHBOARD_PUBLIC_BASE_URL");
  serve->add_option("--secure-cookies", cfg.secure_cookies, "Mark cookies Secure (behind HTTPS): true or false")
      ->envname("SWITCHBOARD_SECURE_COOKIES");
  std::string trusted_proxies;
  serve->add_option("--trusted-proxies", trusted_proxies,
                    "Comma-separated CIDR list of reverse proxies whose X-Forwarded-For names the client "
                    "(default: none, the headers are ignored)")
      ->envname("SWITCHBOARD_TRUSTED_PROXIES");
  serve->add_option("--static-dir", cfg.static_dir, "Folder of the built web UI (default web/dist)")
      ->envname("SWITCHBOARD_STATIC_DIR");
  serve->add_option("--io-threads", cfg.io_threads, "Threads serving connections")
      ->envname("SWITCHBOARD_IO_THREADS")
      ->check(CLI::Range(1, 64));
  serve->add_option("--blocking-threads", cfg.blocking_threads, "Threads running database work")
      ->envname("SWITCHBOARD_BLOCKING_THREADS")
      ->check(CLI::Range(1, 256));
  serve->add_option("--body-limit", cfg.body_limit_bytes, "Default request body limit in bytes")
      ->envname("SWITCHBOARD_BODY_LIMIT")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{64} * 1024 * 1024));
  serve->add_option("--header-timeout", cfg.header_timeout_seconds, "Seconds to receive a request's headers")
      ->envname("SWITCHBOARD_HEADER_TIMEOUT")
      ->check(CLI::Range(1, 3600));
  serve->add_option("--idle-timeout", cfg.idle_timeout_seconds, "Seconds a keep-alive connection may idle")
      ->envname("SWITCHBOARD_IDLE_TIMEOUT")
      ->check(CLI::Range(1, 3600));
  serve->add_option("--session-ttl-days", cfg.session_ttl_days, "Days a sign-in lasts")
      ->envname("SWITCHBOARD_SESSION_TTL_DAYS")
      ->check(CLI::Range(1, 365));
  for (auto* cmd : {create_user, make_admin})
    cmd->add_option("--email", out.admin.email, "The user's email")->required();
  set_plan->add_option("--org", out.admin.org, "The organisation's id (org_…) or its exact name")->required();
  set_plan->add_option("--plan", out.admin.plan, "free, pro, business or unlimited")
      ->required()
      ->check(CLI::IsMember({"free", "pro", "business", "unlimited"}));
  create_user->add_option("--password", out.admin.password, "At least 10 characters")->required();
  create_user->add_option("--name", out.admin.name, "Display name")->required();

  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  std::ostringstream o, e;
  try {
    app.parse(static_cast<int>(argv.size()), const_cast<char**>(argv.data()));
  } catch (const CLI::ParseError& err) {
    out.exit_code = app.exit(err, o, e);
    out.output = o.str() + e.str();
    out.output_is_error = *out.exit_code != 0;
    return out;
  }

  auto fail = [&](const std::string& msg) {
    out.exit_code = 2;
    out.output = "switchboard: " + msg + "\n";
    out.output_is_error = true;
    return out;
  };
  if (!listen.empty()) {
    if (auto msg = parse_listen(listen, cfg); !msg.empty()) return fail("--listen: " + msg);
  }
  if (!cfg.database_url.empty()) {
    if (auto msg = check_database_url(cfg.database_url); !msg.empty()) return fail("--database-url " + msg);
  }
  if (!cfg.public_base_url.empty()) {
    if (auto msg = check_base_url(cfg.public_base_url); !msg.empty()) return fail("--public-base-url " + msg);
    while (!cfg.public_base_url.empty() && cfg.public_base_url.back() == '/') cfg.public_base_url.pop_back();
  }
  {
    std::stringstream in(trusted_proxies);
    for (std::string item; std::getline(in, item, ',');) {
      const auto first = item.find_first_not_of(" \t");
      if (first == std::string::npos) continue;
      item = item.substr(first, item.find_last_not_of(" \t") - first + 1);
      auto network = parse_ip_network(item);
      if (!network)
        return fail("--trusted-proxies: '" + item +
                    "' is not an IPv4 or IPv6 network; write it as CIDR, e.g. 10.0.0.0/8 or 2001:db8::/32");
      cfg.trusted_proxies.push_back(network->to_string());
    }
  }
  if (cfg.data_dir.empty()) return fail("--data-dir must not be empty");
  if (const char* key = std::getenv("OPENROUTER_API_KEY")) cfg.openrouter_api_key = key;
  if (auto msg = check_base_url(cfg.openrouter_base_url); !msg.empty()) return fail("--openrouter-base-url " + msg);
  for (auto* base : {&cfg.telegram_api_base, &cfg.graph_api_base, &cfg.slack_api_base, &cfg.discord_api_base,
                     &cfg.twilio_api_base}) {
    if (auto msg = check_base_url(*base); !msg.empty()) return fail("platform API base URL '" + *base + "' " + msg);
    while (!base->empty() && base->back() == '/') base->pop_back();
  }
  if (const char* key = std::getenv("SWITCHBOARD_NEW_MASTER_KEY")) cfg.new_master_key = key;
  if (!max_attempts_by_platform.empty()) {
    std::stringstream in(max_attempts_by_platform);
    for (std::string pair; std::getline(in, pair, ',');) {
      auto eq = pair.find('=');
      std::string platform = pair.substr(0, eq);
      std::string n = eq == std::string::npos ? "" : pair.substr(eq + 1);
      static const std::vector<std::string> known = {"telegram", "whatsapp", "messenger", "slack", "discord", "twilio"};
      if (std::find(known.begin(), known.end(), platform) == known.end() || n.empty() || n.size() > 3 ||
          n.find_first_not_of("0123456789") != std::string::npos || std::stoi(n) < 1)
        return fail("--job-max-attempts-by-platform: '" + pair + "' must be platform=attempts, e.g. slack=3");
      cfg.job_max_attempts_by_platform[platform] = std::stoi(n);
    }
  }
  for (auto& [cmd, v] : rollup_flags)
    if (cmd->parsed() && !v.empty()) cfg.analytics_rollups = v == "on";
  for (auto& [cmd, f] : billing_flags)
    if (cmd->parsed()) {
      cfg.billing = f.billing;
      cfg.plans_file = f.plans_file;
      cfg.stripe_secret_key = f.stripe_secret_key;
      cfg.stripe_webhook_secret = f.stripe_webhook_secret;
      cfg.stripe_api_base = f.stripe_api_base;
    }
  if (auto msg = check_base_url(cfg.stripe_api_base); !msg.empty()) return fail("--stripe-api-base " + msg);
  while (!cfg.stripe_api_base.empty() && cfg.stripe_api_base.back() == '/') cfg.stripe_api_base.pop_back();
  // The key's value is never repeated in a message: only its shape is described.
  if (!cfg.stripe_secret_key.empty() && cfg.stripe_secret_key.rfind("sk_", 0) != 0 &&
      cfg.stripe_secret_key.rfind("rk_", 0) != 0)
    return fail("--stripe-secret-key must be a Stripe secret key (sk_… or rk_…)");
  if (!cfg.stripe_webhook_secret.empty() && cfg.stripe_webhook_secret.rfind("whsec_", 0) != 0)
    return fail("--stripe-webhook-secret must be the endpoint's signing secret (whsec_…)");
  if (!cfg.smtp_url.empty() && cfg.smtp_url.rfind("smtp://", 0) != 0 && cfg.smtp_url.rfind("smtps://", 0) != 0)
    return fail("--smtp-url must start with smtp:// or smtps://");

  if (serve->parsed()) out.command = Command::serve;
  else if (worker->parsed()) out.command = Command::worker;
  else if (migrate->parsed()) out.command = Command::migrate;
  else if (create_user->parsed()) out.command = Command::admin_create_user;
  else if (make_admin->parsed()) out.command = Command::admin_make_admin;
  else if (rotate_key->parsed()) out.command = Command::admin_rotate_master_key;
  else if (set_plan->parsed()) out.command = Command::admin_set_plan;
  else if (analytics_backfill->parsed()) out.command = Command::admin_analytics_backfill;
  else if (analytics_check->parsed()) out.command = Command::admin_analytics_check;
  else if (backup->parsed()) out.command = Command::admin_backup;
  else if (migrate_to->parsed()) {
    // The URL is described by its shape only: it may hold a password.
    const auto& target = out.migrate_to.database_url;
    auto parsed = boost::urls::parse_uri(target);
    const bool port_ok = parsed && (!parsed->has_port() || (!parsed->port().empty() && parsed->port().size() <= 5 &&
                                                            parsed->port().find_first_not_of("0123456789") ==
                                                                std::string_view::npos));
    if (!is_postgres_url(target) || !check_database_url(target).empty() || !port_ok || parsed->encoded_host().empty())
      return fail("migrate-to: --database-url must be a valid postgres://user:password@host:port/database URL");
    if (!out.migrate_to.from.empty() && out.migrate_to.from.rfind("sqlite:", 0) != 0)
      return fail("migrate-to: --from must be a sqlite:PATH URL");
    out.command = Command::admin_migrate_to;
  }
  else if (seed_demo->parsed()) {
    if (out.seed_demo.org.empty() == out.seed_demo.create_org.empty()) return fail("seed-demo: give --org or --create-org");
    if (!out.seed_demo.until.empty() && out.seed_demo.until.find_first_not_of("0123456789") != std::string::npos)
      return fail("seed-demo: --until is Unix milliseconds");
    out.command = Command::admin_seed_demo;
  }
  return out;
}

}  // namespace sb
