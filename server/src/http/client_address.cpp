// Client address behind trusted reverse proxies: X-Forwarded-For and RFC 7239 Forwarded parsing.
#include "http/client_address.hpp"

#include <cctype>
#include <optional>
#include <string_view>

namespace sb::http {

namespace ip = boost::asio::ip;
using Hop = std::optional<ip::address>;  // nullopt: a hop that is not an address ("unknown", garbage)

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_port(std::string_view s) {
  return !s.empty() && s.size() <= 5 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// One node as proxies write it: 203.0.113.7, 203.0.113.7:4711, 2001:db8::1, [2001:db8::1],
// [2001:db8::1]:4711.
Hop parse_node(std::string_view s) {
  if (s.starts_with('[')) {
    const auto close = s.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const auto rest = s.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && is_port(rest.substr(1)))) return std::nullopt;
    auto address = parse_ip_address(s.substr(1, close - 1));
    if (!address || !address->is_v6()) return std::nullopt;
    return address;
  }
  const auto colon = s.find(':');
  if (colon != std::string_view::npos && s.find(':', colon + 1) == std::string_view::npos) {
    if (!is_port(s.substr(colon + 1))) return std::nullopt;
    auto address = parse_ip_address(s.substr(0, colon));
    if (!address || !address->is_v4()) return std::nullopt;
    return address;
  }
  return parse_ip_address(s);
}

// Every header of that name, in order, as one comma-separated list (RFC 9110 §5.3).
std::optional<std::string> combined(const beast_http::fields& headers, std::string_view name) {
  std::optional<std::string> out;
  for (auto [it, end] = headers.equal_range(name); it != end; ++it) {
    if (out) *out += ',';
    else out.emplace();
    *out += std::string_view(it->value().data(), it->value().size());
  }
  return out;
}

std::vector<Hop> x_forwarded_for_hops(std::string_view value) {
  std::vector<Hop> hops;
  for (;;) {
    const auto comma = value.find(',');
    hops.push_back(parse_node(trim(value.substr(0, comma))));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return hops;
}

// RFC 7239: elements separated by commas, pairs by semicolons, values tokens or quoted strings.
// An element without for= (or with for=unknown or an obfuscated name) is a hop we cannot read.
std::vector<Hop> forwarded_hops(std::string_view value) {
  std::vector<Hop> hops;
  std::optional<std::string> pair_value;  // the for= value of the element being read
  bool element_ok = true;
  std::size_t i = 0;
  auto end_element = [&] {
    hops.push_back(element_ok && pair_value ? parse_node(*pair_value) : std::nullopt);
    pair_value.reset();
    element_ok = true;
  };
  for (;;) {
    // One pair: name "=" value, spaces around it tolerated.
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    const auto eq = value.find('=', i);
    const auto stop = value.find_first_of(",;", i);
    if (eq == std::string_view::npos || (stop != std::string_view::npos && stop < eq)) {
      // No pair here: an empty element or garbage up to the next separator.
      if (!trim(value.substr(i, stop == std::string_view::npos ? std::string_view::npos : stop - i)).empty())
        element_ok = false;
      i = stop;
    } else {
      std::string name(trim(value.substr(i, eq - i)));
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string v;
      i = eq + 1;
      if (i < value.size() && value[i] == '"') {
        bool closed = false;
        for (++i; i < value.size(); ++i) {
          if (value[i] == '\\' && i + 1 < value.size()) v += value[++i];
          else if (value[i] == '"') {
            closed = true;
            ++i;
            break;
          } else v += value[i];
        }
        const auto next = value.find_first_of(",;", i);
        // Nothing but spaces may follow the closing quote.
        if (!closed || !trim(value.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i)).empty())
          element_ok = false;
        i = next;
      } else {
        const auto next = value.find_first_of(",;", i);
        v = std::string(trim(value.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i)));
        i = next;
      }
      if (name == "for") {
        if (pair_value) element_ok = false;  // two for= in one element
        pair_value = std::move(v);
      }
    }
    if (i == std::string_view::npos || i >= value.size()) break;
    if (value[i] == ',') end_element();
    ++i;
  }
  end_element();
  return hops;
}

bool trusted(const ip::address& a, const std::vector<IpNetwork>& networks) {
  for (const auto& n : networks)
    if (n.contains(a)) return true;
  return false;
}

// Right to left: the first hop that is not a trusted proxy is the client. A hop we cannot read
// before reaching it makes the whole chain unreadable. A chain of trusted proxies only: the leftmost.
Hop client_of(const std::vector<Hop>& hops, const std::vector<IpNetwork>& networks) {
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!*it) return std::nullopt;
    if (!trusted(**it, networks)) return *it;
  }
  return hops.empty() ? std::nullopt : hops.front();
}

}  // namespace

std::string client_address(const ip::address& raw_peer, const beast_http::fields& headers,
                           const std::vector<IpNetwork>& trusted_proxies) {
  const auto peer = normalize_address(raw_peer);
  if (trusted_proxies.empty() || !trusted(peer, trusted_proxies)) return peer.to_string();
  const auto xff = combined(headers, "X-Forwarded-For");
  const auto fwd = combined(headers, "Forwarded");
  Hop from_xff = xff ? client_of(x_forwarded_for_hops(*xff), trusted_proxies) : std::nullopt;
  Hop from_fwd = fwd ? client_of(forwarded_hops(*fwd), trusted_proxies) : std::nullopt;
  // A proxy sets one of them; when both came, one may be the client's own invention, and which one
  // cannot be told: unless they agree, neither is believed.
  if (xff && fwd) return from_xff && from_fwd && *from_xff == *from_fwd ? from_xff->to_string() : peer.to_string();
  if (from_xff) return from_xff->to_string();
  if (from_fwd) return from_fwd->to_string();
  return peer.to_string();
}

}  // namespace sb::http
