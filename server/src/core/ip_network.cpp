// IP network parsing and matching on the addresses' bytes.
#include "core/ip_network.hpp"

#include <array>
#include <charconv>

namespace sb {

namespace ip = boost::asio::ip;

ip::address normalize_address(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  return address;
}

std::optional<ip::address> parse_ip_address(std::string_view text) {
  // Asio would accept a zone ("fe80::1%eth0") and look the interface up; a client has no zone.
  if (text.empty() || text.size() > 45 || text.find('%') != std::string_view::npos) return std::nullopt;
  boost::system::error_code ec;
  auto address = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return normalize_address(address);
}

namespace {

template <std::size_t N>
std::array<unsigned char, N> masked(std::array<unsigned char, N> bytes, unsigned prefix) {
  for (std::size_t i = 0; i < N; ++i) {
    const unsigned bits = prefix >= 8 * (i + 1) ? 8 : prefix > 8 * i ? prefix - 8 * i : 0;
    bytes[i] &= static_cast<unsigned char>(0xff00u >> bits);
  }
  return bytes;
}

}  // namespace

bool IpNetwork::contains(const ip::address& raw) const {
  const auto address = normalize_address(raw);
  if (address.is_v4() != base.is_v4()) return false;
  if (address.is_v4()) return masked(address.to_v4().to_bytes(), prefix) == base.to_v4().to_bytes();
  return masked(address.to_v6().to_bytes(), prefix) == base.to_v6().to_bytes();
}

std::string IpNetwork::to_string() const { return base.to_string() + "/" + std::to_string(prefix); }

std::optional<IpNetwork> parse_ip_network(std::string_view text) {
  const auto slash = text.find('/');
  const auto written = text.substr(0, slash);
  if (written.empty() || written.find('%') != std::string_view::npos) return std::nullopt;
  boost::system::error_code ec;
  auto address = ip::make_address(std::string(written), ec);
  if (ec) return std::nullopt;
  const unsigned width = address.is_v4() ? 32 : 128;
  unsigned prefix = width;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (err != std::errc() || end != digits.data() + digits.size() || prefix > width) return std::nullopt;
  }
  // ::ffff:10.0.0.0/104 is 10.0.0.0/8: peers are matched in their IPv4 spelling.
  if (address.is_v6() && address.to_v6().is_v4_mapped() && prefix >= 96) {
    address = ip::make_address_v4(ip::v4_mapped, address.to_v6());
    prefix -= 96;
  }
  IpNetwork network;
  network.prefix = prefix;
  if (address.is_v4()) network.base = ip::address_v4(masked(address.to_v4().to_bytes(), prefix));
  else network.base = ip::address_v6(masked(address.to_v6().to_bytes(), prefix));
  return network;
}

}  // namespace sb
