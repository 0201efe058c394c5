// The AI provider: OpenRouter's chat completions (OpenAI-compatible) through the asynchronous HTTP
// client, answered whole or streamed (Server-Sent Events), with bounded retries for 408/429/5xx,
// Retry-After honoured, every failure put into words, and each final outcome reported to the
// circuit breaker of its key. Nothing here waits on a thread: calls end in callbacks.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/circuit_breaker.hpp"
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
  bool json_mode = false;  // ask for a JSON object (response_format json_object)
};

struct Completion {
  std::string text;
  std::string model;
  std::optional<std::int64_t> prompt_tokens;
  std::optional<std::int64_t> completion_tokens;
  std::optional<std::int64_t> cost_micros;  // usage.cost (US dollars) in millionths, rounded
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
  std::string api_key;           // the installation's key; empty: none
  std::string app_url;           // sent as HTTP-Referer
  long timeout_ms = 20000;       // per attempt (a streamed answer included)
  int max_attempts = 3;
  long retry_budget_ms = 10000;  // most time spent waiting between attempts
};

class OpenRouterClient {
 public:
  // A piece of the answer as the model writes it (streamed calls only).
  using OnToken = std::function<void(std::string_view piece)>;
  // Errors carry code "ai_failed", a message in words without secrets, details.status, and
  // details.interrupted = true when a stream failed after its first piece (it is not retried then).
  using OnDone = std::function<void(Result<Completion>)>;

  OpenRouterClient(http::AsyncHttpClient& http, const Clock& clock, OpenRouterSettings settings,
                   CircuitBreakers& breakers);
  bool configured() const { return !settings_.api_key.empty(); }
  const std::string& installation_key() const { return settings_.api_key; }
  const std::string& base_url() const { return settings_.base_url; }
  // Starts one call with this key. Both callbacks run on the HTTP client's thread: keep them short.
  void complete(const CompletionRequest& request, const std::string& api_key, bool stream, OnToken on_token,
                OnDone done);
  ProviderStatus status() const;
  CircuitBreakers& breakers() { return breakers_; }

 private:
  struct Call;
  void attempt(std::shared_ptr<Call> call);
  void settle(const std::shared_ptr<Call>& call, Result<Completion> result);
  http::AsyncHttpClient& http_;
  const Clock& clock_;
  OpenRouterSettings settings_;
  CircuitBreakers& breakers_;
  mutable std::mutex mu_;
  ProviderStatus status_;
};

// The words for an OpenRouter HTTP status (401 → "OpenRouter rejected the API key (401).").
std::string describe_status(int status);

}  // namespace sb::ai
