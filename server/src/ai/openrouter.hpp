// The AI provider: OpenRouter's chat completions (OpenAI-compatible) through HttpClient, with
// bounded retries for 408/429/5xx, Retry-After honoured, and every failure put into words.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/client.hpp"

namespace sb::ai {

struct ChatMessage {
  std::string role;  // system, user, assistant
  std::string content;
};

struct CompletionRequest {
  std::string model;
  std::vector<ChatMessage> messages;
  double temperature = 0.7;
  std::int64_t max_tokens = 512;
};

struct Completion {
  std::string text;
  std::string model;
  std::optional<std::int64_t> prompt_tokens;
  std::optional<std::int64_t> completion_tokens;
  int attempts = 1;
};

struct ProviderStatus {
  bool configured = false;
  std::string base_url_host;
  std::optional<int> last_error_status;  // 0: no HTTP answer (timeout, unreachable)
  std::string last_error_reason;
  std::int64_t last_error_at = 0;
  std::int64_t last_success_at = 0;
};

struct OpenRouterSettings {
  std::string base_url = "https://openrouter.ai/api/v1";
  std::string api_key;           // empty: AI is off and replies come from templates
  std::string app_url;           // sent as HTTP-Referer
  long timeout_ms = 20000;       // per attempt
  int max_attempts = 3;
  long retry_budget_ms = 10000;  // most time spent waiting between attempts
};

class OpenRouterClient {
 public:
  using Sleeper = std::function<void(long ms)>;
  OpenRouterClient(http::HttpClient& http, const Clock& clock, OpenRouterSettings settings, Sleeper sleeper = {});
  bool configured() const { return !settings_.api_key.empty(); }
  // Errors carry code "ai_failed", a message in words without secrets, and details.status.
  Result<Completion> complete(const CompletionRequest& request);
  ProviderStatus status() const;

 private:
  void record_failure(int status, const std::string& reason);
  http::HttpClient& http_;
  const Clock& clock_;
  OpenRouterSettings settings_;
  Sleeper sleep_;
  mutable std::mutex mu_;
  ProviderStatus status_;
};

// The words for an OpenRouter HTTP status (401 → "OpenRouter rejected the API key (401).").
std::string describe_status(int status);

}  // namespace sb::ai
