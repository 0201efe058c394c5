// Request accessors and Response builders, including the JSON error envelope.
#include "http/message.hpp"

#include <boost/json/serialize.hpp>

#include "core/json.hpp"

namespace sb::http {

std::string Request::header(std::string_view name) const {
  auto it = headers.find(boost::beast::string_view(name.data(), name.size()));
  return it == headers.end() ? std::string() : std::string(it->value());
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (auto it = headers.find(beast_http::field::cookie); it != headers.end() && it->name() == beast_http::field::cookie;
       ++it) {
    std::string_view all(it->value().data(), it->value().size());
    while (!all.empty()) {
      auto semi = all.find(';');
      std::string_view part = all.substr(0, semi);
      all = semi == std::string_view::npos ? std::string_view() : all.substr(semi + 1);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      auto eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

bool Request::is_write() const {
  return method == Method::post || method == Method::put || method == Method::patch || method == Method::delete_;
}

Result<boost::json::object> Request::json_body() const {
  std::string type = header("Content-Type");
  if (!body.empty() && !type.empty() && type.find("application/json") == std::string::npos)
    return Error::unsupported_media_type();
  return json::parse_object(body.empty() ? std::string_view("{}") : std::string_view(body));
}

void Response::set_header(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (boost::beast::iequals(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

Response Response::json(unsigned status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  r.content_type = "application/json";
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::error(const Error& error) {
  boost::json::object e{{"code", error.code}, {"message", error.message}};
  e["details"] = error.details;
  Response r = json(static_cast<unsigned>(http_status_for(error)), boost::json::object{{"error", std::move(e)}});
  if (error.retry_after_seconds > 0) r.set_header("Retry-After", std::to_string(error.retry_after_seconds));
  return r;
}

Response Response::text(unsigned status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Response Response::streamed(unsigned status, Pieces pieces, std::string content_type) {
  Response r;
  r.status = status;
  r.stream = std::move(pieces);
  r.content_type = std::move(content_type);
  return r;
}

Response Response::streamed_later(unsigned status, LatePieces pieces, std::string content_type) {
  Response r;
  r.status = status;
  r.late_stream = std::move(pieces);
  r.content_type = std::move(content_type);
  return r;
}

}  // namespace sb::http
