// The one router: method + path pattern ("/api/orgs/:id") → handler, with per-route options.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace sb::http {

using Handler = std::function<Response(Request&)>;
// A handler whose answer comes later, without holding a thread while it waits (the webhook ingest
// path awaiting its group commit): it starts on the blocking pool (on the I/O thread when its
// options say it does not block) and calls the responder exactly once, from any thread.
using Responder = std::function<void(Response)>;
using DeferredHandler = std::function<void(Request&, Responder)>;

struct RouteOptions {
  std::size_t body_limit = 0;  // 0: the server's default limit
  bool blocking = true;        // runs on the blocking pool (touches the database)
};

struct Route {
  Method method;
  std::string pattern;
  Handler handler;
  RouteOptions options;
  std::vector<std::string> segments;  // pattern split on '/'; ":name" segments capture
  DeferredHandler deferred;           // set instead of handler by add_deferred
};

struct RouteMatch {
  const Route* route = nullptr;                     // set when method and path match
  std::map<std::string, std::string> params;
  std::vector<Method> allowed;                      // path matched, method did not: what is allowed
};

class Router {
 public:
  void add(Method method, std::string pattern, Handler handler, RouteOptions options = {});
  void add_deferred(Method method, std::string pattern, DeferredHandler handler, RouteOptions options = {});
  RouteMatch match(Method method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

std::vector<std::string> split_path(const std::string& path);

}  // namespace sb::http
