// Structured logging: one JSON object per line through spdlog.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace sb::log {

enum class Level { trace, debug, info, warn, error };

// level: trace|debug|info|warn|error. Logs go to stderr.
void init(const std::string& level);
bool enabled(Level level);
// Writes {"time":…, "level":…, "msg":…, …fields}. Callers never pass secrets in fields.
void write(Level level, std::string_view msg, boost::json::object fields = {});

// The same line from fields whose values are at hand, with no JSON object built for them: for lines
// written on every request (the access log).
struct Field {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, double> value;
};
void write_fields(Level level, std::string_view msg, std::initializer_list<Field> fields);

inline void info(std::string_view msg, boost::json::object fields = {}) { write(Level::info, msg, std::move(fields)); }
inline void warn(std::string_view msg, boost::json::object fields = {}) { write(Level::warn, msg, std::move(fields)); }
inline void error(std::string_view msg, boost::json::object fields = {}) { write(Level::error, msg, std::move(fields)); }
inline void debug(std::string_view msg, boost::json::object fields = {}) { write(Level::debug, msg, std::move(fields)); }

}  // namespace sb::log
