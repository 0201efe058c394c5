// Operations: health checks, readiness and the debug report for platform admins.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/migrations.hpp"

namespace sb::ops {

enum class Health { green, amber, red };
std::string health_name(Health h);

struct CheckResult {
  std::string name;
  Health status = Health::green;
  std::string reason;
};

struct Readiness {
  bool ready = false;
  std::string reason;
  double database_latency_ms = 0;
  std::size_t pending_migrations = 0;
};

struct DebugReport {
  std::vector<CheckResult> checks;
  std::string database_driver;
  std::string database;  // the database's description, without credentials
  std::optional<double> database_latency_ms;
  db::MigrationState migrations;
  std::string version;
  std::string commit;
  std::string organization_name;  // of the caller's current organisation
};

}  // namespace sb::ops
