// Ops service: readiness, health checks registered by each feature, the debug report.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "ops/model.hpp"

namespace sb::ops {

class OpsService {
 public:
  OpsService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // Features add their own checks (AI provider, job workers, …); each runs when /debug is read.
  void add_check(std::string name, std::function<CheckResult()> check);
  Readiness readiness();
  // Platform admins only; everyone else is refused with forbidden.
  Result<DebugReport> debug_report(const AuthContext& ctx);

 private:
  // Round trip of a trivial query, or nullopt with the reason when the database does not answer.
  std::optional<double> ping(std::string& error);
  db::Database& db_;
  const Clock& clock_;
  std::mutex mu_;
  std::vector<std::pair<std::string, std::function<CheckResult()>>> checks_;
};

}  // namespace sb::ops
