// TOTP: the RFC 6238 test vectors, base32, one use per code, and the otpauth URI apps read.
#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "core/totp.hpp"

namespace sb {
namespace {

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const std::string kSeed = "12345678901234567890";

TEST(Totp, MatchesRfc6238Vectors) {
  EXPECT_EQ(totp::code_at(kSeed, 59'000LL, 8), "94287082");
  EXPECT_EQ(totp::code_at(kSeed, 1111111109'000LL, 8), "07081804");
  EXPECT_EQ(totp::code_at(kSeed, 1111111111'000LL, 8), "14050471");
  EXPECT_EQ(totp::code_at(kSeed, 1234567890'000LL, 8), "89005924");
  EXPECT_EQ(totp::code_at(kSeed, 2000000000'000LL, 8), "69279037");
  EXPECT_EQ(totp::code_at(kSeed, 20000000000'000LL, 8), "65353130");
  EXPECT_EQ(totp::code_at(kSeed, 59'000LL), "287082") << "six digits are the last six of eight";
}

TEST(Totp, Base32RoundTripsAndRefusesOtherCharacters) {
  EXPECT_EQ(totp::base32_encode("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(totp::base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").value(), kSeed);
  auto random = crypto::random_bytes(20);
  EXPECT_EQ(totp::base32_decode(totp::base32_encode(random)).value(), random);
  EXPECT_FALSE(totp::base32_decode("GEZD1").has_value()) << "1 is not in the alphabet";
  EXPECT_FALSE(totp::base32_decode("GE/D").has_value());
}

TEST(Totp, ACodeMatchesItsStepAndNeighboursOnceEach) {
  const std::int64_t now = 1'700'000'000'000LL;
  const std::int64_t step = now / totp::kStepMs;
  auto code = totp::code_at(kSeed, now);
  EXPECT_EQ(totp::matching_step(kSeed, code, now, 0), step);
  EXPECT_EQ(totp::matching_step(kSeed, code, now + totp::kStepMs, 0), step) << "a step late is tolerated";
  EXPECT_FALSE(totp::matching_step(kSeed, code, now + 3 * totp::kStepMs, 0)) << "three steps late is not";
  EXPECT_FALSE(totp::matching_step(kSeed, code, now, step)) << "a code already used does not work again";
  EXPECT_FALSE(totp::matching_step(kSeed, "12345", now, 0));
  EXPECT_FALSE(totp::matching_step(kSeed, "12345a", now, 0));
}

TEST(Totp, OtpauthUriCarriesTheSecretAndEncodesNames) {
  auto uri = totp::otpauth_uri("Switchboard", "ada+bots@example.com", kSeed);
  EXPECT_EQ(uri,
            "otpauth://totp/Switchboard:ada+bots@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Switchboard&algorithm=SHA1&digits=6&period=30");
  auto spaced = totp::otpauth_uri("My Co", "a b?c#d", kSeed);
  EXPECT_NE(spaced.find("/My%20Co:a%20b%3Fc%23d?"), std::string::npos) << spaced;
}

}  // namespace
}  // namespace sb
