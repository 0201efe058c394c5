// Crypto wrappers over libsodium and OpenSSL: random tokens, hashes, password hashing.
#pragma once

#include <cstddef>
#include <optional>
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

std::string base64_encode(std::string_view bytes);  // standard alphabet, padded
std::optional<std::string> base64_decode(std::string_view text);
std::string hmac_sha1(std::string_view key, std::string_view data);  // raw 20 bytes
// Ed25519 signature check; public_key 32 raw bytes, signature 64 raw bytes.
bool ed25519_verify(std::string_view public_key, std::string_view signature, std::string_view message);
std::optional<std::string> from_hex(std::string_view hex);

// XChaCha20-Poly1305 (libsodium IETF AEAD): key is 32 raw bytes. The sealed form is
// base64(nonce || ciphertext); associated_data binds it to its owner (e.g. a row id).
std::string seal(std::string_view key, std::string_view plaintext, std::string_view associated_data);
// nullopt when the key, the associated data or the bytes do not match.
std::optional<std::string> open(std::string_view key, std::string_view sealed, std::string_view associated_data);
// A short public name for a key (not reversible): which key sealed a row.
std::string key_id(std::string_view key);

// Argon2id (libsodium's crypto_pwhash_str), interactive limits by default.
struct PasswordHashCost {
  unsigned long long ops_limit;
  std::size_t mem_limit;
};
PasswordHashCost interactive_cost();
std::string hash_password(std::string_view password, PasswordHashCost cost = interactive_cost());
bool verify_password(std::string_view encoded_hash, std::string_view password);

}  // namespace sb::crypto
