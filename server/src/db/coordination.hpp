// Coordination between the processes of one installation (ADR 0039): which process runs the
// singleton tasks (a PostgreSQL session advisory lock held on a dedicated connection) and
// notifications between processes (LISTEN/NOTIFY on the same connection). On SQLite there is one
// process: it always runs the singleton tasks and its notifications stay inside it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/database.hpp"

namespace sb::db {

struct CoordinationSettings {
  std::string url;   // the PostgreSQL URL; empty: SQLite (one process)
  std::string name;  // this process as other processes see it (host:pid), shown as the holder
  // How often a process that does not hold the lock tries to take it, and how long the listener
  // waits for a notification before it looks again; a dead holder is replaced within about this.
  std::chrono::milliseconds retry{2000};
};

class Coordination {
 public:
  using Listener = std::function<void(const std::string& payload)>;

  Coordination(Database& db, CoordinationSettings settings);
  ~Coordination();
  Coordination(const Coordination&) = delete;
  Coordination& operator=(const Coordination&) = delete;

  // Listeners and reconnect hooks are added before start().
  // listener runs on the coordination thread for every notification on channel (from any process,
  // this one included).
  void listen(const std::string& channel, Listener listener);
  // Runs after the listening connection was lost and opened again: notifications sent meanwhile
  // were missed, so whatever they would have dropped is dropped (every cache).
  void on_reconnect(std::function<void()> hook);

  // Opens the dedicated connection and starts trying for the lock (PostgreSQL); returns once the
  // first attempt was made (a few seconds at most), so a lone process runs its tasks from the start.
  void start();
  // Closes the connection, which releases the lock for another process.
  void stop();

  // Whether this process runs the singleton tasks now.
  bool leader() const { return leader_.load(); }
  // The name of the process that holds the lock now ("" when none does), read from the database.
  std::string holder();
  // Sends payload to every process listening on channel (after the caller's change is committed).
  // Returns at once: the coordination thread sends it on its own connection, so a caller that
  // still holds a pooled connection never waits for a second one.
  void notify(const std::string& channel, const std::string& payload);
  // Notifications this process has handled (its own included).
  std::uint64_t notifications() const { return notifications_.load(); }
  // Times this process lost its listening connection and opened it again.
  std::uint64_t reconnects() const { return reconnects_.load(); }
  const std::string& name() const { return settings_.name; }

 private:
  void loop();
  void wake();
  void dispatch(const std::string& channel, const std::string& payload);

  Database& db_;
  CoordinationSettings settings_;
  bool postgres_;
  std::map<std::string, std::vector<Listener>> listeners_;
  std::vector<std::function<void()>> reconnect_hooks_;
  std::atomic<bool> leader_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> first_try_done_{false};  // the first attempt at the lock was made (or failed)
  std::atomic<std::uint64_t> reconnects_{0};
  std::atomic<std::uint64_t> notifications_{0};
  std::thread thread_;
  std::mutex outbox_mu_;
  std::vector<std::pair<std::string, std::string>> outbox_;  // notifications to send, in order
  int wake_fd_ = -1;                                          // eventfd: wakes the thread's poll()
};

}  // namespace sb::db
