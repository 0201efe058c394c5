// The one interface every platform connector implements (DESIGN.md §5), and what it exchanges.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "http/client.hpp"

namespace sb::integrations {

using Credentials = std::map<std::string, std::string>;

struct CredentialField {
  std::string name;
  std::string label;
  std::string help;         // where to find the value
  std::string placeholder;  // the shape of a value, never a real one
  bool secret = true;       // hidden in forms; every field is stored sealed either way
  bool required = true;
  // A message for the user when the value has the wrong shape; nullopt when it is fine.
  std::function<std::optional<std::string>(const std::string&)> check;
};

// Where each platform's API lives (configuration) and how long one call may take.
struct PlatformEndpoints {
  std::string telegram = "https://api.telegram.org";
  std::string graph = "https://graph.facebook.com/v21.0";
  std::string slack = "https://slack.com/api";
  std::string discord = "https://discord.com/api/v10";
  std::string twilio = "https://api.twilio.com";
  long timeout_ms = 5000;
};

// What one call to a platform came to, in words a user understands and without any secret.
struct PlatformAnswer {
  enum class Kind {
    ok,
    rejected,     // the platform refused the credentials (401/403 or its own code for it)
    unavailable,  // it could not be asked: timeout, rate limit, server error, unreadable answer
    refused,      // it understood and said no (a malformed id, a bad request): retrying will not help
    recipient,    // it will not deliver to this person or chat (blocked the bot, chat gone, reply window
                  // closed, opted out): retrying will not help, and the account itself is fine
  };
  Kind kind = Kind::ok;
  long http_status = 0;  // 0 when no HTTP answer came
  std::string message;
  std::string account;              // verify: what the platform says the account is
  std::string platform_message_id;  // send: the id of the message the platform created
  int retry_after_seconds = 0;      // the platform's own wait hint, when it gave one
  // No answer came after the request had gone out (a read timeout, a connection that broke after
  // the request was written): the platform may have acted on it. A send is then in doubt (ADR 0040).
  bool maybe_delivered = false;
  bool ok() const { return kind == Kind::ok; }
};

// The raw outcome of one call to a platform: a transport failure already turned into an answer,
// or a response.
struct CallResult {
  std::optional<PlatformAnswer> failure;  // set when no usable HTTP answer came
  http::ClientResponse response;
  boost::json::value body;                // parsed JSON (null when the answer was not JSON)
  bool json_ok = false;
};

struct OutboundMessage {
  std::string recipient;  // chat id, phone number, PSID, channel id…
  std::string text;
  // The text asks for a 1–5 rating (ADR 0037): where the platform has buttons, they go with it and
  // their answer comes back as an inbound message whose text is the score ("4").
  bool ask_rating = false;
  // The same for every send of one reply (the job id): where a platform deduplicates sends by a key
  // (Discord's nonce), a send repeated after a crash returns the first message (ADR 0040).
  std::string idempotency_key = {};
};

// A platform's call to /hooks/…, as the connector needs it to authenticate.
struct InboundRequest {
  std::string method;                             // "GET" or "POST"
  std::string url;                                // the public URL the platform called, with its query
  std::map<std::string, std::string> query;       // decoded query parameters
  std::function<std::string(std::string_view)> header;
  std::string body;                               // the raw bytes, as they were signed
  std::int64_t now_seconds = 0;
};

struct AuthOutcome {
  bool accepted = false;
  std::string reason;  // why it was rejected, for metrics and logs (no secret)
  // A handshake the platform expects answered directly (hub.challenge, url_verification, PING).
  std::optional<std::string> reply_body;
  std::string reply_content_type = "application/json";
};

// One message a platform delivered, normalised. The idempotency key is the platform's own stable
// id for it (Telegram update_id, wamid, mid, Slack event_id, interaction id, MessageSid).
struct InboundMessage {
  std::string idempotency_key;
  std::string external_user_id;
  std::string display_name;
  std::string reply_to;  // where the answer goes: chat id, phone number, PSID, channel, interaction
  std::string text;
};

// What a delivery held: messages to answer, and events acknowledged but not answered (edits,
// receipts, a bot's own messages) as (idempotency key, kind).
struct ParsedDelivery {
  std::vector<InboundMessage> messages;
  std::vector<std::pair<std::string, std::string>> ignored;
  std::optional<std::string> error;  // the body could not be read at all
};

// The 200 a platform expects once a delivery is stored (TwiML for Twilio, a deferred response
// for a Discord interaction); empty body when anything goes.
struct Acknowledgement {
  std::string body;
  std::string content_type = "application/json";
};

// A delivery signed the way the platform signs it, for the webhook simulator.
struct SimulatedDelivery {
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string idempotency_key;  // what parse() will find in it
};

class Connector {
 public:
  virtual ~Connector() = default;
  virtual std::string_view platform() const = 0;       // "telegram"
  virtual std::string_view display_name() const = 0;   // "Telegram"
  virtual const std::vector<CredentialField>& credential_schema() const = 0;
  // How its webhook is set up: set_webhook | verify_token | signing_secret | public_key | console_url | none
  virtual std::string_view webhook_setup() const = 0;
  virtual std::string_view verify_call() const = 0;    // "getMe"
  // The cheapest read-only call that proves the credentials work.
  virtual PlatformAnswer verify(const Credentials& credentials, http::HttpClient& client,
                                const PlatformEndpoints& endpoints) const = 0;
  // One message through the platform's send API: one HTTP call. send_request builds it (nullopt
  // when the platform takes no sends) and read_send reads what came back. send() does both; the
  // reply workers make many calls side by side in between.
  virtual std::optional<http::ClientRequest> send_request(const OutboundMessage& message,
                                                          const Credentials& credentials,
                                                          const PlatformEndpoints& endpoints) const = 0;
  virtual PlatformAnswer read_send(const OutboundMessage& message, const CallResult& result,
                                   const Credentials& credentials) const = 0;
  PlatformAnswer send(const OutboundMessage& message, const Credentials& credentials, http::HttpClient& client,
                      const PlatformEndpoints& endpoints) const;
  // Why `recipient` is nothing this platform can send to (a malformed id, or a path, query or line
  // break smuggled into one), in words for the user; nullopt when it has the platform's shape.
  virtual std::optional<std::string> check_recipient(const std::string& recipient) const = 0;
  // A refusal, made before any call, when a stored credential no longer has its field's shape (a row
  // saved before a check was tightened) or the recipient fails check_recipient; nullopt when the
  // call may go. Every call to a platform goes through it: ids end up in URLs.
  std::optional<PlatformAnswer> refuse_unsafe(const Credentials& credentials,
                                              const std::string* recipient = nullptr) const;
  // Checks that a call to /hooks/… comes from the platform, answering handshakes itself.
  virtual AuthOutcome authenticate(const InboundRequest& request, const Credentials& credentials) const = 0;
  // Normalised messages of an authenticated delivery (read_delivery's). A message whose reply
  // target fails check_recipient is acknowledged as ignored ("invalid_recipient"), never answered.
  ParsedDelivery parse(const InboundRequest& request) const;
  virtual Acknowledgement acknowledgement() const { return {}; }
  // What parse() starts from: the delivery as the platform wrote it.
  virtual ParsedDelivery read_delivery(const InboundRequest& request) const = 0;
  // A test delivery of `text` from `user` to `url`, signed with the stored secrets; nullopt when
  // only the platform can sign one (Discord signs with its own private key).
  virtual std::optional<SimulatedDelivery> simulate(const std::string& text, const std::string& user,
                                                    const std::string& url, const Credentials& credentials,
                                                    std::int64_t now_seconds) const = 0;
  // Registers our webhook URL with the platform, where its API allows it (Telegram).
  virtual std::optional<PlatformAnswer> register_webhook(const std::string& url, const Credentials& credentials,
                                                         http::HttpClient& client,
                                                         const PlatformEndpoints& endpoints) const {
    (void)url, (void)credentials, (void)client, (void)endpoints;
    return std::nullopt;
  }
};

// Every connector, in the order the product lists them; nullptr for an unknown platform.
const std::vector<const Connector*>& all_connectors();
const Connector* find_connector(std::string_view platform);

// Credentials fields the server adds itself and never shows (e.g. Telegram's webhook secret token).
constexpr std::string_view kWebhookSecretField = "webhook_secret";

}  // namespace sb::integrations
