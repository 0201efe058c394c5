// Insight runs and analytics settings.
#include "analytics/insights.hpp"

#include <boost/json.hpp>

#include "analytics/insights_prompt.hpp"
#include "analytics/insights_store.hpp"
#include "analytics/store.hpp"
#include "audit/service.hpp"
#include "billing/service.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "core/thread_name.hpp"
#include "jobs/store.hpp"
#include "orgs/permissions.hpp"
#include "usage/model.hpp"

namespace sb::analytics {
namespace json = boost::json;
namespace {

// The words of a failed model call, without the key in them whatever the provider echoed.
std::string without_key(std::string message, const std::string& key) {
  if (key.size() >= 8)
    for (auto pos = message.find(key); pos != std::string::npos; pos = message.find(key))
      message.replace(pos, key.size(), "[key]");
  return message;
}

}  // namespace

InsightService::InsightService(db::Database& db, const Clock& clock, AnalyticsService& core,
                               billing::EntitlementSource& plans, usage::UsageService& usage,
                               ai::Dispatcher& dispatcher, KeyFor key_for, ModelsFor models_for,
                               InsightSettings settings)
    : db_(db),
      clock_(clock),
      core_(core),
      plans_(plans),
      usage_(usage),
      dispatcher_(dispatcher),
      key_for_(std::move(key_for)),
      models_for_(std::move(models_for)),
      settings_(std::move(settings)) {}

Result<AnalyticsSettings> InsightService::settings(const AuthContext& ctx) {
  if (!orgs::can(ctx, orgs::Action::analytics_read)) return Error::forbidden();
  auto conn = db_.acquire();
  return store::settings(*conn, ctx.org_id);
}

Result<AnalyticsSettings> InsightService::update_settings(const AuthContext& ctx, bool share_transcripts) {
  if (!orgs::can(ctx, orgs::Action::analytics_manage)) return Error::forbidden();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto before = store::settings(*conn, ctx.org_id);
  store::set_share_transcripts(*conn, ctx.org_id, share_transcripts, clock_.now_ms());
  audit::record_change(*conn, ctx, ctx.org_id, "analytics.settings_changed",
                       {"organization", ctx.org_id, "Analytics settings"}, clock_.now_ms(),
                       json::object{{"share_transcripts", before.share_transcripts}},
                       json::object{{"share_transcripts", share_transcripts}});
  auto after = store::settings(*conn, ctx.org_id);
  tx.commit();
  return after;
}

Result<InsightRun> InsightService::start(const AuthContext& ctx, const ParamGetter& filters) {
  if (!orgs::can(ctx, orgs::Action::analytics_manage)) return Error::forbidden();
  auto plan = plans_.entitlements(ctx.org_id);
  if (!plan.plan.features.advanced_analytics) return billing::feature_not_in_plan("advanced_analytics", plan.plan);
  auto scope = resolve_scope(core_, db_, ctx, filters);
  if (!scope) return scope.error();
  // The overview's metrics as the dashboard shows them now: the run's snapshot.
  auto overview = core_.overview_json(ctx, scope->query());
  if (!overview) return overview.error();
  auto* metrics = overview->if_contains("metrics");
  if (!metrics || !metrics->is_object()) return Error::internal();
  if (auto ok = usage_.try_consume(ctx.org_id, usage::kInsightRuns); !ok) return ok.error();

  const std::string key = key_for_(ctx.org_id);
  const std::vector<std::string> allowed = key.empty() ? std::vector<std::string>{} : models_for_(ctx.org_id);
  InsightRun run;
  run.id = new_id("ins", clock_.now_ms());
  run.org_id = ctx.org_id;
  if (!ctx.user_id.empty()) run.created_by = ctx.user_id;
  run.created_by_label = ctx.actor_label();
  run.kind = key.empty() ? "heuristic" : "ai";
  run.filters = scope->to_json();
  run.metrics = metrics->as_object();
  run.created_at = clock_.now_ms();

  std::vector<QuestionCount> unanswered;
  std::vector<Segment> segments;
  std::vector<Transcript> transcripts;
  {
    auto conn = db_.acquire();
    for (auto& [question, n] : store::unanswered(*conn, ctx.org_id, scope->start_ms, scope->end_ms, scope->filters(), 10))
      unanswered.push_back({question, n});
    segments = store::segments(*conn, ctx.org_id, *scope);
    bool share = store::settings(*conn, ctx.org_id).share_transcripts;
    if (!key.empty() && share)
      transcripts = store::recent_transcripts(*conn, ctx.org_id, *scope,
                                              static_cast<std::int64_t>(settings_.transcript_conversations), 40);
    std::string text = transcripts_text(transcripts, settings_.transcript_bytes);
    run.transcripts_sent = !text.empty();
    if (!key.empty()) run.model = allowed.empty() ? settings_.default_model : allowed.front();
    db::Transaction tx(*conn);
    store::insert_run(*conn, run, process_id_);
    audit::record(*conn, ctx, ctx.org_id, "analytics.insight_run_started", {"insight_run", run.id, run.kind},
                  run.created_at, std::nullopt,
                  json::object{{"kind", run.kind}, {"filters", run.filters}, {"transcripts_sent", run.transcripts_sent}});
    tx.commit();

    if (key.empty()) {
      auto found = heuristic_findings(unanswered, segments);
      run.status = "done";
      run.summary = found.summary;
      run.themes = std::move(found.themes);
      run.recommendations = std::move(found.recommendations);
      run.finished_at = clock_.now_ms();
      db::Transaction done(*conn);
      store::finish_run(*conn, run);
      done.commit();
      return run;
    }

    // The aggregates the model reads: the overview, the segments and the unanswered questions.
    json::array segs, questions;
    for (const auto& s : segments)
      segs.push_back(json::object{{"bot", s.bot_name},
                                  {"platform", s.platform},
                                  {"conversations", s.conversations},
                                  {"first_response_p90_ms", s.first_response_ms.empty() ? json::value(nullptr)
                                                                                         : json::value(p90(s.first_response_ms))},
                                  {"satisfaction_average", s.ratings ? json::value(double(s.rating_sum) / s.ratings)
                                                                     : json::value(nullptr)},
                                  {"previous_satisfaction_average",
                                   s.previous_ratings ? json::value(double(s.previous_rating_sum) / s.previous_ratings)
                                                      : json::value(nullptr)}});
    for (const auto& q : unanswered) questions.push_back(json::object{{"question", q.question}, {"count", q.count}});
    json::object aggregates{{"range", run.filters},
                            {"metrics", run.metrics},
                            {"segments", std::move(segs)},
                            {"top_unanswered_questions", std::move(questions)}};
    ai::CompletionRequest request{*run.model, insight_prompt(aggregates, text), 0.2, settings_.max_tokens, true};
    {
      std::lock_guard lock(mu_);
      ++in_flight_;
    }
    InsightRun pending = run;
    dispatcher_.submit(ctx.org_id, key, std::move(request), false, nullptr,
                       [this, pending = std::move(pending), key](Result<ai::Completion> answer) mutable {
                         pending.finished_at = clock_.now_ms();
                         if (!answer) {
                           pending.status = "failed";
                           pending.error = without_key(answer.error().message, key);
                         } else {
                           pending.prompt_tokens = answer->prompt_tokens;
                           pending.completion_tokens = answer->completion_tokens;
                           pending.cost_micros = answer->cost_micros;
                           if (!answer->model.empty()) pending.model = answer->model;
                           auto parsed = parse_answer(answer->text);
                           if (!parsed) {
                             pending.status = "failed";
                             pending.error = parsed.error().message;
                           } else {
                             pending.status = "done";
                             pending.summary = parsed->summary;
                             pending.themes = std::move(parsed->themes);
                             pending.recommendations = std::move(parsed->recommendations);
                           }
                         }
                         finish(std::move(pending));
                       });
  }
  return run;
}

// On the HTTP client's thread: the write is handed to the group commit (or done here without one).
void InsightService::finish(InsightRun run) {
  if (writer_) {
    auto shared = std::make_shared<InsightRun>(std::move(run));
    writer_->submit([shared](db::Connection& conn) { store::finish_run(conn, *shared); },
                    [this, shared](std::optional<std::string> error) {
                      if (error) log::error("insight run not saved", {{"run", shared->id}, {"error", *error}});
                      finished_one();
                    });
    return;
  }
  try {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    store::finish_run(*conn, run);
    tx.commit();
  } catch (const std::exception& e) {
    log::error("insight run not saved", {{"run", run.id}, {"error", e.what()}});
  }
  finished_one();
}

void InsightService::finished_one() {
  std::lock_guard lock(mu_);
  --in_flight_;
  idle_.notify_all();
}

void InsightService::wait_idle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return in_flight_ == 0; });
}

