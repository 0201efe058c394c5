// Id generation.
#include "core/ids.hpp"

#include <sodium.h>

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
  unsigned char random[16];
  randombytes_buf(random, sizeof random);
  for (unsigned char b : random) id += kAlphabet[b & 31];
  return id;
}

std::string new_id(std::string_view prefix) {
  using namespace std::chrono;
  return new_id(prefix, duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace sb
