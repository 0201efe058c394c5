// Error constructors and the error-code → HTTP status mapping.
#include "core/result.hpp"

namespace sb {

Error Error::invalid_json(std::string message) { return {"invalid_json", std::move(message), {}}; }

Error Error::validation(std::map<std::string, std::string> fields, std::string message) {
  boost::json::object f;
  for (auto& [k, v] : fields) f[k] = v;
  return {"validation_failed", std::move(message), {{"fields", std::move(f)}}};
}

Error Error::unauthenticated(std::string message) { return {"unauthenticated", std::move(message), {}}; }
Error Error::invalid_credentials() {
  return {"invalid_credentials", "The email or password is not right.", {}};
}
Error Error::csrf_failed() {
  return {"csrf_failed", "The request is missing its CSRF token; reload the page and try again.", {}};
}
Error Error::forbidden(std::string message) { return {"forbidden", std::move(message), {}}; }
Error Error::not_found(std::string message) { return {"not_found", std::move(message), {}}; }
Error Error::conflict(std::string message) { return {"conflict", std::move(message), {}}; }
Error Error::rate_limited(int retry_after_seconds, std::string message) {
  Error e{"rate_limited", std::move(message), {{"retry_after_seconds", retry_after_seconds}}};
  e.retry_after_seconds = retry_after_seconds;
  return e;
}
Error Error::payload_too_large(std::size_t limit_bytes) {
  return {"payload_too_large", "The request body is larger than " + std::to_string(limit_bytes) + " bytes.",
          {{"limit_bytes", limit_bytes}}};
}
Error Error::unsupported_media_type() {
  return {"unsupported_media_type", "Send the body as application/json.", {}};
}
Error Error::unavailable(std::string message) { return {"unavailable", std::move(message), {}}; }
Error Error::internal() {
  return {"internal", "Something went wrong on our side. The request id identifies it in the server log.", {}};
}

int http_status_for(const Error& error) {
  static const std::map<std::string, int, std::less<>> statuses = {
      {"invalid_json", 400},       {"bad_request", 400},        {"unauthenticated", 401},
      {"invalid_credentials", 401}, {"invalid_visitor_token", 401}, {"csrf_failed", 403},        {"two_factor_enrollment_required", 403},        {"forbidden", 403},
      {"reauthentication_required", 403}, {"email_unverified", 403},
      {"reset_link_invalid", 400},  {"verification_link_invalid", 400}, {"already_verified", 409},
      {"not_found", 404},          {"origin_not_allowed", 403},  {"deployment_paused", 409},  {"ai_failed", 502},          {"invite_invalid", 404},     {"invite_email_mismatch", 403},          {"method_not_allowed", 405}, {"conflict", 409},
      {"payload_too_large", 413},  {"uri_too_long", 414},       {"unsupported_media_type", 415},
      {"validation_failed", 422},  {"request_header_fields_too_large", 431},
      {"plan_limit_reached", 402}, {"feature_not_in_plan", 402}, {"billing_not_configured", 503},
      {"invalid_signature", 400},  {"stripe_error", 502},
      {"rate_limited", 429},       {"internal", 500},           {"unavailable", 503},
  };
  auto it = statuses.find(error.code);
  return it == statuses.end() ? 500 : it->second;
}

}  // namespace sb
