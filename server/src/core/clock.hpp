// Clock: the one source of "now", handed to services so tests control time.
#pragma once

#include <cstdint>
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

}  // namespace sb
