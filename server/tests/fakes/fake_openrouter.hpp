// A fake OpenRouter for tests: POST /api/v1/chat/completions over real HTTP, answering normally,
// slowly, with 401/402/429 (Retry-After)/500, with an error inside a 200 body, or with malformed JSON.
#pragma once

#include <boost/json.hpp>
#include <deque>
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
  long delay_ms = 0;
  std::string retry_after;       // header value for 429/503
  bool malformed = false;        // a body that is not JSON
  bool error_in_body = false;    // 200 with {"error": {...}}
};

struct SeenRequest {
  std::string authorization;
  std::string referer;
  boost::json::object body;
};

class FakeOpenRouter {
 public:
  // blocking_threads: how many slow answers may be in progress at once.
  explicit FakeOpenRouter(int blocking_threads = 4);
  ~FakeOpenRouter();
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/v1"; }
  // Answers in this order; the last one repeats.
  void answer(std::vector<FakeAnswer> answers);
  std::vector<SeenRequest> seen();

 private:
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::Server> server_;
  unsigned short port_ = 0;
  std::mutex mu_;
  std::deque<FakeAnswer> answers_;
  std::vector<SeenRequest> seen_;
};

}  // namespace sb::test
