// Compaction of the hourly rollups into daily rows (ADR 0037, part D).
#include "analytics/daily.hpp"

#include <algorithm>
#include <vector>

#include "analytics/store.hpp"
#include "analytics/time_range.hpp"

namespace sb::analytics {
namespace {

// One step in the caller's transaction: from the locked watermark up to at most `until`, at most
// `max_days` days. Returns the days compacted, or -1 when the watermark is already at `until`.
std::int64_t step(db::Connection& conn, const std::string& org_id, std::int64_t until, std::int64_t max_days) {
  const std::int64_t from = store::lock_daily_until(conn, org_id);
  if (from >= until) return -1;
  std::int64_t begin = from;
  if (begin == 0) {
    // Nothing compacted yet: start at the organisation's first rollup row (none: nothing to fill).
    auto first = store::first_hour(conn, org_id);
    begin = first ? std::min(store::day_of(*first), until) : until;
  }
  const std::int64_t to = std::min(until, begin + max_days * store::kDayMs);
  if (begin < to) store::fill_days(conn, org_id, begin, to);
  store::set_daily_until(conn, org_id, to);
  return (to - begin) / store::kDayMs;
}

// The zone-day user sketches (part U), in the caller's transaction: the organisation's local days
// that end at or before the UTC watermark, at most `max_days` of them, from where they stopped (all
// again when the organisation's time zone changed). Returns the days filled, or -1 when none.
std::int64_t zone_step(db::Connection& conn, const std::string& org_id, std::int64_t max_days) {
  store::Marks m = store::daily_marks(conn, org_id, false, true);
  const std::string name = store::org_time_zone(conn, org_id);
  if (m.zone != name) {
    store::reset_zone_days(conn, org_id, name);
    m.zone_until = 0;
  }
  const date::time_zone* zone = name == "UTC" ? nullptr : find_zone(name);
  if (!zone) return -1;
  std::int64_t day = 0;
  if (m.zone_until == 0) {
    // The last local midnight by the UTC watermark: with no hourly row before it, the zone days
    // are complete up to it (nothing to fill), so the organisation is not listed again.
    std::int64_t last = local_day(zone, m.until);
    if (day_start(zone, last) > m.until) --last;
    auto first = store::first_hour(conn, org_id);
    if (!first || local_day(zone, *first) >= last) {
      if (m.until > 0) store::set_zone_until(conn, org_id, day_start(zone, last));
      return -1;
    }
    day = local_day(zone, *first);
  } else {
    day = local_day(zone, m.zone_until);
  }
  std::int64_t n = 0, until = m.zone_until;
  for (; n < max_days; ++n, ++day) {
    const std::int64_t from = day_start(zone, day), to = day_start(zone, day + 1);
    if (to > m.until) break;
    store::fill_zone_day(conn, org_id, from, to);
    until = to;
  }
  if (n == 0) return -1;
  store::set_zone_until(conn, org_id, until);
  return n;
}

}  // namespace

std::int64_t compaction_target(std::int64_t now_ms) { return store::day_of(now_ms) - store::kDayMs; }

std::int64_t compact_org(db::Database& db, const std::string& org_id, std::int64_t until) {
  auto conn = db.acquire();
  // The row exists before any transaction locks it (a recorder holding it FOR SHARE makes the
  // compaction wait; see store::daily_until).
  store::ensure_daily_until(*conn, org_id);
  std::int64_t days = 0;
  for (;;) {
    db::Transaction tx(*conn);
    const std::int64_t n = step(*conn, org_id, store::day_of(until), 1);
    tx.commit();
    if (n < 0) break;
    days += n;
  }
  for (;;) {
    db::Transaction tx(*conn);
    const std::int64_t n = zone_step(*conn, org_id, 1);
    tx.commit();
    if (n < 0) break;
  }
  return days;
}

std::int64_t compact_org_in(db::Connection& conn, const std::string& org_id, std::int64_t until) {
  store::ensure_daily_until(conn, org_id);
  const std::int64_t days = std::max<std::int64_t>(0, step(conn, org_id, store::day_of(until), 1'000'000));
  zone_step(conn, org_id, 1'000'000);
  return days;
}

CompactionResult compact_all(db::Database& db, std::int64_t now_ms) {
  std::vector<std::string> orgs;
  const std::int64_t target = compaction_target(now_ms);
  {
    auto conn = db.acquire();
    orgs = store::orgs_before(*conn, target);
  }
  CompactionResult out;
  for (const auto& org : orgs) {
    out.days += compact_org(db, org, target);
    ++out.organizations;
  }
  return out;
}

}  // namespace sb::analytics
