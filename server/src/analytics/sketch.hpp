// The two small data structures of the rollups (ADR 0037): the distinct-user sketch (exact list
// up to 256 hashes, then HyperLogLog with 2^12 registers) and the first-response histogram.
#pragma once

#include <array>
#include <optional>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sb::analytics {

class Sketch {
 public:
  static constexpr std::size_t kExactMax = 256;
  static constexpr int kPrecision = 12;
  static constexpr std::size_t kRegisters = std::size_t{1} << kPrecision;

  // The person on a platform: SHA-256 prefix of bot_id/platform/external_user_id.
  static std::uint64_t hash_user(std::string_view bot_id, std::string_view platform, std::string_view external_user_id);

  void add(std::uint64_t hash);
  void merge(const Sketch& other);
  std::int64_t count() const;
  bool empty() const { return hashes_.empty() && registers_.empty(); }
  bool exact() const { return registers_.empty(); }

  // Hex text: "E" and 16 hex digits per hash, or "H" and 2 per register.
  std::string serialize() const;
  static Sketch parse(std::string_view text);

 private:
  friend class SketchMerger;
  void to_registers();
  void add_register(std::uint64_t hash);
  std::vector<std::uint64_t> hashes_;    // sorted, unique; used while exact
  std::vector<std::uint8_t> registers_;  // kRegisters when HyperLogLog
};

// Merges many serialized sketches in linear time (ADR 0037, part P): HyperLogLog registers are
// merged straight from the hex text with a max, exact hashes are collected and sorted once (or
// folded into the registers once the union is past kExactMax). The result equals merging the
// parsed sketches one by one with Sketch::merge.
class SketchMerger {
 public:
  void add_serialized(std::string_view text);
  void add(const Sketch& s);
  Sketch finish();

 private:
  void compact();
  void fold_into_registers();
  std::vector<std::uint64_t> hashes_;    // unsorted while collecting
  std::size_t sorted_ = 0;               // hashes_[0, sorted_) is sorted and unique
  std::vector<std::uint8_t> registers_;  // kRegisters once any input is (or the union becomes) HyperLogLog
};

// Time to first response: bucket 0 below 100 ms, else 1 + floor(8·log2(v/100)), at most 255.
int histogram_bucket(std::int64_t ms);
// The percentile p (0..1] of a histogram: the geometric middle of the bucket that holds the
// nearest-rank value; null (nullopt) when empty.
std::optional<std::int64_t> histogram_percentile(const std::array<std::int64_t, 256>& h, double p);

// An hour's histogram as stored (migration 0027, ADR 0037 part H): "bucket:count" pairs of the
// non-empty buckets in ascending order, joined by commas ("" when empty).
std::string histogram_serialize(const std::array<std::int64_t, 256>& h);
// Adds a stored histogram's counts to h (pairs in any order; malformed pairs and buckets outside
// 0..255 are skipped).
void histogram_add_serialized(std::array<std::int64_t, 256>& h, std::string_view text);

}  // namespace sb::analytics
