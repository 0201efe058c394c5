// The machine's reference: the least an HTTP server built on Boost.Beast and Asio coroutines does
// per request. It reads each request and answers 200 with a fixed JSON body, over kept-alive
// connections on one I/O thread, with no routing, logging or metrics. bench/ingest.sh measures it
// with the same wrk as the server, so "× no-op server" says what share of this machine's bare
// HTTP rate a request of ours reaches (DESIGN.md §9 quotes the rate of another machine).
//
// Usage: noop_server [port] [threads] — prints "http://127.0.0.1:<port>" once it listens.
#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

asio::awaitable<void> serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    auto [read_error, read] = co_await http::async_read(stream, buffer, request, asio::as_tuple(asio::use_awaitable));
    if (read_error) break;
    http::response<http::string_body> response{http::status::ok, request.version()};
    response.set(http::field::content_type, "application/json");
    response.body() = R"({"status":"ok"})";
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    auto [write_error, written] = co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
    if (write_error || !response.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> accept(tcp::acceptor& acceptor, std::vector<std::unique_ptr<asio::io_context>>& contexts) {
  for (std::size_t next = 0;; ++next) {
    auto& context = *contexts[next % contexts.size()];
    auto [error, socket] = co_await acceptor.async_accept(context, asio::as_tuple(asio::use_awaitable));
    if (!error) asio::co_spawn(context, serve(std::move(socket)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::stoi(argv[1]) : 0;
  const int threads = argc > 2 ? std::max(1, std::stoi(argv[2])) : 1;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (int i = 0; i < threads; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
  tcp::acceptor acceptor(*contexts.front(), {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  std::cout << "http://127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;
  asio::co_spawn(*contexts.front(), accept(acceptor, contexts), asio::detached);
  std::vector<std::thread> others;
  for (int i = 1; i < threads; ++i)
    others.emplace_back([context = contexts[i].get()] {
      auto guard = asio::make_work_guard(*context);
      context->run();
    });
  contexts.front()->run();
}
