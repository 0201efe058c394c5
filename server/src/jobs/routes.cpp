// Reply job handlers: parse filters → service → serialise (JSON, JSON lines or CSV).
#include "jobs/routes.hpp"

#include <sstream>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "webhooks/routes.hpp"

namespace sb::jobs {
namespace {
namespace json = boost::json;
using http::Request;
using http::Response;

json::value opt_text(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value opt_int(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value opt_time(const std::optional<std::int64_t>& v) { return v ? json::value(format_rfc3339(*v)) : json::value(nullptr); }

json::object job_json(const MessageJob& j) {
  bool waiting = j.state == "queued" || j.state == "failed";
  return json::object{
      {"id", j.id},
      {"state", j.state},
      {"platform", j.platform},
      {"integration_id", j.integration_id},
      {"integration_name", j.integration_name},
      {"bot_id", opt_text(j.bot_id)},
      {"bot_name", opt_text(j.bot_name)},
      {"event_id", j.event_id},
      {"external_user_id", j.external_user_id},
      {"external_message_id", j.external_message_id},
      {"inbound_text", j.inbound_text},
      {"reply_text", opt_text(j.reply_text)},
      {"reply_source", opt_text(j.reply_source)},
      {"platform_message_id", opt_text(j.platform_message_id)},
      {"attempts", j.attempts},
      {"max_attempts", j.max_attempts},
      {"next_run_at", waiting ? json::value(format_rfc3339(j.next_run_at)) : json::value(nullptr)},
      {"last_error", opt_text(j.last_error)},
      {"reason_kind", opt_text(j.reason_kind)},
      {"send_started_at", opt_time(j.send_started_at)},
      {"created_at", format_rfc3339(j.created_at)},
      {"updated_at", format_rfc3339(j.updated_at)},
      {"finished_at", opt_time(j.finished_at)},
      {"latency_ms", j.state == "succeeded" && j.finished_at ? json::value(*j.finished_at - j.created_at) : json::value(nullptr)}};
}

json::object log_json(const JobLog& l) {
  return json::object{{"at", format_rfc3339(l.at)}, {"worker", l.worker},
                      {"kind", l.kind},              {"from_state", opt_text(l.from_state)},
                      {"to_state", opt_text(l.to_state)}, {"outcome", l.outcome},
                      {"http_status", opt_int(l.http_status)}, {"latency_ms", opt_int(l.latency_ms)},
                      {"error", opt_text(l.error)}};
}

// Filters from a query string or a JSON body: the same names either way.
Result<JobFilter> read_filter(const std::function<std::optional<std::string>(const char*)>& get) {
  JobFilter f;
  std::map<std::string, std::string> errors;
  if (auto s = get("state"); s && !s->empty()) {
    std::stringstream in(*s);
    for (std::string one; std::getline(in, one, ',');)
      if (!one.empty()) f.states.push_back(one);
  }
  auto text = [&](const char* name) -> std::optional<std::string> {
    auto v = get(name);
    if (!v || v->empty()) return std::nullopt;
    if (v->size() > 200) {
      errors[name] = "Use at most 200 characters.";
      return std::nullopt;
    }
    return v;
  };
  f.bot_id = text("bot_id");
  f.platform = text("platform");
  f.integration_id = text("integration_id");
  f.q = text("q");
  f.reason_kind = text("reason_kind");
  for (const char* name : {"from", "to"}) {
    auto v = get(name);
    if (!v || v->empty()) continue;
    auto t = parse_rfc3339(*v);
    if (!t) errors[name] = "Use a time such as 2026-11-25T10:00:00Z.";
    (std::string(name) == "from" ? f.from : f.to) = t;
  }
  if (!errors.empty()) return Error::validation(errors);
  return f;
}

Result<JobFilter> query_filter(const Request& req) {
  return read_filter([&req](const char* name) { return req.query_param(name); });
}

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// One job of an export: a JSON line with its logs, or a CSV row per log entry.
void append_export(std::string& out, const JobDetail& d, bool csv) {
  if (!csv) {
    json::object line = job_json(d.job);
    json::array logs;
    for (const auto& l : d.logs) logs.push_back(log_json(l));
    line["logs"] = std::move(logs);
    out += json::serialize(line);
    out += '\n';
    return;
  }
  for (const auto& l : d.logs)
    out += csv_field(d.job.id) + "," + d.job.state + "," + d.job.platform + "," + csv_field(d.job.integration_name) +
           "," + csv_field(d.job.external_user_id) + "," + format_rfc3339(d.job.created_at) + "," +
           format_rfc3339(l.at) + "," + csv_field(l.worker) + "," + l.kind + "," + l.from_state.value_or("") + "," +
           l.to_state.value_or("") + "," + csv_field(l.outcome) + "," +
           (l.http_status ? std::to_string(*l.http_status) : "") + "," +
           (l.latency_ms ? std::to_string(*l.latency_ms) : "") + "," + csv_field(l.error.value_or("")) + "," +
           d.job.reason_kind.value_or("") + "\n";
}

}  // namespace

void add_routes(http::Router& router, JobService& jobs, const accounts::Authenticator& auth) {
  using http::Method;
  router.add(Method::get, "/api/jobs", [&jobs, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto filter = query_filter(req);
    if (!filter) return Response::error(filter.error());
    std::int64_t limit = 50;
    if (auto l = req.query_param("limit")) {
      if (l->empty() || l->size() > 4 || l->find_first_not_of("0123456789") != std::string::npos)
        return Response::error(Error::validation({{"limit", "Use a number from 1 to 200."}}));
      limit = std::stoll(*l);
    }
    return http::respond(jobs.list(*ctx, *filter, limit, req.query_param("cursor")), 200, [](const JobPage& page) {
      json::array items;
      for (const auto& j : page.items) items.push_back(job_json(j));
      return json::object{{"items", std::move(items)},
                          {"total", page.total},
                          {"next_cursor", opt_text(page.next_cursor)}};
    });
  });
  router.add(Method::get, "/api/jobs/stats", [&jobs, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(jobs.stats(*ctx), 200, [](const JobStats& s) {
      json::object counts;
      for (const auto& [state, n] : s.counts) counts[state] = n;
      json::array minutes;
      for (const auto& m : s.per_minute)
        minutes.push_back(json::object{{"minute", format_rfc3339(m.minute)},
                                       {"received", m.received},
                                       {"succeeded", m.succeeded},
                                       {"failed", m.failed}});
      return json::object{{"counts", std::move(counts)},
                          {"last_hour", json::object{{"received", s.received},
                                                     {"succeeded", s.succeeded},
                                                     {"failed", s.failed},
                                                     {"dead", s.dead},
                                                     {"skipped", s.skipped},
                                                     {"p50_ms", opt_int(s.p50_ms)},
                                                     {"p95_ms", opt_int(s.p95_ms)},
                                                     {"per_minute", std::move(minutes)}}}};
    });
  });
  router.add(Method::get, "/api/jobs/export", [&jobs, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    std::string format = req.query_param("format").value_or("jsonl");
    if (format != "jsonl" && format != "csv")
      return Response::error(Error::validation({{"format", "Use jsonl or csv."}}));
    auto filter = query_filter(req);
    if (!filter) return Response::error(filter.error());
    // The body goes out a page of jobs at a time (chunked), so a large export is never held whole.
    struct Export {
      JobService* jobs;
      AuthContext ctx;
      JobFilter filter;
      bool csv;
      JobService::ExportPosition at;
      std::optional<std::string> first;  // made here, so that a refusal is a normal error response
    };
    auto state = std::make_shared<Export>(Export{&jobs, *ctx, *filter, format == "csv", {}, std::string()});
    auto page = [](Export& e, std::string& out) {
      return e.jobs->export_page(e.ctx, e.filter, e.at, [&](const JobDetail& d) { append_export(out, d, e.csv); });
    };
    if (state->csv)
      *state->first = "job_id,state,platform,integration,external_user_id,received_at,log_at,worker,kind,from_state,"
                      "to_state,outcome,http_status,latency_ms,error,reason_kind\n";
    if (auto done = page(*state, *state->first); !done) return Response::error(done.error());
    Response res = Response::streamed(
        200,
        [state, page]() -> std::optional<std::string> {
          if (state->first) {
            std::string first = std::move(*state->first);
            state->first.reset();
            return first;
          }
          if (state->at.done) return std::nullopt;
          std::string out;
          if (auto done = page(*state, out); !done) throw std::runtime_error(done.error().message);
          return out;
        },
        format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
    res.set_header("Content-Disposition", "attachment; filename=\"switchboard-jobs." + format + "\"");
    return res;
  });
  router.add(Method::post, "/api/jobs/retry", [&jobs, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    auto body = req.json_body();
    if (!body) return Response::error(body.error());
    auto filter = read_filter([&body](const char* name) -> std::optional<std::string> {
      auto* v = body->if_contains(name);
      if (!v || !v->is_string()) return std::nullopt;
      return std::string(v->as_string());
    });
    if (!filter) return Response::error(filter.error());
    return http::respond(jobs.retry_matching(*ctx, *filter), 200,
                         [](std::int64_t count) { return json::object{{"count", count}}; });
  });
  router.add(Method::get, "/api/jobs/:id", [&jobs, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(jobs.get(*ctx, req.param("id")), 200, [](const JobDetail& d) {
      json::object o = job_json(d.job);
      json::array logs;
      for (const auto& l : d.logs) logs.push_back(log_json(l));
      o["logs"] = std::move(logs);
      o["event"] = d.event ? json::value(webhooks::event_json(*d.event)) : json::value(nullptr);
      return o;
    });
  });
  router.add(Method::post, "/api/jobs/:id/retry", [&jobs, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(jobs.retry(*ctx, req.param("id")), 200, job_json);
  });
  router.add(Method::post, "/api/jobs/:id/cancel", [&jobs, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(jobs.cancel(*ctx, req.param("id")), 200, job_json);
  });
  router.add(Method::post, "/api/jobs/:id/resend", [&jobs, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(jobs.resend(*ctx, req.param("id")), 200, job_json);
  });
  router.add(Method::post, "/api/jobs/:id/discard", [&jobs, &auth](Request& req) {
    auto ctx = auth.require(req);
    if (!ctx) return Response::error(ctx.error());
    return http::respond(jobs.discard(*ctx, req.param("id")), 200, job_json);
  });
}

}  // namespace sb::jobs
