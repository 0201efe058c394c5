// TOTP codes and base32.
#include "core/totp.hpp"

#include <boost/url/url.hpp>

#include "core/crypto.hpp"

namespace sb::totp {
namespace {
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
}

std::string base32_encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == ' ' || ch == '=') continue;
    char upper = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
    auto value = kAlphabet.find(upper);
    if (value == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string code_for_step(std::string_view secret, std::int64_t step, int digits) {
  std::string counter(8, '\0');
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<char>(step & 0xff);
    step >>= 8;
  }
  std::string mac = crypto::hmac_sha1(secret, counter);
  // RFC 4226 §5.3 dynamic truncation.
  std::size_t offset = static_cast<unsigned char>(mac[19]) & 0x0f;
  std::uint32_t binary = (static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset]) & 0x7f) << 24) |
                         (static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 1])) << 16) |
                         (static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 2])) << 8) |
                         static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 3]));
  std::uint32_t modulo = 1;
  for (int i = 0; i < digits; ++i) modulo *= 10;
  std::string code = std::to_string(binary % modulo);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::string code_at(std::string_view secret, std::int64_t now_ms, int digits) {
  return code_for_step(secret, now_ms / kStepMs, digits);
}

std::optional<std::int64_t> matching_step(std::string_view secret, std::string_view code, std::int64_t now_ms,
                                          std::int64_t last_used_step, int window) {
  if (code.size() != static_cast<std::size_t>(kDigits)) return std::nullopt;
  for (char c : code)
    if (c < '0' || c > '9') return std::nullopt;
  std::int64_t now_step = now_ms / kStepMs;
  std::optional<std::int64_t> found;
  // Every candidate is compared, in constant time, so timing does not tell which step matched.
  for (std::int64_t step = now_step - window; step <= now_step + window; ++step) {
    bool same = crypto::constant_time_equals(code_for_step(secret, step), code);
    if (same && step > last_used_step && !found) found = step;
  }
  return found;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret) {
  boost::urls::url u;
  u.set_scheme("otpauth");
  u.set_encoded_host("totp");
  u.set_path("/" + std::string(issuer) + ":" + std::string(account));
  auto params = u.params();
  params.append({"secret", base32_encode(secret)});
  params.append({"issuer", issuer});
  params.append({"algorithm", "SHA1"});
  params.append({"digits", std::to_string(kDigits)});
  params.append({"period", std::to_string(kStepMs / 1000)});
  return std::string(u.buffer());
}

}  // namespace sb::totp
