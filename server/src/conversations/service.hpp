// Conversation rules: which session a message belongs to (with the inactivity window), recording
// both sides of every exchange, and the test console.
#pragma once

#include <optional>
#include <vector>

#include "ai/reply_engine.hpp"
#include "bots/model.hpp"
#include "conversations/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::conversations {

struct Exchange {
  std::string session_id;
  ai::Reply reply;
};

// Where a message comes from.
struct Inbound {
  std::optional<std::string> deployment_id;
  std::string platform;
  std::string external_user_id;
  std::string display_name;
  std::optional<std::string> session_id;  // continue this session if it is still open and theirs
  std::string text;
};

// One exchange in progress: the inbound message is recorded, the reply is not yet.
struct Turn {
  std::string session_id;
  std::int64_t at = 0;  // when the inbound message was recorded
  std::vector<ai::ChatMessage> history;
  std::vector<templates::Template> templates;
  std::string text;
  std::string platform;
  std::string display_name;
};

struct Detail {
  Session session;
  std::vector<Message> messages;
};

class ConversationService {
 public:
  ConversationService(db::Database& db, const Clock& clock, ai::ReplyEngine& engine, std::int64_t inactivity_ms)
      : db_(db), clock_(clock), engine_(engine), inactivity_ms_(inactivity_ms) {}
  // One message in, one reply out, both recorded. The bot is already loaded and scoped.
  Exchange converse(const bots::Bot& bot, const Inbound& inbound);
  // converse in three steps, for callers that record many exchanges in one transaction (the reply
  // workers): open_turn records the inbound message in the caller's transaction; answer asks the
  // reply engine (an AI call: never inside a transaction); close_turn records the reply.
  // templates: the bot's, when the caller loaded them already (a worker, once per batch).
  Turn open_turn(db::Connection& conn, const bots::Bot& bot, const Inbound& inbound,
                 const std::vector<templates::Template>* templates = nullptr);
  ai::Reply answer(const bots::Bot& bot, Turn& turn);
  // True when answer() makes no network call (templates answer), so it may run inside a transaction.
  bool answers_at_once() const { return !engine_.ai_configured(); }
  void close_turn(db::Connection& conn, const bots::Bot& bot, const Turn& turn, const ai::Reply& reply);
  // The three steps at once, when answers_at_once(): the session and both messages are each
  // written once, complete (a new session is stored with its reply's time already).
  Exchange answer_at_once(db::Connection& conn, const bots::Bot& bot, const Inbound& inbound,
                          const std::vector<templates::Template>* templates = nullptr);
  // The test console on the bot page: the caller chats with the bot as it is now.
  Result<Exchange> console(const AuthContext& ctx, const std::string& bot_id, const std::optional<std::string>& session_id,
                           const std::string& text);
  Result<std::vector<Session>> recent(const AuthContext& ctx, const std::optional<std::string>& bot_id, std::int64_t limit);
  Result<Detail> get(const AuthContext& ctx, const std::string& id);

 private:
  // The session a message belongs to: the open one it continues, or a new one not stored yet.
  struct Placed {
    Session session;
    bool started = false;
    std::int64_t at = 0;  // the message's time, later than the session's last message
  };
  Placed place(db::Connection& conn, const bots::Bot& bot, const Inbound& inbound);
  Turn turn_for(const bots::Bot& bot, const Inbound& inbound, const Placed& placed,
                const std::vector<templates::Template>* templates, db::Connection& conn);
  static Message inbound_message(const bots::Bot& bot, const Inbound& inbound, const Turn& turn);
  Message reply_message(const bots::Bot& bot, const Turn& turn, const ai::Reply& reply);

  db::Database& db_;
  const Clock& clock_;
  ai::ReplyEngine& engine_;
  std::int64_t inactivity_ms_;
};

}  // namespace sb::conversations
