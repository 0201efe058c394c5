// CSV export of conversations, messages and webhook events.
#include "analytics/export.hpp"

#include <boost/json.hpp>

#include "audit/service.hpp"
#include "billing/service.hpp"
#include "core/clock.hpp"
#include "orgs/permissions.hpp"

namespace sb::analytics {
namespace json = boost::json;
namespace {

std::string time_cell(const std::optional<std::int64_t>& ms) { return ms ? format_rfc3339(*ms) : std::string(); }
std::string int_cell(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); }
std::string text_cell(const std::optional<std::string>& v) { return v ? csv_cell(*v) : std::string(); }

}  // namespace

std::string csv_cell(std::string_view value) {
  std::string cell;
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                         value[0] == '\t' || value[0] == '\r'))
    cell += '\'';
  cell += value;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string ExportService::header(const std::string& kind) {
  if (kind == "conversations")
    return "conversation_id,started_at,last_message_at,bot,platform,deployment,user,messages,first_response_ms,"
           "resolved,resolved_by,resolved_at,satisfaction,converted_at,status\r\n";
  if (kind == "messages")
    return "conversation_id,message_id,created_at,direction,source,template,model,text,tokens,cost_micros\r\n";
  return "event_id,received_at,platform,integration,kind,status\r\n";
}

Result<ExportJob> ExportService::start(const AuthContext& ctx, const std::string& kind, const ParamGetter& filters) {
  if (kind != "conversations" && kind != "messages" && kind != "events")
    return Error::validation({{"kind", "Use conversations, messages or events."}});
  // Messages and events hold what people wrote: only those who manage analytics export them.
  auto action = kind == "conversations" ? orgs::Action::analytics_export : orgs::Action::analytics_manage;
  if (!orgs::can(ctx, action)) return Error::forbidden();
  auto plan = plans_.entitlements(ctx.org_id);
  if (!plan.plan.features.csv_export) return billing::feature_not_in_plan("csv_export", plan.plan);
  auto scope = resolve_scope(core_, db_, ctx, filters);
  if (!scope) return scope.error();
  ExportJob job{ctx.org_id, kind, *scope, kind + "-" + scope->from + "-to-" + scope->to + ".csv", std::nullopt, 0, false};
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto filters_json = scope->to_json();
  audit::record(*conn, ctx, ctx.org_id, "analytics.exported", {"export", kind, job.filename}, clock_.now_ms(),
                std::nullopt, json::object{{"kind", kind}, {"filters", filters_json}});
  tx.commit();
  return job;
}

void ExportService::next_page(ExportJob& job, std::string& out) {
  if (job.done) return;
  auto conn = db_.acquire();
  std::size_t got = 0;
  if (job.kind == "conversations") {
    auto rows = store::export_conversations(*conn, job.org_id, job.scope, job.after, kPageRows);
    got = rows.size();
    for (const auto& c : rows) {
      out += csv_cell(c.id) + "," + format_rfc3339(c.started_at) + "," + format_rfc3339(c.last_message_at) + "," +
             csv_cell(c.bot) + "," + csv_cell(c.platform) + "," + csv_cell(c.deployment_id) + "," + csv_cell(c.user) +
             "," + std::to_string(c.messages) + "," +
             (c.first_response_at ? std::to_string(*c.first_response_at - c.started_at) : std::string()) + "," +
             (c.resolved_at ? "true" : "false") + "," + text_cell(c.resolved_by) + "," + time_cell(c.resolved_at) +
             "," + int_cell(c.satisfaction) + "," + time_cell(c.converted_at) + "," + csv_cell(c.status) + "\r\n";
    }
    if (!rows.empty()) job.after = store::ExportKey{rows.back().started_at, rows.back().id, 0, {}};
  } else if (job.kind == "messages") {
    auto rows = store::export_messages(*conn, job.org_id, job.scope, job.after, kPageRows);
    got = rows.size();
    for (const auto& m : rows)
      out += csv_cell(m.conversation_id) + "," + csv_cell(m.id) + "," + format_rfc3339(m.created_at) + "," +
             csv_cell(m.direction) + "," + text_cell(m.source) + "," + text_cell(m.template_name) + "," +
             text_cell(m.model) + "," + csv_cell(m.text) + "," + int_cell(m.tokens) + "," + int_cell(m.cost_micros) +
             "\r\n";
    if (!rows.empty())
      job.after = store::ExportKey{rows.back().started_at, rows.back().conversation_id, rows.back().created_at,
                                   rows.back().id};
  } else {
    auto rows = store::export_events(*conn, job.org_id, job.scope, job.after, kPageRows);
    got = rows.size();
    for (const auto& e : rows)
      out += csv_cell(e.id) + "," + format_rfc3339(e.received_at) + "," + csv_cell(e.platform) + "," +
             csv_cell(e.integration) + "," + csv_cell(e.kind) + "," + csv_cell(e.status) + "\r\n";
    if (!rows.empty()) job.after = store::ExportKey{rows.back().received_at, rows.back().id, 0, {}};
  }
  job.rows += static_cast<std::int64_t>(got);
  job.done = got < static_cast<std::size_t>(kPageRows);
}

}  // namespace sb::analytics
