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
#include "db/batch_writer.hpp"
#include "db/database.hpp"
#include "usage/service.hpp"

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
  // The inbound message's id when the caller names it (a reply job: derived from the job), so that
  // a turn opened again after a crash finds the message recorded the first time instead of
  // recording it twice.
  std::optional<std::string> message_id;
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

// What an exchange in progress reports, in this order: the inbound message is recorded (started),
// pieces of a streamed model answer (token, on the HTTP client's thread), and the reply recorded
// (done; an error only when it could not be stored). Each callback must be short.
struct ExchangeCallbacks {
  std::function<void(const std::string& session_id)> started;
  ai::ReplyEngine::OnToken token;
  std::function<void(Result<Exchange>)> done;
};

struct Detail {
  Session session;
  std::vector<Message> messages;
};

class ConversationService {
 public:
  ConversationService(db::Database& db, const Clock& clock, ai::ReplyEngine& engine, std::int64_t inactivity_ms)
      : db_(db), clock_(clock), engine_(engine), inactivity_ms_(inactivity_ms) {}
  // Replies are recorded through this group-commit writer (no thread waits for a commit after a
  // model call); without one, on the thread the reply arrived on.
  void use_writer(db::BatchWriter* writer) { writer_ = writer; }
  // Web chat messages are counted against the monthly quota (and AI replies as AI usage) in the
  // transaction that records them; the test console never is. own_key: replies paid with the
  // organisation's own model key are not AI cost.
  void use_usage(usage::UsageService* usage, std::function<bool(const std::string& org_id)> own_key) {
    usage_ = usage;
    own_key_ = std::move(own_key);
  }
  // One message in, one reply out, both recorded. The bot is already loaded and scoped. Templates
  // answer before this returns; a model's answer comes later, through the callbacks.
  void converse(const bots::Bot& bot, const Inbound& inbound, bool stream, ExchangeCallbacks callbacks);
  // converse in three steps, for callers that record many exchanges in one transaction (the reply
  // workers): open_turn records the inbound message in the caller's transaction; answer asks the
  // reply engine (a model call ends in `done`, later); close_turn records the reply.
  // templates: the bot's, when the caller loaded them already (a worker, once per batch).
  Turn open_turn(db::Connection& conn, const bots::Bot& bot, const Inbound& inbound,
                 const std::vector<templates::Template>* templates = nullptr);
  void answer(const bots::Bot& bot, Turn& turn, bool stream, ai::ReplyEngine::OnToken token,
              std::function<void(ai::Reply)> done);
  // True when the organisation's replies need no model call (templates answer), so they may be made
  // inside a transaction (answer_at_once).
  bool answers_at_once(const std::string& org_id) const { return !engine_.uses_ai(org_id); }
  // reply: the rating question is added to it when this exchange resolved the conversation (ADR 0037).
  void close_turn(db::Connection& conn, const bots::Bot& bot, const Turn& turn, ai::Reply& reply,
                  bool signals = true);
  // The three steps at once, when answers_at_once(): the session and both messages are each
  // written once, complete (a new session is stored with its reply's time already).
  // fixed: this reply instead of the templates' (the over-quota notice).
  Exchange answer_at_once(db::Connection& conn, const bots::Bot& bot, const Inbound& inbound,
                          const std::vector<templates::Template>* templates = nullptr,
                          const ai::Reply* fixed = nullptr);
  // The test console on the bot page: the caller chats with the bot as it is now. An error is
  // returned at once (nothing recorded, no callback called); otherwise the callbacks report.
  std::optional<Error> console(const AuthContext& ctx, const std::string& bot_id,
                               const std::optional<std::string>& session_id, const std::string& text, bool stream,
                               ExchangeCallbacks callbacks);
  Result<std::vector<Session>> recent(const AuthContext& ctx, const std::optional<std::string>& bot_id, std::int64_t limit);
  // The organisation's conversations matching the filter, newest activity first; a bot or
  // deployment filter naming one the organisation does not have is not found.
  Result<Page> list(const AuthContext& ctx, const Filter& filter, const std::optional<Cursor>& before, std::int64_t limit);
  Result<Detail> get(const AuthContext& ctx, const std::string& id);

  // Outcomes (ADR 0037, part B).
  // POST /api/conversations/:id/resolve: resolved by an operator (a person) or the API (a key); a
  // resolved conversation stays as it was first resolved. The first resolution also asks for a
  // rating, through a reply job, where the bot asks and the platform allows (ADR 0037 part R).
  Result<Session> resolve(const AuthContext& ctx, const std::string& id);
  // A person's answer to a pending rating question (asked, not yet rated, conversation still open):
  // the score is recorded and a fixed thanks answers, without a model. score: a button's answer;
  // without one, the message itself must be a number from 1 to 5. nullopt: not an answer, the
  // message goes its usual way.
  std::optional<Exchange> answer_rating(db::Connection& conn, const bots::Bot& bot, const Inbound& inbound,
                                        std::optional<int> score = std::nullopt);

 private:
  // What one exchange signals (ADR 0037): resolved by the user's phrase or the answering template,
  // a conversion by the template, and whether the rating question goes with the reply.
  struct Outcome {
    std::optional<std::string> resolved_by;
    std::optional<templates::Template> convert;
    bool ask = false;
    bool any() const { return resolved_by || convert; }
  };
  Outcome outcome_of(const bots::Bot& bot, const std::string& text, const ai::Reply& reply,
                     const std::vector<templates::Template>& templates) const;
  // Adds the rating question to the reply when this exchange is the conversation's first resolution.
  void prepare_rating(const bots::Bot& bot, const Session& session, const std::string& platform, Outcome& outcome,
                      ai::Reply& reply) const;
  // After an operator's or the API's first resolution (ADR 0037 part R): queues the rating question
  // as a reply job when the bot asks and the platform can still reach the person. True when queued.
  bool queue_rating_question(db::Connection& conn, Session& session, const std::string& by, std::int64_t now);
  // Writes the outcome once the session is stored, with the analytics counts of what it changed.
  void record_outcome(db::Connection& conn, const bots::Bot& bot, const std::string& session_id,
                      const Outcome& outcome, std::int64_t at);

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
  db::BatchWriter* writer_ = nullptr;
  usage::UsageService* usage_ = nullptr;
  std::function<bool(const std::string&)> own_key_;
};

// True when a stored reply carries the rating question (ADR 0037): its send adds the platform's
// rating buttons.
bool asks_rating(const std::string& reply_text);

}  // namespace sb::conversations
