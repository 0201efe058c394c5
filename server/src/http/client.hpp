// Outbound HTTP: the HttpClient interface services receive, and its libcurl implementation.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
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

// Whether a failed request may have reached the server and been acted upon: bytes of it were
// written to the connection and no complete answer came back ("timeout", "no_answer"). False for
// failures before anything was written ("transport", "connect_timeout") and for other errors.
bool may_have_arrived(const Error& error);

class HttpClient {
 public:
  using Done = std::function<void(std::size_t index, Result<ClientResponse> result)>;
  virtual ~HttpClient() = default;
  // Failures are errors, told apart by whether the request left (may_have_arrived below):
  // nothing reached the server — "transport" (refused, DNS, TLS handshake, a bad URL) or
  // "connect_timeout" (no connection within the time); the request was written (in part or in
  // whole) and no complete answer came back — "timeout" (none within timeout_ms) or "no_answer"
  // (the connection broke or closed first). Any HTTP status, including 4xx and 5xx, is a response.
  virtual Result<ClientResponse> send(const ClientRequest& request) = 0;
  // Sends the requests side by side, at most `in_flight` at once, from the calling thread.
  // done(i, result) runs on that thread as request i finishes; idle() about once a second while
  // any is still in flight. This default sends them one after another.
  virtual void send_all(const std::vector<ClientRequest>& requests, std::size_t in_flight, const Done& done,
                        const std::function<void()>& idle);
};

class CurlHttpClient final : public HttpClient {
 public:
  Result<ClientResponse> send(const ClientRequest& request) override;
  // One curl multi handle per calling thread drives the transfers; its connection cache keeps
  // connections to each platform open from one call to the next.
  void send_all(const std::vector<ClientRequest>& requests, std::size_t in_flight, const Done& done,
                const std::function<void()>& idle) override;
};

// Outbound HTTP without a thread per request: one thread drives every transfer through a curl
// multi handle, so thousands of slow calls (a model writing its answer) cost sockets, not threads.
// Callbacks run on that thread: keep them short and hand real work (a database write) elsewhere.
class AsyncHttpClient {
 public:
  struct Call {
    ClientRequest request;
    // When set, body bytes are handed over as they arrive (status: the HTTP status of the answer)
    // and the response given to done has an empty body; otherwise done gets the whole body.
    std::function<void(long status, std::string_view bytes)> on_data;
    std::function<void(Result<ClientResponse>)> done;
  };
  AsyncHttpClient();
  ~AsyncHttpClient();
  AsyncHttpClient(const AsyncHttpClient&) = delete;
  AsyncHttpClient& operator=(const AsyncHttpClient&) = delete;
  // Both are safe from any thread; the callbacks run on the client's thread.
  void start(Call call);
  void after(long ms, std::function<void()> fn);
  // Transfers started and not finished.
  std::size_t in_flight() const;
  // Ends every transfer (their done callbacks are not called) and the thread. Called by the destructor.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::thread thread_;
};

}  // namespace sb::http
