// Distinct-user sketch and first-response histogram (ADR 0037).
#include "analytics/sketch.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include "core/crypto.hpp"

namespace sb::analytics {

std::uint64_t Sketch::hash_user(std::string_view bot_id, std::string_view platform, std::string_view external_user_id) {
  std::string key;
  key.reserve(bot_id.size() + platform.size() + external_user_id.size() + 2);
  key.append(bot_id).append("/").append(platform).append("/").append(external_user_id);
  std::string hex = crypto::sha256_hex(key);
  return std::stoull(hex.substr(0, 16), nullptr, 16);
}

void Sketch::add_register(std::uint64_t hash) {
  const std::size_t index = hash >> (64 - kPrecision);
  const std::uint64_t rest = hash << kPrecision;
  const auto rank = static_cast<std::uint8_t>(rest == 0 ? 64 - kPrecision + 1 : std::countl_zero(rest) + 1);
  registers_[index] = std::max(registers_[index], rank);
}

void Sketch::to_registers() {
  registers_.assign(kRegisters, 0);
  for (auto h : hashes_) add_register(h);
  hashes_.clear();
  hashes_.shrink_to_fit();
}

void Sketch::add(std::uint64_t hash) {
  if (!registers_.empty()) return add_register(hash);
  auto at = std::lower_bound(hashes_.begin(), hashes_.end(), hash);
  if (at != hashes_.end() && *at == hash) return;
  hashes_.insert(at, hash);
  if (hashes_.size() > kExactMax) to_registers();
}

void Sketch::merge(const Sketch& other) {
  if (other.exact()) {
    if (exact()) {
      std::vector<std::uint64_t> merged;
      merged.reserve(hashes_.size() + other.hashes_.size());
      std::set_union(hashes_.begin(), hashes_.end(), other.hashes_.begin(), other.hashes_.end(),
                     std::back_inserter(merged));
      hashes_ = std::move(merged);
      if (hashes_.size() > kExactMax) to_registers();
    } else {
      for (auto h : other.hashes_) add_register(h);
    }
    return;
  }
  if (exact()) to_registers();
  for (std::size_t i = 0; i < kRegisters; ++i) registers_[i] = std::max(registers_[i], other.registers_[i]);
}

std::int64_t Sketch::count() const {
  if (exact()) return static_cast<std::int64_t>(hashes_.size());
  const double m = static_cast<double>(kRegisters);
  double sum = 0;
  int zeros = 0;
  for (auto r : registers_) {
    sum += std::ldexp(1.0, -r);
    if (r == 0) ++zeros;
  }
  const double alpha = 0.7213 / (1 + 1.079 / m);
  double estimate = alpha * m * m / sum;
  // Small ranges: linear counting is far better than the raw estimate.
  if (estimate <= 2.5 * m && zeros > 0) estimate = m * std::log(m / zeros);
  return static_cast<std::int64_t>(std::llround(estimate));
}

std::string Sketch::serialize() const {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  if (exact()) {
    out.reserve(1 + hashes_.size() * 16);
    out += 'E';
    for (auto h : hashes_)
      for (int shift = 60; shift >= 0; shift -= 4) out += kDigits[(h >> shift) & 0xF];
  } else {
    out.reserve(1 + kRegisters * 2);
    out += 'H';
    for (auto r : registers_) {
      out += kDigits[r >> 4];
      out += kDigits[r & 0xF];
    }
  }
  return out;
}

namespace {
// Hex digit values; 0 for anything else (as the old parser's max(0, -1)).
struct HexTable {
  std::array<std::uint8_t, 256> v{};
  constexpr HexTable() {
    for (int c = '0'; c <= '9'; ++c) v[c] = static_cast<std::uint8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) v[c] = static_cast<std::uint8_t>(c - 'a' + 10);
    for (int c = 'A'; c <= 'F'; ++c) v[c] = static_cast<std::uint8_t>(c - 'A' + 10);
  }
};
constexpr HexTable kHex;

inline std::uint64_t hex64(const char* p) {
  std::uint64_t h = 0;
  for (int k = 0; k < 16; ++k) h = (h << 4) | kHex.v[static_cast<unsigned char>(p[k])];
  return h;
}

// Merges the hex registers of an "H" text into `registers` with a max.
inline void max_registers(std::vector<std::uint8_t>& registers, std::string_view text) {
  const char* p = text.data() + 1;
  for (std::size_t i = 0; i < Sketch::kRegisters; ++i, p += 2) {
    const auto r = static_cast<std::uint8_t>(kHex.v[static_cast<unsigned char>(p[0])] * 16 +
                                             kHex.v[static_cast<unsigned char>(p[1])]);
    if (r > registers[i]) registers[i] = r;
  }
}
}  // namespace

void SketchMerger::fold_into_registers() {
  if (registers_.empty()) registers_.assign(Sketch::kRegisters, 0);
  Sketch tmp;
  tmp.registers_ = std::move(registers_);
  for (auto h : hashes_) tmp.add_register(h);
  registers_ = std::move(tmp.registers_);
  hashes_.clear();
  sorted_ = 0;
}

