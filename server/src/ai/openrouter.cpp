// OpenRouter client.
#include "ai/openrouter.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <cmath>
#include <random>

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
bool retryable(int status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

Error failure(int status, const std::string& reason, bool interrupted = false) {
  json::object details{{"status", status}};
  if (interrupted) details["interrupted"] = true;
  return Error{"ai_failed", reason, std::move(details)};
}

// The status an {"error": {...}} object names (a failure after the HTTP status was sent), if any.
std::optional<int> error_in(const json::object& obj) {
  auto* err = obj.if_contains("error");
  if (!err) return std::nullopt;
  if (err->is_object())
    if (auto* code = err->as_object().if_contains("code"); code && code->is_int64()) return static_cast<int>(code->as_int64());
  return 502;
}

// usage (token counts and cost) and the model that answered, from a whole answer or a stream chunk.
void read_meta(const json::object& obj, Completion& c) {
  if (auto* model = obj.if_contains("model"); model && model->is_string() && !model->as_string().empty())
    c.model = std::string(model->as_string());
  auto* usage = obj.if_contains("usage");
  if (!usage || !usage->is_object()) return;
  auto num = [&](const char* k) -> std::optional<std::int64_t> {
    auto* v = usage->as_object().if_contains(k);
    return v && v->is_int64() ? std::optional<std::int64_t>(v->as_int64()) : std::nullopt;
  };
  if (auto v = num("prompt_tokens")) c.prompt_tokens = v;
  if (auto v = num("completion_tokens")) c.completion_tokens = v;
  if (auto* cost = usage->as_object().if_contains("cost")) {
    double dollars = cost->is_double() ? cost->as_double() : cost->is_int64() ? static_cast<double>(cost->as_int64()) : -1;
    if (dollars >= 0 && dollars < 1e6) c.cost_micros = std::llround(dollars * 1e6);
  }
}

// choices[0].<field>.content when it is a string.
const json::string* content_of(const json::object& obj, const char* field) {
  auto* choices = obj.if_contains("choices");
  if (!choices || !choices->is_array() || choices->as_array().empty()) return nullptr;
  const auto& choice = choices->as_array()[0];
  if (!choice.is_object()) return nullptr;
  auto* part = choice.as_object().if_contains(field);
  if (!part || !part->is_object()) return nullptr;
  auto* content = part->as_object().if_contains("content");
  return content && content->is_string() ? &content->as_string() : nullptr;
}
}  // namespace

// One call and its attempts; a streamed attempt's reading state is reset when it starts.
struct OpenRouterClient::Call {
  http::ClientRequest request;
  std::string fingerprint;
  std::string requested_model;
  bool stream = false;
  OnToken on_token;
  OnDone done;
  int attempt = 0;
  long waited = 0;
  bool pieces_sent = false;  // a piece reached the caller: no more attempts
  // The streamed attempt in progress.
  std::string buffer;       // bytes not yet split into lines
  std::string error_body;   // a non-200 answer's body
  Completion completion;
  bool ended = false;                 // data: [DONE] arrived
  std::optional<int> error_status;    // an error event inside the stream
  bool unreadable = false;
};

OpenRouterClient::OpenRouterClient(http::AsyncHttpClient& http, const Clock& clock, OpenRouterSettings settings,
                                   CircuitBreakers& breakers)
    : http_(http), clock_(clock), settings_(std::move(settings)), breakers_(breakers) {
  while (!settings_.base_url.empty() && settings_.base_url.back() == '/') settings_.base_url.pop_back();
  status_.configured = configured();
  if (auto url = boost::urls::parse_uri(settings_.base_url)) status_.base_url_host = std::string(url->host());
}

ProviderStatus OpenRouterClient::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void OpenRouterClient::complete(const CompletionRequest& request, const std::string& api_key, bool stream,
                                OnToken on_token, OnDone done) {
  auto call = std::make_shared<Call>();
  call->stream = stream;
  call->on_token = std::move(on_token);
  call->done = std::move(done);
  call->requested_model = request.model;
  if (api_key.empty()) {
    call->done(failure(0, "AI is not configured (no OpenRouter key)."));
    return;
  }
  call->fingerprint = key_fingerprint(settings_.base_url, api_key);
  json::array messages;
  for (const auto& m : request.messages) messages.push_back(json::object{{"role", m.role}, {"content", m.content}});
  auto& req = call->request;
  req.method = "POST";
  req.url = settings_.base_url + "/chat/completions";
  req.timeout_ms = settings_.timeout_ms;
  req.headers = {{"Authorization", "Bearer " + api_key},
                 {"Content-Type", "application/json"},
                 {"X-OpenRouter-Title", "Switchboard"}};
  if (stream) req.headers.emplace_back("Accept", "text/event-stream");
  if (!settings_.app_url.empty()) req.headers.emplace_back("HTTP-Referer", settings_.app_url);
  json::object body{{"model", request.model},
                    {"messages", std::move(messages)},
                    {"temperature", request.temperature},
                    {"max_tokens", request.max_tokens}};
  if (stream) body["stream"] = true;
  if (request.json_mode) body["response_format"] = json::object{{"type", "json_object"}};
  req.body = json::serialize(body);
  attempt(std::move(call));
}

