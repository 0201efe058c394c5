// libcurl implementation of HttpClient: one reused easy handle per thread for single requests, a multi
// handle per thread for requests side by side; headers collected lower-cased.
#include "http/client.hpp"

#include <curl/curl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <atomic>
#include <stdexcept>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "core/thread_name.hpp"

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

using HeaderList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

Error no_handle() { return Error{"transport", "could not create an HTTP client handle", {}}; }

// Sets a handle up for one request; the response is collected into res.
HeaderList configure(CURL* h, const ClientRequest& request, ClientResponse& res) {
  curl_slist* headers = nullptr;
  for (const auto& [k, v] : request.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
  HeaderList guard(headers, curl_slist_free_all);
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
  return guard;
}

// What a finished transfer came to. A failure is told apart by whether any byte of the request
// was written: CURLINFO_REQUEST_SIZE counts the bytes curl wrote to the connection for this
// transfer (reset when it starts), so 0 means the server cannot have seen the request.
Result<ClientResponse> outcome(CURL* h, CURLcode rc, ClientResponse res, const ClientRequest& request) {
  if (rc != CURLE_OK) {
    long written = 0;
    if (curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &written) != CURLE_OK) written = 1;  // unknown: may have
    // Our own callback stopped the transfer: an answer was arriving, so this is no platform's doing.
    bool ours = rc == CURLE_WRITE_ERROR || rc == CURLE_ABORTED_BY_CALLBACK;
    if (written > 0 && !ours) {
      if (rc == CURLE_OPERATION_TIMEDOUT)
        return Error{"timeout", "no answer within " + std::to_string(request.timeout_ms) + " ms after the request was sent", {}};
      return Error{"no_answer", std::string("the connection failed after the request was sent (") + curl_easy_strerror(rc) + ")", {}};
    }
    if (rc == CURLE_OPERATION_TIMEDOUT)
      return Error{"connect_timeout",
                   "no connection within " + std::to_string(std::min(request.timeout_ms, request.connect_timeout_ms)) + " ms", {}};
    return Error{"transport", curl_easy_strerror(rc), {}};
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res.status);
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &res.seconds);
  return res;
}

// The calling thread's multi handle, the sockets and timer it asked us to watch, and its spare easy
// handles (declared after the multi handle, so they are cleaned up first). Driving curl socket by
// socket (curl_multi_socket_action) reads each answer as soon as its socket is ready, without
// looking at every other transfer first, and hands it on at once (the journal of a sent reply).
struct MultiState {
  std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi{curl_multi_init(), curl_multi_cleanup};
  std::map<curl_socket_t, int> watch;  // socket → CURL_POLL_IN | CURL_POLL_OUT
  std::optional<std::chrono::steady_clock::time_point> deadline;  // curl's timer
  std::vector<std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>> spare;

  MultiState() {
    if (!multi) return;
    curl_multi_setopt(multi.get(), CURLMOPT_SOCKETFUNCTION, &MultiState::on_socket);
    curl_multi_setopt(multi.get(), CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi.get(), CURLMOPT_TIMERFUNCTION, &MultiState::on_timer);
    curl_multi_setopt(multi.get(), CURLMOPT_TIMERDATA, this);
  }
  static int on_socket(CURL*, curl_socket_t s, int what, void* self, void*) {
    auto& watch = static_cast<MultiState*>(self)->watch;
    if (what == CURL_POLL_REMOVE) watch.erase(s);
    else watch[s] = what;
    return 0;
  }
  static int on_timer(CURLM*, long timeout_ms, void* self) {
    auto& deadline = static_cast<MultiState*>(self)->deadline;
    if (timeout_ms < 0) deadline.reset();
    else deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    return 0;
  }
};

}  // namespace

bool may_have_arrived(const Error& error) { return error.code == "timeout" || error.code == "no_answer"; }

Result<ClientResponse> CurlHttpClient::send(const ClientRequest& request) {
  global_init();
  CURL* h = thread_handle();
  if (!h) return no_handle();
  ClientResponse res;
  auto headers = configure(h, request, res);
  CURLcode rc = curl_easy_perform(h);
  return outcome(h, rc, std::move(res), request);
}

