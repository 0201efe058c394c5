// spdlog-backed JSON line logger.
#include "core/logging.hpp"

#include <boost/json/serializer.hpp>
#include <boost/json/value.hpp>
#include <spdlog/sinks/base_sink.h>

#include <charconv>
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

namespace {

// One line, written straight into a reused per-thread buffer: `{"time":…,"level":…,"msg":…` and
// then each field. Field names time, level and msg are skipped (they would repeat a key).
class Line {
 public:
  Line(Level level, std::string_view msg) : out_(buffer()) {
    out_.clear();
    out_ += R"({"time":")";
    out_ += log_time(SystemClock().now_ms());
    out_ += R"(","level":")";
    out_ += kNames[static_cast<int>(level)];
    out_ += R"(","msg":)";
    json(msg);
  }
  bool key(std::string_view k) {
    if (k == "time" || k == "level" || k == "msg") return false;
    out_ += ',';
    json(k);
    out_ += ':';
    return true;
  }
  void json(std::string_view text) {
    serializer().reset(text);
    drain();
  }
  void json(const boost::json::value& v) {
    serializer().reset(&v);
    drain();
  }
  void json(std::int64_t n) {
    char digits[24];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
  }
  void emit(Level level) {
    out_ += '}';
    logger()->log(to_spdlog(level), spdlog::string_view_t(out_.data(), out_.size()));
    if (out_.capacity() > 64 * 1024) std::string().swap(out_);  // a rare long line is not kept
  }

 private:
  static std::string& buffer() {
    thread_local std::string text;
    return text;
  }
  static boost::json::serializer& serializer() {
    thread_local boost::json::serializer instance;
    return instance;
  }
  void drain() {
    char chunk[512];
    auto& sr = serializer();
    while (!sr.done()) out_ += sr.read(chunk, sizeof chunk);
  }
  std::string& out_;
};

}  // namespace

void write(Level level, std::string_view msg, boost::json::object fields) {
  if (!logger()->should_log(to_spdlog(level))) return;
  Line line(level, msg);
  for (const auto& kv : fields)
    if (line.key(kv.key())) line.json(kv.value());
  line.emit(level);
}

void write_fields(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (!logger()->should_log(to_spdlog(level))) return;
  Line line(level, msg);
  for (const auto& f : fields) {
    if (!line.key(f.key)) continue;
    if (const auto* text = std::get_if<std::string_view>(&f.value)) line.json(*text);
    else if (const auto* n = std::get_if<std::int64_t>(&f.value)) line.json(*n);
    else line.json(boost::json::value(std::get<double>(f.value)));
  }
  line.emit(level);
}

}  // namespace sb::log
