// Crypto wrappers over libsodium and OpenSSL: random tokens, hashes, password hashing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sb::crypto {

// Call once at start; safe to call again.
void init();

std::string random_bytes(std::size_t n);
// URL-safe base64 without padding of n random bytes (32 bytes = 256 bits for session tokens).
std::string random_token(std::size_t n = 32);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string to_hex(std::string_view bytes);
bool constant_time_equals(std::string_view a, std::string_view b);

// Argon2id (libsodium's crypto_pwhash_str), interactive limits by default.
struct PasswordHashCost {
  unsigned long long ops_limit;
  std::size_t mem_limit;
};
PasswordHashCost interactive_cost();
std::string hash_password(std::string_view password, PasswordHashCost cost = interactive_cost());
bool verify_password(std::string_view encoded_hash, std::string_view password);

}  // namespace sb::crypto
