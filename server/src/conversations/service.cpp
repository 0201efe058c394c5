// Conversation service. The AI call happens between two short transactions, never inside one.
#include "conversations/service.hpp"

#include "analytics/recorder.hpp"
#include "audit/service.hpp"
#include "bots/store.hpp"
#include "conversations/store.hpp"
#include "conversions/store.hpp"
#include "deployments/store.hpp"
#include "jobs/store.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "core/text.hpp"
#include "orgs/permissions.hpp"
#include "templates/renderer.hpp"
#include "templates/store.hpp"
#include "webhooks/store.hpp"

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
    close_turn(conn, bot, turn, reply, /*signals=*/fixed == nullptr);
    return {turn.session_id, std::move(reply)};
  }
  Placed placed = place(conn, bot, in);
  Turn turn = turn_for(bot, in, placed, templates, conn);
  ai::Reply reply =
      fixed ? *fixed : engine_.without_ai({bot, turn.templates, {}, turn.text, turn.platform, turn.display_name});
  // A fixed reply (the over-quota notice, the thanks for a rating) signals nothing.
  Outcome outcome = fixed ? Outcome{} : outcome_of(bot, in.text, reply, turn.templates);
  if (outcome.any()) prepare_rating(bot, placed.session, in.platform, outcome, reply);
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
  if (outcome.any()) record_outcome(conn, bot, turn.session_id, outcome, answered);
  return {turn.session_id, std::move(reply)};
}

void ConversationService::answer(const bots::Bot& bot, Turn& turn, bool stream, ai::ReplyEngine::OnToken token,
                                 std::function<void(ai::Reply)> done) {
  engine_.reply_async({bot, turn.templates, std::move(turn.history), turn.text, turn.platform, turn.display_name}, stream,
                      std::move(token), std::move(done));
}

