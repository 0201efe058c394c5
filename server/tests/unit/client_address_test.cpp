// Who the client is behind reverse proxies: CIDR parsing and matching, X-Forwarded-For and
// Forwarded chains walked right to left, hostile header values.
#include <gtest/gtest.h>

#include "core/ip_network.hpp"
#include "http/client_address.hpp"

namespace sb::http {
namespace {

namespace ip = boost::asio::ip;

std::vector<IpNetwork> networks(std::initializer_list<const char*> cidrs) {
  std::vector<IpNetwork> out;
  for (const char* c : cidrs) {
    auto n = parse_ip_network(c);
    EXPECT_TRUE(n) << c;
    if (n) out.push_back(*n);
  }
  return out;
}

// The client as the server would see it: peer, headers as (name, value) pairs, trusted networks.
std::string client(const char* peer, std::vector<std::pair<std::string, std::string>> headers,
                   const std::vector<IpNetwork>& trusted) {
  beast_http::fields fields;
  for (const auto& [name, value] : headers) fields.insert(name, value);
  return client_address(ip::make_address(peer), fields, trusted);
}

TEST(IpNetwork, ParsesIpv4Ipv6AndBareAddresses) {
  auto v4 = parse_ip_network("10.0.0.0/8");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->to_string(), "10.0.0.0/8");
  EXPECT_TRUE(v4->contains(ip::make_address("10.255.1.2")));
  EXPECT_FALSE(v4->contains(ip::make_address("11.0.0.1")));
  EXPECT_FALSE(v4->contains(ip::make_address("::1")));
  EXPECT_TRUE(v4->contains(ip::make_address("::ffff:10.1.2.3"))) << "a dual-stack peer's IPv4 spelling";

  auto v6 = parse_ip_network("2001:db8::/32");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(ip::make_address("2001:db8:ffff::1")));
  EXPECT_FALSE(v6->contains(ip::make_address("2001:db9::1")));
  EXPECT_FALSE(v6->contains(ip::make_address("10.0.0.1")));

  auto host = parse_ip_network("192.0.2.7");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->to_string(), "192.0.2.7/32");
  EXPECT_FALSE(host->contains(ip::make_address("192.0.2.8")));
  EXPECT_EQ(parse_ip_network("10.1.2.3/8")->to_string(), "10.0.0.0/8") << "bits past the prefix are cleared";
  EXPECT_EQ(parse_ip_network("::ffff:10.0.0.0/104")->to_string(), "10.0.0.0/8");
  EXPECT_TRUE(parse_ip_network("0.0.0.0/0")->contains(ip::make_address("203.0.113.9")));
  EXPECT_EQ(parse_ip_network("::1")->to_string(), "::1/128");
}

TEST(IpNetwork, RefusesWhatIsNotANetwork) {
  for (const char* bad : {"", "/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/8/8",
                          "10.0.0.0/ 8", "10.0.0.0/08x", "10.0.0.256/8", "10.0.0/8", "example.com", "fe80::1%eth0/64",
                          "fe80::1%1", "10.0.0.0/1000", " 10.0.0.0/8", "2001:db8::/32garbage", "*"})
    EXPECT_FALSE(parse_ip_network(bad)) << bad;
}

TEST(ClientAddress, WithoutTrustedProxiesTheHeadersAreIgnored) {
  EXPECT_EQ(client("127.0.0.1", {{"X-Forwarded-For", "203.0.113.5"}}, {}), "127.0.0.1");
  EXPECT_EQ(client("127.0.0.1", {{"Forwarded", "for=203.0.113.5"}}, {}), "127.0.0.1");
  // Trusting other networks than the peer's changes nothing for it.
  EXPECT_EQ(client("198.51.100.9", {{"X-Forwarded-For", "203.0.113.5"}}, networks({"10.0.0.0/8"})), "198.51.100.9");
  EXPECT_EQ(client("::ffff:127.0.0.1", {}, {}), "127.0.0.1") << "one spelling per client";
}

TEST(ClientAddress, ATrustedProxyNamesTheClient) {
  const auto trusted = networks({"127.0.0.1/32"});
  EXPECT_EQ(client("127.0.0.1", {{"X-Forwarded-For", "203.0.113.5"}}, trusted), "203.0.113.5");
  EXPECT_EQ(client("127.0.0.1", {{"x-forwarded-for", " 203.0.113.5 "}}, trusted), "203.0.113.5");
  EXPECT_EQ(client("::ffff:127.0.0.1", {{"X-Forwarded-For", "203.0.113.5"}}, trusted), "203.0.113.5");
  EXPECT_EQ(client("127.0.0.1", {}, trusted), "127.0.0.1") << "no header: the peer";
  EXPECT_EQ(client("127.0.0.1", {{"X-Forwarded-For", "203.0.113.5:41234"}}, trusted), "203.0.113.5");
}

