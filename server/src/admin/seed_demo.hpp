// switchboard admin seed-demo: an organisation's worth of realistic conversations written in bulk
// (bots, integrations, deployments, conversations, messages, conversions), then the analytics
// rollups rebuilt from them. For demos, the dashboards' benchmark (bench/analytics.sh) and tests.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::admin {

struct SeedDemoOptions {
  std::optional<std::string> org_id;       // seed into this organisation (its id or exact name)…
  std::optional<std::string> create_org;   // …or into a new one with this name
  std::optional<std::string> owner_email;  // with create_org: this existing user becomes its owner
  std::int64_t conversations = 10000;
  int days = 90;                  // conversations start over the last `days` days before now_ms
  std::uint64_t seed = 1;         // the same seed and now_ms give the same rows, ids included
  std::int64_t now_ms = 0;        // the end of the data; conversations and messages are all before it
  std::string master_key;         // 32 bytes: seals the demo integrations' (empty) credentials
  bool backfill = true;           // rebuild the organisation's analytics rollups afterwards
  // Conversations per transaction (0: 5,000 on SQLite, whose one writer the server waits for meanwhile;
  // 20,000 on PostgreSQL).
  std::int64_t batch_conversations = 0;
  std::function<void(const std::string&)> progress;  // one line of progress at a time; may be empty
};

struct SeedDemoResult {
  std::string org_id;
  std::int64_t conversations = 0;
  std::int64_t messages = 0;
  std::int64_t conversions = 0;
  std::int64_t users = 0;         // distinct people (platform, user id) among the conversations
  double insert_seconds = 0;      // writing the raw rows
  double backfill_seconds = 0;    // rebuilding the rollups
};

// Fails (validation) on an unknown organisation or owner, a name already taken by the new
// organisation, or sizes out of range; writes nothing then.
Result<SeedDemoResult> seed_demo(db::Database& db, const SeedDemoOptions& options);

}  // namespace sb::admin
