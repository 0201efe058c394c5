// Sent-reply journal files: one JSON line per accepted reply, flock(2) marks the live ones.
#include "jobs/sent_journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "core/logging.hpp"

namespace sb::jobs {
namespace json = boost::json;

namespace {

std::string file_name(const std::string& worker) {
  std::string name;
  for (char c : worker) name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
  return name + ".log";
}

std::optional<SentJournal::Entry> parse_line(const std::string& line) {
  boost::system::error_code ec;
  json::value v = json::parse(line, ec);
  if (ec || !v.is_object()) return std::nullopt;  // a line cut short by the kill
  const auto& o = v.as_object();
  try {
    SentJournal::Entry e;
    e.job_id = json::value_to<std::string>(o.at("job_id"));
    e.worker = json::value_to<std::string>(o.at("worker"));
    e.platform_message_id = json::value_to<std::string>(o.at("platform_message_id"));
    e.at = o.at("at").to_number<std::int64_t>();
    if (o.contains("http_status")) e.http_status = o.at("http_status").to_number<std::int64_t>();
    e.latency_ms = o.at("latency_ms").to_number<std::int64_t>();
    return e;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

SentJournal::SentJournal(const std::filesystem::path& dir, const std::string& worker) : path_(dir / file_name(worker)) {
  std::filesystem::create_directories(dir);
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) != 0)
    throw std::runtime_error("cannot open the sent-reply journal " + path_.string() + ": " + std::strerror(errno));
  dirty_ = ::lseek(fd_, 0, SEEK_END) > 0;  // left by a process of the same name: recover() had failed
}

SentJournal::~SentJournal() {
  if (fd_ < 0) return;
  ::close(fd_);
  // Whatever is left was recorded or will be found by the next recovery: an empty file can go.
  if (!dirty_) std::filesystem::remove(path_);
}

void SentJournal::record(const Entry& e) {
  json::object o{{"job_id", e.job_id},
                 {"worker", e.worker},
                 {"platform_message_id", e.platform_message_id},
                 {"at", e.at},
                 {"latency_ms", e.latency_ms}};
  if (e.http_status) o["http_status"] = *e.http_status;
  std::string line = json::serialize(o) + "\n";
  dirty_ = true;
  if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    log::error("sent-reply journal write failed", {{"path", path_.string()}, {"error", std::strerror(errno)}});
}

void SentJournal::clear() {
  if (!dirty_) return;
  if (::ftruncate(fd_, 0) != 0)
    log::error("sent-reply journal truncate failed", {{"path", path_.string()}, {"error", std::strerror(errno)}});
  else
    dirty_ = false;
}

std::size_t SentJournal::recover(const std::filesystem::path& dir,
                                 const std::function<std::size_t(const std::vector<Entry>&)>& apply) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return 0;
  std::size_t applied = 0;
  for (const auto& file : std::filesystem::directory_iterator(dir, ec)) {
    if (file.path().extension() != ".log") continue;
    int fd = ::open(file.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {  // a live worker holds it
      ::close(fd);
      continue;
    }
    std::vector<Entry> entries;
    std::ifstream in(file.path());
    for (std::string line; std::getline(in, line);)
      if (auto e = parse_line(line)) entries.push_back(std::move(*e));
    try {
      const std::size_t recorded = entries.empty() ? 0 : apply(entries);
      std::filesystem::remove(file.path());
      applied += recorded;
    } catch (const std::exception& e) {
      log::error("sent-reply journal recovery failed", {{"path", file.path().string()}, {"error", e.what()}});
    }
    ::close(fd);
  }
  return applied;
}

}  // namespace sb::jobs