void OpenRouterClient::attempt(std::shared_ptr<Call> call) {
  ++call->attempt;
  call->buffer.clear();
  call->error_body.clear();
  call->completion = Completion{};
  call->completion.model = call->requested_model;
  call->ended = false;
  call->error_status.reset();
  call->unreadable = false;

  http::AsyncHttpClient::Call c;
  c.request = call->request;
  if (call->stream) {
    c.on_data = [call](long status, std::string_view bytes) {
      if (status != 200) {
        if (call->error_body.size() < 64 * 1024) call->error_body.append(bytes);
        return;
      }
      call->buffer.append(bytes);
      std::size_t start = 0;
      for (std::size_t nl; (nl = call->buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
        std::string_view line(call->buffer.data() + start, nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.rfind("data:", 0) != 0) continue;  // blank separators, keep-alive comments, event names
        std::string_view payload = line.substr(5);
        while (!payload.empty() && payload.front() == ' ') payload.remove_prefix(1);
        if (payload == "[DONE]") {
          call->ended = true;
          continue;
        }
        boost::system::error_code ec;
        auto chunk = json::parse(payload, ec);
        if (ec || !chunk.is_object()) {
          call->unreadable = true;
          continue;
        }
        const auto& obj = chunk.as_object();
        if (auto code = error_in(obj)) {
          call->error_status = code;
          continue;
        }
        read_meta(obj, call->completion);
        if (auto* piece = content_of(obj, "delta"); piece && !piece->empty()) {
          call->completion.text.append(piece->data(), piece->size());
          call->pieces_sent = true;
          if (call->on_token) call->on_token(std::string_view(piece->data(), piece->size()));
        }
      }
      call->buffer.erase(0, start);
      if (call->buffer.size() > 1024 * 1024) throw std::length_error("stream line too long");
    };
  }
  c.done = [this, call](Result<http::ClientResponse> res) {
    int status = 0;
    long retry_after_ms = -1;
    std::optional<Error> last;
    bool again = true;
    if (!res) {
      bool timeout = res.error().code == "timeout";
      last = failure(0, timeout ? "OpenRouter did not answer within " + std::to_string(settings_.timeout_ms / 1000) + " s."
                                : "Could not reach OpenRouter: " + res.error().message + ".",
                     call->pieces_sent);
      // A timed-out request may still be running there; do not pile another on top of it.
      if (timeout) again = false;
    } else if ((status = static_cast<int>(res->status)) == 200) {
      Completion c;
      if (call->stream) {
        c = call->completion;
        if (call->error_status) {
          status = *call->error_status;
          last = failure(status, describe_status(status), call->pieces_sent);
        } else if (!call->ended || c.text.empty()) {
          last = failure(call->ended ? 200 : 502,
                         call->ended ? "OpenRouter sent an answer we could not read."
                                     : "The model's answer stopped before it was complete.",
                         call->pieces_sent);
          if (call->ended) again = false;
        }
      } else {
        boost::system::error_code ec;
        auto body = json::parse(res->body, ec);
        const json::object* obj = ec ? nullptr : body.if_object();
        if (obj && error_in(*obj)) {
          status = *error_in(*obj);
          last = failure(status, describe_status(status));
        } else if (auto* content = obj ? content_of(*obj, "message") : nullptr; content && !content->empty()) {
          c.model = call->requested_model;
          read_meta(*obj, c);
          c.text = std::string(*content);
        } else {
          last = failure(200, "OpenRouter sent an answer we could not read.");
          again = false;
        }
      }
      if (!last) {
        c.attempts = call->attempt;
        settle(call, std::move(c));
        return;
      }
    } else {
      last = failure(status, describe_status(status));
      if (auto ra = res->header("retry-after"); !ra.empty() && ra.find_first_not_of("0123456789") == std::string::npos &&
                                               ra.size() < 6)
        retry_after_ms = std::stol(ra) * 1000;
    }
    if (again && retryable(status) && !call->pieces_sent && call->attempt < settings_.max_attempts) {
      // Exponential backoff with full jitter, or the server's Retry-After; within the budget.
      static thread_local std::mt19937 rng{std::random_device{}()};
      long backoff = retry_after_ms >= 0 ? retry_after_ms
                                         : std::uniform_int_distribution<long>(0, 250L << (call->attempt - 1))(rng);
      if (call->waited + backoff <= settings_.retry_budget_ms) {
        call->waited += backoff;
        http_.after(backoff, [this, call] { attempt(call); });
        return;
      }
    }
    settle(call, std::move(*last));
  };
  http_.start(std::move(c));
}

void OpenRouterClient::settle(const std::shared_ptr<Call>& call, Result<Completion> result) {
  std::int64_t now = clock_.now_ms();
  if (result) {
    breakers_.record_success(call->fingerprint, now);
    std::lock_guard lock(mu_);
    status_.last_success_at = now;
  } else {
    int status = static_cast<int>(result.error().details.at("status").as_int64());
    breakers_.record_failure(call->fingerprint, status, result.error().message, now);
    {
      std::lock_guard lock(mu_);
      status_.last_error_status = status;
      status_.last_error_reason = result.error().message;
      status_.last_error_at = now;
    }
    log::warn("ai request failed", {{"status", status}, {"reason", result.error().message}});
  }
  call->done(std::move(result));
}

}  // namespace sb::ai
