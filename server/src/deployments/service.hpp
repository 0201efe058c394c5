// Deployment rules, and the public web chat: origin checks, pause, rate limits, message length.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "conversations/service.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/master_key.hpp"
#include "core/rate_limiter.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "deployments/model.hpp"

namespace sb::deployments {

struct WebchatSettings {
  std::string public_base_url;
  int per_visitor_per_minute = 20;
  int per_deployment_per_minute = 600;
  // Per client address (as the server reads it, honouring --trusted-proxies): visitor ids are the
  // browser's own choice, so rotating them must not lift the limit; an office behind one address
  // still fits.
  int per_address_per_minute = 300;
  std::size_t max_message_length = 2000;
};

// Fields of a deployment's widget appearance that a PATCH or POST may set (unset: unchanged / default).
struct AppearanceChange {
  std::optional<std::string> color, position, launcher_label, greeting, theme;
};

class DeploymentService {
 public:
  // Visitor tokens are signed with a key derived from each master key (the primary signs; older ones
  // still verify); identity secrets are sealed with the primary.
  DeploymentService(db::Database& db, const Clock& clock, conversations::ConversationService& conversations,
                    WebchatSettings settings, const MasterKeys& keys);

  Result<std::vector<Deployment>> list(const AuthContext& ctx, const std::optional<std::string>& bot_id);
  // channel "webchat" with allowed origins, or a connected integration (its platform is the channel).
  Result<Deployment> create(const AuthContext& ctx, const std::string& bot_id, const std::string& channel,
                            const std::vector<std::string>& allowed_origins,
                            const std::optional<std::string>& integration_id = std::nullopt,
                            bool hosted_page_enabled = true, const AppearanceChange& appearance = {});
  Result<Deployment> update(const AuthContext& ctx, const std::string& id, const std::optional<std::string>& status,
                            const std::optional<std::vector<std::string>>& allowed_origins,
                            std::optional<bool> hosted_page_enabled = std::nullopt,
                            const AppearanceChange& appearance = {});
  // A new identity secret (hex, 32 random bytes), replacing any earlier one: returned this once, then
  // only its sealed form is kept. Owners and admins.
  Result<std::string> rotate_identity_secret(const AuthContext& ctx, const std::string& id);
  Result<void> remove(const AuthContext& ctx, const std::string& id);

  // Public web chat. origin: the request's Origin header ("" when none was sent); host: its Host;
  // client_address: the sender's address as the server reads it (behind trusted proxies, theirs).
  // visitor_token: the caller's X-Visitor-Token ("" when none); echoed when valid, otherwise a new one.
  Result<WidgetInfo> widget(const std::string& key, const std::string& visitor_token = "");
  // The holder's conversation (401 invalid_visitor_token for a missing, forged or altered token).
  Result<WidgetHistory> widget_history(const std::string& key, const std::string& origin, const std::string& host,
                                       const std::string& visitor_token);
  // "vt1.<random>.<hex HMAC>" → the visitor id it carries; nullopt when it is not one we signed.
  std::optional<std::string> visitor_of(const std::string& token) const;
  std::string issue_visitor_token() const;
  // A visitor's message: an error at once (nothing recorded, no callback), or the callbacks report
  // the exchange (stream: pieces of the model's answer as it is written).
  std::optional<Error> widget_message(const std::string& key, const std::string& origin, const std::string& host,
                                      const std::string& client_address, const std::string& visitor_token,
                                      const std::string& text, bool stream, conversations::ExchangeCallbacks callbacks,
                                      const std::optional<SignedIdentity>& identity = std::nullopt);
  // GET /chat/<key>: the chat app framed only by the deployment's allowed origins, the hosted page
  // when it is on, or why not.
  ChatPage chat_page(const std::string& key, const ChatPageRequest& request);
  // A visitor's 1–5 rating of their conversation, when the bot asks for one.
  Result<void> widget_rating(const std::string& key, const std::string& origin, const std::string& host,
                             const std::string& visitor_token, const std::string& session_id, std::int64_t score);
  // Whether a browser page at `origin` may call this deployment's public endpoints: one of its
  // allowed origins, or this server itself (the hosted chat page).
  bool origin_allowed(const std::string& key, const std::string& origin, const std::string& host);

  std::string embed_snippet(const Deployment& d) const;
  std::string hosted_url(const Deployment& d) const;

  // Runs after a deployment was created, changed or deleted through this process, so every
  // process drops what it cached about it (ADR 0039).
  void on_change(std::function<void(const Deployment&)> changed) { changed_ = std::move(changed); }

 private:
  std::function<void(const Deployment&)> changed_;
  db::Database& db_;
  const Clock& clock_;
  conversations::ConversationService& conversations_;
  WebchatSettings settings_;
  const MasterKeys& keys_;
  std::vector<std::string> visitor_keys_;  // derived from keys_.all, primary first
  RateLimiter limiter_;
};

// The signed identity's display name when its signature over "id\nname\nexpires" is right (hex,
// constant-time compare) with `secret` and it has not expired at now_ms; nullopt otherwise.
std::optional<std::string> verified_identity_name(const SignedIdentity& identity, const std::string& secret,
                                                  std::int64_t now_ms);
// For `switchboard admin rotate-master-key`: every identity secret sealed again with new_key.
Result<std::size_t> reseal_all_identity_secrets(db::Database& db, const MasterKeys& keys, const std::string& new_key);

// "https://Shop.example.com:443/" → "https://shop.example.com"; nullopt when it is not an origin
// (a path, a query, credentials, "*", "null", characters a hostname cannot have). What it returns is
// safe to write into a CSP header as a source.
std::optional<std::string> normalize_origin(const std::string& text);
// The origin of a URL (a Referer): "https://shop.example.com/cart?x" → "https://shop.example.com".
std::optional<std::string> origin_of_url(const std::string& url);
// A deployment's allowed origins, normalized again (rows saved under older rules included), and
// as CSP frame-ancestors sources ("" when there are none).
std::vector<std::string> allowed_origins_of(const Deployment& d);
std::string frame_ancestors_of(const Deployment& d);

}  // namespace sb::deployments
