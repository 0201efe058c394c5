// libcurl implementation of HttpClient: one reused easy handle per thread, headers collected lower-cased.
#include "http/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace sb::http {

std::string ClientResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> ClientResponse::all(const std::string& lower_name) const {
  std::vector<std::string> out;
  auto [b, e] = headers.equal_range(lower_name);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* res = static_cast<ClientResponse*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) res->headers.clear();  // a new response (after 100 Continue)
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    auto b = value.find_first_not_of(" \t");
    auto e = value.find_last_not_of(" \t\r\n");
    value = b == std::string::npos ? "" : value.substr(b, e - b + 1);
    res->headers.emplace(std::move(name), std::move(value));
  }
  return size * n;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One handle per thread, reset before each request: its connection cache keeps connections to a
// platform open between requests (keep-alive), instead of a new TCP (and TLS) handshake per message.
CURL* thread_handle() {
  thread_local std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(nullptr, curl_easy_cleanup);
  if (!handle) handle.reset(curl_easy_init());
  else curl_easy_reset(handle.get());
  return handle.get();
}

}  // namespace

Result<ClientResponse> CurlHttpClient::send(const ClientRequest& request) {
  global_init();
  CURL* h = thread_handle();
  if (!h) return Error{"transport", "could not create an HTTP client handle", {}};
  ClientResponse res;
  curl_slist* headers = nullptr;
  for (const auto& [k, v] : request.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard(headers, curl_slist_free_all);

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD") curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, request.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &res.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &res);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");

  CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return Error{"timeout", "the request timed out after " + std::to_string(request.timeout_ms) + " ms", {}};
  if (rc != CURLE_OK) return Error{"transport", curl_easy_strerror(rc), {}};
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res.status);
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &res.seconds);
  return res;
}

}  // namespace sb::http