Result<InsightPage> InsightService::list(const AuthContext& ctx, std::int64_t limit,
                                         const std::optional<std::string>& before) {
  if (!orgs::can(ctx, orgs::Action::analytics_read)) return Error::forbidden();
  std::optional<store::RunCursor> cursor;
  if (before) {
    auto dot = before->find('.');
    bool ok = dot != std::string::npos && dot > 0 && dot <= 15 &&
              before->find_first_not_of("0123456789") == dot && dot + 1 < before->size();
    if (!ok) return Error::validation({{"before", "Use the next cursor of an earlier page."}});
    cursor = store::RunCursor{std::stoll(before->substr(0, dot)), before->substr(dot + 1)};
  }
  auto conn = db_.acquire();
  return store::list_runs(*conn, ctx.org_id, limit, cursor);
}

Result<InsightRun> InsightService::get(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::analytics_read)) return Error::forbidden();
  auto conn = db_.acquire();
  auto run = store::find_run(*conn, ctx.org_id, id);
  if (!run) return Error::not_found("No such insight run.");
  return *run;
}

namespace {
constexpr const char* kInterrupted = "Interrupted: the server stopped before the run finished. Start it again.";
}

std::int64_t InsightService::fail_interrupted() {
  // Many processes share PostgreSQL: a starting process leaves the runs of live ones alone.
  if (db_.dialect() == db::Dialect::postgres) return fail_orphaned();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto n = store::fail_running(*conn, kInterrupted, clock_.now_ms());
  tx.commit();
  return n;
}

