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
                            const std::optional<std::string>& integration_id = std::nullopt);
  Result<Deployment> update(const AuthContext& ctx, const std::string& id, const std::optional<std::string>& status,
                            const std::optional<std::vector<std::string>>& allowed_origins);
  Result<void> remove(const AuthContext& ctx, const std::string& id);

  // Public web chat. origin: the request's Origin header ("" when none was sent); host: its Host.
  Result<WidgetInfo> widget(const std::string& key);
  Result<conversations::Exchange> widget_message(const std::string& key, const std::string& origin,
                                                 const std::string& host, const std::string& visitor_id,
                                                 const std::string& text);
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

// "https://Shop.example.com/" → "https://shop.example.com"; nullopt when it is not an origin.
std::optional<std::string> normalize_origin(const std::string& text);

}  // namespace sb::deployments
