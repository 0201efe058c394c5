// Deployment rules, and the public web chat: origin checks, pause, rate limits, message length.
#pragma once

#include <optional>
#include <vector>

#include "conversations/service.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
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

class DeploymentService {
 public:
  DeploymentService(db::Database& db, const Clock& clock, conversations::ConversationService& conversations,
                    WebchatSettings settings)
      : db_(db), clock_(clock), conversations_(conversations), settings_(std::move(settings)) {}

  Result<std::vector<Deployment>> list(const AuthContext& ctx, const std::optional<std::string>& bot_id);
  // channel "webchat" with allowed origins, or a connected integration (its platform is the channel).
  Result<Deployment> create(const AuthContext& ctx, const std::string& bot_id, const std::string& channel,
                            const std::vector<std::string>& allowed_origins,
                            const std::optional<std::string>& integration_id = std::nullopt,
                            bool hosted_page_enabled = true);
  Result<Deployment> update(const AuthContext& ctx, const std::string& id, const std::optional<std::string>& status,
                            const std::optional<std::vector<std::string>>& allowed_origins,
                            std::optional<bool> hosted_page_enabled = std::nullopt);
  Result<void> remove(const AuthContext& ctx, const std::string& id);

  // Public web chat. origin: the request's Origin header ("" when none was sent); host: its Host;
  // client_address: the sender's address as the server reads it (behind trusted proxies, theirs).
  Result<WidgetInfo> widget(const std::string& key);
  // A visitor's message: an error at once (nothing recorded, no callback), or the callbacks report
  // the exchange (stream: pieces of the model's answer as it is written).
  std::optional<Error> widget_message(const std::string& key, const std::string& origin, const std::string& host,
                                      const std::string& client_address, const std::string& visitor_id,
                                      const std::string& text, bool stream, conversations::ExchangeCallbacks callbacks);
  // GET /chat/<key>: the chat app framed only by the deployment's allowed origins, the hosted page
  // when it is on, or why not.
  ChatPage chat_page(const std::string& key, const ChatPageRequest& request);
  // A visitor's 1–5 rating of their conversation, when the bot asks for one.
  Result<void> widget_rating(const std::string& key, const std::string& origin, const std::string& host,
                             const std::string& visitor_id, const std::string& session_id, std::int64_t score);
  // Whether a browser page at `origin` may call this deployment's public endpoints: one of its
  // allowed origins, or this server itself (the hosted chat page).
  bool origin_allowed(const std::string& key, const std::string& origin, const std::string& host);

  std::string embed_snippet(const Deployment& d) const;
  std::string hosted_url(const Deployment& d) const;

 private:
  db::Database& db_;
  const Clock& clock_;
  conversations::ConversationService& conversations_;
  WebchatSettings settings_;
  RateLimiter limiter_;
};

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
