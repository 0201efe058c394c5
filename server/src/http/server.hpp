// The HTTP/1.1 server: Beast connections on Asio coroutines, timeouts, body limits, graceful stop.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <optional>

#include "core/ip_network.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace sb::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int io_threads = 2;
  int blocking_threads = 8;
  std::size_t default_body_limit = 1024 * 1024;
  int header_timeout_seconds = 10;
  int idle_timeout_seconds = 60;
  int shutdown_grace_seconds = 30;
  // Peers whose X-Forwarded-For / Forwarded headers name the client (reverse proxies); none by default.
  std::vector<IpNetwork> trusted_proxies;
  // Served over HTTPS (the public base URL says so): every response carries Strict-Transport-Security.
  bool hsts = false;
};

// What one request's head may hold: a request line and headers of at most 16 KB together, at most
// 2,000 header fields (431 beyond either), and a target of at most 8 KB (414 beyond).
inline constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
inline constexpr std::size_t kMaxHeaderFields = 2000;
inline constexpr std::size_t kMaxTargetBytes = 8 * 1024;

class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics, const StaticFiles* static_files);
  ~Server();
  // Binds and starts serving on background threads; returns the bound port (useful with port 0).
  std::uint16_t start();
  // Graceful stop: no new connections, idle ones closed, requests in flight finish (up to the
  // grace period), then the threads end. Safe to call more than once and from any thread.
  void stop();
  // Blocks until stop() has finished.
  void wait();

 private:
  struct Connection;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve_connection(std::shared_ptr<Connection> conn);
  boost::asio::awaitable<Response> dispatch(Request& req, const RouteMatch& match);
  // Sends a streamed body's pieces as chunks: how many bytes of body went out, and whether the body
  // ended (false: cut short by a failing piece or a failed write).
  struct Sent {
    std::size_t bytes = 0;
    bool whole = false;
  };
  boost::asio::awaitable<Sent> send_pieces(boost::beast::tcp_stream& stream, Response& res, const Request& req);
  // Answers a request whose head is too large (414, 431) and closes the connection after reading
  // what the client still sends, so that it reads the answer instead of a reset.
  boost::asio::awaitable<void> refuse_head(boost::beast::tcp_stream& stream, const Request& req, Response res,
                                           std::chrono::steady_clock::time_point started);
  void finish(const Request& req, const Response& res, const std::string& route_label, double seconds,
              std::size_t bytes_in, std::size_t bytes_out);

  ServerOptions options_;
  const Router& router_;
  Metrics& metrics_;
  const StaticFiles* static_files_;
  // One io_context per I/O thread, each run by its thread alone: a connection lives on one of
  // them, so its steps never need a strand or a lock between threads. The acceptor is on the first;
  // connections go round-robin.
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::size_t next_context_ = 0;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::thread_pool blocking_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections_;
  std::uint64_t next_connection_id_ = 0;
  bool stopped_ = false;
};

// The response as bytes on the wire: status line, the handler's headers, the security headers
// (CSP, frame-ancestors, nosniff, referrer policy; the embedded chat names its framers), Content-Type,
// Content-Length, Connection: close when the connection ends, then the body (none for HEAD).
std::string serialize_response(const Response& res, bool head, bool keep_alive);
// Accepts a well-formed X-Request-Id, otherwise makes one.
std::string request_id_from(const std::string& header);

}  // namespace sb::http
