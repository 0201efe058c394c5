// Beast/Asio HTTP server: one coroutine per connection, handlers on a blocking pool when they
// touch the database, one access-log line and one metrics observation per request.
#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/url/parse.hpp>

#include <array>
#include <chrono>
#include <cstdio>

#include <sodium.h>

#include "core/crypto.hpp"
#include "core/logging.hpp"
#include "core/thread_name.hpp"
#include "db/database.hpp"
#include "http/client_address.hpp"

namespace sb::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using asio::use_awaitable;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

struct Server::Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = true;  // waiting for a request's headers; only touched on the connection's thread
};

Server::Server(ServerOptions options, const Router& router, Metrics& metrics, const StaticFiles* static_files)
    : options_(std::move(options)),
      router_(router),
      metrics_(metrics),
      static_files_(static_files),
      contexts_([n = std::max(1, options_.io_threads)] {
        std::vector<std::unique_ptr<asio::io_context>> v;
        for (int i = 0; i < n; ++i) v.push_back(std::make_unique<asio::io_context>(1));
        return v;
      }()),
      acceptor_(*contexts_.front()),
      blocking_(static_cast<std::size_t>(options_.blocking_threads)) {}

Server::~Server() {
  stop();
  wait();
}

std::uint16_t Server::start() {
  tcp::endpoint endpoint(asio::ip::make_address(options_.host), options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  std::uint16_t port = acceptor_.local_endpoint().port();
  asio::co_spawn(*contexts_.front(), accept_loop(), asio::detached);
  // A context with no connection yet must not return from run(): the guard keeps it waiting.
  for (auto& ctx : contexts_)
    threads_.emplace_back([ctx = ctx.get(), n = threads_.size()] {
      name_this_thread("sb-http-" + std::to_string(n));
      auto guard = asio::make_work_guard(*ctx);
      ctx->run();
    });
  return port;
}

void Server::stop() {
  if (stopping_.exchange(true)) return;
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  {
    std::lock_guard lock(mu_);
    for (auto& [id, conn] : connections_) {
      asio::post(conn->stream.get_executor(), [conn] {
        if (conn->idle) conn->stream.socket().cancel();
      });
    }
  }
  std::thread([this] {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(options_.shutdown_grace_seconds), [this] { return connections_.empty(); });
    lock.unlock();
    for (auto& ctx : contexts_) ctx->stop();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
    blocking_.join();
    lock.lock();
    stopped_ = true;
    cv_.notify_all();
  }).detach();
}

void Server::wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return stopped_ || threads_.empty(); });
}

asio::awaitable<void> Server::accept_loop() {
  while (!stopping_) {
    auto& ctx = *contexts_[next_context_++ % contexts_.size()];
    auto [ec, socket] = co_await acceptor_.async_accept(ctx, tuple_awaitable);
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      continue;  // e.g. too many open files: keep serving the connections we have
    }
    auto conn = std::make_shared<Connection>(std::move(socket));
    std::uint64_t id;
    {
      std::lock_guard lock(mu_);
      id = next_connection_id_++;
      connections_[id] = conn;
    }
    asio::co_spawn(conn->stream.get_executor(), serve_connection(conn), [this, id](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          log::error("connection failed", {{"error", ex.what()}});
        }
      }
      std::lock_guard lock(mu_);
      connections_.erase(id);
      cv_.notify_all();
    });
  }
}

