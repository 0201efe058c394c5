// The one reply engine every channel uses: AI through OpenRouter when configured, otherwise the
// bot's templates by trigger phrase, and the fallback message when neither answers.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ai/dispatcher.hpp"
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
  std::optional<std::int64_t> cost_micros;  // what OpenRouter charged, in millionths of a dollar
  std::optional<std::string> error;  // why the AI did not answer, in words
  bool interrupted = false;          // a streamed answer failed after its first piece (the fallback replaced it)
};

class ReplyEngine {
 public:
  // The OpenRouter key an organisation's replies use; empty: none (templates answer).
  using KeyFor = std::function<std::string(const std::string& org_id)>;
  ReplyEngine(Dispatcher& dispatcher, KeyFor key_for) : dispatcher_(dispatcher), key_for_(std::move(key_for)) {}
  // True when the organisation's replies come from a model (an asynchronous call).
  bool uses_ai(const std::string& org_id) const { return !key_for_(org_id).empty(); }
  // The fingerprint of the key the organisation's replies use (its circuit breaker); empty: none.
  std::string fingerprint_for(const std::string& org_id) const;
  // The reply without a model: the best-matching template, else the fallback message. Never waits.
  Reply without_ai(const ReplyRequest& request) const;
  // The reply from the model, or without_ai when it fails (error says why). on_token gets the
  // pieces of a streamed answer. Both run on the HTTP client's thread (or the caller's, when the
  // call fails at once): keep them short. done is called exactly once.
  using OnToken = OpenRouterClient::OnToken;
  void reply_async(const ReplyRequest& request, bool stream, OnToken on_token, std::function<void(Reply)> done);
  // The prompt sent to the model, exposed for tests.
  static std::vector<ChatMessage> build_prompt(const ReplyRequest& request);
  // The attached template whose trigger phrase matches the text best (the longest phrase wins).
  static const templates::Template* match_template(const std::vector<templates::Template>& templates,
                                                   const std::string& text);
  static std::string render_for(const templates::Template& t, const ReplyRequest& request);

 private:
  Dispatcher& dispatcher_;
  KeyFor key_for_;
};

}  // namespace sb::ai
