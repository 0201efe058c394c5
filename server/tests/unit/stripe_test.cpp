// Stripe pieces without a server: the webhook signature check against signatures made with OpenSSL
// here, form encoding with Stripe's brackets, and reading subscriptions of either API version.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>

#include "billing/stripe.hpp"

namespace sb::billing {
namespace {

std::string hmac_hex(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &len);
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    static const char* hex = "0123456789abcdef";
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

constexpr const char* kSecret = "whsec_unit_test_secret";
const std::string kBody = R"({"id":"evt_1","type":"invoice.paid"})";
constexpr std::int64_t kT = 1767225600;

std::string v1(std::int64_t t, const std::string& body = kBody, const std::string& secret = kSecret) {
  return hmac_hex(secret, std::to_string(t) + "." + body);
}

TEST(StripeSignatureTest, AcceptsWhatStripeSends) {
  std::string ts = "t=" + std::to_string(kT);
  EXPECT_TRUE(verify_stripe_signature(ts + ",v1=" + v1(kT), kBody, kSecret, kT));
  EXPECT_TRUE(verify_stripe_signature(ts + ",v1=" + v1(kT, kBody, "whsec_old") + ",v1=" + v1(kT), kBody, kSecret, kT))
      << "any v1 may match (secret rotation)";
  EXPECT_TRUE(verify_stripe_signature(ts + ",v0=deadbeef,v1=" + v1(kT), kBody, kSecret, kT)) << "v0 is ignored";
  EXPECT_TRUE(verify_stripe_signature(ts + ",v1=" + v1(kT), kBody, kSecret, kT + 300)) << "300 s is within tolerance";
  EXPECT_TRUE(verify_stripe_signature(ts + ",v1=" + v1(kT), kBody, kSecret, kT - 60)) << "future skew is not checked";
  EXPECT_EQ(stripe_signature_header(kBody, kSecret, kT), ts + ",v1=" + v1(kT));
}

TEST(StripeSignatureTest, RefusesEverythingElse) {
  std::string ts = "t=" + std::to_string(kT);
  std::string tampered = kBody;
  tampered[10] = 'X';
  for (const auto& [header, body, now] : std::vector<std::tuple<std::string, std::string, std::int64_t>>{
           {ts + ",v0=" + v1(kT), kBody, kT},
           {ts + ",v1=" + v1(kT), tampered, kT},
           {ts + ",v1=" + v1(kT, kBody, "whsec_wrong"), kBody, kT},
           {ts + ",v1=" + v1(kT, kBody, "unit_test_secret"), kBody, kT},
           {ts + ",v1=" + v1(kT), kBody, kT + 301},
           {"v1=" + v1(kT), kBody, kT},
           {ts, kBody, kT},
           {"", kBody, kT},
           {"t=12abc,v1=" + v1(kT), kBody, kT},
           {ts + ",v1=" + v1(kT).substr(0, 63), kBody, kT},
           {ts + ",v1=" + v1(kT + 1), kBody, kT},
       }) {
    auto r = verify_stripe_signature(header, body, kSecret, now);
    ASSERT_FALSE(r) << header;
    EXPECT_EQ(r.error().code, "invalid_signature");
    EXPECT_EQ(r.error().message.find(kSecret), std::string::npos);
  }
  EXPECT_FALSE(verify_stripe_signature("t=1,v1=" + v1(1), kBody, "", 1)) << "no secret configured";
}

TEST(StripeFormTest, EncodesBracketsAndReservedCharacters) {
  EXPECT_EQ(form_encode({{"mode", "subscription"}, {"line_items[0][price]", "price_1"}}),
            "mode=subscription&line_items%5B0%5D%5Bprice%5D=price_1");
  EXPECT_EQ(form_encode({{"success_url", "https://x.example/billing?a=1&b={CHECKOUT_SESSION_ID}"}}),
            "success_url=https%3A%2F%2Fx.example%2Fbilling%3Fa%3D1%26b%3D%7BCHECKOUT_SESSION_ID%7D");
  EXPECT_EQ(form_encode({{"name", "Café & Co"}}), "name=Caf%C3%A9%20%26%20Co");
}

TEST(StripeSubscriptionTest, ReadsPeriodsFromEitherApiVersion) {
  auto old_shape = subscription_from_json(boost::json::parse(R"({
    "id": "sub_1", "customer": "cus_1", "status": "active", "cancel_at_period_end": true,
    "current_period_start": 1700000000, "current_period_end": 1702592000,
    "items": {"data": [{"price": {"id": "price_pro"}}]}, "metadata": {"org_id": "org_1"}})"));
  EXPECT_EQ(old_shape.id, "sub_1");
  EXPECT_EQ(old_shape.customer, "cus_1");
  EXPECT_EQ(old_shape.price_id, "price_pro");
  EXPECT_EQ(old_shape.current_period_end, 1702592000000LL);
  EXPECT_TRUE(old_shape.cancel_at_period_end);
  EXPECT_EQ(old_shape.org_id, "org_1");
  auto basil = subscription_from_json(boost::json::parse(R"({
    "id": "sub_2", "customer": {"id": "cus_2"}, "status": "past_due",
    "items": {"data": [{"price": {"id": "price_biz"}, "current_period_start": 1700000000,
                        "current_period_end": 1702592000}]}})"));
  EXPECT_EQ(basil.customer, "cus_2");
  EXPECT_EQ(basil.current_period_start, 1700000000000LL);
  EXPECT_EQ(basil.current_period_end, 1702592000000LL);
  EXPECT_EQ(basil.org_id, "");
}

TEST(StripeIdsTest, OnlyPlainIdsMayStandInAPath) {
  EXPECT_TRUE(valid_stripe_id("sub_1MowQVLkdIwHu7ixeRlqHVzs"));
  for (const char* bad : {"", "sub_1/../x", "..", "sub_%2F", "sub 1", "sub_1?x=1"}) EXPECT_FALSE(valid_stripe_id(bad)) << bad;
}

}  // namespace
}  // namespace sb::billing