std::string request_id_from(const std::string& header) {
  if (!header.empty() && header.size() <= 128 &&
      header.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
          std::string::npos)
    return header;
  // 12 random bytes in hex, drawn from a per-thread pool (one libsodium call per 32 requests).
  constexpr std::size_t kPool = 384, kBytes = 12;
  thread_local unsigned char pool[kPool];
  thread_local std::size_t left = 0;
  if (left < kBytes) {
    randombytes_buf(pool, kPool);
    left = kPool;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kBytes * 2, '\0');
  const unsigned char* bytes = pool + (kPool - left);
  for (std::size_t i = 0; i < kBytes; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  sodium_memzero(pool + (kPool - left), kBytes);
  left -= kBytes;
  return out;
}

namespace {

// The security headers every response carries (CSP, frame-ancestors, nosniff, referrer policy),
// as one block of "Name: value\r\n" lines. Only the embedded web chat names who may frame it.
std::string security_header_block(const std::string& frame_ancestors) {
  std::string block =
      "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: "
      "https:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
      "form-action 'self'; frame-ancestors ";
  block += frame_ancestors.empty() ? "'none'\r\nX-Frame-Options: DENY\r\n" : frame_ancestors + "\r\n";
  block +=
      "X-Content-Type-Options: nosniff\r\n"
      "Referrer-Policy: strict-origin-when-cross-origin\r\n"
      "Cross-Origin-Opener-Policy: same-origin\r\n"
      "Permissions-Policy: camera=(), microphone=(), geolocation=()\r\n";
  return block;
}

}  // namespace

std::string serialize_response(const Response& res, bool head, bool keep_alive) {
  static const std::string kFramed = security_header_block("");
  std::string framed_by;
  if (!res.frame_ancestors.empty()) framed_by = security_header_block(res.frame_ancestors);
  const std::string& security = res.frame_ancestors.empty() ? kFramed : framed_by;
  std::string wire;
  std::size_t size = 64 + security.size() + res.content_type.size() + (head ? 0 : res.body.size());
  for (const auto& [k, v] : res.headers) size += k.size() + v.size() + 4;
  wire.reserve(size);
  const unsigned code = res.status;
  wire += "HTTP/1.1 ";
  wire += static_cast<char>('0' + code / 100 % 10);
  wire += static_cast<char>('0' + code / 10 % 10);
  wire += static_cast<char>('0' + code % 10);
  wire += ' ';
  const auto reason = beast_http::obsolete_reason(static_cast<beast_http::status>(code));
  wire.append(reason.data(), reason.size());
  wire += "\r\n";
  for (const auto& [k, v] : res.headers) {
    wire += k;
    wire += ": ";
    wire += v;
    wire += "\r\n";
  }
  wire += security;
  if (!res.content_type.empty()) {
    wire += "Content-Type: ";
    wire += res.content_type;
    wire += "\r\n";
  }
  // No body and no length for 1xx, 204 and 304 (RFC 9110 §8.6); HEAD tells the length it would send.
  if (res.is_streamed()) {
    wire += "Transfer-Encoding: chunked\r\n";
  } else if (!(code / 100 == 1 || code == 204 || code == 304)) {
    wire += "Content-Length: ";
    wire += std::to_string(res.body.size());
    wire += "\r\n";
  }
  if (!keep_alive) wire += "Connection: close\r\n";
  wire += "\r\n";
  if (!head) wire += res.body;
  return wire;
}

namespace {

std::string_view method_name(Method m) {
  auto name = beast_http::to_string(m);
  return {name.data(), name.size()};
}

// Path for the access log: long segments (tokens in app links like /invite/<token>) are masked,
// and empty ones dropped. Most paths need neither and are used as they are; others are rebuilt in
// `rebuilt`.
std::string_view loggable_path(const std::string& path, std::string& rebuilt) {
  bool as_is = path.starts_with('/');
  std::size_t segment = 0;
  for (std::size_t i = 1; as_is && i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '/') {
      ++segment;
      continue;
    }
    as_is = segment < 32 && (segment > 0 || path.size() == 1);
    segment = 0;
  }
  if (as_is) return path;
  for (const auto& seg : split_path(path)) rebuilt += "/" + (seg.size() >= 32 ? std::string(":redacted") : seg);
  if (rebuilt.empty()) rebuilt = "/";
  return rebuilt;
}

// Whether a path is under /api, read the way the router reads paths (empty segments are skipped,
// so //api//bots is /api/bots): no API path is ever answered with the web app.
bool is_api_path(std::string_view path) {
  const auto start = path.find_first_not_of('/');
  if (start == std::string_view::npos) return false;
  path.remove_prefix(start);
  return path.starts_with("api") && (path.size() == 3 || path[3] == '/');
}

bool parse_target(Request& req) {
  auto url = boost::urls::parse_origin_form(req.target);
  if (!url) return false;
  req.path = url->path();
  if (req.path.empty()) req.path = "/";
  for (auto param : url->params()) req.query[param.key] = param.value;
  return true;
}

// Reads and drops a declared body we refuse, so the client finishes sending and reads our
// answer instead of seeing a reset connection. Returns false when the body is too big to drain.
asio::awaitable<bool> discard_body(beast::tcp_stream& stream, beast::flat_buffer& buffer, std::uint64_t length) {
  constexpr std::uint64_t kMaxDrain = 16 * 1024 * 1024;
  if (length > kMaxDrain) co_return false;
  std::uint64_t have = std::min<std::uint64_t>(buffer.size(), length);
  buffer.consume(have);
  std::uint64_t remaining = length - have;
  char scratch[16384];
  stream.expires_after(std::chrono::seconds(30));
  while (remaining > 0) {
    auto [ec, n] = co_await stream.async_read_some(
        asio::buffer(scratch, std::min<std::uint64_t>(sizeof scratch, remaining)), tuple_awaitable);
    if (ec) co_return false;
    remaining -= n;
  }
  co_return true;
}

constexpr const char* kHstsValue = "max-age=31536000; includeSubDomains";

Error uri_too_long() {
  return {"uri_too_long", "The request URL is longer than " + std::to_string(kMaxTargetBytes) + " bytes.", {}};
}

Error header_fields_too_large() {
  return {"request_header_fields_too_large",
          "The request headers are larger than " + std::to_string(kMaxHeaderBytes) + " bytes or more than " +
              std::to_string(kMaxHeaderFields) + " fields.",
          {}};
}

// Whether a head Beast refused as over its limit was refused for its URL. Beast consumes the request
// line once it is whole, then fields as they complete: either the target is known, or the request
// line is still at the start of the unread bytes (with no line end yet when it alone passes the limit).
bool refused_for_target(const beast_http::request_parser<beast_http::string_body>& parser,
                        const beast::flat_buffer& buffer) {
  const auto target = parser.get().target();
  if (!target.empty()) return target.size() > kMaxTargetBytes;
  const std::string_view unread(static_cast<const char*>(buffer.data().data()), buffer.size());
  const auto line_end = unread.find("\r\n");
  return (line_end == std::string_view::npos ? unread.size() : line_end) > kMaxTargetBytes;
}

}  // namespace

