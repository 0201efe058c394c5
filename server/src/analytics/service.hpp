// Analytics rules: ranges in the organisation's time zone, filters, plan gates and permissions,
// and the answers of the dashboard routes (ADR 0037), read from the hourly rollups only.
#pragma once

#include <boost/json.hpp>

#include "analytics/model.hpp"
#include "billing/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::analytics {

// Every metric of ADR 0037 from summed totals; rates with a zero denominator are null.
boost::json::object metrics_json(const Totals& t);
const std::vector<std::string>& metric_keys();

class AnalyticsService {
 public:
  AnalyticsService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  void use_entitlements(billing::EntitlementSource* source) { entitlements_ = source; }

  // GET /api/analytics/overview, series, funnel, breakdown, unanswered: the JSON bodies of ADR 0037.
  Result<boost::json::object> overview_json(const AuthContext& ctx, const Query& q);
  Result<boost::json::object> series_json(const AuthContext& ctx, const Query& q);
  Result<boost::json::object> funnel_json(const AuthContext& ctx, const Query& q, const std::string& by);
  Result<boost::json::object> breakdown_json(const AuthContext& ctx, const Query& q, const std::string& by);
  Result<boost::json::object> unanswered_json(const AuthContext& ctx, const Query& q, std::int64_t limit);

  // The range a query covers (validated), in the organisation's time zone unless tz is given.
  // For callers that resolve a range once (insight runs record it, exports name their file).
  Result<Range> resolve_range(const AuthContext& ctx, const Query& q);

  // The totals of the rollups over [start, end) (template scope applied).
  Totals rollup_totals(const std::string& org_id, std::int64_t start, std::int64_t end, const Filters& filters);
  // switchboard admin analytics-check: the overview metrics of a preset from the rollups and from
  // the raw tables, their timings, and whether they agree ("equal"; unique users within 2 % once
  // the sketch is no longer exact). No permission check: an operator's command.
  Result<boost::json::object> check(const std::string& org_id, const std::string& preset);

 private:
  db::Database& db_;
  const Clock& clock_;
  billing::EntitlementSource* entitlements_ = nullptr;
};

}  // namespace sb::analytics