TEST(ClientAddress, ChainsAreWalkedRightToLeftSkippingTrustedHops) {
  const auto trusted = networks({"10.0.0.0/8", "192.168.1.1"});
  // The client wrote the leftmost entries itself; only what trusted hops appended is believed.
  EXPECT_EQ(client("10.0.0.2", {{"X-Forwarded-For", "1.1.1.1, 203.0.113.5, 192.168.1.1, 10.9.9.9"}}, trusted),
            "203.0.113.5");
  // An untrusted hop in the middle is where belief ends, whatever it claims before it.
  EXPECT_EQ(client("10.0.0.2", {{"X-Forwarded-For", "203.0.113.5, 198.51.100.7, 10.1.1.1"}}, trusted),
            "198.51.100.7");
  // Several headers are one list, in order.
  EXPECT_EQ(client("10.0.0.2", {{"X-Forwarded-For", "203.0.113.5, 198.51.100.7"}, {"X-Forwarded-For", "10.1.1.1"}},
                   trusted),
            "198.51.100.7");
  // Only trusted hops: the one furthest away.
  EXPECT_EQ(client("10.0.0.2", {{"X-Forwarded-For", "10.3.3.3, 10.1.1.1"}}, trusted), "10.3.3.3");
}

TEST(ClientAddress, Ipv6ClientsAndProxies) {
  const auto trusted = networks({"2001:db8:1::/48", "127.0.0.1/32"});
  EXPECT_EQ(client("2001:db8:1::10", {{"X-Forwarded-For", "2001:db8:ffff::7"}}, trusted), "2001:db8:ffff::7");
  EXPECT_EQ(client("2001:db8:1::10", {{"X-Forwarded-For", "[2001:db8:ffff::7]:443, 2001:db8:1::20"}}, trusted),
            "2001:db8:ffff::7");
  EXPECT_EQ(client("127.0.0.1", {{"X-Forwarded-For", "2001:DB8:ffff:0:0:0:0:7"}}, trusted), "2001:db8:ffff::7")
      << "one spelling per address";
  EXPECT_EQ(client("127.0.0.1", {{"Forwarded", "for=\"[2001:db8:cafe::17]:4711\""}}, trusted), "2001:db8:cafe::17");
}

TEST(ClientAddress, TheForwardedHeader) {
  const auto trusted = networks({"127.0.0.1/32", "10.0.0.0/8"});
  EXPECT_EQ(client("127.0.0.1", {{"Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43"}}, trusted), "192.0.2.60");
  EXPECT_EQ(client("127.0.0.1", {{"Forwarded", "For=\"192.0.2.60:8080\""}}, trusted), "192.0.2.60");
  EXPECT_EQ(client("127.0.0.1", {{"Forwarded", "for=198.51.100.1, for=192.0.2.60;proto=https, for=10.0.0.4"}}, trusted),
            "192.0.2.60");
  EXPECT_EQ(client("127.0.0.1", {{"Forwarded", "proto=https;for=192.0.2.60"}}, trusted), "192.0.2.60");
}

TEST(ClientAddress, MalformedValuesLeaveThePeer) {
  const auto trusted = networks({"127.0.0.1/32", "10.0.0.0/8"});
  for (const char* xff : {"", " ", "garbage", "203.0.113.5, garbage", "203.0.113.5,", "203.0.113.5 203.0.113.6",
                          "unknown", "203.0.113.256", "203.0.113.5:port", "203.0.113.5:123456", "[203.0.113.5]",
                          "[2001:db8::1", "2001:db8::1]:80", "fe80::1%eth0", "203.0.113.5\x01", "203.0.113.5;drop",
                          "203.0.113.5, 10.0.0.1, <script>", "%31.2.3.4", "1.2.3.4/8", "0x7f.1", "::ffff:garbage"}) {
    EXPECT_EQ(client("127.0.0.1", {{"X-Forwarded-For", xff}}, trusted), "127.0.0.1") << "X-Forwarded-For: " << xff;
  }
  for (const char* fwd : {"", "for=", "for=unknown", "for=_hidden", "for=\"192.0.2.60", "by=192.0.2.60",
                          "for=192.0.2.60;for=192.0.2.61", "for=\"[2001:db8::1]\"x", "for=2001:db8::1:80:x",
                          "garbage", "for=192.0.2.60, garbage", "for=192.0.2.60,", "for==192.0.2.60"}) {
    EXPECT_EQ(client("127.0.0.1", {{"Forwarded", fwd}}, trusted), "127.0.0.1") << "Forwarded: " << fwd;
  }
  // Garbage the client wrote left of the address a trusted hop appended does not matter.
  EXPECT_EQ(client("127.0.0.1", {{"X-Forwarded-For", "garbage, <script>, 203.0.113.5"}}, trusted), "203.0.113.5");
  // A very long list is read as well as a short one.
  std::string many;
  for (int i = 0; i < 1500; ++i) many += "10.0.0." + std::to_string(i % 250) + ", ";
  EXPECT_EQ(client("127.0.0.1", {{"X-Forwarded-For", "198.51.100.3, " + many + "10.0.0.1"}}, trusted), "198.51.100.3");
}

TEST(ClientAddress, BothHeadersMustAgree) {
  const auto trusted = networks({"127.0.0.1/32"});
  EXPECT_EQ(client("127.0.0.1", {{"X-Forwarded-For", "203.0.113.5"}, {"Forwarded", "for=203.0.113.5"}}, trusted),
            "203.0.113.5");
  // One of them may be the client's own invention; which one cannot be told.
  EXPECT_EQ(client("127.0.0.1", {{"X-Forwarded-For", "203.0.113.5"}, {"Forwarded", "for=198.51.100.1"}}, trusted),
            "127.0.0.1");
  EXPECT_EQ(client("127.0.0.1", {{"X-Forwarded-For", "203.0.113.5"}, {"Forwarded", "for=unknown"}}, trusted),
            "127.0.0.1");
}

}  // namespace
}  // namespace sb::http
