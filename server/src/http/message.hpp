// Request and Response as handlers see them: parsed path, query, cookies, path parameters.
#pragma once

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace sb::http {

namespace beast_http = boost::beast::http;
using Method = beast_http::verb;

struct Request {
  Method method = Method::get;
  std::string target;  // as received, with the query
  std::string path;    // percent-decoded path without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> path_params;
  beast_http::fields headers;
  std::string body;
  std::string remote_ip;
  std::string request_id;

  std::string header(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  std::optional<std::string> query_param(std::string_view name) const;
  const std::string& param(const std::string& name) const { return path_params.at(name); }
  bool is_write() const;  // POST, PUT, PATCH, DELETE
  // 415 unless the body is empty or declared as JSON; then 400 unless it is a JSON object.
  Result<boost::json::object> json_body() const;
};

struct Response {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type;
  // Who may show this response in a frame: the CSP frame-ancestors sources (the embedded web chat
  // names its deployment's allowed origins). Empty: nobody ('none', with X-Frame-Options: DENY).
  // Only values made of normalized origins belong here: they are written into the header as they are.
  std::string frame_ancestors;
  // A body made piece by piece (a large export) instead of `body`: each call returns the next
  // piece, or nullopt after the last. The server calls it on the blocking pool and sends the pieces
  // with chunked transfer encoding, so the whole body is never in memory at once. A call that
  // throws cuts the response short (the client sees an unfinished body, not a complete one).
  using Pieces = std::function<std::optional<std::string>()>;
  Pieces stream;
  // A streamed body whose pieces come later, without holding any thread while they are awaited (a
  // model's answer relayed as it is written). The server asks for each piece by calling `late_stream`
  // on the connection's I/O thread with a callback that must be called exactly once, from any thread:
  // with the next piece, with `end` after the last, or with `cut_short` to stop the body unfinished.
  struct LatePiece {
    std::optional<std::string> data;  // the next piece; unset: the body ends here
    bool cut_short = false;           // with no data: end without the last chunk (the client sees a cut body)
    static LatePiece piece(std::string d) { return {std::move(d), false}; }
    static LatePiece end() { return {std::nullopt, false}; }
    static LatePiece cut() { return {std::nullopt, true}; }
  };
  using PieceReady = std::function<void(LatePiece)>;
  using LatePieces = std::function<void(PieceReady)>;
  LatePieces late_stream;

  void set_header(std::string name, std::string value);
  static Response json(unsigned status, const boost::json::value& body);
  static Response no_content();
  static Response error(const Error& error);
  static Response text(unsigned status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response streamed(unsigned status, Pieces pieces, std::string content_type);
  static Response streamed_later(unsigned status, LatePieces pieces, std::string content_type);
  bool is_streamed() const { return static_cast<bool>(stream) || static_cast<bool>(late_stream); }
};

// Turns a Result into a response: the value serialised with status, or the error envelope.
template <typename T, typename F>
Response respond(const Result<T>& result, unsigned status, F&& to_json) {
  if (!result) return Response::error(result.error());
  return Response::json(status, to_json(result.value()));
}

}  // namespace sb::http