void InsightService::start_heartbeat(std::int64_t every_ms) {
  if (beat_.joinable() || process_id_.empty()) return;
  auto beat = [this] {
    try {
      auto conn = db_.acquire();
      jobs::store::heartbeat(*conn, process_id_, clock_.now_ms());
    } catch (const std::exception& e) {
      log::error("insight runs heartbeat not written", {{"process", process_id_}, {"error", e.what()}});
    }
  };
  beat();  // at once: a run started before the first interval ends counts as alive
  beat_stop_ = false;
  beat_ = std::thread([this, every_ms, beat] {
    name_this_thread("sb-insight-beat");
    std::unique_lock lock(beat_mu_);
    while (!beat_cv_.wait_for(lock, std::chrono::milliseconds(every_ms), [this] { return beat_stop_; })) {
      lock.unlock();
      beat();
      lock.lock();
    }
  });
}

void InsightService::stop_heartbeat() {
  if (!beat_.joinable()) return;
  {
    std::lock_guard lock(beat_mu_);
    beat_stop_ = true;
  }
  beat_cv_.notify_all();
  beat_.join();
  try {
    auto conn = db_.acquire();
    jobs::store::remove_process(*conn, process_id_);
  } catch (const std::exception& e) {
    log::warn("insight runs heartbeat row not removed", {{"process", process_id_}, {"error", e.what()}});
  }
}

std::int64_t InsightService::fail_orphaned() {
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto n = store::fail_orphaned(*conn, kInterrupted, now, process_id_, now - silent_ms_);
  tx.commit();
  return n;
}

}  // namespace sb::analytics
