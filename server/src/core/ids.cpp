// Id generation.
#include "core/ids.hpp"

#include <sodium.h>

#include <atomic>
#include <chrono>

namespace sb {
namespace {
constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
}

std::string new_id(std::string_view prefix, std::int64_t now_ms) {
  std::string id(prefix);
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
  randombytes_buf(random, sizeof random);
  for (unsigned char b : random) id += kAlphabet[b & 31];
  return id;
}

std::string new_id(std::string_view prefix) {
  using namespace std::chrono;
  return new_id(prefix, duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace sb
