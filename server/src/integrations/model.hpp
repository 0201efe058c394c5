// Integrations: a connected platform account, what the API shows of it, and the results of actions on it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::integrations {

struct Integration {
  std::string id;
  std::string org_id;
  std::string platform;
  std::string name;
  std::string credentials_sealed;  // base64(nonce || ciphertext); never leaves the server
  std::string credentials_key_id;
  std::string status = "unverified";  // connected | invalid | needs_attention | unverified
  std::string status_reason;
  std::optional<std::int64_t> checked_at;
  std::optional<std::string> account;
  std::optional<std::int64_t> webhook_registered_at;
  // What happens to a reply whose send a crash left in doubt (ADR 0040): resend (at least once, may
  // duplicate) or hold (at most once: held for an operator to resend or discard).
  std::string in_doubt_policy = "resend";
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t deployment_count = 0;  // read only
};

// One credential field as the API shows it: set or not, and its last four characters.
struct CredentialView {
  std::string field;
  bool set = false;
  std::optional<std::string> hint;
};

struct IntegrationView {
  Integration integration;
  std::vector<CredentialView> credentials;
  std::string webhook_url;
};

// The outcome of something done at the platform (a test message, registering the webhook).
struct ActionResult {
  bool ok = false;
  std::string message;
  long http_status = 0;
  std::string platform_message_id;
  std::optional<IntegrationView> integration;
};

// How fast replies go out on one account: per second overall, and per minute to one chat.
struct RateLimit {
  int per_second = 30;
  int per_chat_per_minute = 60;
};

struct RateLimitView {
  RateLimit effective;
  RateLimit defaults;
  RateLimit max;  // the platform's bounds (the minimum is 1 for both)
  bool customised = false;
};

// Each platform's documented limits (PLATFORMS.md) as defaults, and how far an organisation may
// raise them (paid or upgraded tiers: Telegram paid broadcasts, WhatsApp's 1,000 mps, short codes).
RateLimit default_rate_limit(const std::string& platform);
RateLimit max_rate_limit(const std::string& platform);

}  // namespace sb::integrations
