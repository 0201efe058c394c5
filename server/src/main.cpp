// switchboard: the command line — serve, worker, migrate and admin tasks.
#include <csignal>
#include <cstdio>
#include <malloc.h>

#include <iomanip>
#include <iostream>

#include "accounts/service.hpp"
#include "admin/backup.hpp"
#include "admin/migrate_to.hpp"
#include "admin/seed_demo.hpp"
#include "analytics/backfill.hpp"
#include "app/app.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/crypto.hpp"
#include "core/logging.hpp"
#include "core/master_key.hpp"
#include "db/migrations.hpp"
#include "integrations/service.hpp"

namespace {

// Blocks SIGINT/SIGTERM in every thread (threads inherit the mask) and waits for one here.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int wait_for_stop_signal(const sigset_t& set) {
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

void print_field_errors(const sb::Error& error) {
  std::cerr << "switchboard: " << error.message << "\n";
  if (auto* fields = error.details.if_contains("fields"))
    for (const auto& kv : fields->as_object())
      std::cerr << "  " << std::string(kv.key()) << ": " << std::string(kv.value().as_string()) << "\n";
}

int run(const sb::ParsedCommandLine& cli) {
  using sb::Command;
  const sb::Config& config = cli.config;
  switch (cli.command) {
    case Command::serve: {
      auto signals = block_stop_signals();
      sb::App app(config);
      auto port = app.start_server();
      std::string url = "http://" + config.listen_host + ":" + std::to_string(port);
      sb::log::info("listening", {{"url", url}, {"database", app.database().describe()}});
      std::cout << "Switchboard is running at " << url << "  (Ctrl+C stops it)" << std::endl;
      int sig = wait_for_stop_signal(signals);
      sb::log::info("stopping", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
      app.stop();
      sb::log::info("stopped");
      return 0;
    }
    case Command::worker: {
      auto signals = block_stop_signals();
      sb::App app(config);
      app.start_background();
      sb::log::info("worker running", {{"database", app.database().describe()}});
      wait_for_stop_signal(signals);
      app.stop();
      return 0;
    }
    case Command::migrate: {
      auto db = sb::open_configured_database(config);
      auto applied = sb::db::apply_migrations(*db, sb::SystemClock().now_ms());
      auto state = sb::db::migration_state(*db);
      std::cout << "Applied " << applied.size() << " migration(s); the database is at version "
                << (state.applied.empty() ? 0 : state.applied.back().version) << " (" << db->describe() << ")."
                << std::endl;
      return 0;
    }
    case Command::admin_create_user: {
      sb::App app(config);
      auto id = app.accounts().create_user(cli.admin.email, cli.admin.password, cli.admin.name);
      if (!id) {
        print_field_errors(id.error());
        return 1;
      }
      std::cout << "Created user " << *id << " <" << cli.admin.email << ">." << std::endl;
      return 0;
    }
    case Command::admin_make_admin: {
      sb::App app(config);
      auto done = app.accounts().make_platform_admin(cli.admin.email);
      if (!done) {
        print_field_errors(done.error());
        return 1;
      }
      std::cout << cli.admin.email << " is now a platform admin." << std::endl;
      return 0;
    }
    case Command::admin_rotate_master_key: {
      auto db = sb::open_configured_database(config);
      sb::db::apply_migrations(*db, sb::SystemClock().now_ms());
      auto keys = sb::load_master_keys(config.data_dir, config.master_key);
      if (!keys) throw std::runtime_error(keys.error().message);
      bool key_file = config.master_key.empty();
      sb::Result<std::string> new_key = std::string();
      if (key_file) {
        new_key = sb::begin_key_file_rotation(config.data_dir);
      } else if (config.new_master_key.empty()) {
        std::cerr << "switchboard: SWITCHBOARD_MASTER_KEY is set, so give the new key in SWITCHBOARD_NEW_MASTER_KEY "
                     "(32 random bytes in base64, e.g. from `openssl rand -base64 32`)."
                  << std::endl;
        return 2;
      } else {
        new_key = sb::decode_master_key(config.new_master_key, "SWITCHBOARD_NEW_MASTER_KEY");
      }
      if (!new_key) throw std::runtime_error(new_key.error().message);
      if (*new_key == keys->primary) throw std::runtime_error("the new master key is the current one");
      auto count = sb::integrations::reseal_all_credentials(*db, *keys, *new_key);
      if (!count) throw std::runtime_error(count.error().message);
      auto secrets = sb::accounts::reseal_all_two_factor_secrets(*db, *keys, *new_key);
      if (!secrets) throw std::runtime_error(secrets.error().message);
      auto ai_keys = sb::ai::reseal_all_keys(*db, *keys, *new_key);
      if (!ai_keys) throw std::runtime_error(ai_keys.error().message);
      auto identity_secrets = sb::deployments::reseal_all_identity_secrets(*db, *keys, *new_key);
      if (!identity_secrets) throw std::runtime_error(identity_secrets.error().message);
      if (key_file) {
        if (auto done = sb::finish_key_file_rotation(config.data_dir); !done)
          throw std::runtime_error(done.error().message);
      }
      std::cout << "Re-encrypted the credentials of " << *count << " integration(s) and " << *secrets
                << " two-factor secret(s) and "
                << *ai_keys << " organization OpenRouter key(s) and " << *identity_secrets
                << " web chat identity secret(s) under the new master key (id "
                << sb::crypto::key_id(*new_key) << ")."
                << (key_file ? " The old key is kept in master.key.previous until you delete it."
                             : " Set SWITCHBOARD_MASTER_KEY to the new key.")
                << " Restart every Switchboard process so it uses the new key." << std::endl;
      return 0;
    }
    case Command::admin_set_plan: {
      sb::App app(config);
      auto done = app.billing().set_plan_from_cli(cli.admin.org, cli.admin.plan);
      if (!done) {
        print_field_errors(done.error());
        return 1;
      }
      std::cout << "Organization " << done->org_id << " is now on the " << done->plan_name << " plan." << std::endl;
      if (!app.billing().enabled())
        std::cout << "Billing is off on this installation, so every organization stays unlimited until it is turned "
                     "on (--billing on, or a Stripe secret key)."
                  << std::endl;
      return 0;
    }
    case Command::admin_analytics_backfill: {
      auto db = sb::open_configured_database(config);
      sb::db::apply_migrations(*db, sb::SystemClock().now_ms());
      std::optional<std::string> org;
      if (!cli.admin.org.empty()) org = cli.admin.org;
      sb::analytics::backfill(*db, org, [](const sb::analytics::BackfillProgress& p) {
        std::cout << "  " << p.org_id << ": " << p.sessions << " conversation(s), " << p.messages << " message(s)"
                  << std::endl;
      });
      std::cout << "Rebuilt the analytics rollups of " << (org ? "organization " + *org : "every organization") << "."
                << std::endl;
      return 0;
    }
    case Command::admin_analytics_check: {
      sb::App app(config);
      auto result = app.analytics().check(cli.admin.org, cli.admin.preset);
      if (!result) {
        print_field_errors(result.error());
        return 1;
      }
      std::cout << boost::json::serialize(*result) << std::endl;
      return result->at("equal").as_bool() ? 0 : 3;
    }
    case Command::admin_seed_demo: {
      auto db = sb::open_configured_database(config);
      sb::db::apply_migrations(*db, sb::SystemClock().now_ms());
      auto keys = sb::load_master_keys(config.data_dir, config.master_key);
      if (!keys) throw std::runtime_error(keys.error().message);
      const auto& a = cli.seed_demo;
      sb::admin::SeedDemoOptions o;
      if (!a.org.empty()) o.org_id = a.org;
      if (!a.create_org.empty()) o.create_org = a.create_org;
      if (!a.owner.empty()) o.owner_email = a.owner;
      o.conversations = a.conversations;
      o.days = a.days;
      o.seed = a.seed;
      o.now_ms = a.until.empty() ? sb::SystemClock().now_ms() : std::stoll(a.until);
      o.master_key = keys->primary;
      o.backfill = a.backfill;
      o.progress = [](const std::string& line) { std::cout << line << std::endl; };
      auto seeded = sb::admin::seed_demo(*db, o);
      if (!seeded) {
        print_field_errors(seeded.error());
        return 1;
      }
      std::cout << std::fixed << std::setprecision(1) << "Seeded organization " << seeded->org_id << ": " << seeded->conversations << " conversations, "
                << seeded->messages << " messages, " << seeded->conversions << " conversions, " << seeded->users
                << " people; rows written in " << seeded->insert_seconds << " s, rollups rebuilt in "
                << seeded->backfill_seconds << " s." << std::endl;
      return 0;
    }
    case Command::admin_backup: {
      auto db = sb::open_configured_database(config);
      auto done = sb::admin::backup_sqlite(*db, cli.backup.to);
      if (!done) {
        print_field_errors(done.error());
        return 1;
      }
      std::cout << std::fixed << std::setprecision(1) << "Backed up " << db->describe() << " to " << done->path << " ("
                << done->bytes << " bytes in " << done->seconds << " s). Keep master.key with it." << std::endl;
      return 0;
    }
    case Command::admin_migrate_to: {
      const auto& a = cli.migrate_to;
      auto source = sb::db::open_database(
          a.from.empty() ? "sqlite:" + config.data_dir + "/switchboard.db" : a.from, 2);
      auto target = sb::db::open_database(a.database_url, 2);
      std::cout << "Copying " << source->describe() << " into " << target->describe() << " …" << std::endl;
      sb::admin::MigrateToOptions o;
      o.batch_rows = a.batch_rows;
      o.progress = [](const std::string& line) { std::cout << line << std::endl; };
      auto done = sb::admin::migrate_to(*source, *target, sb::SystemClock().now_ms(), o);
      if (!done) {
        std::cerr << "switchboard: " << done.error().message << std::endl;
        if (auto* tables = done.error().details.if_contains("tables"))
          std::cerr << "  tables with rows: " << boost::json::serialize(*tables) << std::endl;
        return 1;
      }
      std::cout << "\n" << std::left << std::setw(36) << "table" << std::right << std::setw(12) << "SQLite"
                << std::setw(12) << "PostgreSQL" << "\n";
      for (const auto& t : done->tables)
        std::cout << std::left << std::setw(36) << t.table << std::right << std::setw(12) << t.source_rows
                  << std::setw(12) << t.target_rows << "\n";
      std::cout << std::fixed << std::setprecision(1) << "\nCopied " << done->rows << " rows in "
                << done->tables.size() << " tables (schema version " << done->schema_version << ") in "
                << done->seconds << " s; every table's count matches. Start Switchboard with --database-url "
                << target->describe() << " (and the same master key)." << std::endl;
      return 0;
    }
    case Command::none: break;
  }
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Memory goes back to the system after a burst: large buffers (an export, a big response) are
  // mapped and unmapped on their own instead of staying in the heap (glibc would otherwise raise
  // this threshold to the largest buffer freed so far), and the many threads share a few arenas.
  // Free memory at the top of a heap is kept up to 4 MiB: trimming it at glibc's default 128 KiB
  // gave it back and faulted it in again on every ingest batch (a fifth of the writer's time).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
  mallopt(M_ARENA_MAX, 4);
  std::vector<std::string> args(argv, argv + argc);
  auto cli = sb::parse_command_line(args);
  if (cli.exit_code) {
    (cli.output_is_error ? std::cerr : std::cout) << cli.output;
    return *cli.exit_code;
  }
  try {
    sb::crypto::init();
    sb::log::init(cli.config.log_level);
    return run(cli);
  } catch (const std::exception& e) {
    std::cerr << "switchboard: " << e.what() << std::endl;
    return 1;
  }
}
