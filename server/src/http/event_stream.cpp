// Server-Sent Events.
#include "http/event_stream.hpp"

namespace sb::http {

std::pair<std::shared_ptr<EventStream>, Response> EventStream::open() {
  auto stream = std::make_shared<EventStream>();
  auto res = Response::streamed_later(
      200, [stream](Response::PieceReady ready) { stream->ask(std::move(ready)); }, "text/event-stream");
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");  // proxies must pass events on as they come
  return {stream, std::move(res)};
}

bool EventStream::wanted(const Request& req) {
  return req.header("Accept").find("text/event-stream") != std::string::npos;
}

void EventStream::ask(Response::PieceReady ready) {
  std::unique_lock lock(mu_);
  if (!queued_.empty()) {
    std::string piece = std::move(queued_);
    queued_.clear();
    lock.unlock();
    ready(Response::LatePiece::piece(std::move(piece)));
  } else if (closed_) {
    lock.unlock();
    ready(Response::LatePiece::end());
  } else {
    waiting_ = std::move(ready);
  }
}

void EventStream::send(std::string_view name, std::string_view data) {
  std::string event;
  event.reserve(name.size() + data.size() + 16);
  event.append("event: ").append(name).append("\ndata: ").append(data).append("\n\n");
  Response::PieceReady ready;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    if (!waiting_) {
      queued_ += event;
      return;
    }
    ready = std::move(waiting_);
    waiting_ = nullptr;
  }
  ready(Response::LatePiece::piece(std::move(event)));
}

void EventStream::close() {
  Response::PieceReady ready;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    if (!waiting_) return;
    ready = std::move(waiting_);
    waiting_ = nullptr;
  }
  ready(Response::LatePiece::end());
}

}  // namespace sb::http
