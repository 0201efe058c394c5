// HTTP routes of the analytics dashboards (ADR 0037): overview, series, funnel, breakdown, unanswered.
#pragma once

#include <set>

#include "accounts/authenticator.hpp"
#include "analytics/service.hpp"
#include "http/router.hpp"

namespace sb::analytics {

// The query of an analytics request: every parameter known and well-formed, or a 422 naming it.
// extra: further parameters the route accepts (by, limit, kind).
Result<Query> parse_query(const http::Request& req, const std::set<std::string>& extra = {});
void add_routes(http::Router& router, AnalyticsService& analytics, const accounts::Authenticator& auth);

}  // namespace sb::analytics
