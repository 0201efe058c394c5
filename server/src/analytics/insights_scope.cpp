// The analytics range and filters of exports and insight runs (ADR 0037, "Time ranges").
#include "analytics/insights_scope.hpp"

#include <map>

#include "analytics/insights_store.hpp"
#include "analytics/time_range.hpp"

namespace sb::analytics {
namespace json = boost::json;

json::object Scope::to_json() const {
  auto opt = [](const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); };
  return json::object{{"from", from},           {"to", to},
                      {"tz", tz},               {"bot_id", opt(bot_id)},
                      {"platform", opt(platform)}, {"deployment_id", opt(deployment_id)},
                      {"template_id", opt(template_id)}};
}

Query Scope::query() const {
  Query q;
  q.from = from;
  q.to = to;
  q.tz = tz;
  q.bot_id = bot_id;
  q.platform = platform;
  q.deployment_id = deployment_id;
  q.template_id = template_id;
  return q;
}

Result<Scope> resolve_scope(AnalyticsService& core, db::Database& db, const AuthContext& ctx, const ParamGetter& get) {
  std::map<std::string, std::string> errors;
  auto text = [&](const char* name) -> std::optional<std::string> {
    auto v = get(name);
    if (!v || v->empty()) return std::nullopt;
    if (v->size() > 100) {
      errors[name] = "Use at most 100 characters.";
      return std::nullopt;
    }
    return v;
  };
  Query q;
  q.preset = text("preset");
  q.from = text("from");
  q.to = text("to");
  q.tz = text("tz");
  q.bot_id = text("bot_id");
  q.platform = text("platform");
  q.deployment_id = text("deployment_id");
  q.template_id = text("template_id");
  if (!errors.empty()) return Error::validation(errors);
  auto range = core.resolve_range(ctx, q);
  if (!range) return range.error();
  Scope s;
  s.from = range->from;
  s.to = range->to;
  s.tz = range->tz;
  s.days = range->days;
  s.start_ms = range->start;
  s.end_ms = range->end;
  s.previous_start_ms = day_start(find_zone(range->tz), *parse_day(range->from) - range->days);
  s.previous_end_ms = range->start;
  s.bot_id = q.bot_id;
  s.platform = q.platform;
  s.deployment_id = q.deployment_id;
  s.template_id = q.template_id;
  auto conn = db.acquire();
  if (s.bot_id && !store::exists(*conn, ctx.org_id, "bot", *s.bot_id)) return Error::not_found("No such bot.");
  if (s.deployment_id && !store::exists(*conn, ctx.org_id, "deployment", *s.deployment_id))
    return Error::not_found("No such deployment.");
  if (s.template_id && !store::exists(*conn, ctx.org_id, "template", *s.template_id))
    return Error::not_found("No such template.");
  return s;
}

}  // namespace sb::analytics