asio::awaitable<void> Server::refuse_head(beast::tcp_stream& stream, const Request& req, Response res,
                                          std::chrono::steady_clock::time_point started) {
  res.set_header("X-Request-Id", req.request_id);
  if (options_.hsts) res.set_header("Strict-Transport-Security", kHstsValue);
  const std::string wire = serialize_response(res, req.method == Method::head, false);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  finish(req, res, "unmatched", seconds, 0, res.body.size());
  stream.expires_after(std::chrono::seconds(30));
  auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(wire), tuple_awaitable);
  if (wec) co_return;
  // Closing with unread bytes would reset the connection, and a reset can destroy the answer before
  // the client reads it: say we are done, then read (a bounded amount, for a short while) until it is.
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  constexpr std::size_t kMaxLinger = 1024 * 1024;
  char scratch[16384];
  std::size_t drained = 0;
  stream.expires_after(std::chrono::seconds(5));
  while (drained < kMaxLinger) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), tuple_awaitable);
    if (ec) break;
    drained += n;
  }
}

asio::awaitable<Response> Server::dispatch(Request& req, const RouteMatch& match) {
  if (match.route) {
    const Route& route = *match.route;
    req.path_params = match.params;
    if (route.deferred) {
      // The handler starts on the blocking pool (or here, when it does not block) and may answer
      // from any thread; this coroutine waits without holding one.
      co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(Response)>(
          [this, &req, &route](auto handler) {
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            Responder respond = [shared](Response res) {
              auto ex = asio::get_associated_executor(*shared);
              asio::post(ex, [shared, res = std::move(res)]() mutable { (*shared)(std::move(res)); });
            };
            auto start = [&req, &route, respond] {
              try {
                route.deferred(req, respond);
              } catch (const std::exception& e) {
                log::error("handler failed", {{"request_id", req.request_id}, {"error", e.what()}});
                respond(Response::error(Error::internal()));
              }
            };
            // A deferred handler that does not block starts right here, saving a thread hop.
            if (route.options.blocking) asio::post(blocking_, std::move(start));
            else start();
          },
          use_awaitable);
    }
    if (!route.options.blocking) co_return route.handler(req);
    co_return co_await asio::co_spawn(
        blocking_, [&]() -> asio::awaitable<Response> { co_return route.handler(req); }, use_awaitable);
  }
  if (!match.allowed.empty()) {
    std::string allow;
    for (auto m : match.allowed) {
      if (!allow.empty()) allow += ", ";
      allow += method_name(m);
    }
    const std::string method(method_name(req.method));
    Response r = Response::error(
        Error{"method_not_allowed", "This path does not accept " + method + ".", {{"allowed", allow}}});
    r.set_header("Allow", allow);
    co_return r;
  }
  if (!is_api_path(req.path) && static_files_ && (req.method == Method::get || req.method == Method::head))
    co_return static_files_->serve(req);
  const std::string method(method_name(req.method));
  co_return Response::error(Error::not_found("No route matches " + method + " " + req.path + "."));
}