void HttpClient::send_all(const std::vector<ClientRequest>& requests, std::size_t, const Done& done,
                          const std::function<void()>& idle) {
  for (std::size_t i = 0; i < requests.size(); ++i) {
    done(i, send(requests[i]));
    if (idle) idle();
  }
}

void CurlHttpClient::send_all(const std::vector<ClientRequest>& requests, std::size_t in_flight, const Done& done,
                              const std::function<void()>& idle) {
  if (requests.empty()) return;
  global_init();
  thread_local MultiState state;
  CURLM* multi = state.multi.get();
  if (!multi) {
    for (std::size_t i = 0; i < requests.size(); ++i)
      done(i, no_handle());
    return;
  }
  // Transfers past the limit wait inside curl for a free connection. The cache keeps as many open
  // between calls: by default it shrinks with the transfers in progress and closes the rest.
  const long limit = static_cast<long>(std::max<std::size_t>(1, in_flight));
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, limit);
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, limit);

  struct Transfer {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy{nullptr, curl_easy_cleanup};
    HeaderList headers{nullptr, curl_slist_free_all};
    ClientResponse res;
    bool added = false;
  };
  std::vector<Transfer> transfers(requests.size());
  // Whatever happens (a callback that throws), handles leave the multi handle and go back to spare.
  struct Cleanup {
    CURLM* multi;
    std::vector<Transfer>& transfers;
    MultiState& state;
    ~Cleanup() {
      for (auto& t : transfers) {
        if (t.added) curl_multi_remove_handle(multi, t.easy.get());
        if (t.easy) state.spare.push_back(std::move(t.easy));
      }
    }
  } cleanup{multi, transfers, state};

  std::size_t remaining = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    auto& t = transfers[i];
    if (!state.spare.empty()) {
      t.easy = std::move(state.spare.back());
      state.spare.pop_back();
      curl_easy_reset(t.easy.get());
    } else {
      t.easy.reset(curl_easy_init());
    }
    if (!t.easy) {
      done(i, no_handle());
      continue;
    }
    t.headers = configure(t.easy.get(), requests[i], t.res);
    curl_easy_setopt(t.easy.get(), CURLOPT_PRIVATE, reinterpret_cast<void*>(i));
    if (curl_multi_add_handle(multi, t.easy.get()) != CURLM_OK) {
      done(i, Error{"transport", "could not start the request", {}});
      continue;
    }
    t.added = true;
    ++remaining;
  }

  // Hands finished transfers on as soon as curl reports them.
  auto finished = [&] {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      void* index = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &index);
      auto i = reinterpret_cast<std::size_t>(index);
      auto& t = transfers[i];
      CURLcode rc = msg->data.result;  // msg is invalid once the handle is removed
      curl_multi_remove_handle(multi, t.easy.get());
      t.added = false;
      --remaining;
      done(i, outcome(t.easy.get(), rc, std::move(t.res), requests[i]));
    }
  };
  using Clock = std::chrono::steady_clock;
  int running = 0;
  curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);  // starts the transfers
  finished();
  auto last_idle = Clock::now();
  std::vector<pollfd> fds;
  while (remaining > 0) {
    auto now = Clock::now();
    if (state.deadline && *state.deadline <= now) {
      state.deadline.reset();
      curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
      finished();
      continue;
    }
    if (idle && now - last_idle >= std::chrono::seconds(1)) {
      idle();
      last_idle = Clock::now();
    }
    long wait_ms = 1000;
    if (state.deadline)
      wait_ms = std::min<long>(wait_ms, std::chrono::ceil<std::chrono::milliseconds>(*state.deadline - now).count());
    fds.clear();
    for (const auto& [s, what] : state.watch)
      fds.push_back({s, static_cast<short>(((what & CURL_POLL_IN) ? POLLIN : 0) | ((what & CURL_POLL_OUT) ? POLLOUT : 0)), 0});
    if (::poll(fds.data(), fds.size(), static_cast<int>(wait_ms)) <= 0) continue;  // a timer, or EINTR
    for (const auto& p : fds) {
      if (!p.revents) continue;
      int events = ((p.revents & (POLLIN | POLLHUP)) ? CURL_CSELECT_IN : 0) | ((p.revents & POLLOUT) ? CURL_CSELECT_OUT : 0) |
                   ((p.revents & POLLERR) ? CURL_CSELECT_ERR : 0);
      curl_multi_socket_action(multi, p.fd, events, &running);
      finished();
    }
  }
}

