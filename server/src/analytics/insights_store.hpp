// All SQL of analytics settings and insight runs, and what a run reads (heuristic inputs,
// transcripts). Every query that reads organisation data takes the organisation id.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analytics/insights_model.hpp"
#include "analytics/insights_scope.hpp"
#include "db/database.hpp"

namespace sb::analytics::store {

// kind: bot, deployment, template.
bool exists(db::Connection& conn, const std::string& org_id, const std::string& kind, const std::string& id);

AnalyticsSettings settings(db::Connection& conn, const std::string& org_id);
// Creates the organisation's org_ai_settings row when it has none.
void set_share_transcripts(db::Connection& conn, const std::string& org_id, bool on, std::int64_t now);

// process_id: the process that waits for the run's answer (its heartbeat row, ADR 0040).
void insert_run(db::Connection& conn, const InsightRun& run, const std::string& process_id);
// Writes a run's outcome if it is still running; false when it was not (already failed at start-up).
bool finish_run(db::Connection& conn, const InsightRun& run);
std::optional<InsightRun> find_run(db::Connection& conn, const std::string& org_id, const std::string& id);
// Newest first; `before` is a cursor from an earlier page.
struct RunCursor {
  std::int64_t created_at = 0;
  std::string id;
};
InsightPage list_runs(db::Connection& conn, const std::string& org_id, std::int64_t limit,
                      const std::optional<RunCursor>& before);
// Every run still marked running: failed with `error` (the process that ran it stopped).
std::int64_t fail_running(db::Connection& conn, const std::string& error, std::int64_t now);
// The runs still marked running whose process is gone: no process named (older runs), or a process
// other than `me` whose heartbeat row is missing or older than `alive_since`. Failed with `error`.
std::int64_t fail_orphaned(db::Connection& conn, const std::string& error, std::int64_t now, const std::string& me,
                           std::int64_t alive_since);

// " AND …" conditions on conversation_sessions `s` for the scope's filters (bot, platform,
// deployment), binding their values after those already in `params`.
std::string scope_filters(const Scope& scope, db::Params& params);

// Heuristic inputs over conversations that started in the scope's range (and the previous period).
std::vector<Segment> segments(db::Connection& conn, const std::string& org_id, const Scope& scope);
// The newest conversations of the range with their messages (at most `per_conversation` each).
std::vector<Transcript> recent_transcripts(db::Connection& conn, const std::string& org_id, const Scope& scope,
                                           std::int64_t conversations, std::int64_t per_conversation);

}  // namespace sb::analytics::store
