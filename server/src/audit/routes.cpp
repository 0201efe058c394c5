// Audit log handler: filters from the query string, a page of events newest first.
#include "audit/routes.hpp"

#include <boost/json/parse.hpp>

#include "core/clock.hpp"

namespace sb::audit {
namespace {
namespace json = boost::json;

json::value parsed_or_null(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  return ec ? json::value(nullptr) : v;
}

json::object event_json(const AuditEvent& e) {
  return {{"id", e.id},
          {"actor", json::object{{"type", e.actor_type}, {"id", e.actor_id}, {"label", e.actor_label}}},
          {"action", e.action},
          {"target", json::object{{"type", e.target.type}, {"id", e.target.id}, {"label", e.target.label}}},
          {"ip", e.ip},
          {"before", parsed_or_null(e.before_json)},
          {"after", parsed_or_null(e.after_json)},
          {"created_at", format_rfc3339(e.created_at)}};
}

}  // namespace

void add_routes(http::Router& router, AuditService& audit, const accounts::Authenticator& auth) {
  router.add(http::Method::get, "/api/orgs/:id/audit", [&audit, &auth](http::Request& req) {
    auto ctx = auth.require_in_org(req, req.param("id"));
    if (!ctx) return http::Response::error(ctx.error());
    AuditQuery q;
    std::map<std::string, std::string> errors;
    q.action = req.query_param("action");
    q.actor_id = req.query_param("actor_id");
    q.before = req.query_param("before");
    for (auto [name, target] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
      if (auto text = req.query_param(name)) {
        *target = parse_rfc3339(*text);
        if (!*target) errors[name] = "Use a date and time such as 2026-11-25T00:00:00Z.";
      }
    }
    if (auto limit = req.query_param("limit")) {
      if (limit->empty() || limit->size() > 4 || limit->find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(*limit) < 1 || std::stoi(*limit) > 200)
        errors["limit"] = "Use a number from 1 to 200.";
      else
        q.limit = std::stoi(*limit);
    }
    if (!errors.empty()) return http::Response::error(Error::validation(errors));
    return http::respond(audit.list(*ctx, q), 200, [](const AuditPage& page) {
      json::array items;
      for (const auto& e : page.items) items.push_back(event_json(e));
      json::object out{{"items", std::move(items)}};
      out["next_before"] = page.next_before ? json::value(*page.next_before) : json::value(nullptr);
      return out;
    });
  });
}

}  // namespace sb::audit
