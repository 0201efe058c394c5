// Route matching by segments; a HEAD request matches GET routes.
#include "http/router.hpp"

#include <stdexcept>

namespace sb::http {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

void Router::add(Method method, std::string pattern, Handler handler, RouteOptions options) {
  auto segments = split_path(pattern);
  // Two patterns that differ only in parameter names would match the same paths.
  auto shape = [](const std::vector<std::string>& segs) {
    std::string out;
    for (const auto& s : segs) out += "/" + (!s.empty() && s[0] == ':' ? std::string(":") : s);
    return out;
  };
  for (auto& r : routes_)
    if (r.method == method && shape(r.segments) == shape(segments)) throw std::logic_error("duplicate route " + pattern);
  routes_.push_back(Route{method, std::move(pattern), std::move(handler), options, std::move(segments), {}});
}

void Router::add_deferred(Method method, std::string pattern, DeferredHandler handler, RouteOptions options) {
  add(method, std::move(pattern), nullptr, options);
  routes_.back().deferred = std::move(handler);
}

RouteMatch Router::match(Method method, const std::string& path) const {
  RouteMatch result;
  auto parts = split_path(path);
  Method wanted = method == Method::head ? Method::get : method;
  int best_literals = -1;  // a literal segment beats a parameter: /api/invites/accept over /api/invites/:id
  for (const auto& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    int literals = 0;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const auto& seg = route.segments[i];
      if (!seg.empty() && seg[0] == ':') {
        if (parts[i].empty()) ok = false;
        else params[seg.substr(1)] = parts[i];
      } else {
        ok = seg == parts[i];
        ++literals;
      }
    }
    if (!ok) continue;
    if (route.method != wanted) {
      result.allowed.push_back(route.method);
      continue;
    }
    if (literals > best_literals) {
      best_literals = literals;
      result.route = &route;
      result.params = std::move(params);
    }
  }
  if (result.route) result.allowed.clear();
  return result;
}

}  // namespace sb::http
