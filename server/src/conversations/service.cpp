// Conversation service. The AI call happens between two short transactions, never inside one.
#include "conversations/service.hpp"

#include "analytics/recorder.hpp"
#include "bots/store.hpp"
#include "conversations/store.hpp"
#include "deployments/store.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "core/text.hpp"
#include "orgs/permissions.hpp"
#include "templates/store.hpp"

namespace sb::conversations {

ConversationService::Placed ConversationService::place(db::Connection& conn, const bots::Bot& bot, const Inbound& in) {
  Placed placed;
  placed.at = clock_.now_ms();
  std::optional<Session> session;
  if (in.session_id) {
    session = store::find_session(conn, bot.org_id, *in.session_id);
    if (session && (session->bot_id != bot.id || session->external_user_id != in.external_user_id ||
                    session->platform != in.platform || session->status != "open"))
      session.reset();
  } else {
    session = store::latest_open_session(conn, bot.org_id, bot.id, in.platform, in.external_user_id);
  }
  // After the inactivity window the next message starts a new conversation.
  if (session && placed.at - session->last_message_at > inactivity_ms_) {
    store::end_session(conn, bot.org_id, session->id);
    session.reset();
  }
  placed.started = !session;
  if (placed.started) {
    Session& fresh = placed.session;
    fresh.id = new_id("cnv", placed.at);
    fresh.org_id = bot.org_id;
    fresh.bot_id = bot.id;
    fresh.deployment_id = in.deployment_id;
    fresh.platform = in.platform;
    fresh.external_user_id = in.external_user_id;
    fresh.display_name = in.display_name;
    fresh.started_at = fresh.last_message_at = placed.at;
  } else {
    placed.session = std::move(*session);
    // Messages of a session are ordered by time: each gets a later millisecond than the last.
    placed.at = std::max(placed.at, placed.session.last_message_at + 1);
  }
  return placed;
}

Turn ConversationService::turn_for(const bots::Bot& bot, const Inbound& in, const Placed& placed,
                                   const std::vector<templates::Template>* templates, db::Connection& conn) {
  Turn turn;
  turn.at = placed.at;
  turn.session_id = placed.session.id;
  turn.templates = templates ? *templates : templates::store::for_bot(conn, bot.org_id, bot.id);
  turn.text = in.text;
  turn.platform = in.platform;
  turn.display_name = in.display_name;
  return turn;
}

Message ConversationService::inbound_message(const bots::Bot& bot, const Inbound& in, const Turn& turn) {
  Message m;
  m.id = in.message_id ? *in.message_id : new_id("msg", turn.at);
  m.org_id = bot.org_id;
  m.session_id = turn.session_id;
  m.direction = "in";
  m.text = in.text;
  m.created_at = turn.at;
  return m;
}

Message ConversationService::reply_message(const bots::Bot& bot, const Turn& turn, const ai::Reply& reply) {
  const std::int64_t answered = std::max(clock_.now_ms(), turn.at + 1);
  return Message{new_id("msg", answered), bot.org_id, turn.session_id, "out", reply.text, reply.source, reply.model,
                 reply.prompt_tokens, reply.completion_tokens, reply.latency_ms, reply.error, answered,
                 reply.cost_micros, reply.source == "template" ? reply.template_id : std::nullopt};
}

namespace {
// The earlier turns a model reads, oldest first: messages of the session older than `before`.
std::vector<ai::ChatMessage> history(db::Connection& conn, const bots::Bot& bot, const std::string& session_id,
                                     std::int64_t before) {
  std::vector<ai::ChatMessage> out;
  for (const auto& m : store::recent_messages(conn, bot.org_id, session_id, bot.history_turns * 2, before))
    out.push_back({m.direction == "in" ? "user" : "assistant", m.text});
  return out;
}

// The rollup counts of a reply (ADR 0037); `activity` is the session after it.
void count_reply(analytics::Delta& delta, const store::Activity& activity, const Message& out, const ai::Reply& reply,
                 const std::string& question) {
  const auto& key = activity.key;
  delta.reply(key, out.created_at, reply.source, out.template_id,
              reply.prompt_tokens.value_or(0) + reply.completion_tokens.value_or(0), reply.cost_micros.value_or(0));
  if (activity.first_response_at && *activity.first_response_at == out.created_at)
    delta.first_response(key, out.created_at - key.started_at);
  if (reply.source == "fallback") {
    delta.unanswered(key, out.created_at, question);
    if (activity.fallback_replies == 1) delta.handoff(key);
  }
}

// The rollup counts of a conversation that starts with this exchange (reply: null when it comes later).
void count_new_session(analytics::Delta& delta, const Session& s, const Message& in, const Message* out,
                       const ai::Reply* reply, const std::string& question) {
  const auto key = analytics::key_of(s);
  delta.conversation(key, s.external_user_id);
  delta.inbound(key, in.created_at);
  if (out && reply) {
    store::Activity a{key, s.first_response_at, s.user_messages, s.fallback_replies};
    count_reply(delta, a, *out, *reply, question);
  }
}
}  // namespace

Turn ConversationService::open_turn(db::Connection& conn, const bots::Bot& bot, const Inbound& in,
                                    const std::vector<templates::Template>* templates) {
  if (in.message_id)
    if (auto recorded = store::find_message(conn, bot.org_id, *in.message_id)) {
      // Opened before (the process stopped while the model answered): the same turn again.
      Placed again;
      again.session.id = recorded->session_id;
      again.at = recorded->created_at;
      Turn turn = turn_for(bot, in, again, templates, conn);
      if (engine_.uses_ai(bot.org_id)) turn.history = history(conn, bot, turn.session_id, turn.at);
      return turn;
    }
  Placed placed = place(conn, bot, in);
  if (placed.started) {
    placed.session.user_messages = 1;
    store::insert_session(conn, placed.session);  // its last_message_at is this message's already
  }
  Turn turn = turn_for(bot, in, placed, templates, conn);
  // Only a model reads the history; templates answer the message alone.
  if (!placed.started && engine_.uses_ai(bot.org_id)) turn.history = history(conn, bot, turn.session_id, turn.at);
  Message message = inbound_message(bot, in, turn);
  store::insert_message(conn, message);
  const bool counted = analytics::counted(in.platform);
  analytics::Delta delta;
  if (placed.started) {
    if (counted) count_new_session(delta, placed.session, message, nullptr, nullptr, in.text);
  } else if (auto a = store::record_activity(conn, bot.org_id, turn.session_id, turn.at, false, 1); a && counted) {
    delta.inbound(a->key, turn.at);
    if (a->user_messages == 2) delta.engaged(a->key);
  }
  delta.flush(conn);
  return turn;
}

Exchange ConversationService::answer_at_once(db::Connection& conn, const bots::Bot& bot, const Inbound& in,
                                             const std::vector<templates::Template>* templates,
                                             const ai::Reply* fixed) {
  if (in.message_id && store::find_message(conn, bot.org_id, *in.message_id)) {
    // Its turn was opened for a model before; templates answer it now.
    Turn turn = open_turn(conn, bot, in, templates);
    ai::Reply reply =
        fixed ? *fixed : engine_.without_ai({bot, turn.templates, {}, turn.text, turn.platform, turn.display_name});
    close_turn(conn, bot, turn, reply);
    return {turn.session_id, std::move(reply)};
  }
  Placed placed = place(conn, bot, in);
  Turn turn = turn_for(bot, in, placed, templates, conn);
  ai::Reply reply =
      fixed ? *fixed : engine_.without_ai({bot, turn.templates, {}, turn.text, turn.platform, turn.display_name});
  // The exchange is written once, complete: the session with its reply's time, both messages.
  std::vector<Message> messages{inbound_message(bot, in, turn), reply_message(bot, turn, reply)};
  const std::int64_t answered = messages.back().created_at;
  const std::int64_t fallbacks = reply.source == "fallback" ? 1 : 0;
  const bool counted = analytics::counted(in.platform);
  analytics::Delta delta;
  if (placed.started) {
    placed.session.last_message_at = answered;
    placed.session.first_response_at = answered;
    placed.session.user_messages = 1;
    placed.session.fallback_replies = fallbacks;
    store::insert_session(conn, placed.session);
    if (counted) count_new_session(delta, placed.session, messages[0], &messages[1], &reply, in.text);
  } else if (auto a = store::record_activity(conn, bot.org_id, turn.session_id, answered, true, 1, fallbacks);
             a && counted) {
    delta.inbound(a->key, messages[0].created_at);
    if (a->user_messages == 2) delta.engaged(a->key);
    count_reply(delta, *a, messages[1], reply, in.text);
  }
  store::insert_messages(conn, messages);
  delta.flush(conn);
  return {turn.session_id, std::move(reply)};
}

void ConversationService::answer(const bots::Bot& bot, Turn& turn, bool stream, ai::ReplyEngine::OnToken token,
                                 std::function<void(ai::Reply)> done) {
  engine_.reply_async({bot, turn.templates, std::move(turn.history), turn.text, turn.platform, turn.display_name}, stream,
                      std::move(token), std::move(done));
}

void ConversationService::close_turn(db::Connection& conn, const bots::Bot& bot, const Turn& turn,
                                     const ai::Reply& reply) {
  Message out = reply_message(bot, turn, reply);
  store::insert_message(conn, out);
  auto a = store::record_activity(conn, bot.org_id, turn.session_id, out.created_at, true, 0,
                                  reply.source == "fallback" ? 1 : 0);
  if (a && analytics::counted(a->key.platform)) {
    analytics::Delta delta;
    count_reply(delta, *a, out, reply, turn.text);
    delta.flush(conn);
  }
}

void ConversationService::converse(const bots::Bot& bot, const Inbound& in, bool stream, ExchangeCallbacks callbacks) {
  // A web chat message is a message processed, counted with the message itself; the test
  // console's are not. Entitlements are read before the transaction (the billing service caches them).
  usage::MessageQuota quota;
  if (usage_ && in.platform != "console") quota = usage_->message_quota(bot.org_id);
  const bool ai_cost = quota.counted && !(own_key_ && own_key_(bot.org_id));
  std::optional<Exchange> at_once;
  auto turn = std::make_shared<Turn>();
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    if (quota.counted && usage_->count_messages(*conn, bot.org_id, quota, 1) == 0) {
      // Past the monthly quota: the message is recorded and the bot's notice answers, no model.
      ai::Reply notice;
      notice.text = bot.over_quota_notice();
      notice.source = "fallback";
      notice.error = "The organization used its monthly messages.";
      at_once = answer_at_once(*conn, bot, in, nullptr, &notice);
    } else if (answers_at_once(bot.org_id)) {
      at_once = answer_at_once(*conn, bot, in);
    } else {
      *turn = open_turn(*conn, bot, in);
    }
    tx.commit();
  }
  if (at_once) {
    if (callbacks.started) callbacks.started(at_once->session_id);
    callbacks.done(std::move(*at_once));
    return;
  }
  if (callbacks.started) callbacks.started(turn->session_id);
  // The reply is recorded once it is whole, whether or not anybody still listens for it.
  answer(bot, *turn, stream, std::move(callbacks.token),
         [this, bot, turn, quota, ai_cost, done = std::move(callbacks.done)](ai::Reply reply) {
           auto exchange = std::make_shared<Exchange>(Exchange{turn->session_id, std::move(reply)});
           auto record = [this, bot, turn, exchange, quota, ai_cost](db::Connection& conn) {
             close_turn(conn, bot, *turn, exchange->reply);
             const auto& r = exchange->reply;
             if (ai_cost)
               usage_->record_ai(conn, bot.org_id, quota, r.prompt_tokens.value_or(0) + r.completion_tokens.value_or(0),
                                 r.cost_micros.value_or(0));
           };
           auto recorded = [exchange, done](std::optional<std::string> error) {
             if (error) {
               log::error("reply not recorded", {{"session_id", exchange->session_id}, {"error", *error}});
               done(Error::unavailable("The reply could not be stored. Try again shortly."));
             } else {
               done(std::move(*exchange));
             }
           };
           if (writer_) {
             writer_->submit(std::move(record), std::move(recorded));
             return;
           }
           try {
             auto conn = db_.acquire();
             db::Transaction tx(*conn);
             record(*conn);
             tx.commit();
             recorded(std::nullopt);
           } catch (const std::exception& e) {
             recorded(std::string(e.what()));
           }
         });
}

