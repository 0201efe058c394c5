// fake_platforms: the fake messaging platforms as a standalone server; prints its root URL, driven through /_control.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "fakes/fake_platforms.hpp"

int main(int argc, char** argv) {
  int port = argc > 1 ? std::atoi(argv[1]) : 0;
  const bool inline_answers = argc > 2 && std::string(argv[2]) == "--inline";
  if (port < 0 || port > 65535 || (argc > 2 && !inline_answers)) {
    std::cerr << "usage: fake_platforms [port] [--inline]\n"
                 "  --inline  answer on the I/O thread (no scripted delays: each would hold up every answer)"
              << std::endl;
    return 2;
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // Enough threads that scripted timeouts do not hold up other answers.
  sb::test::FakePlatforms fake(64, static_cast<unsigned short>(port), inline_answers);
  std::cout << fake.root_url() << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  return 0;
}
