// Keeps the analytics rollups (ADR 0037) as conversations happen: every function writes inside the
// caller's transaction, so a rollup changes exactly when what it counts is committed.
// Conversation columns count at the hour the conversation started; message columns at the
// message's hour. Callers pass the session as it is stored (its started_at, bot, platform,
// deployment key the rows).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "analytics/sketch.hpp"
#include "analytics/store.hpp"
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
// `session` as stored before this rating: a conversation rated without being asked counts as
// asked, and a second rating of the same conversation replaces the first one's score.
void record_rating(db::Connection& conn, const conversations::Session& session, int score);  // 1..5

// What keys a conversation's rollup rows.
struct SessionKey {
  std::string org_id;
  std::string bot_id;
  std::string platform;
  std::string deployment_id;  // "" when none
  std::int64_t started_at = 0;
};
SessionKey key_of(const conversations::Session& s);
// Conversations of the bot page's test console are not counted (the dashboards show customers).
bool counted(std::string_view platform);

// The counts of one piece of work (an exchange, a batch, a backfill), gathered in memory and
// written with one upsert per rollup row by flush().
class Delta {
 public:
  void conversation(const SessionKey& s, std::string_view external_user_id);
  void engaged(const SessionKey& s);
  void handoff(const SessionKey& s);
  void first_response(const SessionKey& s, std::int64_t ms);
  void resolved(const SessionKey& s);
  void converted(const SessionKey& s);
  void rating_asked(const SessionKey& s);
  // old_score: the score this conversation had (a second rating replaces it).
  void rating(const SessionKey& s, int score, std::optional<std::int64_t> old_score, bool count_asked);
  void inbound(const SessionKey& s, std::int64_t at);
  void reply(const SessionKey& s, std::int64_t at, const std::string& source,
             const std::optional<std::string>& template_id, std::int64_t tokens, std::int64_t cost_micros);
  void unanswered(const SessionKey& s, std::int64_t at, std::string_view question);

  bool empty() const { return counters_.empty() && users_.empty(); }
  // Writes everything gathered (nothing when rollups are off) and starts over. Inside a
  // BatchScope on this thread, hands the counts to the scope instead.
  void flush(db::Connection& conn);
  // Adds another Delta's counts to this one.
  void merge(const Delta& other);

 private:
  void write(db::Connection& conn);
  void write_daily(db::Connection& conn);
  store::Counters& row(const SessionKey& s, std::int64_t at);
  std::map<store::RowKey, store::Counters> counters_;
  std::map<store::RowKey, Sketch> users_;
  std::map<store::RowKey, std::array<std::int64_t, 256>> histogram_;
  std::map<std::pair<store::RowKey, std::string>, std::int64_t> templates_;
  std::map<std::pair<store::RowKey, std::string>, std::int64_t> unanswered_;
};

// Many exchanges in one transaction (a reply worker's batch): while a scope lives on this thread,
// every Delta flushed hands its counts to it, and the scope writes them once, with one upsert per
// rollup row for the whole batch. Call flush() before the commit; a scope destroyed unflushed
// (the transaction failed) drops its counts with the transaction.
class BatchScope {
 public:
  BatchScope();
  ~BatchScope();
  BatchScope(const BatchScope&) = delete;
  BatchScope& operator=(const BatchScope&) = delete;
  void flush(db::Connection& conn);

 private:
  Delta delta_;
  Delta* previous_;
};

// The UTC hour an instant falls in (ms of its start).
std::int64_t hour_of(std::int64_t ms);
// An unanswered question as it is counted: lower case, whitespace collapsed, trimmed, at most
// 200 characters (whole UTF-8 characters).
std::string normalize_question(std::string_view text);

}  // namespace sb::analytics