asio::awaitable<Server::Sent> Server::send_pieces(beast::tcp_stream& stream, Response& res, const Request& req) {
  Sent sent;
  for (;;) {
    std::optional<std::string> piece;
    if (res.late_stream) {
      // Waits for the producer's callback without holding a thread; it may call from any thread.
      Response::LatePiece late = co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(Response::LatePiece)>(
          [&res, &req](auto handler) {
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            auto once = std::make_shared<std::atomic<bool>>(false);
            Response::PieceReady ready = [shared, once](Response::LatePiece p) {
              if (once->exchange(true)) return;  // a second call is a producer's bug: ignored
              auto ex = asio::get_associated_executor(*shared);
              asio::post(ex, [shared, p = std::move(p)]() mutable { (*shared)(std::move(p)); });
            };
            try {
              res.late_stream(ready);
            } catch (const std::exception& e) {
              log::error("streamed response failed", {{"request_id", req.request_id}, {"error", e.what()}});
              ready(Response::LatePiece::cut());
            }
          },
          use_awaitable);
      if (late.cut_short) co_return sent;  // no last chunk: the client sees the body cut short
      piece = std::move(late.data);
    } else {
      try {
        piece = co_await asio::co_spawn(
            blocking_, [&res]() -> asio::awaitable<std::optional<std::string>> { co_return res.stream(); },
            use_awaitable);
      } catch (const std::exception& e) {
        log::error("streamed response failed", {{"request_id", req.request_id}, {"error", e.what()}});
        co_return sent;  // no last chunk: the client sees the body cut short
      }
    }
    if (piece && piece->empty()) continue;  // an empty chunk would end the body
    char size_line[24];
    const int n = piece ? std::snprintf(size_line, sizeof size_line, "%zx\r\n", piece->size())
                        : std::snprintf(size_line, sizeof size_line, "0\r\n\r\n");
    std::array<asio::const_buffer, 3> frame{asio::buffer(size_line, static_cast<std::size_t>(n)),
                                            piece ? asio::buffer(*piece) : asio::const_buffer(),
                                            piece ? asio::buffer("\r\n", 2) : asio::const_buffer()};
    stream.expires_after(std::chrono::seconds(30));
    auto [ec, written] = co_await asio::async_write(stream, frame, tuple_awaitable);
    if (ec) co_return sent;
    if (!piece) {
      sent.whole = true;
      co_return sent;
    }
    sent.bytes += piece->size();
  }
}

void Server::finish(const Request& req, const Response& res, const std::string& route_label, double seconds,
                    std::size_t bytes_in, std::size_t bytes_out) {
  metrics_.observe_request(route_label, method_name(req.method), res.status, seconds);
  if (!log::enabled(log::Level::info)) return;
  std::string rebuilt;
  log::write_fields(log::Level::info, "request",
                    {{"request_id", req.request_id},
                     {"method", method_name(req.method)},
                     {"path", loggable_path(req.path, rebuilt)},
                     {"route", route_label},
                     {"status", static_cast<std::int64_t>(res.status)},
                     {"duration_ms", seconds * 1000.0},
                     {"bytes_in", static_cast<std::int64_t>(bytes_in)},
                     {"bytes_out", static_cast<std::int64_t>(bytes_out)},
                     {"remote_ip", req.remote_ip}});
}

