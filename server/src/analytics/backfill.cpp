// Rebuilding the rollups from conversation_sessions and messages, in batches.
#include "analytics/backfill.hpp"

#include "analytics/daily.hpp"
#include "analytics/recorder.hpp"
#include "analytics/store.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

namespace sb::analytics {
namespace {
constexpr std::int64_t kBatch = 2000;

// `checkpoint` runs after each flushed batch (SQLite commits there, so the one write lock is not
// held for the whole rebuild).
void backfill_org(db::Connection& conn, const std::string& org_id,
                  const std::function<void(const BackfillProgress&)>& progress, const std::function<void()>& checkpoint) {
  BackfillProgress done{org_id, 0, 0};
  // Both levels go; the watermark too, so messages recorded between SQLite's batches count in the
  // hourly rows only, and the daily level is rebuilt from them at the end.
  store::delete_org(conn, org_id);
  Delta delta;
  // Conversations, by id (keyset pages).
  std::string after;
  for (;;) {
    auto rows = conn.query(
        "SELECT id, bot_id, platform, deployment_id, external_user_id, started_at, first_response_at, resolved_at, "
        "converted_at, user_messages, fallback_replies, rating_asked_at, satisfaction_score FROM conversation_sessions "
        "WHERE org_id = $1 AND id > $2 AND platform <> 'console' ORDER BY id LIMIT $3",
        {org_id, after, kBatch});
    if (rows.empty()) break;
    for (const auto& r : rows) {
      SessionKey key{org_id, r.text("bot_id"), r.text("platform"), r.opt_text("deployment_id").value_or(""),
                     r.integer("started_at")};
      delta.conversation(key, r.text("external_user_id"));
      if (r.integer("user_messages") >= 2) delta.engaged(key);
      if (r.opt_integer("resolved_at")) delta.resolved(key);
      if (r.opt_integer("converted_at")) delta.converted(key);
      if (r.integer("fallback_replies") >= 1) delta.handoff(key);
      if (auto first = r.opt_integer("first_response_at")) delta.first_response(key, *first - key.started_at);
      auto score = r.opt_integer("satisfaction_score");
      if (r.opt_integer("rating_asked_at") || score) delta.rating_asked(key);
      if (score) delta.rating(key, static_cast<int>(*score), std::nullopt, false);
      after = r.text("id");
    }
    delta.flush(conn);
    checkpoint();
    done.sessions += static_cast<std::int64_t>(rows.size());
    if (progress) progress(done);
  }
  // Messages, by session and time: a fallback's question is the inbound message before it.
  std::string after_session, after_id;
  std::int64_t after_at = 0;
  std::string question_session, question;
  for (;;) {
    auto rows = conn.query(
        "SELECT m.id, m.session_id, m.direction, m.text, m.source, m.template_id, m.prompt_tokens, "
        "m.completion_tokens, m.cost_micros, m.created_at, s.bot_id, s.platform, s.deployment_id, s.started_at "
        "FROM messages m JOIN conversation_sessions s ON s.id = m.session_id "
        // A row comparison follows the (session_id, created_at) index from the last row on; the
        // former OR-built keyset made PostgreSQL scan from the start on every page.
        "WHERE m.org_id = $1 AND s.platform <> 'console' AND (m.session_id, m.created_at, m.id) > ($2, $3, $4) "
        "ORDER BY m.session_id, m.created_at, m.id LIMIT $5",
        {org_id, after_session, after_at, after_id, kBatch});
    if (rows.empty()) break;
    for (const auto& r : rows) {
      SessionKey key{org_id, r.text("bot_id"), r.text("platform"), r.opt_text("deployment_id").value_or(""),
                     r.integer("started_at")};
      const std::string session = r.text("session_id");
      const std::int64_t at = r.integer("created_at");
      if (r.text("direction") == "in") {
        delta.inbound(key, at);
        question_session = session;
        question = r.text("text");
      } else {
        const std::string source = r.text("source");
        delta.reply(key, at, source, r.opt_text("template_id"),
                    r.integer("prompt_tokens") + r.integer("completion_tokens"), r.integer("cost_micros"));
        if (source == "fallback" && question_session == session) delta.unanswered(key, at, question);
      }
      after_session = session;
      after_at = at;
      after_id = r.text("id");
    }
    delta.flush(conn);
    checkpoint();
    done.messages += static_cast<std::int64_t>(rows.size());
    if (progress) progress(done);
  }
}
}  // namespace

void backfill(db::Database& db, const std::optional<std::string>& org_id,
              const std::function<void(const BackfillProgress&)>& progress, std::int64_t now_ms) {
  if (now_ms == 0)
    now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count();
  std::vector<std::string> orgs;
  {
    auto conn = db.acquire();
    if (org_id) orgs.push_back(*org_id);
    else
      for (const auto& r : conn->query("SELECT id FROM organizations ORDER BY id")) orgs.push_back(r.text("id"));
  }
  for (const auto& org : orgs) {
    auto conn = db.acquire();
    // The daily level up to where it was, or where the scheduled compaction would put it.
    const std::int64_t until = std::max(store::daily_until(*conn, org), compaction_target(now_ms));
    if (conn->dialect() == db::Dialect::postgres) {
      // One transaction: readers see the old rollups until the new ones are complete.
      db::Transaction tx(*conn);
      backfill_org(*conn, org, progress, [] {});
      compact_org_in(*conn, org, until);
      tx.commit();
    } else {
      // SQLite has one write lock for the whole file: commit each batch so the server's own writes
      // (scheduled tasks, incoming messages) get their turn in between.
      std::optional<db::Transaction> tx(std::in_place, *conn);
      backfill_org(*conn, org, progress, [&] {
        tx->commit();
        tx.reset();
        tx.emplace(*conn);
      });
      compact_org_in(*conn, org, until);
      tx->commit();
    }
  }
}

}  // namespace sb::analytics
