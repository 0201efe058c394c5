// Deployments: a bot on a channel (the built-in web chat, or a connected platform account), with its public key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::deployments {

struct Deployment {
  std::string id;
  std::string org_id;
  std::string bot_id;
  std::string bot_name;
  std::string channel = "webchat";
  std::optional<std::string> integration_id;
  std::optional<std::string> integration_name;    // read only
  std::optional<std::string> integration_status;  // read only
  std::vector<std::string> allowed_origins;
  std::string status = "active";
  std::string key;  // public: it appears in the embed snippet
  // Whether /chat/<key> answers as a full page; off, the chat shows only framed by an allowed origin.
  bool hosted_page_enabled = true;
  // How the launcher and chat look on the embedding page (docs/adr/0030).
  std::string color = "#4f46e5";
  std::string position = "right";      // left, right
  std::string launcher_label;          // "" : an icon only
  std::string greeting;                // "" : the bot's greeting
  std::string theme = "system";        // system (the page's prefers-color-scheme), light, dark
  // The identity secret, sealed with the master key (associated data: the deployment id); never in a response.
  std::optional<std::string> identity_secret_sealed;
  std::optional<std::string> identity_secret_key_id;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct WidgetInfo {
  std::string bot_name;
  std::string greeting;
  std::string avatar_color;
  std::optional<std::string> avatar_url;
  std::string status;
  bool ask_satisfaction = false;
  std::vector<std::string> allowed_origins;  // widget.js opens only on these pages
  std::string color, position, launcher_label, theme;
  std::string visitor_token;  // the caller's, when valid; otherwise a fresh one
};

// A visitor's signed identity from the embedding page (data-user-*), as the widget passes it on.
struct SignedIdentity {
  std::string id;
  std::string name;
  std::string expires;    // unix seconds, as written in the page
  std::string signature;  // hex HMAC-SHA256 over "id\nname\nexpires" with the identity secret
};

// A returning visitor's conversation: its newest open session with the deployment's bot.
struct WidgetHistory {
  std::optional<std::string> session_id;
  struct Line {
    std::string direction;  // in, out
    std::string text;
    std::int64_t created_at = 0;
  };
  std::vector<Line> messages;
};

// What GET /chat/<key> answers: the chat app, or a page that says why not.
struct ChatPage {
  enum class Kind { app, unknown_key, hosted_page_off, embedder_not_allowed };
  Kind kind = Kind::app;
  std::string frame_ancestors;  // CSP sources that may frame it; empty: none
};

// Where a request for the chat page comes from, as the browser tells it.
struct ChatPageRequest {
  bool embed = false;        // ?embed=1: widget.js asks for the page in its frame
  std::string origin;        // Origin header
  std::string referer;       // Referer header: the embedding page (its origin, by the default referrer policy)
  std::string fetch_dest;    // Sec-Fetch-Dest: "iframe", "document", …
};

}  // namespace sb::deployments
