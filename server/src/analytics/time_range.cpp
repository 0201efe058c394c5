// Time-zone arithmetic with Howard Hinnant's date library, reading the system's tzdata.
#include "analytics/time_range.hpp"

#include <date/tz.h>

#include <regex>

namespace sb::analytics {

const date::time_zone* find_zone(const std::string& name) {
  // The shape check keeps anything that is not a zone name (../, %2e, absolute paths) away from the
  // library, which would otherwise look the name up as a file below /usr/share/zoneinfo.
  static const std::regex shape(R"(^[A-Za-z_]+(/[A-Za-z0-9_+\-]+){0,2}$)");
  if (name.empty() || name.size() > 64 || !std::regex_match(name, shape)) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

bool valid_time_zone(const std::string& name) { return find_zone(name) != nullptr; }

std::optional<std::int64_t> parse_day(const std::string& text) {
  static const std::regex shape(R"(^\d{4}-\d{2}-\d{2}$)");
  if (!std::regex_match(text, shape)) return std::nullopt;
  date::year_month_day ymd{date::year{std::stoi(text.substr(0, 4))}, date::month{unsigned(std::stoi(text.substr(5, 2)))},
                           date::day{unsigned(std::stoi(text.substr(8, 2)))}};
  if (!ymd.ok() || ymd.year() < date::year{1970} || ymd.year() > date::year{9999}) return std::nullopt;
  return date::sys_days(ymd).time_since_epoch().count();
}

std::string format_day(std::int64_t day) {
  return date::format("%F", date::sys_days{date::days{day}});
}

std::int64_t day_start(const date::time_zone* zone, std::int64_t day) {
  using namespace std::chrono;
  const auto local = date::local_days{date::days{day}};
  // A midnight that does not exist (a DST jump at 00:00) starts at the jump.
  auto info = zone->get_info(local);
  sys_seconds sys;
  if (info.result == date::local_info::nonexistent) sys = info.second.begin;
  else sys = zone->to_sys(local, date::choose::earliest);
  const std::int64_t ms = duration_cast<milliseconds>(sys.time_since_epoch()).count();
  constexpr std::int64_t kHour = 3'600'000;
  return (ms + kHour - 1) / kHour * kHour;  // ADR 0037: an hour counts in the day its start falls in
}

std::int64_t local_day(const date::time_zone* zone, std::int64_t ms) {
  using namespace std::chrono;
  auto local = zone->to_local(sys_time<milliseconds>{milliseconds{ms}});
  return date::floor<date::days>(local).time_since_epoch().count();
}

std::string local_label(const date::time_zone* zone, std::int64_t ms) {
  using namespace std::chrono;
  auto local = zone->to_local(date::floor<seconds>(sys_time<milliseconds>{milliseconds{ms}}));
  return date::format("%Y-%m-%d %H:%M", local);
}

}  // namespace sb::analytics
