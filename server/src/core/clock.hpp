// Clock: the one source of "now", handed to services so tests control time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sb {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now_ms() const = 0;  // UTC milliseconds since the epoch
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override;
};

// RFC 3339 in UTC with millisecond precision only when it is not zero: 2026-11-25T19:40:00Z.
std::string format_rfc3339(std::int64_t ms);
// "2026-12-31T23:59:59Z", with optional fraction and a Z or ±hh:mm offset → UTC milliseconds.
std::optional<std::int64_t> parse_rfc3339(const std::string& text);

}  // namespace sb
