// Keeps the analytics rollups (ADR 0037) as conversations happen: every function writes inside the
// caller's transaction, so a rollup changes exactly when what it counts is committed.
// Conversation columns count at the hour the conversation started; message columns at the
// message's hour. Callers pass the session as it is stored (its started_at, bot, platform,
// deployment key the rows).
#pragma once

#include <cstdint>
#include <string>

#include "conversations/model.hpp"
#include "db/database.hpp"

namespace sb::analytics {

// Off only for benchmarks that measure what rollups cost the message path (--analytics-rollups off).
void set_rollups_enabled(bool on);
bool rollups_enabled();

// Resolution, conversion and satisfaction — each counted once per conversation by the caller
// (the first resolution, the first conversion, the first rating).
void record_resolved(db::Connection& conn, const conversations::Session& session, std::int64_t at);
void record_converted(db::Connection& conn, const conversations::Session& session, std::int64_t at);
void record_rating_asked(db::Connection& conn, const conversations::Session& session);
void record_rating(db::Connection& conn, const conversations::Session& session, int score);  // 1..5

}  // namespace sb::analytics