// The asynchronous client's state: what waits to start, the timers, and the transfers under way.
struct AsyncHttpClient::State {
  struct Transfer {
    Call call;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy{nullptr, curl_easy_cleanup};
    HeaderList headers{nullptr, curl_slist_free_all};
    ClientResponse res;
  };
  using Clock = std::chrono::steady_clock;
  std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi{nullptr, curl_multi_cleanup};
  mutable std::mutex mu;
  std::deque<Call> incoming;
  std::multimap<Clock::time_point, std::function<void()>> timers;
  bool stopping = false;
  std::map<CURL*, std::unique_ptr<Transfer>> running;  // only the client's thread touches this
  std::atomic<std::size_t> count{0};

  static std::size_t on_stream(char* data, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    long status = 0;
    curl_easy_getinfo(t->easy.get(), CURLINFO_RESPONSE_CODE, &status);
    try {
      t->call.on_data(status, std::string_view(data, size * n));
    } catch (...) {
      return 0;  // a callback that throws ends the transfer (curl reports a write error)
    }
    return size * n;
  }

  void begin(Call call) {
    auto t = std::make_unique<Transfer>();
    t->call = std::move(call);
    t->easy.reset(curl_easy_init());
    if (!t->easy) {
      count--;
      t->call.done(no_handle());
      return;
    }
    t->headers = configure(t->easy.get(), t->call.request, t->res);
    if (t->call.on_data) {
      curl_easy_setopt(t->easy.get(), CURLOPT_WRITEFUNCTION, &State::on_stream);
      curl_easy_setopt(t->easy.get(), CURLOPT_WRITEDATA, t.get());
    }
    CURL* h = t->easy.get();
    if (curl_multi_add_handle(multi.get(), h) != CURLM_OK) {
      count--;
      t->call.done(Error{"transport", "could not start the request", {}});
      return;
    }
    running.emplace(h, std::move(t));
  }

