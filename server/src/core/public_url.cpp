// The public base URL check: Boost.URL for the parts, Asio for the address, our networks for ranges.
#include "core/public_url.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <cstdint>
#include <optional>

#include "core/ip_network.hpp"

namespace sb {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// One IPv4 part as inet_aton reads it: decimal, 0x hex or leading-0 octal.
std::optional<std::uint64_t> ipv4_part(std::string_view part) {
  if (part.empty() || part.size() > 12) return std::nullopt;
  int base = 10;
  if (part.size() > 1 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
    if (part.empty()) return std::uint64_t{0};
  } else if (part.size() > 1 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  std::uint64_t value = 0;
  for (char c : part) {
    int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                : std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                                                              : 99;
    if (digit >= base) return std::nullopt;
    value = value * base + digit;
  }
  return value;
}

// Hosts that resolvers (and curl, and browsers) read as IPv4 though they are not dotted quads:
// "127.1", "2130706433", "0x7f.0.0.1". A platform's resolver may read them the same way.
std::optional<boost::asio::ip::address_v4> loose_ipv4(std::string_view host) {
  std::array<std::uint64_t, 4> parts{};
  std::size_t count = 0;
  while (true) {
    if (count == 4) return std::nullopt;
    const auto dot = host.find('.');
    auto part = ipv4_part(host.substr(0, dot));
    if (!part) return std::nullopt;
    parts[count++] = *part;
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  std::uint64_t value = 0;
  for (std::size_t i = 0; i + 1 < count; ++i) {
    if (parts[i] > 255) return std::nullopt;
    value |= parts[i] << (8 * (3 - i));
  }
  const unsigned tail_bits = 8 * (5 - static_cast<unsigned>(count));
  if (parts[count - 1] >= (std::uint64_t{1} << tail_bits)) return std::nullopt;
  value |= parts[count - 1];
  return boost::asio::ip::address_v4(static_cast<std::uint32_t>(value));
}

PublicUrlProblem judge_address(const boost::asio::ip::address& raw) {
  const auto address = normalize_address(raw);
  if (address.is_loopback()) return PublicUrlProblem::loopback;
  if (address.is_unspecified()) return PublicUrlProblem::unspecified;
  // 0.0.0.0/8 is "this network": a listener's wildcard, never a destination.
  if (parse_ip_network("0.0.0.0/8")->contains(address)) return PublicUrlProblem::unspecified;
  static const std::array<const char*, 8> kPrivate = {"10.0.0.0/8",     "100.64.0.0/10", "169.254.0.0/16",
                                                      "172.16.0.0/12",  "192.168.0.0/16", "fc00::/7",
                                                      "fe80::/10",      "fec0::/10"};
  for (const char* text : kPrivate)
    if (parse_ip_network(text)->contains(address)) return PublicUrlProblem::private_network;
  return PublicUrlProblem::none;
}

}  // namespace

PublicUrlCheck check_public_base_url(std::string_view text) {
  PublicUrlCheck check;
  auto problem = [&](PublicUrlProblem p) {
    check.problem = p;
    return check;
  };
  if (text.empty()) return problem(PublicUrlProblem::missing);
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url) return problem(PublicUrlProblem::invalid);
  const std::string scheme = lower(url->scheme());
  if (scheme != "http" && scheme != "https") return problem(PublicUrlProblem::invalid);
  // user:password@ in a callback URL is refused by platforms and leaks a secret into their logs.
  if (url->has_userinfo() || !url->has_authority()) return problem(PublicUrlProblem::invalid);

  std::string host;
  PublicUrlProblem host_problem = PublicUrlProblem::none;
  switch (url->host_type()) {
    case boost::urls::host_type::ipv4:
      host_problem = judge_address(boost::asio::ip::address_v4(url->host_ipv4_address().to_uint()));
      break;
    case boost::urls::host_type::ipv6: {
      auto bytes = url->host_ipv6_address().to_bytes();
      host_problem = judge_address(boost::asio::ip::address_v6(bytes));
      break;
    }
    case boost::urls::host_type::name: {
      host = lower(url->encoded_host().decode());
      if (host.empty()) return problem(PublicUrlProblem::invalid);
      if (host.find_first_of("%/\\@ ") != std::string::npos) return problem(PublicUrlProblem::invalid);
      while (!host.empty() && host.back() == '.') host.pop_back();
      if (host.empty()) return problem(PublicUrlProblem::invalid);
      if (host == "localhost" || (host.size() > 10 && host.ends_with(".localhost")))
        return problem(PublicUrlProblem::localhost);
      if (auto v4 = loose_ipv4(host)) host_problem = judge_address(boost::asio::ip::address(*v4));
      else if (host.find('.') == std::string::npos) host_problem = PublicUrlProblem::private_network;  // "intranet"
      break;
    }
    default:
      return problem(PublicUrlProblem::invalid);  // IPvFuture, empty host
  }
  if (host_problem != PublicUrlProblem::none) return problem(host_problem);
  if (scheme != "https") return problem(PublicUrlProblem::plain_http);
  return check;
}

std::string PublicUrlCheck::code() const {
  switch (problem) {
    case PublicUrlProblem::none: return "ok";
    case PublicUrlProblem::missing: return "missing";
    case PublicUrlProblem::invalid: return "invalid";
    case PublicUrlProblem::plain_http: return "plain_http";
    case PublicUrlProblem::localhost: return "localhost";
    case PublicUrlProblem::loopback: return "loopback";
    case PublicUrlProblem::unspecified: return "unspecified";
    case PublicUrlProblem::private_network: return "private_network";
  }
  return "invalid";
}

std::string PublicUrlCheck::message() const {
  switch (problem) {
    case PublicUrlProblem::none: return "";
    case PublicUrlProblem::missing: return "No public base URL is set, so platforms have no address to call.";
    case PublicUrlProblem::invalid:
      return "The public base URL is not an http(s) URL with a host (and no user name or password).";
    case PublicUrlProblem::plain_http:
      return "The public base URL uses plain HTTP; platforms only deliver webhooks over HTTPS.";
    case PublicUrlProblem::localhost:
      return "The public base URL names localhost, which is this machine only: no platform can reach it.";
    case PublicUrlProblem::loopback:
      return "The public base URL is a loopback address, which is this machine only: no platform can reach it.";
    case PublicUrlProblem::unspecified:
      return "The public base URL is an unspecified address (0.0.0.0 or ::), which no platform can call.";
    case PublicUrlProblem::private_network:
      return "The public base URL is in a private network, which platforms on the internet cannot reach.";
  }
  return "";
}

}  // namespace sb
