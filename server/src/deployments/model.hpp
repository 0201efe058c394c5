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