  void finished() {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi.get(), &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* h = msg->easy_handle;
      CURLcode rc = msg->data.result;
      curl_multi_remove_handle(multi.get(), h);
      auto it = running.find(h);
      if (it == running.end()) continue;
      auto t = std::move(it->second);
      running.erase(it);
      count--;
      auto result = outcome(h, rc, std::move(t->res), t->call.request);
      try {
        t->call.done(std::move(result));
      } catch (...) {
        // A callback must not end the client's thread.
      }
    }
  }

  // The loop waits in epoll for the sockets curl names (CURLMOPT_SOCKETFUNCTION) and for an eventfd
  // that start/after/stop write to, and tells curl only which socket is ready
  // (curl_multi_socket_action): the work per wake-up does not grow with the calls in flight, as a
  // poll over every transfer's socket would.
  int epoll_fd = -1;
  int wake_fd = -1;
  std::optional<Clock::time_point> curl_deadline;  // when curl wants CURL_SOCKET_TIMEOUT

  static int on_socket(CURL*, curl_socket_t s, int what, void* user, void*) {
    auto* self = static_cast<State*>(user);
    if (what == CURL_POLL_REMOVE) {
      epoll_ctl(self->epoll_fd, EPOLL_CTL_DEL, s, nullptr);
      return 0;
    }
    epoll_event ev{};
    ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
    ev.data.fd = s;
    // A socket curl closed without telling us left epoll by itself; one it reuses is new to epoll.
    if (epoll_ctl(self->epoll_fd, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT)
      epoll_ctl(self->epoll_fd, EPOLL_CTL_ADD, s, &ev);
    return 0;
  }

  static int on_timer(CURLM*, long timeout_ms, void* user) {
    auto* self = static_cast<State*>(user);
    if (timeout_ms < 0) self->curl_deadline.reset();
    else self->curl_deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    return 0;
  }

  void open_loop() {
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_fd < 0 || wake_fd < 0) throw std::runtime_error("could not create the HTTP client's event loop");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wake_fd;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &ev);
    curl_multi_setopt(multi.get(), CURLMOPT_SOCKETFUNCTION, &State::on_socket);
    curl_multi_setopt(multi.get(), CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi.get(), CURLMOPT_TIMERFUNCTION, &State::on_timer);
    curl_multi_setopt(multi.get(), CURLMOPT_TIMERDATA, this);
  }

  ~State() {
    running.clear();
    multi.reset();  // its last socket callbacks still find the epoll descriptor open
    if (epoll_fd >= 0) ::close(epoll_fd);
    if (wake_fd >= 0) ::close(wake_fd);
  }

  void loop() {
    std::vector<epoll_event> events(256);
    for (;;) {
      std::deque<Call> starting;
      std::vector<std::function<void()>> due;
      long wait_ms = 1000;
      {
        std::lock_guard lock(mu);
        if (stopping) break;
        starting.swap(incoming);
        auto now = Clock::now();
        while (!timers.empty() && timers.begin()->first <= now) {
          due.push_back(std::move(timers.begin()->second));
          timers.erase(timers.begin());
        }
        if (!timers.empty())
          wait_ms = std::min<long>(wait_ms,
                                   std::chrono::ceil<std::chrono::milliseconds>(timers.begin()->first - now).count());
      }
      for (auto& call : starting) begin(std::move(call));
      for (auto& fn : due) {
        try {
          fn();
        } catch (...) {
        }
      }
      int still = 0;
      if (curl_deadline && *curl_deadline <= Clock::now()) {
        curl_deadline.reset();
        curl_multi_socket_action(multi.get(), CURL_SOCKET_TIMEOUT, 0, &still);
      }
      finished();
      if (!due.empty() || !starting.empty()) wait_ms = 0;
      if (curl_deadline)
        wait_ms = std::min<long>(
            wait_ms, std::chrono::ceil<std::chrono::milliseconds>(*curl_deadline - Clock::now()).count());
      int n = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()),
                         static_cast<int>(std::max<long>(0, wait_ms)));
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == wake_fd) {
          std::uint64_t drained;
          while (::read(wake_fd, &drained, sizeof drained) > 0) {
          }
          continue;
        }
        int flags = (events[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
                    (events[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
                    (events[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
        curl_multi_socket_action(multi.get(), fd, flags, &still);
      }
      finished();
    }
    for (auto& [h, t] : running) curl_multi_remove_handle(multi.get(), h);
    running.clear();
  }

  void wake() {
    std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wake_fd, &one, sizeof one);
  }
};

AsyncHttpClient::AsyncHttpClient() : state_(std::make_unique<State>()) {
  global_init();
  state_->multi.reset(curl_multi_init());
  if (!state_->multi) throw std::runtime_error("could not create an HTTP multi handle");
  // Many calls to one host share HTTP/2 connections where the server offers it (OpenRouter does);
  // over HTTP/1.1 each call in flight has a connection, kept for the next one.
  curl_multi_setopt(state_->multi.get(), CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  curl_multi_setopt(state_->multi.get(), CURLMOPT_MAXCONNECTS, 4096L);
  state_->open_loop();
  thread_ = std::thread([s = state_.get()] {
    name_this_thread("sb-http-client");
    s->loop();
  });
}

AsyncHttpClient::~AsyncHttpClient() { stop(); }

void AsyncHttpClient::stop() {
  {
    std::lock_guard lock(state_->mu);
    if (state_->stopping && !thread_.joinable()) return;
    state_->stopping = true;
  }
  state_->wake();
  if (thread_.joinable()) thread_.join();
}

void AsyncHttpClient::start(Call call) {
  state_->count++;
  {
    std::lock_guard lock(state_->mu);
    if (state_->stopping) {
      state_->count--;
      return;
    }
    state_->incoming.push_back(std::move(call));
  }
  state_->wake();
}

void AsyncHttpClient::after(long ms, std::function<void()> fn) {
  {
    std::lock_guard lock(state_->mu);
    if (state_->stopping) return;
    state_->timers.emplace(State::Clock::now() + std::chrono::milliseconds(std::max(0L, ms)), std::move(fn));
  }
  state_->wake();
}

std::size_t AsyncHttpClient::in_flight() const { return state_->count.load(); }

}  // namespace sb::http
