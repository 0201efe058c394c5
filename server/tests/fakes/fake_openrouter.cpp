// Fake OpenRouter built on the project's own HTTP server: deferred answers and late-streamed bodies,
// with every wait an Asio timer on the fake's own thread (no thread sleeps while a call waits).
#include "fakes/fake_openrouter.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

namespace sb::test {
namespace json = boost::json;
namespace asio = boost::asio;

// One thread running every wait of the fake. Waits still pending when the fake closes complete at
// once with ok = false, so that no connection is left waiting for a timer that will never fire.
struct FakeOpenRouter::Timers {
  asio::io_context ctx{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(ctx);
  std::thread thread{[this] { ctx.run(); }};
  std::set<std::shared_ptr<asio::steady_timer>> pending;  // only touched on `thread`
  bool closing = false;                                   // only touched on `thread`

  // Calls done(true) after ms milliseconds, or done(false) when the fake closes first.
  void wait(long ms, std::function<void(bool)> done) {
    asio::post(ctx, [this, ms, done = std::move(done)]() mutable {
      if (closing) return done(false);
      if (ms <= 0) return done(true);
      auto timer = std::make_shared<asio::steady_timer>(ctx, std::chrono::milliseconds(ms));
      pending.insert(timer);
      timer->async_wait([this, timer, done = std::move(done)](boost::system::error_code ec) {
        pending.erase(timer);
        done(!ec && !closing);
      });
    });
  }
  void close() {
    asio::post(ctx, [this] {
      closing = true;
      for (auto& t : pending) t->cancel();
    });
  }
  void stop() {
    guard.reset();
    ctx.stop();
    if (thread.joinable()) thread.join();
  }
};

// One chat completion in progress; counted in flight from its request until it is destroyed (its
// answer handed over, its stream ended, or its connection gone).
struct FakeOpenRouter::Call {
  FakeOpenRouter* fake;
  FakeAnswer answer;
  std::string model;
  std::vector<std::string> tokens;
  std::size_t next = 0;  // the next token to send
  int stage = 0;         // 0: the processing comment, 1: tokens, 2: the end events, 3: done
  bool finished = false;
  // Out of flight once its last byte is handed to the server (before the client can read it), or
  // when it is dropped (a connection gone mid-stream).
  void finish() {
    if (!finished) fake->finish_call();
    finished = true;
  }
  ~Call() { finish(); }
};

namespace {

std::vector<std::string> split_tokens(const std::string& content) {
  // One word per token, each keeping the space before it, so that the deltas join back into the content.
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < content.size()) {
    std::size_t end = content.find(' ', start + 1);
    if (end == std::string::npos) end = content.size();
    out.push_back(content.substr(start, end - start));
    start = end;
  }
  return out;
}

std::string event(const json::value& v) { return "data: " + json::serialize(v) + "\n\n"; }

json::object chunk(const std::string& model, json::object delta, json::value finish_reason) {
  return json::object{{"id", "gen-fake"},
                      {"provider", "Fake"},
                      {"model", model},
                      {"object", "chat.completion.chunk"},
                      {"created", 1764111111},
                      {"choices", json::array{json::object{{"index", 0}, {"delta", std::move(delta)},
                                                           {"finish_reason", std::move(finish_reason)}}}}};
}

json::object usage_of(const FakeAnswer& a) {
  return json::object{{"prompt_tokens", a.prompt_tokens},
                      {"completion_tokens", a.completion_tokens},
                      {"total_tokens", a.prompt_tokens + a.completion_tokens},
                      {"cost", a.cost}};
}

http::Response error_response(const FakeAnswer& a) {
  auto res = http::Response::json(a.status, json::object{{"error", json::object{{"code", a.status}, {"message", "fake failure"}}}});
  if (!a.retry_after.empty()) res.set_header("Retry-After", a.retry_after);
  return res;
}

http::Response complete_response(const FakeAnswer& a, const std::string& model) {
  if (a.malformed) return http::Response::text(200, "{\"choices\": [", "application/json");
  if (a.status != 200) return error_response(a);
  if (a.error_in_body)
    return http::Response::json(200, json::object{{"error", json::object{{"code", 502}, {"message", "fake failure"}}}});
  return http::Response::json(
      200, json::object{{"id", "gen-1"},
                        {"object", "chat.completion"},
                        {"model", model},
                        {"choices", json::array{json::object{{"index", 0},
                                                             {"message", json::object{{"role", "assistant"}, {"content", a.content}}},
                                                             {"finish_reason", "stop"}}}},
                        {"usage", usage_of(a)}});
}

}  // namespace

FakeAnswer fake_answer_from_json(const json::object& o) {
  FakeAnswer a;
  auto num = [&](const char* k, long& out) {
    if (auto* v = o.if_contains(k); v && v->is_number()) out = static_cast<long>(v->to_number<double>());
  };
  auto flag = [&](const char* k, bool& out) {
    if (auto* v = o.if_contains(k); v && v->is_bool()) out = v->as_bool();
  };
  long status = a.status, fail = a.fail_after_chunks;
  num("status", status);
  a.status = static_cast<unsigned>(status);
  if (auto* v = o.if_contains("content"); v && v->is_string()) a.content = std::string(v->as_string());
  if (auto* v = o.if_contains("retry_after"); v && v->is_string()) a.retry_after = std::string(v->as_string());
  num("delay_ms", a.delay_ms);
  num("first_token_ms", a.first_token_ms);
  num("token_ms", a.token_ms);
  num("fail_after_chunks", fail);
  a.fail_after_chunks = static_cast<int>(fail);
  num("prompt_tokens", a.prompt_tokens);
  num("completion_tokens", a.completion_tokens);
  if (auto* v = o.if_contains("cost"); v && v->is_number()) a.cost = v->to_number<double>();
  flag("malformed", a.malformed);
  flag("error_in_body", a.error_in_body);
  flag("hang", a.hang);
  return a;
}

FakeOpenRouter::FakeOpenRouter() : FakeOpenRouter(Options{}) {}

FakeOpenRouter::FakeOpenRouter(Options options) : options_(std::move(options)), timers_(std::make_unique<Timers>()) {
  answers_.push_back(FakeAnswer{});
  http::RouteOptions inline_route;
  inline_route.blocking = false;  // nothing here blocks: the handler runs on the I/O thread
  router_.add_deferred(
      http::Method::post, "/api/v1/chat/completions",
      [this](http::Request& req, http::Responder respond) { handle(req, std::move(respond)); }, inline_route);
  router_.add(
      http::Method::get, "/api/v1/models",
      [this](http::Request&) {
        unsigned status;
        {
          std::lock_guard lock(mu_);
          ++stats_.model_lists;
          status = models_status_;
        }
        if (status) return http::Response::json(status, json::object{{"error", json::object{{"code", status}, {"message", "fake"}}}});
        auto model = [](const char* id, const char* name, std::int64_t context, const char* in, const char* out) {
          return json::object{{"id", id},
                              {"name", name},
                              {"context_length", context},
                              {"pricing", json::object{{"prompt", in}, {"completion", out}}}};
        };
        return http::Response::json(
            200, json::object{{"data", json::array{
                                           model("openai/gpt-4o-mini", "OpenAI: GPT-4o-mini", 128000, "0.00000015", "0.0000006"),
                                           model("anthropic/claude-3.5-haiku", "Anthropic: Claude 3.5 Haiku", 200000, "0.0000008", "0.000004"),
                                           model("meta-llama/llama-3.1-8b-instruct", "Meta: Llama 3.1 8B Instruct", 131072, "0.00000002", "0.00000005"),
                                           model("google/gemini-flash-1.5", "Google: Gemini Flash 1.5", 1000000, "0.000000075", "0.0000003"),
                                           json::object{{"id", "not a model id"}, {"name", "An entry the server must skip"}},
                                       }}});
      },
      inline_route);
  router_.add(
      http::Method::get, "/api/v1/key",
      [this](http::Request& req) {
        unsigned status;
        {
          std::lock_guard lock(mu_);
          ++stats_.key_checks;
          status = key_status_;
        }
        std::string auth = req.header("Authorization");
        if (!status && (auth.rfind("Bearer ", 0) != 0 || auth.size() <= 7 || auth.rfind("Bearer sk-or-bad", 0) == 0))
          status = 401;
        if (status)
          return http::Response::json(status, json::object{{"error", json::object{{"code", status}, {"message", "No auth credentials found"}}}});
        return http::Response::json(200, json::object{{"data", json::object{{"label", "sk-or-v1-abc...xyz"},
                                                                             {"usage", 0.25},
                                                                             {"limit", nullptr},
                                                                             {"is_free_tier", false}}}});
      },
      inline_route);
  if (options_.control_routes) {
    router_.add(
        http::Method::post, "/_control/answers",
        [this](http::Request& req) {
          boost::system::error_code ec;
          auto body = json::parse(req.body, ec);
          const json::array* list = nullptr;
          if (!ec && body.is_object())
            if (auto* v = body.as_object().if_contains("answers")) list = v->if_array();
          if (!list || list->empty())
            return http::Response::json(400, json::object{{"error", "expected {\"answers\": [{…}, …]}"}});
          std::vector<FakeAnswer> answers;
          for (const auto& a : *list)
            if (a.is_object()) answers.push_back(fake_answer_from_json(a.as_object()));
          answer(std::move(answers));
          return http::Response::no_content();
        },
        inline_route);
    router_.add(
        http::Method::get, "/_control/stats",
        [this](http::Request&) {
          auto s = stats();
          return http::Response::json(200, json::object{{"calls", s.calls},
                                                        {"streamed", s.streamed},
                                                        {"in_flight", s.in_flight},
                                                        {"max_in_flight", s.max_in_flight},
                                                        {"key_checks", s.key_checks},
                                                        {"model_lists", s.model_lists},
                                                        {"keys", [&] {
                                                           json::object k;
                                                           for (const auto& [key, n] : s.keys) k[key] = n;
                                                           return k;
                                                         }()}});
        },
        inline_route);
    router_.add(
        http::Method::post, "/_control/reset",
        [this](http::Request&) {
          reset_stats();
          return http::Response::no_content();
        },
        inline_route);
  }
  http::ServerOptions server_options;
  server_options.host = options_.host;
  server_options.port = options_.port;
  server_options.io_threads = 1;
  server_options.blocking_threads = 1;  // no route uses it
  server_options.shutdown_grace_seconds = 1;
  server_options.idle_timeout_seconds = 300;
  server_ = std::make_unique<http::Server>(server_options, router_, metrics_, nullptr);
  port_ = server_->start();
}

FakeOpenRouter::~FakeOpenRouter() {
  // Pending waits end first (answers go out as 503 or cut streams), so connections close quickly;
  // then the server, and the timers' thread last, since the server's connections may still ask it.
  timers_->close();
  server_->stop();
  server_->wait();
  server_.reset();
  timers_->stop();
  timers_.reset();
}

void FakeOpenRouter::handle(http::Request& req, http::Responder respond) {
  auto call = std::make_shared<Call>();
  call->fake = this;
  boost::system::error_code ec;
  auto parsed = json::parse(req.body, ec);
  json::object body = !ec && parsed.is_object() ? std::move(parsed.as_object()) : json::object{};
  call->model = "fake/model";
  if (auto* m = body.if_contains("model"); m && m->is_string()) call->model = std::string(m->as_string());
  bool stream = false;
  if (auto* s = body.if_contains("stream"); s && s->is_bool()) stream = s->as_bool();
  {
    std::lock_guard lock(mu_);
    if (options_.remember_requests)
      seen_.push_back({req.header("Authorization"), req.header("HTTP-Referer"), std::move(body)});
    call->answer = answers_.front();
    if (answers_.size() > 1) answers_.pop_front();
    ++stats_.calls;
    if (stream) ++stats_.streamed;
    if (std::string key = req.header("Authorization"); stats_.keys.size() < 1000 || stats_.keys.count(key))
      ++stats_.keys[key];
    stats_.max_in_flight = std::max(stats_.max_in_flight, ++stats_.in_flight);
  }
  const FakeAnswer& a = call->answer;
  if (a.hang) {
    // Never answers; when the fake closes, the connection gets a 503 nobody is waiting for any more.
    timers_->wait(24L * 3600 * 1000, [call, respond](bool) {
      respond(http::Response::json(503, json::object{{"error", json::object{{"code", 503}, {"message", "fake closed"}}}}));
    });
    return;
  }
  const bool streams = stream && !a.malformed && a.status == 200;
  timers_->wait(a.delay_ms, [this, call, respond, streams](bool ok) {
    if (!ok) {
      call->finish();
      respond(http::Response::json(503, json::object{{"error", json::object{{"code", 503}, {"message", "fake closed"}}}}));
      return;
    }
    if (!streams) {
      call->finish();
      respond(complete_response(call->answer, call->model));
      return;
    }
    call->tokens = split_tokens(call->answer.content);
    auto res = http::Response::streamed_later(
        200,
        [this, call](http::Response::PieceReady ready) {
          Call& c = *call;
          const FakeAnswer& a = c.answer;
          switch (c.stage) {
            case 0:
              // OpenRouter's keep-alive comment while the model starts; clients must ignore it.
              c.stage = 1;
              return ready(http::Response::LatePiece::piece(": OPENROUTER PROCESSING\n\n"));
            case 1: {
              if (a.fail_after_chunks >= 0 && c.next >= static_cast<std::size_t>(a.fail_after_chunks)) {
                c.finish();
                return ready(http::Response::LatePiece::cut());
              }
              const long wait = c.next == 0 ? a.first_token_ms : a.token_ms;
              if (a.error_in_body) {
                c.stage = 2;
                return timers_->wait(wait, [call, ready](bool ok) {
                  if (!ok) return ready(http::Response::LatePiece::cut());
                  json::object e = chunk(call->model, json::object{{"content", ""}}, "error");
                  e["error"] = json::object{{"code", 502}, {"message", "fake failure"}};
                  call->stage = 3;
                  call->finish();
                  ready(http::Response::LatePiece::piece(event(e) + "data: [DONE]\n\n"));
                });
              }
              if (c.next >= c.tokens.size()) {
                c.stage = 2;
                return ready(http::Response::LatePiece::piece(""));  // skipped by the server; asks again
              }
              return timers_->wait(wait, [call, ready](bool ok) {
                if (!ok) return ready(http::Response::LatePiece::cut());
                Call& c = *call;
                json::object delta{{"role", "assistant"}, {"content", c.tokens[c.next]}};
                ++c.next;
                if (c.next >= c.tokens.size()) c.stage = 2;
                ready(http::Response::LatePiece::piece(event(chunk(c.model, std::move(delta), nullptr))));
              });
            }
            case 2: {
              if (a.fail_after_chunks >= 0) {
                c.finish();
                return ready(http::Response::LatePiece::cut());
              }
              // The finish reason, then usage (with cost) in a last chunk of its own, then [DONE].
              c.stage = 3;
              c.finish();
              json::object usage_chunk = chunk(c.model, json::object{}, nullptr);
              usage_chunk["choices"] = json::array{};
              usage_chunk["usage"] = usage_of(a);
              return ready(http::Response::LatePiece::piece(event(chunk(c.model, json::object{{"content", ""}}, "stop")) +
                                                            event(usage_chunk) + "data: [DONE]\n\n"));
            }
            default:
              return ready(http::Response::LatePiece::end());
          }
        },
        "text/event-stream");
    res.set_header("Cache-Control", "no-cache");
    respond(std::move(res));
  });
}

void FakeOpenRouter::finish_call() {
  std::lock_guard lock(mu_);
  --stats_.in_flight;
}

void FakeOpenRouter::answer(std::vector<FakeAnswer> answers) {
  std::lock_guard lock(mu_);
  answers_.assign(answers.begin(), answers.end());
  if (answers_.empty()) answers_.push_back(FakeAnswer{});
}

std::vector<SeenRequest> FakeOpenRouter::seen() {
  std::lock_guard lock(mu_);
  return seen_;
}

FakeStats FakeOpenRouter::stats() {
  std::lock_guard lock(mu_);
  return stats_;
}

void FakeOpenRouter::reset_stats() {
  std::lock_guard lock(mu_);
  stats_.calls = 0;
  stats_.streamed = 0;
  stats_.max_in_flight = stats_.in_flight;
  stats_.key_checks = 0;
  stats_.model_lists = 0;
  stats_.keys.clear();
}

void FakeOpenRouter::set_key_status(unsigned status) {
  std::lock_guard lock(mu_);
  key_status_ = status;
}

void FakeOpenRouter::set_models_status(unsigned status) {
  std::lock_guard lock(mu_);
  models_status_ = status;
}

}  // namespace sb::test
