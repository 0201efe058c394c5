// Meta Graph helpers for the WhatsApp and Messenger connectors (PLATFORMS.md §2, §3).
#include "integrations/meta/graph.hpp"

#include "core/crypto.hpp"

namespace sb::integrations::meta {

bool graph_ok(const CallResult& r) {
  return !r.failure && r.json_ok && r.response.status >= 200 && r.response.status < 300 && r.body.is_object() &&
         !r.body.as_object().if_contains("error");
}

PlatformAnswer graph_failure(const CallResult& r, std::string_view name, const Credentials& creds) {
  if (r.failure) return *r.failure;
  if (!r.json_ok) return not_json(name, r.response.status);
  std::string n(name);
  std::string code_text = string_at(r.body, {"error", "code"});
  std::string message = scrub(string_at(r.body, {"error", "message"}), creds);
  long code = code_text.empty() ? 0 : std::stol(code_text);
  PlatformAnswer a = answer_for_status(name, r.response.status, message, "the access token");
  a.retry_after_seconds = retry_after_header(r.response);
  std::string where = " (" + std::to_string(r.response.status) + (code ? ", code " + code_text : "") + ")";
  if (code == 190) {
    a.kind = PlatformAnswer::Kind::rejected;
    a.message = n + " rejected the access token: it is invalid or has expired" + where + ".";
  } else if (code == 10 || (code >= 200 && code <= 299)) {
    a.kind = PlatformAnswer::Kind::rejected;
    a.message = n + " says the token is missing a permission" + where + (message.empty() ? "" : ": " + message) + ".";
  } else if (code == 4 || code == 17 || code == 32 || code == 341 || code == 613 || code == 80007 || code == 130429) {
    a.kind = PlatformAnswer::Kind::unavailable;
    a.message = n + " is limiting requests" + where + "; try again later.";
  } else if (code == 1 || code == 2) {
    a.kind = PlatformAnswer::Kind::unavailable;
    a.message = n + " had a temporary problem" + where + "; try again later.";
  } else if (code == 368) {
    a.kind = PlatformAnswer::Kind::unavailable;
    a.message = n + " has temporarily blocked this account for a policy reason" + where + ".";
  } else if (code == 100 || code == 131030 || code == 131026) {
    a.kind = PlatformAnswer::Kind::refused;
    a.message = n + " does not accept this id" + where + (message.empty() ? "" : ": " + message) + ".";
  }
  return a;
}

AuthOutcome authenticate(const InboundRequest& req, const Credentials& c) {
  if (req.method == "GET") {
    auto get = [&](const char* k) {
      auto it = req.query.find(k);
      return it == req.query.end() ? std::string() : it->second;
    };
    if (get("hub.mode") != "subscribe") return {false, "hub.mode is not subscribe", {}};
    auto token = c.find("verify_token");
    if (token == c.end() || !crypto::constant_time_equals(get("hub.verify_token"), token->second))
      return {false, "wrong verify token", {}};
    return {true, "", get("hub.challenge"), "text/plain; charset=utf-8"};
  }
  std::string header = req.header("X-Hub-Signature-256");
  if (header.empty()) return {false, "missing X-Hub-Signature-256", {}};
  auto secret = c.find("app_secret");
  if (secret == c.end()) return {false, "no app secret is configured", {}};
  std::string expected = "sha256=" + crypto::to_hex(crypto::hmac_sha256(secret->second, req.body));
  if (!crypto::constant_time_equals(header, expected)) return {false, "wrong X-Hub-Signature-256", {}};
  return {true, "", {}};
}

std::optional<std::string> check_app_secret(const std::string& v) {
  return check_pattern(v, "[0-9a-fA-F]{32}",
                       "A Meta app secret is 32 hexadecimal characters (App settings › Basic › App secret).");
}
std::optional<std::string> check_verify_token(const std::string& v) {
  return check_pattern(v, "[\\x21-\\x7e]{8,128}", "Choose 8 to 128 characters without spaces.");
}
std::optional<std::string> check_access_token(const std::string& v) {
  return check_pattern(v, "[A-Za-z0-9_|.-]{20,1024}", "This does not look like a Meta access token (letters and digits, no spaces).");
}
std::optional<std::string> check_numeric_id(const std::string& v, const std::string& what) {
  return check_pattern(v, "[0-9]{5,25}", what + " is a number, for example 106540352242922.");
}

}  // namespace sb::integrations::meta
