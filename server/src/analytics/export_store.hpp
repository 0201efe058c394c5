// All SQL of the CSV export: pages of conversations, messages and webhook events of one
// organisation, by keyset over indexed columns (conversation_sessions (org_id, started_at),
// messages (session_id, created_at, id), webhook_events (org_id, received_at)).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analytics/insights_scope.hpp"
#include "db/database.hpp"

namespace sb::analytics::store {

// Where the last page ended: the sort key of its last row.
struct ExportKey {
  std::int64_t time = 0;       // started_at (conversations, messages), received_at (events)
  std::string id;              // the conversation or event id
  std::int64_t inner_time = 0; // messages: the message's created_at
  std::string inner_id;        // messages: the message id
};

struct ConversationRow {
  std::string id, bot, platform, deployment_id, user, status;
  std::int64_t started_at = 0, last_message_at = 0, messages = 0;
  std::optional<std::int64_t> first_response_at, resolved_at, satisfaction, converted_at;
  std::optional<std::string> resolved_by;
};
struct MessageRow {
  std::string conversation_id, id, direction, text;
  std::int64_t started_at = 0, created_at = 0;
  std::optional<std::string> source, template_name, model;
  std::optional<std::int64_t> tokens, cost_micros;
};
struct EventRow {
  std::string id, platform, integration, kind, status;
  std::int64_t received_at = 0;
};

std::vector<ConversationRow> export_conversations(db::Connection& conn, const std::string& org_id, const Scope& scope,
                                                  const std::optional<ExportKey>& after, std::int64_t limit);
// Messages of the conversations that started in the range, conversation by conversation.
std::vector<MessageRow> export_messages(db::Connection& conn, const std::string& org_id, const Scope& scope,
                                        const std::optional<ExportKey>& after, std::int64_t limit);
std::vector<EventRow> export_events(db::Connection& conn, const std::string& org_id, const Scope& scope,
                                    const std::optional<ExportKey>& after, std::int64_t limit);

}  // namespace sb::analytics::store