void ConversationService::close_turn(db::Connection& conn, const bots::Bot& bot, const Turn& turn, ai::Reply& reply,
                                     bool signals) {
  // A fixed reply (the over-quota notice, the thanks for a rating) signals nothing; it is counted all the same.
  Outcome outcome = signals ? outcome_of(bot, turn.text, reply, turn.templates) : Outcome{};
  if (outcome.any())
    if (auto session = store::find_session(conn, bot.org_id, turn.session_id))
      prepare_rating(bot, *session, turn.platform, outcome, reply);
  Message out = reply_message(bot, turn, reply);
  store::insert_message(conn, out);
  auto a = store::record_activity(conn, bot.org_id, turn.session_id, out.created_at, true, 0,
                                  reply.source == "fallback" ? 1 : 0);
  if (a && analytics::counted(a->key.platform)) {
    analytics::Delta delta;
    count_reply(delta, *a, out, reply, turn.text);
    delta.flush(conn);
  }
  if (outcome.any()) record_outcome(conn, bot, turn.session_id, outcome, out.created_at);
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

// ---- Outcomes (ADR 0037, part B) ----

namespace {
constexpr const char* kRatingQuestion =
    "How would you rate this conversation? Reply with a number from 1 (poor) to 5 (great).";
constexpr const char* kRatingThanks = "Thank you for your rating! It helps us get better.";

// Lower case without the accents of Latin letters (é → e, Ü → u, ß → ss), then templates'
// normalisation (punctuation to spaces, spaces collapsed), so phrases match "whole words, any case
// or accents".
std::string fold(const std::string& text) {
  // U+00C0..U+00FF as lower-case base letters; × and ÷ (* and /) become spaces, ß becomes ss.
  static const char* const kLatin1 =
      "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
      "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      auto d = static_cast<unsigned char>(text[i + 1]);
      if (d >= 0x80 && d <= 0xBF) {
        char base = kLatin1[d - 0x80];
        if (d == 0x9F) out += "ss";
        else if (base == '*' || base == '/') out += ' ';
        else out += base;
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return templates::normalize(out);
}

// "4", " 4 ", "4." → 4; anything else (7, "four", "4 stars") → nullopt.
std::optional<int> typed_score(const std::string& text) {
  std::string t;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) t += c;
  if (!t.empty() && (t.back() == '.' || t.back() == '!')) t.pop_back();
  if (t.size() != 1 || t[0] < '1' || t[0] > '5') return std::nullopt;
  return t[0] - '0';
}
}  // namespace

bool asks_rating(const std::string& reply_text) {
  const std::string_view question = kRatingQuestion;
  return reply_text.size() >= question.size() &&
         std::string_view(reply_text).substr(reply_text.size() - question.size()) == question;
}

ConversationService::Outcome ConversationService::outcome_of(const bots::Bot& bot, const std::string& text,
                                                             const ai::Reply& reply,
                                                             const std::vector<templates::Template>& templates) const {
  Outcome out;
  if (!bot.resolution_phrases.empty()) {
    std::string folded = fold(text);
    for (const auto& phrase : bot.resolution_phrases)
      if (templates::phrase_matches(folded, fold(phrase))) {
        out.resolved_by = "user";
        break;
      }
  }
  if (reply.template_id)
    for (const auto& t : templates)
      if (t.id == *reply.template_id && t.action) {
        if (*t.action == "resolve" && !out.resolved_by) out.resolved_by = "bot";
        if (*t.action == "convert") out.convert = t;
      }
  return out;
}

void ConversationService::prepare_rating(const bots::Bot& bot, const Session& session, const std::string& platform,
                                         Outcome& outcome, ai::Reply& reply) const {
  // The web chat asks with its own widget; the test console is not a conversation anybody rates.
  if (!bot.ask_satisfaction || !outcome.resolved_by || session.resolved_at || session.rating_asked_at ||
      session.rated_at || platform == "webchat" || platform == "console")
    return;
  outcome.ask = true;
  // A transaction that runs again closes the same reply again: the question goes in once.
  const std::string question = std::string("\n\n") + kRatingQuestion;
  if (reply.text.size() < question.size() || reply.text.compare(reply.text.size() - question.size(), question.size(), question) != 0)
    reply.text += question;
}

void ConversationService::record_outcome(db::Connection& conn, const bots::Bot& bot, const std::string& session_id,
                                         const Outcome& outcome, std::int64_t at) {
  bool resolved = outcome.resolved_by && store::resolve_session(conn, bot.org_id, session_id, *outcome.resolved_by, at);
  bool converted = false;
  if (outcome.convert) {
    conversions::Conversion c;
    c.id = new_id("cvn", at);
    c.org_id = bot.org_id;
    c.session_id = session_id;
    c.name = outcome.convert->name;
    c.source = "template";
    c.created_at = at;
    conversions::store::insert(conn, c);
    converted = store::convert_session(conn, bot.org_id, session_id, at);
  }
  bool asked = outcome.ask && store::mark_rating_asked(conn, bot.org_id, session_id, at);
  if (!resolved && !converted && !asked) return;
  auto session = store::find_session(conn, bot.org_id, session_id);
  if (!session) return;
  if (resolved) analytics::record_resolved(conn, *session, at);
  if (converted) analytics::record_converted(conn, *session, at);
  if (asked) analytics::record_rating_asked(conn, *session);
}

Result<Session> ConversationService::resolve(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::bots_manage))
    return Error::forbidden("Only people who manage bots can resolve conversations.");
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto session = store::find_session(*conn, ctx.org_id, id);
  if (!session) return Error::not_found("No such conversation.");
  const std::int64_t now = clock_.now_ms();
  const std::string by = ctx.is_api_key() ? "api" : "operator";
  if (store::resolve_session(*conn, ctx.org_id, id, by, now)) {
    session->resolved_at = now;
    session->resolved_by = by;
    analytics::record_resolved(*conn, *session, now);
    audit::record(*conn, ctx, ctx.org_id, "conversation.resolved", {"conversation", id, session->display_name}, now,
                  std::nullopt, boost::json::object{{"resolved_by", by}});
    if (queue_rating_question(*conn, *session, by, now)) session->rating_asked_at = now;
  }
  tx.commit();
  return *session;
}

