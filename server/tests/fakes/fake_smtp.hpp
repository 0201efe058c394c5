// A fake SMTP server for tests: speaks enough of RFC 5321 for libcurl and keeps what it receives.
#pragma once

#include <boost/asio.hpp>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sb::test {

struct ReceivedMail {
  std::string from;
  std::vector<std::string> to;
  std::string data;  // headers and body as sent
};

class FakeSmtpServer {
 public:
  FakeSmtpServer();
  ~FakeSmtpServer();
  unsigned short port() const { return port_; }
  std::vector<ReceivedMail> received();

 private:
  void serve();
  void session(boost::asio::ip::tcp::socket& socket);
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<ReceivedMail> mails_;
};

}  // namespace sb::test
