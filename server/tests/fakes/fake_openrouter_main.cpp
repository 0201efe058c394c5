// fake_openrouter: the test fake as a standalone server for benchmarks (fixed latency, normal answers).
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "fakes/fake_openrouter.hpp"

int main(int argc, char** argv) {
  long delay_ms = argc > 1 ? std::atol(argv[1]) : 200;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  sb::test::FakeOpenRouter fake(256);
  sb::test::FakeAnswer answer;
  answer.delay_ms = delay_ms;
  answer.content = "A considered answer from the fake model.";
  fake.answer({answer});
  std::cout << fake.base_url() << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  return 0;
}
