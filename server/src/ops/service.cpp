// Readiness and the debug report.
#include "ops/service.hpp"

#include <chrono>

#include "core/build_info.hpp"
#include "core/config.hpp"
#include "core/logging.hpp"
#include "orgs/store.hpp"

namespace sb::ops {

std::string health_name(Health h) {
  switch (h) {
    case Health::green: return "green";
    case Health::amber: return "amber";
    case Health::red: return "red";
  }
  return "red";
}

void OpsService::add_check(std::string name, std::function<CheckResult()> check) {
  std::lock_guard lock(mu_);
  checks_.emplace_back(std::move(name), std::move(check));
}

std::optional<double> OpsService::ping(std::string& error) {
  try {
    auto started = std::chrono::steady_clock::now();
    auto conn = db_.acquire();
    conn->query("SELECT 1 AS one");
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  } catch (const std::exception& e) {
    log::warn("database ping failed", {{"error", e.what()}});
    error = "The database did not answer.";
    return std::nullopt;
  }
}

Readiness OpsService::readiness() {
  Readiness r;
  std::string error;
  auto latency = ping(error);
  if (!latency) {
    r.reason = error;
    return r;
  }
  r.database_latency_ms = *latency;
  try {
    r.pending_migrations = db::migration_state(db_).pending.size();
  } catch (const std::exception& e) {
    r.reason = "The migration state could not be read.";
    return r;
  }
  r.ready = r.pending_migrations == 0;
  if (!r.ready) r.reason = std::to_string(r.pending_migrations) + " migration(s) not applied; run `switchboard migrate`.";
  return r;
}

Result<DebugReport> OpsService::debug_report(const AuthContext& ctx) {
  if (!ctx.is_platform_admin) return Error::forbidden("Only platform admins can see the debug page.");
  DebugReport report;
  report.database_driver = std::string(db::dialect_name(db_.dialect()));
  report.database = db_.describe();
  report.version = kVersion;
  report.commit = kGitCommit;
  if (!ctx.org_id.empty()) {
    auto conn = db_.acquire();
    if (auto m = orgs::store::find_membership(*conn, ctx.org_id, ctx.user_id)) report.organization_name = m->org.name;
  }

  std::string error;
  report.database_latency_ms = ping(error);
  if (!report.database_latency_ms) {
    report.checks.push_back({"database", Health::red, error});
  } else {
    double ms = *report.database_latency_ms;
    Health h = ms < 50 ? Health::green : ms < 500 ? Health::amber : Health::red;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g ms round trip", ms);
    report.checks.push_back({"database", h, buf});
    report.migrations = db::migration_state(db_);
    auto pending = report.migrations.pending.size();
    report.checks.push_back({"migrations", pending ? Health::red : Health::green,
                             pending ? std::to_string(pending) + " not applied; run `switchboard migrate`"
                                     : std::to_string(report.migrations.applied.size()) + " applied, none pending"});
  }
  std::vector<std::pair<std::string, std::function<CheckResult()>>> checks;
  {
    std::lock_guard lock(mu_);
    checks = checks_;
  }
  for (auto& [name, check] : checks) {
    try {
      report.checks.push_back(check());
    } catch (const std::exception& e) {
      report.checks.push_back({name, Health::red, "The check failed to run."});
    }
  }
  return report;
}

}  // namespace sb::ops
