// The analytics range and filters of exports and insight runs (ADR 0037, "Time ranges").
#include "analytics/insights_scope.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>

#include "analytics/insights_store.hpp"

namespace sb::analytics {
namespace json = boost::json;
using namespace std::chrono;

json::object Scope::to_json() const {
  auto opt = [](const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); };
  return json::object{{"from", from},           {"to", to},
                      {"tz", tz},               {"bot_id", opt(bot_id)},
                      {"platform", opt(platform)}, {"deployment_id", opt(deployment_id)},
                      {"template_id", opt(template_id)}};
}

namespace {

std::optional<date::year_month_day> parse_day(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  date::year_month_day d{date::year{std::stoi(s.substr(0, 4))}, date::month{unsigned(std::stoi(s.substr(5, 2)))},
                         date::day{unsigned(std::stoi(s.substr(8, 2)))}};
  if (!d.ok()) return std::nullopt;
  return d;
}

std::string format_day(date::sys_days d) { return date::format("%F", d); }

// The UTC instant a local day starts at: the first UTC hour that begins in that day (ADR 0037: a
// day is the sum of its UTC hours; for :30/:45 zones the boundary hour goes to the day it starts in).
std::int64_t day_start_ms(const date::time_zone* zone, date::local_days day) {
  auto info = zone->get_info(day);
  auto utc = date::sys_seconds{day.time_since_epoch()} - info.first.offset;
  if (info.result == date::local_info::nonexistent) utc = info.first.end;  // midnight skipped by a DST jump
  auto ms = duration_cast<milliseconds>(utc.time_since_epoch()).count();
  const std::int64_t hour = 3600 * 1000;
  return (ms + hour - 1) / hour * hour;  // round up to the hour that starts in the day
}

}  // namespace

Result<Scope> parse_scope(db::Database& db, std::int64_t now_ms, const AuthContext& ctx, const ParamGetter& get) {
  std::map<std::string, std::string> errors;
  auto text = [&](const char* name) -> std::optional<std::string> {
    auto v = get(name);
    if (!v || v->empty()) return std::nullopt;
    if (v->size() > 100) {
      errors[name] = "Use at most 100 characters.";
      return std::nullopt;
    }
    return v;
  };
  Scope s;
  s.bot_id = text("bot_id");
  s.platform = text("platform");
  s.deployment_id = text("deployment_id");
  s.template_id = text("template_id");
  auto tz = text("tz");
  auto conn = db.acquire();
  s.tz = tz ? *tz : store::org_time_zone(*conn, ctx.org_id);
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(s.tz);
  } catch (const std::exception&) {
    errors["tz"] = "Use a time zone name such as Europe/Berlin.";
  }
  auto preset = text("preset");
  auto from = text("from"), to = text("to");
  std::optional<date::year_month_day> first, last;
  if (zone) {
    auto today = date::floor<date::days>(zone->to_local(date::sys_time<milliseconds>(milliseconds(now_ms))));
    date::local_days t{today};
    if (from || to) {
      if (preset) errors["preset"] = "Use either a preset or from and to.";
      if (!from) errors["from"] = "Give the first day as YYYY-MM-DD.";
      if (!to) errors["to"] = "Give the last day as YYYY-MM-DD.";
      if (from && !(first = parse_day(*from))) errors["from"] = "Use a date such as 2026-11-05.";
      if (to && !(last = parse_day(*to))) errors["to"] = "Use a date such as 2026-12-04.";
      if (first && last && date::sys_days(*first) > date::sys_days(*last)) errors["from"] = "The first day comes after the last.";
      if (first && last && date::sys_days(*last) - date::sys_days(*first) >= date::days(366))
        errors["to"] = "Choose at most 366 days.";
    } else {
      std::string p = preset.value_or("30d");
      int back = 0;
      int span = 0;
      if (p == "today") span = 1;
      else if (p == "yesterday") back = 1, span = 1;
      else if (p == "7d") span = 7;
      else if (p == "30d") span = 30;
      else if (p == "90d") span = 90;
      else errors["preset"] = "Use today, yesterday, 7d, 30d or 90d.";
      if (span) {
        last = date::year_month_day{date::sys_days((t - date::days(back)).time_since_epoch())};
        first = date::year_month_day{date::sys_days(date::sys_days(*last) - date::days(span - 1))};
      }
    }
  }
  if (!errors.empty()) return Error::validation(errors);
  date::sys_days a{*first}, b{*last};
  s.from = format_day(a);
  s.to = format_day(b);
  s.days = (b - a).count() + 1;
  auto local = [](date::sys_days d) { return date::local_days{d.time_since_epoch()}; };
  s.start_ms = day_start_ms(zone, local(a));
  s.end_ms = day_start_ms(zone, local(b + date::days(1)));
  s.previous_start_ms = day_start_ms(zone, local(a - date::days(s.days)));
  s.previous_end_ms = s.start_ms;
  if (s.bot_id && !store::exists(*conn, ctx.org_id, "bot", *s.bot_id)) return Error::not_found("No such bot.");
  if (s.deployment_id && !store::exists(*conn, ctx.org_id, "deployment", *s.deployment_id))
    return Error::not_found("No such deployment.");
  if (s.template_id && !store::exists(*conn, ctx.org_id, "template", *s.template_id))
    return Error::not_found("No such template.");
  return s;
}

}  // namespace sb::analytics
