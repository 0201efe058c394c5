// spdlog-backed JSON line logger.
#include "core/logging.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"

namespace sb::log {
namespace {

const std::shared_ptr<spdlog::logger>& logger() {
  static std::shared_ptr<spdlog::logger> instance = [] {
    auto l = spdlog::stderr_logger_mt("switchboard");
    l->set_pattern("%v");  // the message is already a complete JSON object
    l->flush_on(spdlog::level::info);
    return l;
  }();
  return instance;
}

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::trace: return spdlog::level::trace;
    case Level::debug: return spdlog::level::debug;
    case Level::info: return spdlog::level::info;
    case Level::warn: return spdlog::level::warn;
    case Level::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

constexpr const char* kNames[] = {"trace", "debug", "info", "warn", "error"};

}  // namespace

void init(const std::string& level) { logger()->set_level(spdlog::level::from_str(level)); }

bool enabled(Level level) { return logger()->should_log(to_spdlog(level)); }

void write(Level level, std::string_view msg, boost::json::object fields) {
  const auto& l = logger();
  if (!l->should_log(to_spdlog(level))) return;
  // The line is built in a stack buffer (one line per request: no heap traffic for it).
  unsigned char buffer[4096];
  boost::json::monotonic_resource scratch(buffer, sizeof buffer);
  boost::json::object line(fields.size() + 3, &scratch);
  line["time"] = format_rfc3339(SystemClock().now_ms());
  line["level"] = kNames[static_cast<int>(level)];
  line["msg"] = msg;
  for (auto& kv : fields) line[kv.key()] = std::move(kv.value());
  const std::string text = boost::json::serialize(line);
  l->log(to_spdlog(level), spdlog::string_view_t(text.data(), text.size()));
}

}  // namespace sb::log
