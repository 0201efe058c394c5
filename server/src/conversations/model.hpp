// Conversations: sessions between a bot and one person on one platform, and their messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::conversations {

struct Session {
  std::string id;
  std::string org_id;
  std::string bot_id;
  std::string bot_name;
  std::optional<std::string> deployment_id;
  std::string platform;
  std::string external_user_id;
  std::string display_name;
  std::int64_t started_at = 0;
  std::int64_t last_message_at = 0;
  std::optional<std::int64_t> first_response_at;
  std::optional<std::int64_t> resolved_at;
  std::optional<std::string> resolved_by;  // user, bot, operator, api (ADR 0037)
  std::string status = "open";
  std::optional<std::int64_t> satisfaction_score;
  std::int64_t user_messages = 0;     // inbound messages so far; 2 makes the conversation engaged
  std::int64_t fallback_replies = 0;  // the first one makes it a handoff
  std::optional<std::int64_t> converted_at;
  std::optional<std::int64_t> rating_asked_at;
  std::optional<std::int64_t> rated_at;
  std::int64_t message_count = 0;
  std::optional<std::string> last_message;
};

struct Message {
  std::string id;
  std::string org_id;
  std::string session_id;
  std::string direction;  // in, out
  std::string text;
  std::optional<std::string> source;
  std::optional<std::string> model;
  std::optional<std::int64_t> prompt_tokens;
  std::optional<std::int64_t> completion_tokens;
  std::optional<std::int64_t> latency_ms;
  std::optional<std::string> error;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> cost_micros;  // an AI reply's cost as OpenRouter reported it, millionths of a dollar
  std::optional<std::string> template_id;   // the template that answered, when one did
};

// Which conversations a list shows (GET /api/conversations); every field is optional. The names
// match the query parameters, which analytics and exports use too.
struct Filter {
  std::optional<std::string> bot_id;
  std::optional<std::string> platform;
  std::optional<std::string> deployment_id;
  std::optional<std::string> status;  // open, ended
  std::optional<std::string> user;    // part of the person's name, or their platform user id exactly
  std::optional<std::int64_t> from;   // conversations active at or after this time (ms)
  std::optional<std::int64_t> to;     // conversations started at or before this time (ms)
  std::optional<std::string> q;       // words that one message of the conversation contains
  std::optional<bool> resolved;       // resolved (resolved_at set) or not
  std::optional<std::int64_t> started_from;  // conversations started at or after this time (ms)
  std::optional<std::int64_t> started_to;    // conversations started before this time (ms)
};

// Where a page of the newest-first list ends: the last conversation shown.
struct Cursor {
  std::int64_t last_message_at = 0;
  std::string id;
};

struct Page {
  std::vector<Session> items;
  std::optional<Cursor> next;  // set when more conversations follow
};

}  // namespace sb::conversations
