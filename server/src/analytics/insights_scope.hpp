// What an export or an insight run is about: the analytics range in a time zone and the filters
// (ADR 0037, "Time ranges"), resolved for one organisation by the analytics core's rules.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "analytics/model.hpp"
#include "analytics/service.hpp"
#include "core/auth_context.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::analytics {

struct Scope {
  std::string from, to, tz;               // YYYY-MM-DD in tz, inclusive
  std::int64_t start_ms = 0, end_ms = 0;  // [start, end) in UTC milliseconds
  std::int64_t previous_start_ms = 0, previous_end_ms = 0;  // the same number of days before
  std::int64_t days = 0;
  std::optional<std::string> bot_id, platform, deployment_id, template_id;
  // The filters as a run stores them and the audit log shows them.
  boost::json::object to_json() const;
  // The analytics query that names the same range and filters (for the core's answers).
  Query query() const;
  Filters filters() const { return Filters{bot_id, platform, deployment_id, template_id}; }
};

// A request's parameter by name (a query string or a JSON body).
using ParamGetter = std::function<std::optional<std::string>(const char* name)>;

// Reads the shared analytics parameters (preset, from, to, tz, bot_id, platform, deployment_id,
// template_id): the range as AnalyticsService::resolve_range makes it (422 naming the field), and
// 404 for ids the organisation does not have.
Result<Scope> resolve_scope(AnalyticsService& core, db::Database& db, const AuthContext& ctx, const ParamGetter& get);

}  // namespace sb::analytics
