// What WhatsApp and Messenger share: Meta Graph error wording, and the hub handshake and signature.
#pragma once

#include "integrations/connector.hpp"
#include "integrations/platform_call.hpp"

namespace sb::integrations::meta {

// A failed Graph call in words: code 190 → rejected token, throttling codes → unavailable, …
PlatformAnswer graph_failure(const CallResult& r, std::string_view platform_name, const Credentials& credentials);
bool graph_ok(const CallResult& r);

// GET: hub.mode=subscribe with the verify token → echo hub.challenge. POST: X-Hub-Signature-256.
AuthOutcome authenticate(const InboundRequest& request, const Credentials& credentials);

// WhatsApp: every entry[].changes[].value.messages[] of type text; receipts and other types ignored.
ParsedDelivery parse_whatsapp(const InboundRequest& request);
// Messenger: every entry[].messaging[] with message.text; echoes and other events ignored.
ParsedDelivery parse_messenger(const InboundRequest& request);

// A signed test delivery of a text message (WhatsApp or Messenger shape).
SimulatedDelivery simulate_whatsapp(const std::string& text, const std::string& user, const Credentials& c,
                                    std::int64_t now);
SimulatedDelivery simulate_messenger(const std::string& text, const std::string& user, const Credentials& c,
                                     std::int64_t now);

std::optional<std::string> check_app_secret(const std::string& v);
std::optional<std::string> check_verify_token(const std::string& v);
std::optional<std::string> check_access_token(const std::string& v);
std::optional<std::string> check_numeric_id(const std::string& v, const std::string& what);

}  // namespace sb::integrations::meta
