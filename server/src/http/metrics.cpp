// Prometheus text exposition of the in-process metrics.
#include "http/metrics.hpp"

#include <sstream>

namespace sb::http {

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Metrics::observe_request(std::string_view route, std::string_view method, unsigned status, double seconds) {
  std::lock_guard lock(mu_);
  auto key = std::tuple<std::string_view, std::string_view, unsigned>(route, method, status);
  auto count = requests_.find(key);
  if (count == requests_.end()) count = requests_.emplace(std::tuple<std::string, std::string, unsigned>(key), 0).first;
  ++count->second;
  auto found = durations_.find(route);
  if (found == durations_.end()) found = durations_.emplace(std::string(route), Histogram{}).first;
  auto& h = found->second;
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::increment(const std::string& name, const std::vector<std::pair<std::string, std::string>>& labels) {
  std::string series = name + "{";
  for (std::size_t i = 0; i < labels.size(); ++i)
    series += (i ? "," : "") + labels[i].first + "=\"" + escape_label(labels[i].second) + "\"";
  series += "}";
  std::lock_guard lock(mu_);
  ++counters_[series];
}

void Metrics::add_gauge_provider(GaugeProvider provider) {
  std::lock_guard lock(mu_);
  gauges_.push_back(std::move(provider));
}

std::string Metrics::render() const {
  std::ostringstream out;
  std::lock_guard lock(mu_);
  out << "# HELP switchboard_http_requests_total HTTP requests by route, method and status.\n"
      << "# TYPE switchboard_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out << "switchboard_http_requests_total{route=\"" << escape_label(route) << "\",method=\"" << method
        << "\",status=\"" << status << "\"} " << n << "\n";
  }
  out << "# HELP switchboard_http_request_duration_seconds Time from the request's last byte to the response.\n"
      << "# TYPE switchboard_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    std::string r = escape_label(route);
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
      out << "switchboard_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"" << kBuckets[i] << "\"} "
          << h.buckets[i] << "\n";
    out << "switchboard_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"+Inf\"} " << h.count << "\n"
        << "switchboard_http_request_duration_seconds_sum{route=\"" << r << "\"} " << h.sum << "\n"
        << "switchboard_http_request_duration_seconds_count{route=\"" << r << "\"} " << h.count << "\n";
  }
  std::string last_name;
  for (const auto& [series, n] : counters_) {
    std::string name = series.substr(0, series.find('{'));
    if (name != last_name) out << "# TYPE " << name << " counter\n";
    last_name = name;
    out << series << " " << n << "\n";
  }
  for (const auto& provider : gauges_) {
    for (const auto& [name, help, value] : provider()) {
      out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n" << name << " " << value << "\n";
    }
  }
  return out.str();
}

}  // namespace sb::http
