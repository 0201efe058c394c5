// Structured logging: one JSON object per line through spdlog.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace sb::log {

enum class Level { trace, debug, info, warn, error };

// level: trace|debug|info|warn|error. Logs go to stderr.
void init(const std::string& level);
bool enabled(Level level);
// Writes {"time":…, "level":…, "msg":…, …fields}. Callers never pass secrets in fields.
void write(Level level, std::string_view msg, boost::json::object fields = {});

inline void info(std::string_view msg, boost::json::object fields = {}) { write(Level::info, msg, std::move(fields)); }
inline void warn(std::string_view msg, boost::json::object fields = {}) { write(Level::warn, msg, std::move(fields)); }
inline void error(std::string_view msg, boost::json::object fields = {}) { write(Level::error, msg, std::move(fields)); }
inline void debug(std::string_view msg, boost::json::object fields = {}) { write(Level::debug, msg, std::move(fields)); }

}  // namespace sb::log
