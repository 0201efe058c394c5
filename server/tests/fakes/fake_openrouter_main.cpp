// fake_openrouter: the test fake as a standalone server for benchmarks and browser tests. Prints its
// base URL (http://127.0.0.1:PORT/api/v1) on the first line, then serves until SIGINT or SIGTERM.
//
//   fake_openrouter [LATENCY_MS] [--latency-ms N] [--first-token-ms N] [--token-ms N] [--port N] [--content TEXT]
//
// Each flag also reads an environment variable: FAKE_OPENROUTER_LATENCY_MS, _FIRST_TOKEN_MS, _TOKEN_MS,
// _PORT, _CONTENT. Non-streamed calls answer after LATENCY_MS; calls with `stream: true` send their
// head after LATENCY_MS, the first token FIRST_TOKEN_MS later, and each next one TOKEN_MS after that.
// GET /_control/stats tells calls, streamed, in_flight and max_in_flight; POST /_control/reset zeroes
// them; POST /_control/answers {"answers": [{status, delay_ms, hang, fail_after_chunks, …}]} scripts
// the next answers (the last repeats).
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>

#include "core/logging.hpp"
#include "fakes/fake_openrouter.hpp"

int main(int argc, char** argv) {
  long latency_ms = 200, first_token_ms = 0, token_ms = 0, positional = -1;
  int port = 0;
  std::string content = "A considered answer from the fake model.";
  CLI::App app{"A fake OpenRouter for benchmarks"};
  app.add_option("latency", positional, "Milliseconds before each answer (same as --latency-ms)");
  app.add_option("--latency-ms", latency_ms, "Milliseconds before each answer (the head, when streamed)")
      ->envname("FAKE_OPENROUTER_LATENCY_MS");
  app.add_option("--first-token-ms", first_token_ms, "Streamed answers: milliseconds from the head to the first token")
      ->envname("FAKE_OPENROUTER_FIRST_TOKEN_MS");
  app.add_option("--token-ms", token_ms, "Streamed answers: milliseconds between tokens")
      ->envname("FAKE_OPENROUTER_TOKEN_MS");
  app.add_option("--port", port, "Port to listen on (0: any free one)")->envname("FAKE_OPENROUTER_PORT");
  app.add_option("--content", content, "The answer's text (streamed one word per chunk)")
      ->envname("FAKE_OPENROUTER_CONTENT");
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "info logs every call (costs CPU that benchmarks share)")
      ->envname("FAKE_OPENROUTER_LOG_LEVEL");
  CLI11_PARSE(app, argc, argv);
  sb::log::init(log_level);
  if (positional >= 0) latency_ms = positional;

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  sb::test::FakeOpenRouter::Options options;
  options.remember_requests = false;
  options.control_routes = true;
  options.port = static_cast<std::uint16_t>(port);
  sb::test::FakeOpenRouter fake(options);
  sb::test::FakeAnswer answer;
  answer.delay_ms = latency_ms;
  answer.first_token_ms = first_token_ms;
  answer.token_ms = token_ms;
  answer.content = content;
  fake.answer({answer});
  std::cout << fake.base_url() << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  return 0;
}
