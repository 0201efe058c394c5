// System clock and RFC 3339 formatting.
#include "core/clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace sb {

std::int64_t SystemClock::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_rfc3339(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  int millis = static_cast<int>(ms % 1000);
  if (millis < 0) { millis += 1000; secs -= 1; }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  if (millis != 0) n += std::snprintf(buf + n, sizeof buf - n, ".%03d", millis);
  buf[n++] = 'Z';
  return std::string(buf, n);
}

}  // namespace sb
