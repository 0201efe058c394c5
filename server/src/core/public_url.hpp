// Whether the public base URL is one a messaging platform on the internet can call back.
#pragma once

#include <string>
#include <string_view>

namespace sb {

// Why platforms cannot reach a base URL; `none` when they can.
enum class PublicUrlProblem { none, missing, invalid, plain_http, localhost, loopback, unspecified, private_network };

struct PublicUrlCheck {
  PublicUrlProblem problem = PublicUrlProblem::none;
  bool reachable() const { return problem == PublicUrlProblem::none; }
  std::string code() const;     // "plain_http", "loopback", …; "ok" when reachable
  std::string message() const;  // one sentence for the operator; empty when reachable
};

// Parses with Boost.URL and judges the host as a platform would resolve it: an https URL whose
// host is a public name or address. Loopback (127/8, ::1, 127.1, 0x7f.1), 0.0.0.0/::, private,
// link-local, CGNAT and unique-local ranges, "localhost" and *.localhost (with or without a trailing
// dot), userinfo, and anything that is not http(s) fail. The first problem found is reported, host
// before scheme, since a loopback address is the more useful thing to be told.
PublicUrlCheck check_public_base_url(std::string_view url);

}  // namespace sb
