// IP addresses and networks (CIDR) as configuration and proxy headers name them: parsing, matching.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace sb {

// An IPv4-mapped IPv6 address (::ffff:a.b.c.d, how a dual-stack listener sees IPv4 peers) as the
// IPv4 address it is; any other address as it is. One client has one spelling, whichever socket it used.
boost::asio::ip::address normalize_address(const boost::asio::ip::address& address);

// A bare IPv4 or IPv6 address (no brackets, port or zone), normalised; nullopt for anything else.
std::optional<boost::asio::ip::address> parse_ip_address(std::string_view text);

struct IpNetwork {
  boost::asio::ip::address base;  // the network's first address (bits past the prefix cleared)
  unsigned prefix = 0;            // 0–32 for IPv4, 0–128 for IPv6
  bool contains(const boost::asio::ip::address& address) const;
  std::string to_string() const;  // "10.0.0.0/8"
};

// "10.0.0.0/8", "2001:db8::/32", or a bare address meaning that one host. Bits past the prefix are
// cleared ("10.1.2.3/8" is 10.0.0.0/8); nullopt for anything that is not a network.
std::optional<IpNetwork> parse_ip_network(std::string_view text);

}  // namespace sb