asio::awaitable<void> Server::serve_connection(std::shared_ptr<Connection> conn) {
  beast::tcp_stream& stream = conn->stream;
  beast::flat_buffer buffer;
  boost::system::error_code ep_ec;
  auto remote = stream.socket().remote_endpoint(ep_ec);
  const auto peer = normalize_address(remote.address());
  const std::string peer_ip = ep_ec ? "" : peer.to_string();
  // Only a trusted proxy's forwarding headers are read; everyone else is the address they connect from.
  const bool behind_proxy = !ep_ec && !options_.trusted_proxies.empty();
  bool first = true;

  for (;;) {
    if (stopping_) break;
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    // The route decides the limit once the headers are in; Beast would otherwise refuse a large
    // Content-Length while reading the headers, before we could answer 413.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    conn->idle = true;
    stream.expires_after(std::chrono::seconds(first ? options_.header_timeout_seconds : options_.idle_timeout_seconds));
    auto [hec, hn] = co_await beast_http::async_read_header(stream, buffer, parser, tuple_awaitable);
    conn->idle = false;
    first = false;
    auto started = std::chrono::steady_clock::now();
    if (hec == beast_http::error::header_limit) {
      Request req;
      req.method = Method::unknown;
      req.remote_ip = peer_ip;  // no header was read, so none can name another client
      req.request_id = request_id_from("");
      // Built before the co_await: GCC 12 destroys temporaries in a co_await's arguments twice.
      Response refusal = Response::error(refused_for_target(parser, buffer) ? uri_too_long() : header_fields_too_large());
      co_await refuse_head(stream, req, std::move(refusal), started);
      break;
    }
    if (hec) break;  // closed, timed out, cancelled by shutdown, or a malformed header

    Request req;
    auto& header = parser.get();
    req.method = header.method();
    req.target = std::string(header.target());
    bool keep_alive = header.keep_alive();
    // The parser keeps its own count of the body still to come; the fields are the request's now.
    req.headers = std::move(header.base());
    req.remote_ip = behind_proxy ? client_address(peer, req.headers, options_.trusted_proxies) : peer_ip;
    req.request_id = request_id_from(req.header("X-Request-Id"));
    if (req.target.size() > kMaxTargetBytes) {
      Response refusal = Response::error(uri_too_long());
      co_await refuse_head(stream, req, std::move(refusal), started);
      break;
    }
    // Beast's limit counts from the first byte it had not consumed yet; hn is the whole head.
    if (hn > kMaxHeaderBytes ||
        static_cast<std::size_t>(std::distance(req.headers.begin(), req.headers.end())) > kMaxHeaderFields) {
      parse_target(req);  // for the access log's path
      Response refusal = Response::error(header_fields_too_large());
      co_await refuse_head(stream, req, std::move(refusal), started);
      break;
    }

    Response res;
    std::string route_label = "unmatched";
    bool close_after = false;
    std::size_t bytes_in = 0;
    if (req.method == Method::unknown || !parse_target(req)) {
      res = Response::error(Error{"bad_request", "The request line is not valid.", {}});
      close_after = true;
    } else {
      RouteMatch match = router_.match(req.method, req.path);
      if (match.route) route_label = match.route->pattern;
      else if (match.allowed.empty() && !is_api_path(req.path)) route_label = "static";
      std::size_t limit = match.route && match.route->options.body_limit ? match.route->options.body_limit
                                                                           : options_.default_body_limit;
      parser.body_limit(limit);
      if (parser.content_length() && *parser.content_length() > limit) {
        res = Response::error(Error::payload_too_large(limit));
        close_after = true;
        // A client waiting for 100 Continue has not sent the body; anyone else is sending it now.
        bool waits = beast::iequals(req.header("Expect"), "100-continue");
        if (!waits) co_await discard_body(stream, buffer, *parser.content_length());
      } else {
        stream.expires_after(std::chrono::seconds(std::max(30, options_.header_timeout_seconds)));
        auto [bec, bn] = co_await beast_http::async_read(stream, buffer, parser, tuple_awaitable);
        if (bec == beast_http::error::body_limit) {
          res = Response::error(Error::payload_too_large(limit));
          close_after = true;
        } else if (bec) {
          break;
        } else {
          req.body = std::move(parser.get().body());
          bytes_in = req.body.size();
          try {
            res = co_await dispatch(req, match);
          } catch (const db::DbError& e) {
            log::error("database error", {{"request_id", req.request_id}, {"error", e.what()}});
            res = Response::error(Error::unavailable("The database did not answer. Try again shortly."));
          } catch (const std::exception& e) {
            log::error("handler failed", {{"request_id", req.request_id}, {"error", e.what()}});
            res = Response::error(Error::internal());
          }
        }
      }
    }
    res.set_header("X-Request-Id", req.request_id);
    if (options_.hsts) res.set_header("Strict-Transport-Security", kHstsValue);
    const bool head = req.method == Method::head;
    bool again = keep_alive && !close_after && !stopping_;
    std::string wire = serialize_response(res, head, again);
    if (!res.is_streamed() || head) {
      // Answered in full: the log line goes before the write, so the client never waits for it.
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      finish(req, res, route_label, seconds, bytes_in, head ? 0 : res.body.size());
      stream.expires_after(std::chrono::seconds(30));
      auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(wire), tuple_awaitable);
      if (wec || !again) break;
      continue;
    }
    stream.expires_after(std::chrono::seconds(30));
    auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(wire), tuple_awaitable);
    Sent sent;
    if (!wec) sent = co_await send_pieces(stream, res, req);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    finish(req, res, route_label, seconds, bytes_in, sent.bytes);
    // The status line said 200 before the body failed: counted apart, so that it is not lost among them.
    if (!sent.whole) metrics_.increment("switchboard_http_responses_cut_short_total", {{"route", route_label}});
    if (!sent.whole || !again) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
}

}  // namespace sb::http