std::optional<Error> ConversationService::console(const AuthContext& ctx, const std::string& bot_id,
                                                  const std::optional<std::string>& session_id, const std::string& text,
                                                  bool stream, ExchangeCallbacks callbacks) {
  if (!orgs::can(ctx, orgs::Action::bots_manage)) return Error::forbidden("Viewers cannot use the test console.");
  if (text.empty()) return Error::validation({{"text", "Type a message."}});
  if (text.size() > 2000) return Error::validation({{"text", "Use at most 2,000 characters."}});
  if (text::has_forbidden_controls(text, text::Lines::multi)) return Error::validation({{"text", text::kMultiLineMessage}});
  std::optional<bots::Bot> bot;
  {
    auto conn = db_.acquire();
    bot = bots::store::find(*conn, ctx.org_id, bot_id);
  }
  if (!bot) return Error::not_found("No such bot.");
  Inbound in;
  in.platform = "console";
  in.external_user_id = ctx.actor_id();
  in.display_name = ctx.is_api_key() ? ctx.actor_label() : ctx.name;
  // No session id means "start over": the console never resumes an old session by itself.
  in.session_id = session_id ? *session_id : "none";
  in.text = text;
  converse(*bot, in, stream, std::move(callbacks));
  return std::nullopt;
}

Result<std::vector<Session>> ConversationService::recent(const AuthContext& ctx, const std::optional<std::string>& bot_id,
                                                         std::int64_t limit) {
  if (!orgs::can(ctx, orgs::Action::bots_read)) return Error::forbidden();
  auto conn = db_.acquire();
  return store::recent_sessions(*conn, ctx.org_id, bot_id, std::clamp<std::int64_t>(limit, 1, 100));
}

