// Usage SQL: counters per organisation, period and metric; AI reservations; warnings sent.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "usage/model.hpp"

namespace sb::usage::store {

// Adds `n` to the metric's settled use and returns the new total. The row is locked until the
// caller's transaction ends, so concurrent adds see each other's totals (the quota decision).
std::int64_t add_used(db::Connection& conn, const std::string& org_id, std::int64_t period_start,
                      const std::string& metric, std::int64_t n);
// Adds `n` only while used + n stays within `limit`; true when it was added.
bool add_used_within(db::Connection& conn, const std::string& org_id, std::int64_t period_start,
                     const std::string& metric, std::int64_t n, std::int64_t limit);
// Settled use of every metric in the period (metrics never used are absent).
std::map<std::string, std::int64_t> used(db::Connection& conn, const std::string& org_id, std::int64_t period_start);
// Reserved (in flight) of every metric in the period.
std::map<std::string, std::int64_t> reserved(db::Connection& conn, const std::string& org_id,
                                             std::int64_t period_start);

struct ReservationRow {
  std::string id;
  std::string org_id;
  std::int64_t period_start = 0;
  std::string metric;
  std::int64_t amount = 0;
  std::optional<std::string> job_id;
  std::int64_t lease_expires_at = 0;
};
// Stores the reservation and adds its amount to the counter's `reserved`.
void reserve(db::Connection& conn, const ReservationRow& r);
// Removes the reservations with this id and takes their amounts off `reserved`; false when there
// were none (released already).
bool release(db::Connection& conn, const std::string& org_id, const std::string& id);
// Reservations whose lease ended before `now` and whose job is not processing under a live lease.
std::vector<ReservationRow> expired_reservations(db::Connection& conn, std::int64_t now, std::int64_t limit);

// Records that the warning went out; false when it had already (once per period and threshold).
bool mark_warning(db::Connection& conn, const std::string& org_id, std::int64_t period_start,
                  const std::string& metric, int threshold, std::int64_t now);
// Takes the record back (the mail could not be sent: the next crossing check tries again).
void unmark_warning(db::Connection& conn, const std::string& org_id, std::int64_t period_start,
                    const std::string& metric, int threshold);

}  // namespace sb::usage::store
