// OpenRouter client.
#include "ai/openrouter.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <random>
#include <thread>

#include "core/logging.hpp"

namespace sb::ai {
namespace json = boost::json;

std::string describe_status(int status) {
  std::string code = " (" + std::to_string(status) + ").";
  switch (status) {
    case 400: return "OpenRouter refused the request as invalid" + code;
    case 401: return "OpenRouter rejected the API key" + code;
    case 402: return "The OpenRouter account has no credit left" + code;
    case 403: return "OpenRouter's moderation flagged the message" + code;
    case 404: return "OpenRouter does not know this model" + code;
    case 408: return "OpenRouter timed out" + code;
    case 429: return "OpenRouter is rate limiting requests" + code;
    case 502: return "The model is down or answered badly" + code;
    case 503: return "No OpenRouter provider can serve this model right now" + code;
    default: return (status >= 500 ? "OpenRouter had an error" : "OpenRouter refused the request") + code;
  }
}

namespace {
bool retryable(int status) { return status == 408 || status == 429 || status >= 500; }

Error failure(int status, const std::string& reason) {
  return Error{"ai_failed", reason, {{"status", status}}};
}
}  // namespace

OpenRouterClient::OpenRouterClient(http::HttpClient& http, const Clock& clock, OpenRouterSettings settings,
                                   Sleeper sleeper)
    : http_(http), clock_(clock), settings_(std::move(settings)), sleep_(std::move(sleeper)) {
  while (!settings_.base_url.empty() && settings_.base_url.back() == '/') settings_.base_url.pop_back();
  if (!sleep_) sleep_ = [](long ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  status_.configured = configured();
  if (auto url = boost::urls::parse_uri(settings_.base_url)) status_.base_url_host = std::string(url->host());
}

ProviderStatus OpenRouterClient::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void OpenRouterClient::record_failure(int status, const std::string& reason) {
  std::lock_guard lock(mu_);
  status_.last_error_status = status;
  status_.last_error_reason = reason;
  status_.last_error_at = clock_.now_ms();
}

Result<Completion> OpenRouterClient::complete(const CompletionRequest& request) {
  if (!configured()) return failure(0, "AI is not configured (no OPENROUTER_API_KEY).");
  json::array messages;
  for (const auto& m : request.messages) messages.push_back(json::object{{"role", m.role}, {"content", m.content}});
  http::ClientRequest req;
  req.method = "POST";
  req.url = settings_.base_url + "/chat/completions";
  req.timeout_ms = settings_.timeout_ms;
  req.headers = {{"Authorization", "Bearer " + settings_.api_key},
                 {"Content-Type", "application/json"},
                 {"X-OpenRouter-Title", "Switchboard"}};
  if (!settings_.app_url.empty()) req.headers.emplace_back("HTTP-Referer", settings_.app_url);
  req.body = json::serialize(json::object{{"model", request.model},
                                          {"messages", std::move(messages)},
                                          {"temperature", request.temperature},
                                          {"max_tokens", request.max_tokens}});

  static thread_local std::mt19937 rng{std::random_device{}()};
  long waited = 0;
  Error last = failure(0, "OpenRouter did not answer.");
  for (int attempt = 1; attempt <= settings_.max_attempts; ++attempt) {
    auto res = http_.send(req);
    int status = 0;
    long retry_after_ms = -1;
    if (!res) {
      last = failure(0, res.error().code == "timeout"
                            ? "OpenRouter did not answer within " + std::to_string(settings_.timeout_ms / 1000) + " s."
                            : "Could not reach OpenRouter: " + res.error().message + ".");
      // A timed-out request may still be running there; do not pile another on top of it.
      if (res.error().code == "timeout") break;
    } else {
      status = static_cast<int>(res->status);
      if (status == 200) {
        boost::system::error_code ec;
        auto body = json::parse(res->body, ec);
        const json::object* obj = ec ? nullptr : body.if_object();
        if (obj && obj->contains("error")) {
          // A model can fail after the HTTP status was sent: the error arrives in a 200 body.
          const auto& err = obj->at("error");
          int code = err.is_object() && err.as_object().contains("code") && err.at("code").is_int64()
                         ? static_cast<int>(err.at("code").as_int64())
                         : 502;
          last = failure(code, describe_status(code));
          status = code;
        } else {
          const json::value* content = nullptr;
          if (obj && obj->contains("choices") && obj->at("choices").is_array() && !obj->at("choices").as_array().empty()) {
            const auto& choice = obj->at("choices").as_array()[0];
            if (choice.is_object() && choice.as_object().contains("message") && choice.at("message").is_object())
              content = choice.at("message").as_object().if_contains("content");
          }
          if (!content || !content->is_string() || content->as_string().empty()) {
            last = failure(200, "OpenRouter sent an answer we could not read.");
            break;
          }
          Completion c;
          c.text = std::string(content->as_string());
          c.model = obj->contains("model") && obj->at("model").is_string() ? std::string(obj->at("model").as_string())
                                                                           : request.model;
          if (auto* usage = obj->if_contains("usage"); usage && usage->is_object()) {
            auto num = [&](const char* k) -> std::optional<std::int64_t> {
              auto* v = usage->as_object().if_contains(k);
              return v && v->is_int64() ? std::optional<std::int64_t>(v->as_int64()) : std::nullopt;
            };
            c.prompt_tokens = num("prompt_tokens");
            c.completion_tokens = num("completion_tokens");
          }
          c.attempts = attempt;
          std::lock_guard lock(mu_);
          status_.last_success_at = clock_.now_ms();
          return c;
        }
      } else {
        last = failure(status, describe_status(status));
        if (auto ra = res->header("retry-after"); !ra.empty() && ra.find_first_not_of("0123456789") == std::string::npos &&
                                                 ra.size() < 6)
          retry_after_ms = std::stol(ra) * 1000;
      }
      if (!retryable(status)) break;
    }
    if (attempt == settings_.max_attempts) break;
    // Exponential backoff with full jitter, or the server's Retry-After; within the budget.
    long backoff = retry_after_ms >= 0 ? retry_after_ms
                                       : std::uniform_int_distribution<long>(0, 250L << (attempt - 1))(rng);
    if (waited + backoff > settings_.retry_budget_ms) break;
    sleep_(backoff);
    waited += backoff;
  }
  int status = static_cast<int>(last.details.at("status").as_int64());
  record_failure(status, last.message);
  log::warn("ai request failed", {{"status", status}, {"reason", last.message}});
  return last;
}

}  // namespace sb::ai
