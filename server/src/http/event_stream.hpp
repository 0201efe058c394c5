// Server-Sent Events over a late-streamed response: events are queued from any thread and written
// as the connection asks for them, several at once when they came faster than the socket took them.
// Nothing waits on a thread. A client that went away stops asking; later events are dropped.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace sb::http {

class EventStream : public std::enable_shared_from_this<EventStream> {
 public:
  // The response that carries the stream (200, text/event-stream, no caching) and the stream to send on.
  static std::pair<std::shared_ptr<EventStream>, Response> open();
  // One event: `event: <name>` and `data: <data>`; data must be one line (JSON serialised is).
  void send(std::string_view name, std::string_view data);
  // Ends the stream after what was sent.
  void close();
  // True when the client asked for a stream: Accept names text/event-stream.
  static bool wanted(const Request& req);

 private:
  void ask(Response::PieceReady ready);
  std::mutex mu_;
  std::string queued_;
  bool closed_ = false;
  Response::PieceReady waiting_;  // the connection's request for the next piece, when nothing was queued
};

}  // namespace sb::http
