// SQL of conversation sessions and messages; every query is scoped to an organisation.
#pragma once

#include <optional>
#include <vector>

#include "analytics/recorder.hpp"
#include "conversations/model.hpp"
#include "db/database.hpp"

namespace sb::conversations::store {

void insert_session(db::Connection& conn, const Session& s);
std::optional<Session> find_session(db::Connection& conn, const std::string& org_id, const std::string& id);
// The newest open session of this person with this bot on this platform.
std::optional<Session> latest_open_session(db::Connection& conn, const std::string& org_id, const std::string& bot_id,
                                           const std::string& platform, const std::string& external_user_id);
void end_session(db::Connection& conn, const std::string& org_id, const std::string& id);
// What a message did to its session: its counters after it, and what keys its analytics rows.
struct Activity {
  analytics::SessionKey key;
  std::optional<std::int64_t> first_response_at;
  std::int64_t user_messages = 0;
  std::int64_t fallback_replies = 0;
};
// A message of the session at `at`: a reply (is_response) sets the first response time if unset;
// inbound and fallbacks are added to the session's user_messages and fallback_replies.
std::optional<Activity> record_activity(db::Connection& conn, const std::string& org_id, const std::string& id,
                                        std::int64_t at, bool is_response, std::int64_t inbound = 0,
                                        std::int64_t fallbacks = 0);
// Records a 1–5 rating on a session; false when the session is not this person's.
bool rate_session(db::Connection& conn, const std::string& org_id, const std::string& id,
                  const std::string& external_user_id, std::int64_t score, std::int64_t at);
void insert_message(db::Connection& conn, const Message& m);
// Many messages in multi-row statements, in the order given.
void insert_messages(db::Connection& conn, const std::vector<Message>& messages);
std::vector<Message> messages(db::Connection& conn, const std::string& org_id, const std::string& session_id);
// The newest `limit` messages of a session, oldest first.
std::optional<Message> find_message(db::Connection& conn, const std::string& org_id, const std::string& id);
// The latest `limit` messages of a session, oldest first; before_at: only those older than that.
std::vector<Message> recent_messages(db::Connection& conn, const std::string& org_id, const std::string& session_id,
                                     std::int64_t limit, std::optional<std::int64_t> before_at = std::nullopt);
std::vector<Session> recent_sessions(db::Connection& conn, const std::string& org_id,
                                     const std::optional<std::string>& bot_id, std::int64_t limit);

// The organisation's conversations that match the filter, newest activity first, at most `limit`,
// after `before` when given.
std::vector<Session> find_sessions(db::Connection& conn, const std::string& org_id, const Filter& filter,
                                   const std::optional<Cursor>& before, std::int64_t limit);
// The search query the user's words become, each quoted as a phrase so that FTS5 syntax (quotes,
// NEAR, *, AND, column filters) is searched for as text, never obeyed. Exposed for tests.
std::string fts5_query(const std::string& words);

// Outcomes (ADR 0037, part B). Each first signal wins: these return true only for the call that
// set the value, so the caller counts it once.
bool resolve_session(db::Connection& conn, const std::string& org_id, const std::string& id, const std::string& by,
                     std::int64_t at);
bool convert_session(db::Connection& conn, const std::string& org_id, const std::string& id, std::int64_t at);
bool mark_rating_asked(db::Connection& conn, const std::string& org_id, const std::string& id, std::int64_t at);
// Where the conversation's person was last answered on their platform (ADR 0037 part R): the
// newest reply job of the conversation's deployment (or bot), platform and person, leaving out
// Telegram button presses (answered with answerCallbackQuery, not in the chat).
struct ReplyRoute {
  std::string integration_id;
  std::string reply_to;
  std::int64_t at = 0;  // when that message came in
};
std::optional<ReplyRoute> reply_route(db::Connection& conn, const Session& session);
// The answer to a pending rating question (asked, not yet rated).
bool record_rating(db::Connection& conn, const std::string& org_id, const std::string& id, std::int64_t score,
                   std::int64_t at);

}  // namespace sb::conversations::store
