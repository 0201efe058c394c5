// Error mapping: every code to its status, and the JSON envelope.
#include <gtest/gtest.h>

#include "core/auth_context.hpp"
#include "core/json.hpp"
#include "http/message.hpp"

namespace sb {
namespace {

TEST(ErrorsTest, CodesMapToStatuses) {
  EXPECT_EQ(http_status_for(Error::invalid_json()), 400);
  EXPECT_EQ(http_status_for(Error::unauthenticated()), 401);
  EXPECT_EQ(http_status_for(Error::invalid_credentials()), 401);
  EXPECT_EQ(http_status_for(Error::csrf_failed()), 403);
  EXPECT_EQ(http_status_for(Error::forbidden()), 403);
  EXPECT_EQ(http_status_for(reauthentication_required()), 403);
  EXPECT_EQ(http_status_for(email_unverified()), 403);
  EXPECT_EQ(http_status_for(Error{"reset_link_invalid", "x", {}}), 400);
  EXPECT_EQ(http_status_for(Error{"verification_link_invalid", "x", {}}), 400);
  EXPECT_EQ(http_status_for(Error{"already_verified", "x", {}}), 409);
  EXPECT_EQ(http_status_for(Error::not_found()), 404);
  EXPECT_EQ(http_status_for(Error::conflict("x")), 409);
  EXPECT_EQ(http_status_for(Error::payload_too_large(10)), 413);
  EXPECT_EQ(http_status_for(Error::unsupported_media_type()), 415);
  EXPECT_EQ(http_status_for(Error::validation({{"a", "b"}})), 422);
  EXPECT_EQ(http_status_for(Error::rate_limited(3, "slow down")), 429);
  EXPECT_EQ(http_status_for(Error::internal()), 500);
  EXPECT_EQ(http_status_for(Error::unavailable("db")), 503);
  EXPECT_EQ(http_status_for(Error{"plan_limit_reached", "x", {}}), 402);
  EXPECT_EQ(http_status_for(Error{"feature_not_in_plan", "x", {}}), 402);
  EXPECT_EQ(http_status_for(Error{"billing_not_configured", "x", {}}), 503);
  EXPECT_EQ(http_status_for(Error{"invalid_signature", "x", {}}), 400);
  EXPECT_EQ(http_status_for(Error{"stripe_error", "x", {}}), 502);
  EXPECT_EQ(http_status_for(Error{"something_new", "?", {}}), 500) << "an unmapped code is a bug, not a 200";
}

TEST(ErrorsTest, EnvelopeCarriesCodeMessageAndFieldDetails) {
  auto res = http::Response::error(Error::validation({{"email", "Enter a valid email address."}}));
  EXPECT_EQ(res.status, 422u);
  EXPECT_EQ(res.content_type, "application/json");
  auto v = boost::json::parse(res.body).as_object();
  auto& e = v.at("error").as_object();
  EXPECT_EQ(e.at("code").as_string(), "validation_failed");
  EXPECT_FALSE(e.at("message").as_string().empty());
  EXPECT_EQ(e.at("details").at("fields").at("email").as_string(), "Enter a valid email address.");
}

TEST(ErrorsTest, RateLimitedSetsRetryAfter) {
  auto res = http::Response::error(Error::rate_limited(42, "wait"));
  EXPECT_EQ(res.status, 429u);
  bool found = false;
  for (auto& [k, v] : res.headers) found |= (k == "Retry-After" && v == "42");
  EXPECT_TRUE(found);
}

TEST(ErrorsTest, InternalErrorRevealsNothing) {
  auto res = http::Response::error(Error::internal());
  EXPECT_EQ(res.body.find("exception"), std::string::npos);
  EXPECT_EQ(res.body.find("what()"), std::string::npos);
}

TEST(JsonTest, ParseObjectRejectsNonObjects) {
  EXPECT_EQ(json::parse_object("{").error().code, "invalid_json");
  EXPECT_EQ(json::parse_object("[]").error().code, "invalid_json");
  EXPECT_EQ(json::parse_object("\"x\"").error().code, "invalid_json");
  EXPECT_TRUE(json::parse_object("{\"a\":1}").ok());
}

TEST(JsonTest, FieldReaderCollectsTypeAndLengthErrors) {
  auto obj = json::parse_object(R"({"name": 5, "bio": "abcdef", "pw": "  spaced  ", "title": "  trimmed  "})").value();
  json::FieldReader f(obj);
  EXPECT_FALSE(f.string("name", true));
  EXPECT_FALSE(f.string("bio", false, 3));
  EXPECT_EQ(*f.string("pw", false, 100, true), "  spaced  ");
  EXPECT_EQ(*f.string("title", false), "trimmed");
  EXPECT_FALSE(f.string("missing", true));
  EXPECT_FALSE(f.ok());
  auto fields = f.error().details.at("fields").as_object();
  EXPECT_EQ(fields.at("name").as_string(), "Must be a string.");
  EXPECT_EQ(fields.at("bio").as_string(), "Must be at most 3 characters.");
  EXPECT_EQ(fields.at("missing").as_string(), "This field is required.");
}

}  // namespace
}  // namespace sb
