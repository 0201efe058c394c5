// HTTP routes of analytics exports, analytics settings and insight runs (ADR 0037).
#pragma once

#include "accounts/authenticator.hpp"
#include "analytics/export.hpp"
#include "analytics/insights.hpp"
#include "http/router.hpp"

namespace sb::analytics {

void add_insight_routes(http::Router& router, ExportService& exports, InsightService& insights,
                        const accounts::Authenticator& auth);

}  // namespace sb::analytics
