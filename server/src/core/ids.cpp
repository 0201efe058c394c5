// Id generation.
#include "core/ids.hpp"

#include <sodium.h>

#include <atomic>
#include <chrono>
#include <cstring>

namespace sb {
namespace {
constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

// Random bytes for ids, drawn from libsodium a few hundred at a time per thread rather than with
// one call per id (ids are made on the I/O threads for every delivery).
void random_fill(unsigned char* out, std::size_t n) {
  constexpr std::size_t kPool = 384;
  thread_local unsigned char pool[kPool];
  thread_local std::size_t left = 0;
  if (left < n) {
    randombytes_buf(pool, kPool);
    left = kPool;
  }
  std::memcpy(out, pool + (kPool - left), n);
  sodium_memzero(pool + (kPool - left), n);
  left -= n;
}
}

std::string new_id(std::string_view prefix, std::int64_t now_ms) {
  std::string id;
  id.reserve(prefix.size() + 27);
  id += prefix;
  id += '_';
  char time_part[10];
  auto t = static_cast<std::uint64_t>(now_ms);
  for (int i = 9; i >= 0; --i) {
    time_part[i] = kAlphabet[t & 31];
    t >>= 5;
  }
  id.append(time_part, 10);
  // A process-wide sequence next: ids made in the same millisecond by one process sort in the
  // order they were made (log rows, events of one delivery). Random characters follow.
  static std::atomic<std::uint32_t> sequence{0};
  std::uint32_t n = sequence.fetch_add(1) & 0xFFFFF;
  for (int shift = 15; shift >= 0; shift -= 5) id += kAlphabet[(n >> shift) & 31];
  unsigned char random[12];
  random_fill(random, sizeof random);
  for (unsigned char b : random) id += kAlphabet[b & 31];
  return id;
}

std::string new_id(std::string_view prefix) {
  using namespace std::chrono;
  return new_id(prefix, duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace sb
