// What an export or an insight run is about: the analytics range in a time zone and the filters
// (ADR 0037, "Time ranges"), resolved for one organisation. Part A owns the analytics query parser;
// exports and insight runs take a ScopeParser so that they read the same parameters the same way.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

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
};

// A request's parameter by name (a query string or a JSON body).
using ParamGetter = std::function<std::optional<std::string>(const char* name)>;
// Reads and checks the shared analytics parameters for the caller's organisation: 422
// validation_failed naming the field, 404 for ids the organisation does not have.
using ScopeParser = std::function<Result<Scope>(const AuthContext& ctx, const ParamGetter& get)>;

// The parser used until the analytics core's is wired in: presets, from/to, tz (default: the
// organisation's), bot_id, platform, deployment_id, template_id.
Result<Scope> parse_scope(db::Database& db, std::int64_t now_ms, const AuthContext& ctx, const ParamGetter& get);

}  // namespace sb::analytics
