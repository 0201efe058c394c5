// ConnectionPool: the bounded, lazily filled set of connections both drivers share.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "db/database.hpp"

namespace sb::db {

class ConnectionPool {
 public:
  using Opener = std::function<std::unique_ptr<Connection>()>;

  // A caller that waits this long for a free connection gets a DbError instead of hanging
  // forever; a nested acquire() on an exhausted pool is a bug we want to see, not a freeze.
  static constexpr std::chrono::seconds kAcquireTimeout{30};

  ConnectionPool(std::size_t capacity, Opener opener);
  ~ConnectionPool();

  // An idle connection if one is healthy, else a new one while under capacity, else waits.
  std::unique_ptr<Connection> take();
  // Back to the idle list, or closed when broken so the next take() opens a fresh one.
  void give_back(std::unique_ptr<Connection> conn, bool broken) noexcept;
  PoolStats stats() const;

 private:
  const std::size_t capacity_;
  Opener opener_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;
  std::size_t in_use_ = 0;
  std::size_t waiting_ = 0;
  std::uint64_t acquired_total_ = 0;
  std::uint64_t waited_total_ = 0;
};

}  // namespace sb::db
