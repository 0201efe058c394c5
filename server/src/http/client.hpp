// Outbound HTTP: the HttpClient interface services receive, and its libcurl implementation.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace sb::http {

struct ClientRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  long timeout_ms = 10000;
  long connect_timeout_ms = 5000;
};

struct ClientResponse {
  long status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;
  double seconds = 0;

  std::string header(const std::string& lower_name) const;
  std::vector<std::string> all(const std::string& lower_name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Transport failures (refused, timed out, TLS) are errors with code "transport" or "timeout";
  // any HTTP status, including 4xx and 5xx, is a response.
  virtual Result<ClientResponse> send(const ClientRequest& request) = 0;
};

class CurlHttpClient final : public HttpClient {
 public:
  Result<ClientResponse> send(const ClientRequest& request) override;
};

}  // namespace sb::http