Result<Page> ConversationService::list(const AuthContext& ctx, const Filter& filter, const std::optional<Cursor>& before,
                                       std::int64_t limit) {
  if (!orgs::can(ctx, orgs::Action::bots_read)) return Error::forbidden();
  if (limit < 1 || limit > 100) return Error::validation({{"limit", "Use a number from 1 to 100."}});
  if (filter.status && *filter.status != "open" && *filter.status != "ended")
    return Error::validation({{"status", "Use open or ended."}});
  if (filter.from && filter.to && *filter.from > *filter.to)
    return Error::validation({{"from", "The start of the time range must not be after its end."}});
  auto conn = db_.acquire();
  if (filter.bot_id && !bots::store::find(*conn, ctx.org_id, *filter.bot_id)) return Error::not_found("No such bot.");
  if (filter.deployment_id && !deployments::store::find(*conn, ctx.org_id, *filter.deployment_id))
    return Error::not_found("No such deployment.");
  Page page;
  // One more than asked tells whether another page follows.
  page.items = store::find_sessions(*conn, ctx.org_id, filter, before, limit + 1);
  if (static_cast<std::int64_t>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.next = Cursor{page.items.back().last_message_at, page.items.back().id};
  }
  return page;
}

Result<Detail> ConversationService::get(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::bots_read)) return Error::forbidden();
  auto conn = db_.acquire();
  auto session = store::find_session(*conn, ctx.org_id, id);
  if (!session) return Error::not_found("No such conversation.");
  return Detail{*session, store::messages(*conn, ctx.org_id, id)};
}

}  // namespace sb::conversations
