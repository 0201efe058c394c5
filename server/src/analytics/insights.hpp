// Insight runs and analytics settings (ADR 0037): a run is asked of the model through the
// asynchronous AI path (the organisation's own key first) and saved with its inputs and outputs;
// without any key it is a heuristic run. The HTTP request never waits for the model: it gets the
// run at once (202) and the answer is written when it comes.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ai/dispatcher.hpp"
#include "analytics/insights_model.hpp"
#include "analytics/insights_scope.hpp"
#include "billing/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/batch_writer.hpp"
#include "db/database.hpp"
#include "usage/service.hpp"

namespace sb::analytics {

struct InsightSettings {
  std::string default_model = "openai/gpt-4o-mini";
  std::size_t transcript_conversations = 50;
  std::size_t transcript_bytes = 20 * 1024;
  std::int64_t max_tokens = 1200;
};

class InsightService {
 public:
  using KeyFor = std::function<std::string(const std::string& org_id)>;
  using ModelsFor = std::function<std::vector<std::string>(const std::string& org_id)>;

  // core: the analytics ranges and the overview snapshot a run is given.
  InsightService(db::Database& db, const Clock& clock, AnalyticsService& core, billing::EntitlementSource& plans,
                 usage::UsageService& usage, ai::Dispatcher& dispatcher, KeyFor key_for, ModelsFor models_for,
                 InsightSettings settings = {});
  // Where a model's answer is written (the group commit); without one it is written directly.
  void use_writer(db::BatchWriter* writer) { writer_ = writer; }
  // This process's id in the heartbeat table (ADR 0040), recorded on each run it starts, and how
  // long a process may stay silent before its runs count as orphaned (ADR 0039).
  void use_process(std::string process_id, std::int64_t silent_ms) {
    process_id_ = std::move(process_id);
    silent_ms_ = silent_ms;
  }
  const std::string& process_id() const { return process_id_; }
  // A process without reply workers writes no heartbeat of its own (ADR 0040): the service writes
  // one for its runs every `every_ms`, on a thread of its own (a long scheduled task cannot delay
  // it), under process_id; stop_heartbeat removes the row (a clean stop answers no run any more).
  void start_heartbeat(std::int64_t every_ms);
  void stop_heartbeat();
  ~InsightService() { stop_heartbeat(); }

  Result<AnalyticsSettings> settings(const AuthContext& ctx);
  Result<AnalyticsSettings> update_settings(const AuthContext& ctx, bool share_transcripts);

  // analytics.manage, plan feature advanced_analytics, one insight run of the month's allowance.
  Result<InsightRun> start(const AuthContext& ctx, const ParamGetter& filters);
  Result<InsightPage> list(const AuthContext& ctx, std::int64_t limit, const std::optional<std::string>& before);
  Result<InsightRun> get(const AuthContext& ctx, const std::string& id);

  // At start-up: runs left running by a process that stopped are failed ("interrupted"). On SQLite
  // (one process) every running run; on PostgreSQL only those fail_orphaned fails.
  std::int64_t fail_interrupted();
  // Runs whose process is gone (its heartbeat older than silent_ms, or no row, or none recorded)
  // are failed; those of live processes and this one are left running. Run periodically.
  std::int64_t fail_orphaned();
  // Until no run waits for its model (tests, shutdown).
  void wait_idle();

 private:
  void finish(InsightRun run);
  void finished_one();

  db::Database& db_;
  const Clock& clock_;
  AnalyticsService& core_;
  billing::EntitlementSource& plans_;
  usage::UsageService& usage_;
  ai::Dispatcher& dispatcher_;
  KeyFor key_for_;
  ModelsFor models_for_;
  InsightSettings settings_;
  db::BatchWriter* writer_ = nullptr;
  std::string process_id_;
  std::int64_t silent_ms_ = 10000;
  std::thread beat_;
  std::mutex beat_mu_;
  std::condition_variable beat_cv_;
  bool beat_stop_ = false;
  std::mutex mu_;
  std::condition_variable idle_;
  std::size_t in_flight_ = 0;
};

}  // namespace sb::analytics
