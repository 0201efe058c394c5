// CSV export of analytics (ADR 0037): the conversations, messages or webhook events of a range,
// written a page at a time so an export of any size holds one page in memory. Cells are quoted as
// RFC 4180 needs and cells a spreadsheet would run as a formula get a leading '.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analytics/export_store.hpp"
#include "analytics/insights_scope.hpp"
#include "billing/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::analytics {

// One CSV cell: formula-safe (= + - @ tab CR at the start get a leading '), quoted when it holds a
// comma, a quote or a line break (quotes doubled).
std::string csv_cell(std::string_view value);

// An export under way: what it covers and where it is.
struct ExportJob {
  std::string org_id;
  std::string kind;  // conversations, messages, events
  Scope scope;
  std::string filename;
  std::optional<store::ExportKey> after;
  std::int64_t rows = 0;
  bool done = false;
};

class ExportService {
 public:
  ExportService(db::Database& db, const Clock& clock, AnalyticsService& core, billing::EntitlementSource& plans)
      : db_(db), clock_(clock), core_(core), plans_(plans) {}

  // Checks the role (analytics.export for conversations, analytics.manage for messages and events)
  // and the plan (csv_export), reads the filters, and records the export in the audit log.
  Result<ExportJob> start(const AuthContext& ctx, const std::string& kind, const ParamGetter& filters);
  // The header row.
  static std::string header(const std::string& kind);
  // Appends the next page of rows to `out`; sets job.done after the last one.
  void next_page(ExportJob& job, std::string& out);

  static constexpr std::int64_t kPageRows = 1000;

 private:
  db::Database& db_;
  const Clock& clock_;
  AnalyticsService& core_;
  billing::EntitlementSource& plans_;
};

}  // namespace sb::analytics
