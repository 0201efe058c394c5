// SQL of the analytics rollups (ADR 0037): upserts of the recorder, range reads of the service,
// and the deletes of backfill and retention. Every statement is scoped to one organisation.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analytics/model.hpp"
#include "analytics/sketch.hpp"
#include "db/database.hpp"

namespace sb::analytics::store {

// The columns of analytics_hourly that are counters, in table order.
enum Counter : int {
  conversations, engaged, resolved, converted, handoffs, first_responses, first_response_ms_sum, rating_asked,
  ratings, rating_sum, rating_1, rating_2, rating_3, rating_4, rating_5, messages_in, messages_out, ai_replies,
  template_replies, fallback_replies, ai_tokens, ai_cost_micros, kCounterCount
};
extern const std::array<const char*, kCounterCount> kCounterNames;
using Counters = std::array<std::int64_t, kCounterCount>;

// The two levels of the rollups (ADR 0037, part D): hourly rows, and daily rows of whole UTC days
// below the organisation's watermark (analytics_daily_until).
enum class Level { hourly, daily };
constexpr std::int64_t kDayMs = 86'400'000;
// The UTC day an instant falls in (ms of its start).
std::int64_t day_of(std::int64_t ms);

// A rollup row's key.
struct RowKey {
  std::string org_id;
  std::int64_t hour = 0;  // the day's start on the daily level
  std::string bot_id;
  std::string platform;
  std::string deployment_id;  // "" when none
  auto operator<=>(const RowKey&) const = default;
};

// Adds to the counters of a row (creating it).
void add_counters(db::Connection& conn, const RowKey& key, const Counters& add, Level level = Level::hourly);
// Adds to the row's first-response histogram (one row per hour, migration 0027: read, add, write
// back; the row is locked on PostgreSQL).
void add_histogram(db::Connection& conn, const RowKey& key, const std::array<std::int64_t, 256>& add,
                   Level level = Level::hourly);
void add_template(db::Connection& conn, const RowKey& key, const std::string& template_id, std::int64_t n,
                  Level level = Level::hourly);
void add_unanswered(db::Connection& conn, const RowKey& key, const std::string& question, std::int64_t n,
                    Level level = Level::hourly);
// Adds users to the row's sketch (read, merge, write back; the row is locked on PostgreSQL).
void merge_users(db::Connection& conn, const RowKey& key, const Sketch& users, Level level = Level::hourly);
// The day's union over every bot, platform and deployment (analytics_users_daily_all, ADR 0037 part
// U): what a read of whole days with no such filter takes.
void merge_users_all(db::Connection& conn, const std::string& org_id, std::int64_t day, const Sketch& users);

// The watermarks of an organisation (analytics_daily_until): daily rows are complete for the UTC
// days before `until`; the zone-day user sketches of `zone` for the local days that end at or
// before `zone_until` (ADR 0037, part U; none while `zone` is UTC).
struct Marks {
  std::int64_t until = 0;
  std::string zone = "UTC";
  std::int64_t zone_until = 0;
};
// `share` as for daily_until; `lock`: FOR UPDATE on PostgreSQL (the compaction).
Marks daily_marks(db::Connection& conn, const std::string& org_id, bool share = false, bool lock = false);
// The zone-day sketches: the organisation's rows deleted and the mark set to (zone, 0) ...
void reset_zone_days(db::Connection& conn, const std::string& org_id, const std::string& zone);
// ... the local day [from, to) filled from the hourly sketches of every key ...
void fill_zone_day(db::Connection& conn, const std::string& org_id, std::int64_t from, std::int64_t to);
// ... and the mark moved.
void set_zone_until(db::Connection& conn, const std::string& org_id, std::int64_t zone_until);
// A late addition to the local day starting at `day`.
void merge_users_zone(db::Connection& conn, const std::string& org_id, std::int64_t day, const Sketch& users);

// The watermark: daily rows are complete for the UTC days before it (0: none). `share` (the
// recorder, inside its transaction) makes sure the row exists and holds it FOR SHARE on
// PostgreSQL, so a compaction moving it waits for this transaction and the other way round.
std::int64_t daily_until(db::Connection& conn, const std::string& org_id, bool share = false);
// Compaction's side: the row created if missing (its own statement, before the transaction) ...
void ensure_daily_until(db::Connection& conn, const std::string& org_id);
// ... then, in the compaction's transaction, read and locked FOR UPDATE on PostgreSQL ...
std::int64_t lock_daily_until(db::Connection& conn, const std::string& org_id);
// ... the daily rows of the UTC days [from, to) rebuilt from the hourly rows ...
void fill_days(db::Connection& conn, const std::string& org_id, std::int64_t from, std::int64_t to);
// ... and moved.
void set_daily_until(db::Connection& conn, const std::string& org_id, std::int64_t until);
// The organisations whose watermark is before `until` (or that have none).
std::vector<std::string> orgs_before(db::Connection& conn, std::int64_t until);
// The first hour with a rollup row of the organisation, if any.
std::optional<std::int64_t> first_hour(db::Connection& conn, const std::string& org_id);

// How a range read groups its rows.
// `period` splits at read()'s `split`: "p" for hours before it, "c" from it on (both periods of a
// comparison in one call). `hour_or_day`: by hour, but whole UTC days below the watermark as one
// group keyed by the day's start (for a series whose points are whole UTC days).
// Every read takes the whole UTC days inside [start, end) below the watermark from the daily
// tables and the rest from the hourly ones (ADR 0037, part D); `hour` reads hourly rows only.
enum class Group { none, hour, bot, platform, deployment, period, hour_or_day };

// The sums of one group: counters, the merged user sketch, the first-response histogram.
struct Partial {
  Counters counters{};
  Sketch users;
  std::array<std::int64_t, 256> histogram{};
};

// What a range read fills in: only what the caller shows is read (part P of ADR 0037).
enum Need : unsigned { need_counters = 1, need_histogram = 2, need_users = 4, need_all = 7 };

// With Group::hour or hour_or_day and `points` (sorted, disjoint [start, end) spans, e.g. a series'
// local days): each row goes straight to the span holding its hour, keyed by the span's start;
// rows outside every span are left out (no partial per hour to merge afterwards).
using Spans = std::vector<std::pair<std::int64_t, std::int64_t>>;
// The index of the span holding `at`, if any.
std::optional<std::size_t> span_of(const Spans& spans, std::int64_t at);
std::map<std::string, Partial> read(db::Connection& conn, const std::string& org_id, std::int64_t start,
                                    std::int64_t end, const Filters& filters, Group group, unsigned need = need_all,
                                    std::int64_t split = 0, const Spans* points = nullptr);
// A series' points that are local days of `zone` not made of whole UTC days (ADR 0037, part U):
// like read() with Group::hour and `points`, but each whole UTC day below the watermark is read
// once from the daily level and given to the point holding its midday, and the day's hours that
// belong to another point are read hourly and moved (subtracted there, added to their own).
// Unique users come from the zone-day sketches when `zone` is the one they were built for and no
// bot, platform or deployment filter applies; else from the hourly sketches.
std::map<std::string, Partial> read_points(db::Connection& conn, const std::string& org_id, std::int64_t start,
                                           std::int64_t end, const Filters& filters, const Spans& points,
                                           const std::string& zone);
// Template uses by template id, most first.
std::vector<std::pair<std::string, std::int64_t>> template_uses(db::Connection& conn, const std::string& org_id,
                                                                std::int64_t start, std::int64_t end,
                                                                const Filters& filters, Group group = Group::none,
                                                                std::map<std::string, std::int64_t>* by_group = nullptr);
std::vector<std::pair<std::string, std::int64_t>> unanswered(db::Connection& conn, const std::string& org_id,
                                                             std::int64_t start, std::int64_t end,
                                                             const Filters& filters, std::int64_t limit);

// Deletes every rollup row of the organisation, both levels and the watermark.
void delete_org(db::Connection& conn, const std::string& org_id);
// Deletes the unanswered-question rows of hours before `before` (retention: they hold user text);
// daily rows of days before it, and the day it falls in rebuilt from its remaining hours.
std::int64_t delete_unanswered_before(db::Connection& conn, const std::string& org_id, std::int64_t before);

// The organisation's time zone (organizations.time_zone).
std::string org_time_zone(db::Connection& conn, const std::string& org_id);
bool org_exists(db::Connection& conn, const std::string& org_id);

}  // namespace sb::analytics::store

namespace sb::analytics::store {
// Display names of the organisation's bots, deployments ("<bot> · <channel>") or templates by id.
std::map<std::string, std::string> names(db::Connection& conn, const std::string& org_id, const std::string& of);
}  // namespace sb::analytics::store
