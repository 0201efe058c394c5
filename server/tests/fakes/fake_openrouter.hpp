// A fake OpenRouter for tests and benchmarks: POST /api/v1/chat/completions over real HTTP, answering
// normally or as a Server-Sent Events stream (`stream: true`), slowly, with 401/402/429 (Retry-After)/5xx,
// with an error inside a 200 body, with malformed JSON, never (a timeout), or cut short mid-stream.
// GET /api/v1/models lists a few models; GET /api/v1/key accepts any Bearer key except those that
// begin with "sk-or-bad" (401), or answers `key_status` when a test sets it (e.g. 503).
// Its delays are Asio timers on one thread of its own, so thousands of calls can wait at once.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace sb::test {

struct FakeAnswer {
  unsigned status = 200;
  std::string content = "Hello from the model.";
  long delay_ms = 0;              // before the response head (the whole answer when not streamed)
  std::string retry_after;        // header value for 429/503
  bool malformed = false;         // a body that is not JSON
  bool error_in_body = false;     // 200 with {"error": {...}} (in a stream: an error event after the head)
  // Streamed answers (the request asked for `stream: true`): the content goes out one word per chunk,
  // the first after first_token_ms, each next one token_ms later; the last chunk carries `usage`.
  long first_token_ms = 0;
  long token_ms = 0;
  int fail_after_chunks = -1;     // >= 0: the stream is cut (no usage, no [DONE]) after this many content chunks
  bool hang = false;              // never answers (until the fake is destroyed): a timeout for the client
  long prompt_tokens = 42;
  long completion_tokens = 7;
  double cost = 0.000123;         // usage.cost, US dollars
};

struct SeenRequest {
  std::string authorization;
  std::string referer;
  boost::json::object body;
};

// What the fake has done since it started (or since reset_stats).
struct FakeStats {
  std::int64_t calls = 0;          // chat completion requests received
  std::int64_t streamed = 0;       // of which asked for a stream
  std::int64_t in_flight = 0;      // received and not yet fully answered
  std::int64_t max_in_flight = 0;  // the most at once
  std::int64_t key_checks = 0;     // GET /key
  std::int64_t model_lists = 0;    // GET /models
  std::map<std::string, std::int64_t> keys;  // chat completions by Authorization header value
};

class FakeOpenRouter {
 public:
  struct Options {
    // Keep every request's body for seen() (tests); a long benchmark turns it off to keep memory flat.
    bool remember_requests = true;
    // Adds POST /_control/answers (the same fields as FakeAnswer, as JSON) and GET /_control/stats.
    bool control_routes = false;
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
  };
  FakeOpenRouter();
  explicit FakeOpenRouter(Options options);
  ~FakeOpenRouter();
  FakeOpenRouter(const FakeOpenRouter&) = delete;
  FakeOpenRouter& operator=(const FakeOpenRouter&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/v1"; }
  unsigned short port() const { return port_; }
  // Answers in this order; the last one repeats.
  void answer(std::vector<FakeAnswer> answers);
  std::vector<SeenRequest> seen();
  FakeStats stats();
  void reset_stats();
  // The status GET /key and GET /models answer with (0: normal).
  void set_key_status(unsigned status);
  void set_models_status(unsigned status);

 private:
  struct Timers;
  struct Call;
  void handle(http::Request& req, http::Responder respond);
  void finish_call();

  Options options_;
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<Timers> timers_;
  std::unique_ptr<http::Server> server_;
  unsigned short port_ = 0;
  std::mutex mu_;
  std::deque<FakeAnswer> answers_;
  std::vector<SeenRequest> seen_;
  FakeStats stats_;
  unsigned key_status_ = 0;
  unsigned models_status_ = 0;
};

FakeAnswer fake_answer_from_json(const boost::json::object& o);

}  // namespace sb::test