// The question goes out as a reply job of its own, in the resolving transaction: a worker sends it
// (with the platform's buttons, as asks_rating tells the send path), retries it, and a crash never
// loses or repeats it beyond what any reply risks. Nothing is sent from the request's thread.
bool ConversationService::queue_rating_question(db::Connection& conn, Session& session, const std::string& by,
                                                std::int64_t now) {
  // Asked once, only while the person can still answer it (an open conversation, inside the
  // inactivity window, as answer_rating requires). The web chat asks with its own widget; the test
  // console is not a conversation anybody rates.
  if (session.rating_asked_at || session.rated_at || session.status != "open" ||
      now - session.last_message_at > inactivity_ms_ || session.platform == "webchat" || session.platform == "console")
    return false;
  auto bot = bots::store::find(conn, session.org_id, session.bot_id);
  if (!bot || !bot->ask_satisfaction) return false;
  auto route = store::reply_route(conn, session);
  if (!route) return false;
  // A Discord slash command's answer is the edit of its deferred response: a question sent there would
  // replace the answer. WhatsApp and Messenger take free-form messages only within 24 hours of the
  // person's last message (PLATFORMS.md).
  if (route->reply_to.rfind("interaction:", 0) == 0) return false;
  if ((session.platform == "whatsapp" || session.platform == "messenger") && now - route->at > 24LL * 3600 * 1000)
    return false;

  const std::string key = "rating:" + session.id;
  webhooks::WebhookEvent event;
  event.id = new_id("evt", now);
  event.org_id = session.org_id;
  event.integration_id = route->integration_id;
  event.platform = session.platform;
  event.idempotency_key = key;  // one question per conversation, whoever resolves it and however often
  event.kind = "rating_question";
  event.status = "accepted";
  event.payload = boost::json::serialize(boost::json::object{{"conversation_id", session.id}, {"resolved_by", by}});
  event.payload_hash = crypto::sha256_hex(event.payload);
  event.received_at = now;
  if (!webhooks::store::insert_if_new(conn, event)) return false;

  if (!store::mark_rating_asked(conn, session.org_id, session.id, now)) return false;
  jobs::MessageJob job;
  job.id = new_id("job", now);
  job.org_id = session.org_id;
  job.integration_id = route->integration_id;
  job.deployment_id = session.deployment_id;
  job.bot_id = session.bot_id;
  job.event_id = event.id;
  job.platform = session.platform;
  job.external_user_id = session.external_user_id;
  job.display_name = session.display_name;
  job.external_message_id = key;
  job.reply_to = route->reply_to;
  job.reply_text = kRatingQuestion;
  job.reply_source = "template";
  job.state = "queued";
  job.next_run_at = now;
  job.created_at = job.updated_at = now;
  jobs::store::insert_with_reply(conn, job);

  // The question is part of the conversation, counted as a reply like the question that goes with
  // one, after the conversation's last message (a reply may be stamped a millisecond ahead).
  const std::int64_t at = std::max(now, session.last_message_at + 1);
  Message out{new_id("msg", at), session.org_id, session.id, "out", kRatingQuestion, std::string("template"),
              std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, at, std::nullopt, std::nullopt};
  store::insert_message(conn, out);
  if (auto a = store::record_activity(conn, session.org_id, session.id, at, true); a && analytics::counted(a->key.platform)) {
    analytics::Delta delta;
    ai::Reply reply;
    reply.text = kRatingQuestion;
    reply.source = "template";
    count_reply(delta, *a, out, reply, "");
    delta.flush(conn);
  }
  analytics::record_rating_asked(conn, session);
  return true;
}

std::optional<Exchange> ConversationService::answer_rating(db::Connection& conn, const bots::Bot& bot,
                                                           const Inbound& in, std::optional<int> score) {
  if (!score) score = typed_score(in.text);
  if (!score || *score < 1 || *score > 5) return std::nullopt;
  auto session = in.session_id ? store::find_session(conn, bot.org_id, *in.session_id)
                               : store::latest_open_session(conn, bot.org_id, bot.id, in.platform, in.external_user_id);
  if (!session || session->bot_id != bot.id || session->external_user_id != in.external_user_id ||
      session->status != "open" || !session->rating_asked_at || session->rated_at)
    return std::nullopt;
  // After the inactivity window the conversation is over, and so is its question.
  if (clock_.now_ms() - session->last_message_at > inactivity_ms_) return std::nullopt;
  Inbound answer = in;
  answer.session_id = session->id;
  ai::Reply thanks;
  thanks.text = kRatingThanks;
  thanks.source = "template";  // a fixed text, as a template's; no model reads a rating
  Exchange exchange = answer_at_once(conn, bot, answer, nullptr, &thanks);
  const std::int64_t now = clock_.now_ms();
  if (store::record_rating(conn, bot.org_id, session->id, *score, now)) {
    session->satisfaction_score = *score;
    session->rated_at = now;
    analytics::record_rating(conn, *session, *score);
  }
  return exchange;
}

}  // namespace sb::conversations
