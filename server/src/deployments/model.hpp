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
};

}  // namespace sb::deployments
