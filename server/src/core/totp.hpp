// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, HMAC-SHA1, 6 digits, 30-second
// steps: what every authenticator app reads from an otpauth:// URI) and the base32 they travel in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb::totp {

constexpr std::int64_t kStepMs = 30'000;
constexpr int kDigits = 6;

// RFC 4648 base32 without padding (authenticator apps accept it), and its inverse; decoding
// ignores case, spaces and padding and refuses anything else.
std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);

// The code for the step that holds unix time `now_ms`, zero-padded to `digits`.
std::string code_at(std::string_view secret, std::int64_t now_ms, int digits = kDigits);
std::string code_for_step(std::string_view secret, std::int64_t step, int digits = kDigits);

// The step (now_ms / kStepMs, give or take `window` steps for clocks that drift) whose code is
// `code`, or nothing. Only steps after `last_used_step` count, so a code works once.
std::optional<std::int64_t> matching_step(std::string_view secret, std::string_view code, std::int64_t now_ms,
                                          std::int64_t last_used_step, int window = 1);

// otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace sb::totp
