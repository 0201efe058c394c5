// The one reply engine every channel uses: AI through OpenRouter when configured, otherwise the
// bot's templates by trigger phrase, and the fallback message when neither answers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ai/openrouter.hpp"
#include "bots/model.hpp"
#include "templates/model.hpp"

namespace sb::ai {

struct ReplyRequest {
  const bots::Bot& bot;
  const std::vector<templates::Template>& templates;
  std::vector<ChatMessage> history;  // earlier turns, oldest first (user/assistant)
  std::string text;
  std::string platform;
  std::string user_name;
};

struct Reply {
  std::string text;
  std::string source;  // ai, template, fallback
  std::optional<std::string> template_id;
  std::optional<std::string> model;
  std::int64_t latency_ms = 0;
  std::optional<std::int64_t> prompt_tokens;
  std::optional<std::int64_t> completion_tokens;
  std::optional<std::string> error;  // why the AI did not answer, in words
};

class ReplyEngine {
 public:
  explicit ReplyEngine(OpenRouterClient& provider) : provider_(provider) {}
  Reply reply(const ReplyRequest& request);
  bool ai_configured() const { return provider_.configured(); }
  // The prompt sent to the model, exposed for tests.
  static std::vector<ChatMessage> build_prompt(const ReplyRequest& request);
  // The attached template whose trigger phrase matches the text best (the longest phrase wins).
  static const templates::Template* match_template(const std::vector<templates::Template>& templates,
                                                   const std::string& text);
  static std::string render_for(const templates::Template& t, const ReplyRequest& request);

 private:
  OpenRouterClient& provider_;
};

}  // namespace sb::ai
