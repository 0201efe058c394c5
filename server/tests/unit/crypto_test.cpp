// Password hashing, token generation and hashing, constant-time comparison.
#include <gtest/gtest.h>

#include <set>

#include "core/crypto.hpp"
#include "core/master_key.hpp"

namespace sb::crypto {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { init(); }
};

TEST_F(CryptoTest, PasswordHashIsArgon2idAndVerifies) {
  std::string hash = hash_password("correct horse battery");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(verify_password(hash, "correct horse battery"));
  EXPECT_FALSE(verify_password(hash, "correct horse batterz"));
  EXPECT_FALSE(verify_password(hash, ""));
  EXPECT_NE(hash_password("correct horse battery"), hash) << "each hash has its own salt";
}

TEST_F(CryptoTest, PasswordHashNeverContainsThePassword) {
  EXPECT_EQ(hash_password("plain-text-secret").find("plain-text-secret"), std::string::npos);
}

TEST_F(CryptoTest, VerifyRejectsGarbageHashes) {
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("$argon2id$nonsense", "x"));
}

TEST_F(CryptoTest, TokensAre256BitUrlSafeAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string t = random_token(32);
    EXPECT_EQ(t.size(), 43u);  // 32 bytes in unpadded base64
    EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST_F(CryptoTest, Sha256MatchesKnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(CryptoTest, HmacSha256MatchesRfc4231) {
  // RFC 4231 test case 2.
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
  EXPECT_FALSE(constant_time_equals("", "a"));
  EXPECT_TRUE(constant_time_equals("", ""));
}

// A master key rotation reseals each value with the new key under the same associated data.
TEST_F(CryptoTest, ResealOpensWithTheRightKeyAndSealsWithTheNewOne) {
  MasterKeys keys;
  keys.primary = random_bytes(32);
  std::string older = random_bytes(32);
  keys.all = {keys.primary, older};
  std::string next = random_bytes(32);
  std::string by_older = seal(older, "sk-or-secret", "org_1");
  // Named by its key id, or found among all keys when the row does not say which sealed it.
  for (std::string id : {key_id(older), std::string()}) {
    auto resealed = reseal(keys, next, by_older, id, "org_1");
    ASSERT_TRUE(resealed) << "key id '" << id << "'";
    EXPECT_EQ(open(next, *resealed, "org_1"), "sk-or-secret");
    EXPECT_FALSE(open(older, *resealed, "org_1")) << "the old key no longer opens it";
  }
  // A value an interrupted rotation already sealed with the new key is resealed again.
  EXPECT_TRUE(reseal(keys, next, seal(next, "x", "org_1"), "", "org_1"));
  // Another owner's associated data, another key id, or a key outside the ring: nothing opens.
  EXPECT_FALSE(reseal(keys, next, by_older, "", "org_2"));
  EXPECT_FALSE(reseal(keys, next, by_older, key_id(keys.primary), "org_1"));
  EXPECT_FALSE(reseal(keys, next, seal(random_bytes(32), "x", "org_1"), "", "org_1"));
}

}  // namespace
}  // namespace sb::crypto
