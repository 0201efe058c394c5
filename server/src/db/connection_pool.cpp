// ConnectionPool: hands out connections, opens them on demand, closes broken ones.
#include "db/connection_pool.hpp"

#include <utility>

namespace sb::db {

ConnectionPool::ConnectionPool(std::size_t capacity, Opener opener)
    : capacity_(capacity == 0 ? 1 : capacity), opener_(std::move(opener)) {}

ConnectionPool::~ConnectionPool() = default;

std::unique_ptr<Connection> ConnectionPool::take() {
  std::unique_lock lock(mutex_);
  bool waited = false;
  const auto deadline = std::chrono::steady_clock::now() + kAcquireTimeout;
  for (;;) {
    while (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      // healthy() is a local check (no round trip): it notices a server that hung up while idle.
      if (!conn->healthy()) {
        --open_;
        continue;
      }
      ++in_use_;
      ++acquired_total_;
      waited_total_ += waited ? 1 : 0;
      return conn;
    }
    if (open_ < capacity_) {
      ++open_;
      ++in_use_;
      lock.unlock();  // connecting can take a while; others may use idle connections meanwhile
      try {
        auto conn = opener_();
        lock.lock();
        ++acquired_total_;
        waited_total_ += waited ? 1 : 0;
        return conn;
      } catch (...) {
        lock.lock();
        --open_;
        --in_use_;
        freed_.notify_one();
        throw;
      }
    }
    waited = true;
    ++waiting_;
    const bool woke = freed_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    --waiting_;
    if (!woke && idle_.empty() && open_ >= capacity_) {
      throw DbError("no database connection became free within " +
                    std::to_string(kAcquireTimeout.count()) + " s (pool of " +
                    std::to_string(capacity_) + ")");
    }
  }
}

void ConnectionPool::give_back(std::unique_ptr<Connection> conn, bool broken) noexcept {
  std::unique_ptr<Connection> to_close;
  {
    std::lock_guard lock(mutex_);
    --in_use_;
    if (broken) {
      --open_;
      to_close = std::move(conn);
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  freed_.notify_one();
  // Closed outside the lock: closing a network connection may block briefly.
  to_close.reset();
}

PoolStats ConnectionPool::stats() const {
  std::lock_guard lock(mutex_);
  PoolStats s;
  s.size = open_;
  s.in_use = in_use_;
  s.capacity = capacity_;
  s.acquired_total = acquired_total_;
  s.waited_total = waited_total_;
  s.waiting = waiting_;
  return s;
}

}  // namespace sb::db
