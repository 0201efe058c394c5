// The client's address: the connection's peer, or, when that peer is a trusted reverse proxy, the
// address the proxies forwarded (X-Forwarded-For or Forwarded: for=).
#pragma once

#include <string>
#include <vector>

#include "core/ip_network.hpp"
#include "http/message.hpp"

namespace sb::http {

// Walks the forwarded chain right to left from the peer, skipping trusted hops: the first address
// that is not a trusted proxy is the client. The peer itself when it is not trusted (the headers are
// then anyone's words), when the chain has a malformed hop before the client, or when both headers
// are present and name different clients. Always a normalised address as text.
std::string client_address(const boost::asio::ip::address& peer, const beast_http::fields& headers,
                           const std::vector<IpNetwork>& trusted_proxies);

}  // namespace sb::http
