// Analytics queries (ADR 0037): every answer is summed from the hourly rollups, never from messages.
#include "analytics/service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "analytics/raw.hpp"
#include "analytics/store.hpp"
#include <chrono>
#include "analytics/time_range.hpp"
#include "billing/service.hpp"
#include "bots/store.hpp"
#include "core/json.hpp"
#include "deployments/store.hpp"
#include "orgs/permissions.hpp"
#include "templates/store.hpp"

namespace sb::analytics {
namespace json = boost::json;
using store::Counter;

namespace {

constexpr std::int64_t kHour = 3'600'000;

const std::set<std::string> kPlatforms = {"webchat", "telegram", "whatsapp", "messenger", "slack", "discord", "twilio"};

std::string platform_label(const std::string& p) {
  static const std::map<std::string, std::string> labels = {
      {"webchat", "Web chat"}, {"telegram", "Telegram"}, {"whatsapp", "WhatsApp"}, {"messenger", "Messenger"},
      {"slack", "Slack"},      {"discord", "Discord"},   {"twilio", "SMS (Twilio)"}, {"console", "Test console"}};
  auto it = labels.find(p);
  return it == labels.end() ? p : it->second;
}

// A resolved request: ranges, zone, filters.
struct Resolved {
  Range range;
  std::optional<Range> previous;
  const date::time_zone* zone = nullptr;
  Filters filters;
  billing::Plan plan;
  bool advanced = true;
};

Totals totals_of(const store::Partial& p) {
  Totals t;
  const auto& c = p.counters;
  t.conversations = c[Counter::conversations];
  t.engaged = c[Counter::engaged];
  t.resolved = c[Counter::resolved];
  t.converted = c[Counter::converted];
  t.handoffs = c[Counter::handoffs];
  t.first_responses = c[Counter::first_responses];
  t.first_response_ms_sum = c[Counter::first_response_ms_sum];
  t.rating_asked = c[Counter::rating_asked];
  t.ratings = c[Counter::ratings];
  t.rating_sum = c[Counter::rating_sum];
  for (int i = 0; i < 5; ++i) t.rating_counts[i] = c[Counter::rating_1 + i];
  t.messages_in = c[Counter::messages_in];
  t.messages_out = c[Counter::messages_out];
  t.ai_replies = c[Counter::ai_replies];
  t.template_replies = c[Counter::template_replies];
  t.fallback_replies = c[Counter::fallback_replies];
  t.ai_tokens = c[Counter::ai_tokens];
  t.ai_cost_micros = c[Counter::ai_cost_micros];
  t.unique_users = p.users.count();
  t.first_response_histogram = p.histogram;
  return t;
}

void merge_into(store::Partial& into, const store::Partial& from) {
  for (int i = 0; i < store::kCounterCount; ++i) into.counters[i] += from.counters[i];
  into.users.merge(from.users);
  for (int b = 0; b < 256; ++b) into.histogram[b] += from.histogram[b];
}

// template_id narrows message metrics to that template's replies (ADR 0037).
void scope_to_template(Totals& t, std::int64_t uses) {
  t.messages_in = 0;
  t.messages_out = uses;
  t.template_replies = uses;
  t.ai_replies = t.fallback_replies = t.ai_tokens = t.ai_cost_micros = 0;
}

json::value ratio(std::int64_t num, std::int64_t den) {
  if (den == 0) return nullptr;
  return static_cast<double>(num) / static_cast<double>(den);
}
json::value opt_int(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object range_json(const Range& r) {
  return {{"from", r.from},   {"to", r.to},   {"tz", r.tz}, {"start", format_rfc3339(r.start)},
          {"end", format_rfc3339(r.end)}, {"granularity", r.granularity}, {"days", r.days}};
}

}  // namespace

const std::vector<std::string>& metric_keys() {
  static const std::vector<std::string> keys = {
      "conversations",   "engaged",           "resolved",          "converted",         "handoffs",
      "unique_users",    "messages_in",       "messages_out",      "ai_replies",        "template_replies",
      "fallback_replies", "ai_tokens",        "ai_cost_micros",    "first_response_p50_ms", "first_response_p90_ms",
      "resolution_rate", "handoff_rate",      "fallback_rate",     "conversion_rate",   "ratings",
      "satisfaction_average", "satisfaction_response_rate"};
  return keys;
}

json::object metrics_json(const Totals& t) {
  json::object m;
  m["conversations"] = t.conversations;
  m["engaged"] = t.engaged;
  m["resolved"] = t.resolved;
  m["converted"] = t.converted;
  m["handoffs"] = t.handoffs;
  m["unique_users"] = t.unique_users;
  m["messages_in"] = t.messages_in;
  m["messages_out"] = t.messages_out;
  m["ai_replies"] = t.ai_replies;
  m["template_replies"] = t.template_replies;
  m["fallback_replies"] = t.fallback_replies;
  m["ai_tokens"] = t.ai_tokens;
  m["ai_cost_micros"] = t.ai_cost_micros;
  m["first_response_p50_ms"] = opt_int(histogram_percentile(t.first_response_histogram, 0.5));
  m["first_response_p90_ms"] = opt_int(histogram_percentile(t.first_response_histogram, 0.9));
  m["resolution_rate"] = ratio(t.resolved, t.conversations);
  m["handoff_rate"] = ratio(t.handoffs, t.conversations);
  m["fallback_rate"] = ratio(t.fallback_replies, t.messages_out);
  m["conversion_rate"] = ratio(t.converted, t.conversations);
  m["ratings"] = t.ratings;
  m["satisfaction_average"] = ratio(t.rating_sum, t.ratings);
  m["satisfaction_response_rate"] = ratio(t.ratings, t.rating_asked);
  return m;
}

namespace {

// Sums the rollups of [start, end) into one Totals (template scope applied).
Totals sum_range(db::Connection& conn, const std::string& org_id, std::int64_t start, std::int64_t end,
                 const Filters& f) {
  auto parts = store::read(conn, org_id, start, end, f, store::Group::none);
  store::Partial all;
  for (const auto& [k, p] : parts) merge_into(all, p);
  Totals t = totals_of(all);
  if (f.template_id) {
    auto uses = store::template_uses(conn, org_id, start, end, f);
    scope_to_template(t, uses.empty() ? 0 : uses.front().second);
  }
  return t;
}

struct Point {
  std::string label;
  std::int64_t start = 0;
  std::int64_t end = 0;
};

std::vector<Point> points_of(const Range& r, const date::time_zone* zone) {
  std::vector<Point> out;
  if (r.granularity == "hour") {
    for (std::int64_t h = r.start; h < r.end; h += kHour) out.push_back({local_label(zone, h), h, h + kHour});
    return out;
  }
  const std::int64_t first = *parse_day(r.from);
  for (std::int64_t d = first; d < first + r.days; ++d)
    out.push_back({format_day(d), day_start(zone, d), day_start(zone, d + 1)});
  return out;
}

// The rollups of [start, end) by UTC hour: what a series' points are summed from.
struct Hours {
  std::map<std::string, store::Partial> parts;
  std::map<std::int64_t, std::int64_t> template_uses;  // by hour, with a template filter
};

// `days`: every point is whole UTC days, so whole days below the watermark come as one daily row
// keyed by the day's start (ADR 0037, part D); else hourly rows only.
// `spans`: the points of both periods, sorted: rows are summed per point in the store.
// `zone_days`: the points are local days of that zone that straddle UTC days: the daily level by
// subtraction and the zone-day user sketches (part U).
Hours read_hours(db::Connection& conn, const std::string& org_id, std::int64_t start, std::int64_t end,
                 const Filters& f, bool days, const store::Spans& spans, const std::optional<std::string>& zone_days) {
  Hours out;
  const auto group = days ? store::Group::hour_or_day : store::Group::hour;
  out.parts = zone_days ? store::read_points(conn, org_id, start, end, f, spans, *zone_days)
                        : store::read(conn, org_id, start, end, f, group, store::need_all, 0, &spans);
  if (f.template_id) {
    std::map<std::string, std::int64_t> by;
    store::template_uses(conn, org_id, start, end, f, group, &by);
    for (const auto& [h, n] : by) out.template_uses[std::stoll(h)] = n;
  }
  return out;
}

// Sums the hours that fall in each point; hours outside every point are left out, so one read
// can serve the current and the previous period.
std::vector<Totals> series_totals(const Hours& hours, const std::vector<Point>& points, const Filters& f) {
  std::vector<store::Partial> sums(points.size());
  std::vector<std::int64_t> uses(points.size(), 0);
  auto index_of = [&points](std::int64_t h) -> std::optional<std::size_t> {
    auto it = std::upper_bound(points.begin(), points.end(), h, [](std::int64_t v, const Point& p) { return v < p.start; });
    if (it == points.begin()) return std::nullopt;
    --it;
    if (h >= it->end) return std::nullopt;
    return static_cast<std::size_t>(it - points.begin());
  };
  for (const auto& [key, part] : hours.parts)
    if (auto i = index_of(std::stoll(key))) merge_into(sums[*i], part);
  for (const auto& [h, n] : hours.template_uses)
    if (auto i = index_of(h)) uses[*i] += n;
  std::vector<Totals> out;
  for (std::size_t i = 0; i < points.size(); ++i) {
    out.push_back(totals_of(sums[i]));
    if (f.template_id) scope_to_template(out.back(), uses[i]);
  }
  return out;
}

}  // namespace

Result<Range> AnalyticsService::resolve_range(const AuthContext& ctx, const Query& q) {
  std::map<std::string, std::string> errors;
  std::string tz_name;
  if (q.tz) {
    tz_name = *q.tz;
  } else {
    auto conn = db_.acquire();
    tz_name = store::org_time_zone(*conn, ctx.org_id);
  }
  const date::time_zone* zone = find_zone(tz_name);
  if (!zone) return Error::validation({{"tz", "Choose a time zone such as Europe/Berlin or UTC."}});
  const std::int64_t today = local_day(zone, clock_.now_ms());
  std::int64_t from = 0, to = 0;
  if (q.from || q.to) {
    if (q.preset) errors["preset"] = "Use either a preset or from and to.";
    auto f = q.from ? parse_day(*q.from) : std::nullopt;
    auto t = q.to ? parse_day(*q.to) : std::nullopt;
    if (!f) errors["from"] = "Use a date such as 2026-11-05.";
    if (!t) errors["to"] = "Use a date such as 2026-12-04.";
    if (f && t) {
      from = *f;
      to = *t;
      if (from > to) errors["from"] = "The start must not be after the end.";
      else if (to - from + 1 > 366) errors["to"] = "Choose at most 366 days.";
    }
  } else {
    const std::string preset = q.preset.value_or("30d");
    static const std::map<std::string, std::pair<std::int64_t, std::int64_t>> presets = {
        {"today", {0, 0}}, {"yesterday", {1, 1}}, {"7d", {6, 0}}, {"30d", {29, 0}}, {"90d", {89, 0}}};
    auto it = presets.find(preset);
    if (it == presets.end()) {
      errors["preset"] = "Use today, yesterday, 7d, 30d or 90d.";
    } else {
      from = today - it->second.first;
      to = today - it->second.second;
    }
  }
  if (!errors.empty()) return Error::validation(std::move(errors));
  Range r;
  r.from = format_day(from);
  r.to = format_day(to);
  r.tz = tz_name;
  r.days = to - from + 1;
  r.start = day_start(zone, from);
  r.end = day_start(zone, to + 1);
  r.granularity = r.days <= 2 ? "hour" : "day";
  return r;
}

namespace {
Range previous_of(const Range& r, const date::time_zone* zone) {
  const std::int64_t from = *parse_day(r.from);
  Range p = r;
  p.from = format_day(from - r.days);
  p.to = format_day(from - 1);
  p.start = day_start(zone, from - r.days);
  p.end = day_start(zone, from);
  return p;
}
}  // namespace

// Permission, plan, range and filters of one request; Error when any is wrong.
static Result<Resolved> resolve(AnalyticsService& self, db::Database& db, billing::EntitlementSource* entitlements,
                                const AuthContext& ctx, const Query& q, bool needs_advanced) {
  if (!orgs::can(ctx, orgs::Action::analytics_read)) return Error::forbidden("You cannot see this organization's analytics.");
  Resolved out;
  if (entitlements) {
    auto e = entitlements->entitlements(ctx.org_id);
    out.plan = e.plan;
    out.advanced = e.plan.features.advanced_analytics;
  }
  if (!out.advanced && (needs_advanced || q.deployment_id || q.template_id))
    return billing::feature_not_in_plan("advanced_analytics", out.plan);
  std::map<std::string, std::string> errors;
  if (q.platform && !kPlatforms.count(*q.platform) && *q.platform != "console")
    errors["platform"] = "Use one of webchat, telegram, whatsapp, messenger, slack, discord, twilio.";
  auto range = self.resolve_range(ctx, q);
  if (!range) {
    for (const auto& [k, v] : range.error().details) {
      if (k == "fields" && v.is_object())
        for (const auto& [f, m] : v.as_object()) errors[std::string(f)] = json::value_to<std::string>(m);
    }
    if (errors.empty()) return range.error();
  }
  if (!errors.empty()) return Error::validation(std::move(errors));
  out.range = *range;
  out.zone = find_zone(out.range.tz);
  if (q.compare) out.previous = previous_of(out.range, out.zone);
  auto conn = db.acquire();
  if (q.bot_id && !bots::store::find(*conn, ctx.org_id, *q.bot_id)) return Error::not_found("No such bot.");
  if (q.deployment_id && !deployments::store::find(*conn, ctx.org_id, *q.deployment_id))
    return Error::not_found("No such deployment.");
  if (q.template_id && !templates::store::find(*conn, ctx.org_id, *q.template_id))
    return Error::not_found("No such template.");
  out.filters = Filters{q.bot_id, q.platform, q.deployment_id, q.template_id};
  return out;
}

Totals AnalyticsService::rollup_totals(const std::string& org_id, std::int64_t start, std::int64_t end,
                                       const Filters& filters) {
  auto conn = db_.acquire();
  return sum_range(*conn, org_id, start, end, filters);
}

Result<json::object> AnalyticsService::check(const std::string& org_id, const std::string& preset) {
  {
    auto conn = db_.acquire();
    if (!store::org_exists(*conn, org_id)) return Error::not_found("No such organization.");
  }
  AuthContext ctx;
  ctx.org_id = org_id;
  Query q;
  q.preset = preset;
  auto range = resolve_range(ctx, q);
  if (!range) return range.error();
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  Totals rollups = rollup_totals(org_id, range->start, range->end, {});
  auto t1 = clock::now();
  Totals raw_totals;
  {
    auto conn = db_.acquire();
    raw_totals = raw::totals(*conn, org_id, range->start, range->end, {});
  }
  auto t2 = clock::now();
  json::object a = metrics_json(rollups), b = metrics_json(raw_totals);
  json::array differences;
  for (const auto& key : metric_keys()) {
    if (a[key] == b[key]) continue;
    if (key == "unique_users" && rollups.unique_users > static_cast<std::int64_t>(Sketch::kExactMax) &&
        // HyperLogLog with 2^12 registers has a standard error of 1.04/sqrt(4096) = 1.6 %: 3σ is 5 %.
        std::abs(rollups.unique_users - raw_totals.unique_users) <= raw_totals.unique_users / 20)
      continue;
    differences.push_back(json::value(key));
  }
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  return json::object{{"org_id", org_id},
                      {"range", range_json(*range)},
                      {"rollups", std::move(a)},
                      {"raw", std::move(b)},
                      {"rollups_ms", ms(t1 - t0)},
                      {"raw_ms", ms(t2 - t1)},
                      {"speedup", ms(t1 - t0) > 0 ? json::value(ms(t2 - t1) / ms(t1 - t0)) : json::value(nullptr)},
                      {"equal", differences.empty()},
                      {"differences", std::move(differences)}};
}

Result<json::object> AnalyticsService::overview_json(const AuthContext& ctx, const Query& q) {
  auto r = resolve(*this, db_, entitlements_, ctx, q, false);
  if (!r) return r.error();
  auto conn = db_.acquire();
  Totals now;
  std::optional<Totals> before;
  if (r->previous && r->previous->end == r->range.start) {
    // Both periods in one pass per table (adjacent ranges, split at the current start).
    auto parts = store::read(*conn, ctx.org_id, r->previous->start, r->range.end, r->filters, store::Group::period,
                             store::need_all, r->range.start);
    now = totals_of(parts["c"]);
    before = totals_of(parts["p"]);
    if (r->filters.template_id) {
      auto uses_now = store::template_uses(*conn, ctx.org_id, r->range.start, r->range.end, r->filters);
      auto uses_before = store::template_uses(*conn, ctx.org_id, r->previous->start, r->previous->end, r->filters);
      scope_to_template(now, uses_now.empty() ? 0 : uses_now.front().second);
      scope_to_template(*before, uses_before.empty() ? 0 : uses_before.front().second);
    }
  } else {
    now = sum_range(*conn, ctx.org_id, r->range.start, r->range.end, r->filters);
    if (r->previous) before = sum_range(*conn, ctx.org_id, r->previous->start, r->previous->end, r->filters);
  }
  json::object current = metrics_json(now);
  json::object previous = before ? metrics_json(*before) : json::object{};
  json::object metrics;
  for (const auto& key : metric_keys())
    metrics[key] = json::object{{"value", current[key]}, {"previous", before ? previous[key] : json::value(nullptr)}};
  auto distribution = [](const Totals& t) {
    json::array a;
    for (auto n : t.rating_counts) a.push_back(n);
    return a;
  };
  return json::object{
      {"range", range_json(r->range)},
      {"previous", r->previous ? json::value(range_json(*r->previous)) : json::value(nullptr)},
      {"template_scope", r->filters.template_id ? "messages" : "all"},
      {"metrics", std::move(metrics)},
      {"satisfaction", json::object{{"distribution", distribution(now)},
                                    {"previous_distribution", before ? json::value(distribution(*before)) : json::value(nullptr)}}}};
}

Result<json::object> AnalyticsService::series_json(const AuthContext& ctx, const Query& q) {
  auto r = resolve(*this, db_, entitlements_, ctx, q, false);
  if (!r) return r.error();
  auto conn = db_.acquire();
  auto points = points_of(r->range, r->zone);
  // The previous period in the same pass: one read per table over both periods (part H).
  std::int64_t start = r->range.start, end = r->range.end;
  if (r->previous) {
    start = std::min(start, r->previous->start);
    end = std::max(end, r->previous->end);
  }
  // Daily rows serve a series whose points are whole UTC days (UTC, or a zone at UTC's offset
  // throughout); a local day elsewhere straddles two UTC days and is summed from hours.
  std::vector<Point> ppoints;
  if (r->previous) {
    Range prev = *r->previous;
    prev.granularity = r->range.granularity;
    ppoints = points_of(prev, r->zone);
  }
  auto whole_days = [](const std::vector<Point>& ps) {
    return std::all_of(ps.begin(), ps.end(), [](const Point& p) {
      return p.end - p.start == store::kDayMs && store::day_of(p.start) == p.start;
    });
  };
  const bool days = r->range.granularity == "day" && whole_days(points) && whole_days(ppoints);
  store::Spans spans;
  for (const auto* ps : {&ppoints, &points})
    for (const auto& p : *ps) spans.emplace_back(p.start, p.end);
  std::sort(spans.begin(), spans.end());
  const bool zone_days = r->range.granularity == "day" && !days;
  const Hours hours = read_hours(*conn, ctx.org_id, start, end, r->filters, days, spans,
                                 zone_days ? std::optional<std::string>(r->range.tz) : std::nullopt);
  auto totals = series_totals(hours, points, r->filters);
  json::array out;
  for (std::size_t i = 0; i < points.size(); ++i)
    out.push_back(json::object{{"label", points[i].label}, {"start", format_rfc3339(points[i].start)},
                               {"metrics", metrics_json(totals[i])}});
  json::value previous_points = nullptr;
  if (r->previous) {
    auto ptotals = series_totals(hours, ppoints, r->filters);
    json::array arr;
    // Aligned by index with the current points (a DST day has 23 or 25 hours: the shorter side is
    // padded with empty points, the longer one cut).
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (i < ppoints.size())
        arr.push_back(json::object{{"label", ppoints[i].label}, {"start", format_rfc3339(ppoints[i].start)},
                                   {"metrics", metrics_json(ptotals[i])}});
      else
        arr.push_back(json::object{{"label", nullptr}, {"start", nullptr}, {"metrics", metrics_json(Totals{})}});
    }
    previous_points = std::move(arr);
  }
  return json::object{{"range", range_json(r->range)},
                      {"previous", r->previous ? json::value(range_json(*r->previous)) : json::value(nullptr)},
                      {"points", std::move(out)},
                      {"previous_points", std::move(previous_points)}};
}

namespace {
// A segment's key and label in a funnel or breakdown grouped by platform, bot or deployment:
// the platform's name, "No deployment" for conversations without one, else the stored name.
std::pair<std::string, std::string> segment_of(const std::string& by, const std::string& key,
                                               const std::map<std::string, std::string>& labels) {
  if (by == "platform") return {key, platform_label(key)};
  if (by == "deployment" && key.empty()) return {"none", "No deployment"};
  auto it = labels.find(key);
  return {key, it != labels.end() ? it->second : key};
}
}  // namespace

Result<json::object> AnalyticsService::funnel_json(const AuthContext& ctx, const Query& q, const std::string& by) {
  static const std::map<std::string, store::Group> groups = {{"none", store::Group::none},
                                                             {"platform", store::Group::platform},
                                                             {"bot", store::Group::bot},
                                                             {"deployment", store::Group::deployment}};
  auto g = groups.find(by);
  if (g == groups.end()) return Error::validation({{"by", "Use none, platform, bot or deployment."}});
  auto r = resolve(*this, db_, entitlements_, ctx, q, true);
  if (!r) return r.error();
  auto conn = db_.acquire();
  // The funnel shows counts only: no user sketches, no histogram.
  auto parts = store::read(*conn, ctx.org_id, r->range.start, r->range.end, r->filters, g->second, store::need_counters);
  std::map<std::string, std::string> labels;
  if (by == "bot" || by == "deployment") labels = store::names(*conn, ctx.org_id, by);
  struct Segment {
    std::string key, label;
    Totals t;
  };
  std::vector<Segment> segments;
  for (const auto& [key, part] : parts) {
    auto [k, label] = by == "none" ? std::pair<std::string, std::string>{"all", "All conversations"}
                                   : segment_of(by, key, labels);
    segments.push_back({std::move(k), std::move(label), totals_of(part)});
  }
  if (by == "none" && segments.empty()) segments.push_back({"all", "All conversations", Totals{}});
  std::stable_sort(segments.begin(), segments.end(),
                   [](const Segment& a, const Segment& b) { return a.t.conversations > b.t.conversations; });
  json::array out;
  for (const auto& s : segments) {
    const std::pair<const char*, const char*> names[] = {
        {"first_contact", "First contact"}, {"engaged", "Engaged"}, {"resolved", "Resolved"}, {"converted", "Converted"}};
    const std::int64_t counts[] = {s.t.conversations, s.t.engaged, s.t.resolved, s.t.converted};
    json::array steps;
    for (int i = 0; i < 4; ++i)
      steps.push_back(json::object{{"key", names[i].first}, {"label", names[i].second}, {"count", counts[i]},
                                   {"drop_off", i == 0 ? 0 : counts[i - 1] - counts[i]}});
    out.push_back(json::object{{"key", s.key}, {"label", s.label}, {"steps", std::move(steps)}});
  }
  return json::object{{"range", range_json(r->range)}, {"segments", std::move(out)}};
}

Result<json::object> AnalyticsService::breakdown_json(const AuthContext& ctx, const Query& q, const std::string& by) {
  static const std::map<std::string, store::Group> groups = {{"platform", store::Group::platform},
                                                             {"bot", store::Group::bot},
                                                             {"deployment", store::Group::deployment},
                                                             {"template", store::Group::none}};
  auto g = groups.find(by);
  if (g == groups.end()) return Error::validation({{"by", "Use platform, bot, deployment or template."}});
  auto r = resolve(*this, db_, entitlements_, ctx, q, true);
  if (!r) return r.error();
  auto conn = db_.acquire();
  json::array rows;
  if (by == "template") {
    auto names = store::names(*conn, ctx.org_id, "template");
    for (const auto& [id, n] : store::template_uses(*conn, ctx.org_id, r->range.start, r->range.end, r->filters)) {
      auto it = names.find(id);
      rows.push_back(json::object{{"key", id},
                                  {"label", it == names.end() ? "Deleted template" : it->second},
                                  {"metrics", json::object{{"template_replies", n}}}});
    }
    return json::object{{"range", range_json(r->range)}, {"by", by}, {"rows", std::move(rows)}};
  }
  auto parts = store::read(*conn, ctx.org_id, r->range.start, r->range.end, r->filters, g->second);
  std::map<std::string, std::int64_t> uses_by;
  if (r->filters.template_id)
    store::template_uses(*conn, ctx.org_id, r->range.start, r->range.end, r->filters, g->second, &uses_by);
  std::map<std::string, std::string> labels;
  if (by != "platform") labels = store::names(*conn, ctx.org_id, by);
  std::vector<std::pair<Totals, json::object>> out;
  for (const auto& [key, part] : parts) {
    Totals t = totals_of(part);
    if (r->filters.template_id) scope_to_template(t, uses_by[key]);
    auto [k, label] = segment_of(by, key, labels);
    out.push_back({t, json::object{{"key", k}, {"label", label}, {"metrics", metrics_json(t)}}});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.first.conversations != b.first.conversations ? a.first.conversations > b.first.conversations
                                                          : a.first.messages_in > b.first.messages_in;
  });
  for (auto& [t, row] : out) rows.push_back(std::move(row));
  return json::object{{"range", range_json(r->range)}, {"by", by}, {"rows", std::move(rows)}};
}

Result<json::object> AnalyticsService::unanswered_json(const AuthContext& ctx, const Query& q, std::int64_t limit) {
  if (limit < 1 || limit > 100) return Error::validation({{"limit", "Use a number from 1 to 100."}});
  auto r = resolve(*this, db_, entitlements_, ctx, q, true);
  if (!r) return r.error();
  json::array rows;
  if (!r->filters.template_id) {
    auto conn = db_.acquire();
    for (const auto& [question, n] :
         store::unanswered(*conn, ctx.org_id, r->range.start, r->range.end, r->filters, limit))
      rows.push_back(json::object{{"question", question}, {"count", n}});
  }
  return json::object{{"range", range_json(r->range)}, {"rows", std::move(rows)}};
}

}  // namespace sb::analytics
