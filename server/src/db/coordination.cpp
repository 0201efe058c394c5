// Coordination between processes: the singleton lock and LISTEN/NOTIFY on one dedicated connection.
#include "db/coordination.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/logging.hpp"
#include "core/thread_name.hpp"
#include "db/identifier.hpp"

namespace sb::db {
namespace {

// The two halves of the advisory lock's key ("SB" and the singleton tasks). pg_locks shows them as
// classid and objid, with objsubid 2 for the two-integer form.
constexpr int kLockClass = 0x5342;
constexpr int kLockSingletons = 1;

constexpr const char* kTryLock = "SELECT pg_try_advisory_lock(21314, 1)";
static_assert(kLockClass == 21314);

constexpr const char* kHolder =
    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2 "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

std::string trimmed_error(PGconn* conn) {
  std::string m = conn ? PQerrorMessage(conn) : "out of memory";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

// Channel names are fixed lowercase words; quoted all the same.
std::string quoted(const std::string& name) { return quote_identifier(name); }

}  // namespace

Coordination::Coordination(Database& db, CoordinationSettings settings)
    : db_(db), settings_(std::move(settings)), postgres_(db.dialect() == Dialect::postgres) {
  // One process on SQLite: it is the only one that could run the singleton tasks.
  if (!postgres_) leader_ = true;
  else wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

Coordination::~Coordination() {
  stop();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void Coordination::wake() {
  std::uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
}

void Coordination::listen(const std::string& channel, Listener listener) {
  listeners_[channel].push_back(std::move(listener));
}

void Coordination::on_reconnect(std::function<void()> hook) { reconnect_hooks_.push_back(std::move(hook)); }

void Coordination::start() {
  if (!postgres_ || thread_.joinable()) return;
  stopping_ = false;
  first_try_done_ = false;
  thread_ = std::thread([this] {
    name_this_thread("sb-coordination");
    loop();
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!first_try_done_ && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

void Coordination::stop() {
  stopping_ = true;
  wake();
  if (thread_.joinable()) thread_.join();
  if (postgres_) leader_ = false;
}

std::string Coordination::holder() {
  if (!postgres_) return settings_.name;
  auto conn = db_.acquire();
  auto row = conn->query_one(kHolder, {std::int64_t{kLockClass}, std::int64_t{kLockSingletons}});
  return row ? row->text("application_name") : "";
}

void Coordination::notify(const std::string& channel, const std::string& payload) {
  if (!postgres_) {
    dispatch(channel, payload);
    return;
  }
  {
    std::lock_guard lock(outbox_mu_);
    // A process cut off from the database for long keeps only the newest notifications; the others
    // drop every cache when they reconnect or let the copies expire (they are short-lived).
    if (outbox_.size() >= 10000) outbox_.erase(outbox_.begin());
    outbox_.emplace_back(channel, payload);
  }
  wake();
}

void Coordination::dispatch(const std::string& channel, const std::string& payload) {
  auto it = listeners_.find(channel);
  if (it == listeners_.end()) return;
  for (const auto& listener : it->second) {
    try {
      listener(payload);
    } catch (const std::exception& e) {
      log::error("notification listener failed", {{"channel", channel}, {"error", e.what()}});
    }
  }
  ++notifications_;  // after the listeners: whoever sees the count sees their effect
}

void Coordination::loop() {
  using clock = std::chrono::steady_clock;
  PGconn* conn = nullptr;
  bool connected_before = false;
  auto next_try = clock::now();
  auto close = [&](const std::string& why) {
    if (conn) PQfinish(conn);
    conn = nullptr;
    if (leader_.exchange(false))
      log::warn("singleton tasks given up: their connection was lost", {{"process", settings_.name}, {"reason", why}});
  };
  const auto wait = std::min(settings_.retry, std::chrono::milliseconds(200));
  auto deliver = [&] {
    while (PGnotify* note = PQnotifies(conn)) {
      std::string channel = note->relname, payload = note->extra ? note->extra : "";
      PQfreemem(note);
      dispatch(channel, payload);
    }
  };

  while (!stopping_) {
    if (!conn) {
      if (clock::now() < next_try) {
        std::this_thread::sleep_for(wait);
        continue;
      }
      next_try = clock::now() + settings_.retry;
      // application_name carries this process's name so anyone can see who holds the lock.
      const char* keywords[] = {"connect_timeout", "dbname", "application_name", nullptr};
      const char* values[] = {"10", settings_.url.c_str(), settings_.name.c_str(), nullptr};
      conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
      if (!conn || PQstatus(conn) != CONNECTION_OK) {
        log::warn("coordination connection failed", {{"error", trimmed_error(conn)}});
        if (conn) PQfinish(conn);
        conn = nullptr;
        first_try_done_ = true;
        continue;
      }
      bool ok = true;
      for (const auto& [channel, unused] : listeners_) {
        PGresult* r = PQexec(conn, ("LISTEN " + quoted(channel)).c_str());
        ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
      }
      if (!ok) {
        close("LISTEN failed: " + trimmed_error(conn));
        continue;
      }
      if (connected_before) {
        ++reconnects_;
        log::warn("coordination connection opened again: caches dropped", {{"process", settings_.name}});
        for (auto& hook : reconnect_hooks_) hook();
      }
      connected_before = true;
      next_try = clock::now();
    }

    if (!leader_ && clock::now() >= next_try) {
      next_try = clock::now() + settings_.retry;
      PGresult* r = PQexec(conn, kTryLock);
      bool took = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
      bool failed = PQresultStatus(r) != PGRES_TUPLES_OK;
      PQclear(r);
      if (failed) {
        close(trimmed_error(conn));
        first_try_done_ = true;
        continue;
      }
      if (took) {
        leader_ = true;
        log::info("singleton tasks taken over", {{"process", settings_.name}});
      }
      first_try_done_ = true;
    }

    // Notifications this process asked to send, in order; what failed is kept for the next connection.
    std::vector<std::pair<std::string, std::string>> out;
    {
      std::lock_guard lock(outbox_mu_);
      out.swap(outbox_);
    }
    std::size_t sent = 0;
    for (; sent < out.size(); ++sent) {
      const char* values[] = {out[sent].first.c_str(), out[sent].second.c_str()};
      PGresult* r = PQexecParams(conn, "SELECT pg_notify($1, $2)", 2, nullptr, values, nullptr, nullptr, 0);
      bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
      PQclear(r);
      if (!ok) break;
    }
    if (sent < out.size()) {
      std::lock_guard lock(outbox_mu_);
      outbox_.insert(outbox_.begin(), out.begin() + static_cast<std::ptrdiff_t>(sent), out.end());
      close(trimmed_error(conn));
      continue;
    }

    deliver();  // those that came in with the replies to our own statements

    // Wait for a notification (or a closed socket, or something to send) a little, then look again.
    pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    int n = ::poll(fds, 2, static_cast<int>(wait.count()));
    if (n < 0) continue;
    if (fds[1].revents & POLLIN) {
      std::uint64_t count = 0;
      (void)!::read(wake_fd_, &count, sizeof count);
    }
    if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) {
      close(trimmed_error(conn));
      continue;
    }
    deliver();
  }
  if (conn) PQfinish(conn);
}

}  // namespace sb::db
