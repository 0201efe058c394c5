// spdlog-backed JSON line logger.
#include "core/logging.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"

namespace sb::log {
namespace {

// Lines go to stderr's buffer as they are (each is already a complete JSON object). spdlog's own
// stderr sink flushes after every line: one write(2) per line, under its lock, was a fifth of the
// cost of a request. Here the buffer is written when a warning or an error comes, when it is full,
// every second, and when the process exits; a SIGKILL can lose up to a second of info lines.
class StderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::fwrite(msg.payload.data(), 1, msg.payload.size(), stderr);
    std::fputc('\n', stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

const std::shared_ptr<spdlog::logger>& logger() {
  static std::shared_ptr<spdlog::logger> instance = [] {
    static char buffer[64 * 1024];
    std::setvbuf(stderr, buffer, _IOFBF, sizeof buffer);
    auto l = std::make_shared<spdlog::logger>("switchboard", std::make_shared<StderrSink>());
    spdlog::register_logger(l);  // for flush_every
    l->flush_on(spdlog::level::warn);
    spdlog::flush_every(std::chrono::seconds(1));
    return l;
  }();
  return instance;
}

// RFC 3339 time with milliseconds; the part up to the second is formatted once per second per thread.
std::string_view log_time(std::int64_t ms) {
  thread_local std::int64_t cached_second = -1;
  thread_local std::string text;
  const std::int64_t second = ms / 1000;
  if (second != cached_second) {
    text = format_rfc3339(second * 1000);  // "…T12:34:56Z"
    text.pop_back();
    text += ".000Z";
    cached_second = second;
  }
  const int millis = static_cast<int>(ms % 1000);
  char* m = text.data() + text.size() - 4;
  m[0] = static_cast<char>('0' + millis / 100);
  m[1] = static_cast<char>('0' + millis / 10 % 10);
  m[2] = static_cast<char>('0' + millis % 10);
  return text;
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
  line["time"] = log_time(SystemClock().now_ms());
  line["level"] = kNames[static_cast<int>(level)];
  line["msg"] = msg;
  for (auto& kv : fields) line[kv.key()] = std::move(kv.value());
  const std::string text = boost::json::serialize(line);
  l->log(to_spdlog(level), spdlog::string_view_t(text.data(), text.size()));
}

}  // namespace sb::log
