// Dates in a time zone for analytics (ADR 0037): validated zone names, local days as UTC hours.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace date {
class time_zone;
}

namespace sb::analytics {

// An IANA zone name of the system's tzdata (UTC included), or null: never a path.
const date::time_zone* find_zone(const std::string& name);
bool valid_time_zone(const std::string& name);

// Days since 1970-01-01 of a strict YYYY-MM-DD, or nullopt.
std::optional<std::int64_t> parse_day(const std::string& text);
std::string format_day(std::int64_t day);
// The first UTC hour start at or after the local midnight that begins `day` in the zone.
std::int64_t day_start(const date::time_zone* zone, std::int64_t day);
// The local day an instant falls in.
std::int64_t local_day(const date::time_zone* zone, std::int64_t ms);
// "YYYY-MM-DD HH:MM" local time of an instant.
std::string local_label(const date::time_zone* zone, std::int64_t ms);

}  // namespace sb::analytics
