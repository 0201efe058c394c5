// Getting-started handlers.
#include "onboarding/routes.hpp"

#include <boost/json.hpp>

namespace sb::onboarding {
namespace json = boost::json;
using http::Request;
using http::Response;

void add_routes(http::Router& router, OnboardingService& onboarding, const accounts::Authenticator& auth) {
  router.add(http::Method::get, "/api/getting-started", [&onboarding, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(onboarding.progress(*ctx), 200, [](const Progress& p) {
      json::array steps;
      std::int64_t done = 0;
      for (const auto& s : p.steps) {
        steps.push_back(json::object{{"key", s.key}, {"done", s.done}});
        done += s.done ? 1 : 0;
      }
      return json::object{{"steps", std::move(steps)},
                          {"completed", done},
                          {"total", static_cast<std::int64_t>(p.steps.size())}};
    });
  });
}

}  // namespace sb::onboarding
