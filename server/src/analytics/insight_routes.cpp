// Export, settings and insight run handlers: parse → service → serialise.
#include "analytics/insight_routes.hpp"

#include <memory>

#include "core/clock.hpp"

namespace sb::analytics {
namespace {
namespace json = boost::json;
using http::Request;
using http::Response;

json::value opt_text(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::array findings(const std::vector<Finding>& list) {
  json::array out;
  for (const auto& f : list) out.push_back(json::object{{"title", f.title}, {"detail", f.detail}});
  return out;
}

json::object run_json(const InsightRun& r) {
  json::value usage = nullptr;
  if (r.prompt_tokens || r.completion_tokens || r.cost_micros)
    usage = json::object{{"prompt_tokens", r.prompt_tokens.value_or(0)},
                         {"completion_tokens", r.completion_tokens.value_or(0)},
                         {"cost_micros", r.cost_micros.value_or(0)}};
  return json::object{{"id", r.id},
                      {"status", r.status},
                      {"kind", r.kind},
                      {"created_at", format_rfc3339(r.created_at)},
                      {"finished_at", r.finished_at ? json::value(format_rfc3339(*r.finished_at)) : json::value(nullptr)},
                      {"created_by", r.created_by_label},
                      {"filters", r.filters},
                      {"model", opt_text(r.model)},
                      {"prompt_version", r.prompt_version},
                      {"transcripts_sent", r.transcripts_sent},
                      {"metrics", r.metrics},
                      {"summary", opt_text(r.summary)},
                      {"themes", findings(r.themes)},
                      {"recommendations", findings(r.recommendations)},
                      {"error", opt_text(r.error)},
                      {"usage", usage}};
}

json::object settings_json(const AnalyticsSettings& s) {
  return json::object{{"share_transcripts", s.share_transcripts}, {"time_zone", s.time_zone}};
}

}  // namespace

void add_insight_routes(http::Router& router, ExportService& exports, InsightService& insights,
                        const accounts::Authenticator& auth) {
  using http::Method;
  router.add(Method::get, "/api/analytics/export", [&exports, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto job = exports.start(*ctx, req.query_param("kind").value_or(""),
                             [&req](const char* name) { return req.query_param(name); });
    if (!job) return Response::error(job.error());
    // The body goes out a page of rows at a time (chunked): the header first, then each page as the
    // client takes the previous one.
    struct Export {
      ExportService* exports;
      ExportJob job;
      bool header_sent = false;
    };
    auto state = std::make_shared<Export>(Export{&exports, std::move(*job)});
    std::string filename = state->job.filename;
    Response res = Response::streamed(
        200,
        [state]() -> std::optional<std::string> {
          if (!state->header_sent) {
            state->header_sent = true;
            return ExportService::header(state->job.kind);
          }
          if (state->job.done) return std::nullopt;
          std::string out;
          while (out.empty() && !state->job.done) state->exports->next_page(state->job, out);
          if (out.empty()) return std::nullopt;
          return out;
        },
        "text/csv; charset=utf-8");
    res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    res.set_header("Cache-Control", "no-store");
    return res;
  });
  router.add(Method::get, "/api/analytics/settings", [&insights, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(insights.settings(*ctx), 200, settings_json);
  });
  router.add(Method::put, "/api/analytics/settings", [&insights, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    auto* share = body->if_contains("share_transcripts");
    if (!share || !share->is_bool())
      return Response::error(Error::validation({{"share_transcripts", "Use true or false."}}));
    return http::respond(insights.update_settings(*ctx, share->as_bool()), 200, settings_json);
  });
  router.add(Method::post, "/api/analytics/insights", [&insights, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    // The filter fields of the analytics query string, as JSON strings.
    std::map<std::string, std::string> errors;
    for (const char* name : {"preset", "from", "to", "tz", "bot_id", "platform", "deployment_id", "template_id"})
      if (auto* v = body->if_contains(name); v && !v->is_string() && !v->is_null()) errors[name] = "Use a string.";
    if (!errors.empty()) return Response::error(Error::validation(errors));
    const json::object& fields = *body;
    return http::respond(insights.start(*ctx,
                                        [&fields](const char* name) -> std::optional<std::string> {
                                          auto* v = fields.if_contains(name);
                                          if (!v || !v->is_string()) return std::nullopt;
                                          return std::string(v->as_string());
                                        }),
                         202, [](const InsightRun& run) { return json::object{{"run", run_json(run)}}; });
  });
  router.add(Method::get, "/api/analytics/insights", [&insights, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    std::int64_t limit = 20;
    if (auto l = req.query_param("limit")) {
      if (l->empty() || l->size() > 3 || l->find_first_not_of("0123456789") != std::string::npos || std::stoll(*l) < 1 ||
          std::stoll(*l) > 100)
        return Response::error(Error::validation({{"limit", "Use a number from 1 to 100."}}));
      limit = std::stoll(*l);
    }
    return http::respond(insights.list(*ctx, limit, req.query_param("before")), 200, [](const InsightPage& page) {
      json::array items;
      for (const auto& r : page.items) items.push_back(run_json(r));
      return json::object{{"items", std::move(items)}, {"next", opt_text(page.next)}};
    });
  });
  router.add(Method::get, "/api/analytics/insights/:id", [&insights, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(insights.get(*ctx, req.param("id")), 200, run_json);
  });
}

}  // namespace sb::analytics
