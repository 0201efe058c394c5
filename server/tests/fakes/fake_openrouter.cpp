// Fake OpenRouter built on the project's own HTTP server.
#include "fakes/fake_openrouter.hpp"

#include <thread>

namespace sb::test {
namespace json = boost::json;

FakeOpenRouter::FakeOpenRouter(int blocking_threads) {
  answers_.push_back(FakeAnswer{});
  router_.add(http::Method::post, "/api/v1/chat/completions", [this](http::Request& req) {
    FakeAnswer a;
    {
      std::lock_guard lock(mu_);
      boost::system::error_code ec;
      auto body = json::parse(req.body, ec);
      seen_.push_back({req.header("Authorization"), req.header("HTTP-Referer"),
                       !ec && body.is_object() ? body.as_object() : json::object{}});
      a = answers_.front();
      if (answers_.size() > 1) answers_.pop_front();
    }
    if (a.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(a.delay_ms));
    if (a.malformed) return http::Response::text(200, "{\"choices\": [", "application/json");
    if (a.status != 200 || a.error_in_body) {
      unsigned code = a.error_in_body ? 502 : a.status;
      auto res = http::Response::json(a.error_in_body ? 200 : a.status,
                                      json::object{{"error", json::object{{"code", code}, {"message", "fake failure"}}}});
      if (!a.retry_after.empty()) res.set_header("Retry-After", a.retry_after);
      return res;
    }
    std::string model = "fake/model";
    {
      std::lock_guard lock(mu_);
      if (auto* m = seen_.back().body.if_contains("model"); m && m->is_string()) model = std::string(m->as_string());
    }
    return http::Response::json(
        200, json::object{{"id", "gen-1"},
                          {"object", "chat.completion"},
                          {"model", model},
                          {"choices", json::array{json::object{{"index", 0},
                                                               {"message", json::object{{"role", "assistant"}, {"content", a.content}}},
                                                               {"finish_reason", "stop"}}}},
                          {"usage", json::object{{"prompt_tokens", 42}, {"completion_tokens", 7}, {"total_tokens", 49}}}});
  });
  http::ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.blocking_threads = blocking_threads;
  options.shutdown_grace_seconds = 1;
  server_ = std::make_unique<http::Server>(options, router_, metrics_, nullptr);
  port_ = server_->start();
}

FakeOpenRouter::~FakeOpenRouter() {
  server_->stop();
  server_->wait();
}

void FakeOpenRouter::answer(std::vector<FakeAnswer> answers) {
  std::lock_guard lock(mu_);
  answers_.assign(answers.begin(), answers.end());
}

std::vector<SeenRequest> FakeOpenRouter::seen() {
  std::lock_guard lock(mu_);
  return seen_;
}

}  // namespace sb::test
