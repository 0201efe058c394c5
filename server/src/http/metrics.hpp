// In-process metrics rendered in Prometheus text format: request counts, latency histograms, gauges.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace sb::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  void observe_request(std::string_view route, std::string_view method, unsigned status, double seconds);
  // A free-form counter: name plus label pairs, e.g. ("switchboard_webhook_rejected_total", {{"reason","signature"}}).
  void increment(const std::string& name, const std::vector<std::pair<std::string, std::string>>& labels);
  // Gauges are read at render time from providers (e.g. the database pool).
  using GaugeProvider = std::function<std::vector<std::tuple<std::string, std::string, double>>()>;
  void add_gauge_provider(GaugeProvider provider);
  std::string render() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  // Transparent comparisons: a request is counted without building its key's strings.
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t, std::less<>> requests_;
  std::map<std::string, Histogram, std::less<>> durations_;
  std::map<std::string, std::uint64_t> counters_;  // rendered series text → value
  std::vector<GaugeProvider> gauges_;
};

std::string escape_label(const std::string& value);

}  // namespace sb::http