void SketchMerger::compact() {
  std::sort(hashes_.begin() + static_cast<std::ptrdiff_t>(sorted_), hashes_.end());
  std::inplace_merge(hashes_.begin(), hashes_.begin() + static_cast<std::ptrdiff_t>(sorted_), hashes_.end());
  hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
  sorted_ = hashes_.size();
  if (hashes_.size() > Sketch::kExactMax) fold_into_registers();
}

void SketchMerger::add_serialized(std::string_view text) {
  if (text.empty()) return;
  if (text[0] == 'E') {
    for (std::size_t i = 1; i + 16 <= text.size(); i += 16) hashes_.push_back(hex64(text.data() + i));
    if (!registers_.empty()) fold_into_registers();
    else if (hashes_.size() - sorted_ > 4 * Sketch::kExactMax) compact();
  } else if (text[0] == 'H' && text.size() == 1 + Sketch::kRegisters * 2) {
    if (registers_.empty()) registers_.assign(Sketch::kRegisters, 0);
    max_registers(registers_, text);
    if (!hashes_.empty()) fold_into_registers();
  }
}

void SketchMerger::add(const Sketch& s) {
  if (s.exact()) {
    hashes_.insert(hashes_.end(), s.hashes_.begin(), s.hashes_.end());
    if (!registers_.empty()) fold_into_registers();
    else if (hashes_.size() - sorted_ > 4 * Sketch::kExactMax) compact();
    return;
  }
  if (registers_.empty()) registers_.assign(Sketch::kRegisters, 0);
  for (std::size_t i = 0; i < Sketch::kRegisters; ++i) registers_[i] = std::max(registers_[i], s.registers_[i]);
  if (!hashes_.empty()) fold_into_registers();
}

Sketch SketchMerger::finish() {
  Sketch out;
  if (registers_.empty()) compact();
  if (!registers_.empty()) {
    if (!hashes_.empty()) fold_into_registers();
    out.registers_ = std::move(registers_);
  } else {
    out.hashes_ = std::move(hashes_);
  }
  registers_.clear();
  hashes_.clear();
  sorted_ = 0;
  return out;
}

Sketch Sketch::parse(std::string_view text) {
  Sketch s;
  if (text.empty()) return s;
  if (text[0] == 'E') {
    s.hashes_.reserve((text.size() - 1) / 16);
    for (std::size_t i = 1; i + 16 <= text.size(); i += 16) s.hashes_.push_back(hex64(text.data() + i));
    std::sort(s.hashes_.begin(), s.hashes_.end());
    s.hashes_.erase(std::unique(s.hashes_.begin(), s.hashes_.end()), s.hashes_.end());
    if (s.hashes_.size() > kExactMax) s.to_registers();
  } else if (text[0] == 'H' && text.size() == 1 + kRegisters * 2) {
    s.registers_.assign(kRegisters, 0);
    max_registers(s.registers_, text);
  }
  return s;
}

int histogram_bucket(std::int64_t ms) {
  if (ms < 100) return 0;
  // log2 of an exact ratio of integers; the small epsilon keeps exact powers (v = 100·2^(k/8)
  // rounded) from falling one bucket low through floating-point error.
  const double b = 1 + std::floor(8 * std::log2(static_cast<double>(ms) / 100.0) + 1e-9);
  return static_cast<int>(std::min(255.0, b));
}

std::optional<std::int64_t> histogram_percentile(const std::array<std::int64_t, 256>& h, double p) {
  std::int64_t total = 0;
  for (auto n : h) total += n;
  if (total == 0) return std::nullopt;
  const auto rank = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(p * static_cast<double>(total) - 1e-9)));
  std::int64_t seen = 0;
  for (int b = 0; b < 256; ++b) {
    seen += h[b];
    if (seen >= rank) {
      if (b == 0) return 50;
      return static_cast<std::int64_t>(std::llround(100.0 * std::exp2((b - 0.5) / 8.0)));
    }
  }
  return std::nullopt;
}

std::string histogram_serialize(const std::array<std::int64_t, 256>& h) {
  std::string out;
  for (int b = 0; b < 256; ++b) {
    if (h[b] == 0) continue;
    if (!out.empty()) out += ',';
    out += std::to_string(b);
    out += ':';
    out += std::to_string(h[b]);
  }
  return out;
}

void histogram_add_serialized(std::array<std::int64_t, 256>& h, std::string_view text) {
  // Hand-rolled: the overview and series parse one of these per rollup row.
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    std::int64_t bucket = 0, count = 0;
    bool negative = false, ok = false;
    while (i < n && text[i] >= '0' && text[i] <= '9') {
      bucket = bucket * 10 + (text[i++] - '0');
      ok = bucket < 256;
      if (!ok) break;
    }
    if (ok && i < n && text[i] == ':') {
      ++i;
      if (i < n && text[i] == '-') {
        negative = true;
        ++i;
      }
      ok = false;
      while (i < n && text[i] >= '0' && text[i] <= '9' && count < (std::int64_t{1} << 58)) {
        count = count * 10 + (text[i++] - '0');
        ok = true;
      }
    } else {
      ok = false;
    }
    if (ok && (i == n || text[i] == ',')) h[static_cast<std::size_t>(bucket)] += negative ? -count : count;
    while (i < n && text[i] != ',') ++i;  // skips the rest of a malformed pair
    ++i;
  }
}

}  // namespace sb::analytics
