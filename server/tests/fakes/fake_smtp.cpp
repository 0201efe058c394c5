// Fake SMTP server: one connection at a time on its own thread.
#include "fakes/fake_smtp.hpp"

namespace sb::test {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

FakeSmtpServer::FakeSmtpServer() : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this] { serve(); });
}

FakeSmtpServer::~FakeSmtpServer() {
  // A blocking accept() does not notice close() from another thread: wake it with a connection.
  stopping_ = true;
  boost::system::error_code ec;
  tcp::socket wake(ioc_);
  wake.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
  if (thread_.joinable()) thread_.join();
}

std::vector<ReceivedMail> FakeSmtpServer::received() {
  std::lock_guard lock(mu_);
  return mails_;
}

void FakeSmtpServer::serve() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket(ioc_);
    acceptor_.accept(socket, ec);
    if (ec || stopping_) return;
    try {
      session(socket);
    } catch (const std::exception&) {
      // a client that went away; wait for the next one
    }
  }
}

void FakeSmtpServer::session(tcp::socket& socket) {
  asio::streambuf buffer;
  auto reply = [&](const std::string& line) { asio::write(socket, asio::buffer(line + "\r\n")); };
  auto read_line = [&] {
    asio::read_until(socket, buffer, "\r\n");
    std::istream in(&buffer);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  };
  ReceivedMail mail;
  reply("220 fake-smtp ready");
  for (;;) {
    std::string line = read_line();
    std::string verb = line.substr(0, 4);
    for (auto& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (verb == "EHLO" || verb == "HELO") {
      reply("250 fake-smtp");
    } else if (verb == "MAIL") {
      mail.from = line.substr(line.find(':') + 1);
      reply("250 OK");
    } else if (verb == "RCPT") {
      mail.to.push_back(line.substr(line.find(':') + 1));
      reply("250 OK");
    } else if (verb == "DATA") {
      reply("354 end with <CRLF>.<CRLF>");
      asio::read_until(socket, buffer, "\r\n.\r\n");
      std::string all(asio::buffers_begin(buffer.data()), asio::buffers_end(buffer.data()));
      auto end = all.find("\r\n.\r\n");
      mail.data = all.substr(0, end);
      buffer.consume(end + 5);
      {
        std::lock_guard lock(mu_);
        mails_.push_back(mail);
      }
      mail = {};
      reply("250 queued");
    } else if (verb == "QUIT") {
      reply("221 bye");
      return;
    } else {
      reply("250 OK");
    }
  }
}

}  // namespace sb::test
