// The sent-reply journal: a platform's acceptance of a reply is written to a file of the worker
// thread the moment the answer arrives, before the database records it with the job's success.
// A worker process killed between the two leaves its file behind; the next runner on the same data
// folder records those replies as sent instead of sending them again. A write reaches the kernel,
// not the disk: it survives the process (crash, SIGKILL, out of memory), not the machine.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sb::jobs {

class SentJournal {
 public:
  struct Entry {
    std::string job_id;
    std::string worker;
    std::string platform_message_id;
    std::int64_t at = 0;
    std::optional<std::int64_t> http_status;
    std::int64_t latency_ms = 0;
  };

  // Opens (creating) `dir`/<worker>.log and holds an exclusive lock on it while this object lives:
  // a file nobody holds belongs to a worker that died.
  SentJournal(const std::filesystem::path& dir, const std::string& worker);
  ~SentJournal();
  SentJournal(const SentJournal&) = delete;
  SentJournal& operator=(const SentJournal&) = delete;

  // One write(2) of one line.
  void record(const Entry& entry);
  // Empties the file once the database holds every entry.
  void clear();

  // For each journal in `dir` no live worker holds: passes its entries to `apply` (which records
  // them in the database, throwing when it cannot, and returns how many it recorded: an entry whose
  // job was committed before the kill needs nothing), then deletes the file. Returns the sum.
  static std::size_t recover(const std::filesystem::path& dir,
                             const std::function<std::size_t(const std::vector<Entry>&)>& apply);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool dirty_ = false;
};

}  // namespace sb::jobs
