// Configuration of every subcommand, parsed from flags and SWITCHBOARD_* environment variables.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sb {

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string data_dir = "./data";
  std::string database_url;  // empty: sqlite:<data_dir>/switchboard.db
  std::string log_level = "info";
  bool secure_cookies = false;
  std::string public_base_url;  // empty: http://<listen>
  // Reverse proxies (CIDR, e.g. "10.0.0.0/8"; a bare address is one host) whose X-Forwarded-For /
  // Forwarded headers name the client; empty: those headers are ignored.
  std::vector<std::string> trusted_proxies;
  std::string static_dir;       // empty: web/dist beside the working folder or the binary
  int io_threads = 2;
  int blocking_threads = 8;
  int db_pool_size = 8;
  std::size_t body_limit_bytes = 1024 * 1024;
  int header_timeout_seconds = 10;
  int idle_timeout_seconds = 60;
  int session_ttl_days = 30;
  std::string smtp_url;    // smtp://user:pass@host:port; empty: mail goes to the outbox
  std::string mail_from = "switchboard@localhost";
  std::string master_key;
  std::string openrouter_api_key;  // OPENROUTER_API_KEY only (a flag would show in process lists)
  std::string openrouter_base_url = "https://openrouter.ai/api/v1";
  long ai_timeout_ms = 20000;
  int ai_in_flight = 1024;         // model calls in flight at once in this process
  int ai_in_flight_per_org = 64;   // of which one organisation may have
  bool ai_shared_key = true;       // organisations without their own OpenRouter key use OPENROUTER_API_KEY
  int conversation_inactivity_minutes = 30;
  int webchat_visitor_per_minute = 20;
  int webchat_deployment_per_minute = 600;
  int webchat_address_per_minute = 300;  // per client address, whatever visitor ids it sends
  // Platform API base URLs (tests and the sandbox point them at local fakes).
  std::string telegram_api_base = "https://api.telegram.org";
  std::string graph_api_base = "https://graph.facebook.com/v21.0";  // WhatsApp Cloud API and Messenger
  std::string slack_api_base = "https://slack.com/api";
  std::string discord_api_base = "https://discord.com/api/v10";
  std::string twilio_api_base = "https://api.twilio.com";
  long platform_timeout_ms = 5000;  // one verify or send call to a platform
  int workers = 8;                   // reply job workers in this process (0: none)
  int sends_in_flight = 256;         // replies waiting for a platform at once (a round trip takes tens of ms)
  int job_max_attempts = 6;
  std::map<std::string, int> job_max_attempts_by_platform;  // "slack=3,twilio=4"
  std::int64_t queue_bound = 100000;  // unfinished jobs above which deliveries get 503
  std::string new_master_key;       // admin rotate-master-key with SWITCHBOARD_MASTER_KEY: SWITCHBOARD_NEW_MASTER_KEY
  // Billing (ADR 0034): on, off, or auto (on when a Stripe secret key is set).
  std::string billing = "auto";
  bool analytics_rollups = true;  // --analytics-rollups on|off (off only to measure what they cost)
  std::string plans_file;             // empty: the default plans
  std::string stripe_secret_key;      // never logged or shown
  std::string stripe_webhook_secret;  // whsec_…; never logged or shown
  std::string stripe_api_base = "https://api.stripe.com";
  // How often the scheduler runs the queue of Stripe events; 0: never (tests drive it themselves).
  int billing_event_interval_ms = 1000;
  // How often a process that does not run the singleton tasks tries to take them over (ADR 0039).
  int leader_retry_ms = 2000;

  // The one decision whether plans and limits apply.
  bool billing_enabled() const { return billing == "on" || (billing == "auto" && !stripe_secret_key.empty()); }
  bool stripe_configured() const { return !stripe_secret_key.empty(); }

  std::string effective_database_url() const;
  std::string effective_public_base_url() const;
  // The installation is reached over HTTPS (its public base URL says https://): responses carry
  // Strict-Transport-Security.
  bool serves_https() const;
  // The one decision whether cookies are marked Secure: --secure-cookies, or served over HTTPS.
  bool cookies_secure() const;
};

enum class Command {
  none,
  serve,
  worker,
  migrate,
  admin_create_user,
  admin_make_admin,
  admin_rotate_master_key,
  admin_set_plan,
  admin_seed_demo,
  admin_analytics_backfill,
  admin_analytics_check,
  admin_migrate_to,
  admin_backup
};

struct AdminUserArgs {
  std::string email;
  std::string password;
  std::string name;
  std::string org;   // set-plan: organisation id or name
  std::string plan;  // set-plan: plan key
  std::string preset = "30d";  // analytics-check: the range compared
};

// admin seed-demo (server/src/admin/seed_demo.hpp).
struct SeedDemoArgs {
  std::string org, create_org, owner;
  std::int64_t conversations = 10000;
  int days = 90;
  std::uint64_t seed = 1;
  std::string until;  // the data ends at this time (Unix ms); "" = now
  bool backfill = true;
};

// admin migrate-to (server/src/admin/migrate_to.hpp) and admin backup (server/src/admin/backup.hpp).
struct MigrateToArgs {
  std::string from;          // the SQLite source; "" = sqlite:<data-dir>/switchboard.db
  std::string database_url;  // the PostgreSQL target
  std::int64_t batch_rows = 1000;
};
struct BackupArgs {
  std::string to;  // the new backup file
};

struct ParsedCommandLine {
  Command command = Command::none;
  Config config;
  AdminUserArgs admin;
  SeedDemoArgs seed_demo;
  MigrateToArgs migrate_to;
  BackupArgs backup;
  // Set when the program should stop right away (help, version, or an error): what to print,
  // where, and the exit code.
  std::optional<int> exit_code;
  std::string output;
  bool output_is_error = false;
};

// Parses argv (argv[0] included). Environment variables are read through getenv.
ParsedCommandLine parse_command_line(const std::vector<std::string>& args);

std::string version_string();

}  // namespace sb
