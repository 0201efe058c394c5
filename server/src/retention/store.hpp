// Retention SQL: the policy rows and the batched deletes, each scoped to one organisation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "retention/model.hpp"

namespace sb::retention::store {

std::vector<std::string> organization_ids(db::Connection& conn);
std::optional<Policy> find(db::Connection& conn, const std::string& org_id, Kind kind);
std::vector<Policy> list(db::Connection& conn, const std::string& org_id);
// Applies `days` now (none: keep everything) and forgets any announced change.
void apply(db::Connection& conn, const std::string& org_id, Kind kind, std::optional<std::int64_t> days,
           std::int64_t now);
// Announces `days` from `effective_at`, unless that very change is already announced. True when
// this call announced it (so exactly one process tells the owners).
bool announce(db::Connection& conn, const std::string& org_id, Kind kind, std::int64_t days, std::int64_t effective_at,
              std::int64_t now);
// Whether anything of this kind is older than `cutoff` (Unix ms).
bool has_older_than(db::Connection& conn, const std::string& org_id, Kind kind, std::int64_t cutoff);
// Deletes up to `batch` of the oldest rows older than `cutoff`; returns how many went.
std::int64_t delete_conversations(db::Connection& conn, const std::string& org_id, std::int64_t cutoff, int batch);
// Webhook events (and, by cascade, their reply jobs and attempt logs) whose job is finished or
// that have none; an event whose job can still run stays.
std::int64_t delete_events(db::Connection& conn, const std::string& org_id, std::int64_t cutoff, int batch);
std::int64_t delete_audit_entries(db::Connection& conn, const std::string& org_id, std::int64_t cutoff, int batch);

}  // namespace sb::retention::store
