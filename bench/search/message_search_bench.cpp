// What the message search index (migration 0020) costs the message path, and what search costs:
// inserts with and without the index in one run on one database, and search latency over it.
// Usage: build/message_search_bench <database url> [messages to fill, default 100000]
//
// The index is taken away only in this throwaway database: on SQLite its triggers are dropped and
// put back from their own definitions (sqlite_master), on PostgreSQL the GIN index likewise
// (pg_indexes). Rounds alternate with and without it, so table growth and machine noise fall on both.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bots/model.hpp"
#include "bots/store.hpp"
#include "conversations/store.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "orgs/model.hpp"
#include "orgs/store.hpp"

namespace conv = sb::conversations;
namespace db = sb::db;
using Clock = std::chrono::steady_clock;

namespace {

// A vocabulary of distinct made-up words whose use follows Zipf's law, as words in chat do.
class Words {
 public:
  explicit Words(std::size_t size) {
    static const char* kSyllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po"};
    double total = 0;
    for (std::size_t i = 0; i < size; ++i) {
      std::string w;
      std::size_t n = i + 10;  // at least two syllables
      while (n > 0) {
        w += kSyllables[n % 10];
        n /= 10;
      }
      words_.push_back(w);
      total += 1.0 / static_cast<double>(i + 1);
      cumulative_.push_back(total);
    }
  }
  const std::string& pick(std::mt19937_64& rng) const {
    double x = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
    return words_[std::lower_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin()];
  }
  const std::string& at(std::size_t rank) const { return words_.at(rank); }
  std::string sentence(std::mt19937_64& rng) const {
    std::size_t n = std::uniform_int_distribution<std::size_t>(4, 24)(rng);
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += (i ? " " : "") + pick(rng);
    return s + "?";
  }

 private:
  std::vector<std::string> words_;
  std::vector<double> cumulative_;
};

struct Fixture {
  std::string org_id;
  std::vector<std::string> bot_ids;
  std::int64_t now = 1'780'000'000'000;  // a fixed start, one millisecond per message after it
};

conv::Session new_session(Fixture& f, std::size_t n) {
  static const char* kPlatforms[] = {"webchat", "telegram", "whatsapp", "slack", "console"};
  conv::Session s;
  s.id = sb::new_id("ses", f.now);
  s.org_id = f.org_id;
  s.bot_id = f.bot_ids[n % f.bot_ids.size()];
  s.platform = kPlatforms[n % 5];
  s.external_user_id = "user-" + std::to_string(n);
  s.display_name = "Person " + std::to_string(n);
  s.started_at = s.last_message_at = f.now;
  return s;
}

conv::Message new_message(Fixture& f, const std::string& session_id, bool in, std::string text) {
  conv::Message m;
  m.id = sb::new_id("msg", ++f.now);
  m.org_id = f.org_id;
  m.session_id = session_id;
  m.direction = in ? "in" : "out";
  m.text = std::move(text);
  m.created_at = f.now;
  if (!in) m.source = "template";
  return m;
}

// The index's definitions, to drop and put back.
std::vector<std::string> index_definitions(db::Connection& c) {
  std::vector<std::string> out;
  if (c.dialect() == db::Dialect::sqlite) {
    for (auto& r : c.query("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'messages_search_%'"))
      out.push_back(r.text("sql"));
  } else {
    for (auto& r : c.query("SELECT indexdef FROM pg_indexes WHERE indexname = 'messages_text_search_idx'"))
      out.push_back(r.text("indexdef"));
  }
  return out;
}

void drop_index(db::Connection& c) {
  if (c.dialect() == db::Dialect::sqlite)
    c.execute_script(
        "DROP TRIGGER messages_search_insert; DROP TRIGGER messages_search_delete; DROP TRIGGER messages_search_update");
  else
    c.execute("DROP INDEX messages_text_search_idx");
}

void restore_index(db::Connection& c, const std::vector<std::string>& definitions) {
  for (const auto& sql : definitions) c.execute_script(sql);
}

// One exchange as the web chat records it: the person's message, then the reply, each in a durable
// transaction of its own with the session's activity.
void exchange(db::Connection& c, Fixture& f, const std::string& session_id, const Words& words, std::mt19937_64& rng) {
  {
    db::Transaction tx(c);
    auto in = new_message(f, session_id, true, words.sentence(rng));
    conv::store::insert_message(c, in);
    conv::store::record_activity(c, f.org_id, session_id, in.created_at, false);
    tx.commit();
  }
  db::Transaction tx(c);
  auto out = new_message(f, session_id, false, words.sentence(rng));
  conv::store::insert_message(c, out);
  conv::store::record_activity(c, f.org_id, session_id, out.created_at, true);
  tx.commit();
}

// `count` messages in sessions of 20, `batch` per transaction (the import path: multi-row inserts).
void fill(db::Connection& c, Fixture& f, std::size_t count, std::size_t batch, const Words& words,
          std::mt19937_64& rng, std::size_t& sessions) {
  std::vector<conv::Message> pending;
  std::string session_id;
  for (std::size_t i = 0; i < count; ++i) {
    if (i % 20 == 0) {
      db::Transaction tx(c);
      auto s = new_session(f, sessions++);
      conv::store::insert_session(c, s);
      tx.commit();
      session_id = s.id;
    }
    pending.push_back(new_message(f, session_id, i % 2 == 0, words.sentence(rng)));
    if (pending.size() == batch || i + 1 == count) {
      db::Transaction tx(c);
      conv::store::insert_messages(c, pending);
      conv::store::record_activity(c, f.org_id, session_id, f.now, true);
      tx.commit();
      pending.clear();
    }
  }
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <database url> [messages, default 100000]\n", argv[0]);
    return 2;
  }
  const std::size_t fill_count = argc > 2 ? std::stoul(argv[2]) : 100'000;
  auto database = db::open_database(argv[1], 1);
  db::apply_migrations(*database, 1'780'000'000'000);
  auto conn = database->acquire();
  auto& c = *conn;
  const char* dialect = c.dialect() == db::Dialect::sqlite ? "sqlite" : "postgres";

  Fixture f;
  {
    db::Transaction tx(c);
    sb::orgs::Organization org{sb::new_id("org", f.now), "Bench", std::nullopt, f.now, f.now};
    sb::orgs::store::insert_organization(c, org);
    f.org_id = org.id;
    for (int i = 0; i < 5; ++i) {
      sb::bots::Bot bot;
      bot.id = sb::new_id("bot", f.now + i);
      bot.org_id = f.org_id;
      bot.name = "Bot " + std::to_string(i);
      bot.created_at = bot.updated_at = f.now;
      sb::bots::store::insert(c, bot);
      f.bot_ids.push_back(bot.id);
    }
    tx.commit();
  }
  const Words words(5000);
  std::mt19937_64 rng(20261206);
  std::size_t sessions = 0;

  // The organisation's history first, so that inserts and searches meet a table of realistic size.
  auto start = Clock::now();
  fill(c, f, fill_count, 1000, words, rng, sessions);
  std::fprintf(stderr, "%s: filled %zu messages in %.1f s\n", dialect, fill_count, seconds_since(start));
  const std::size_t filled_sessions = sessions;

  const auto definitions = index_definitions(c);
  if (definitions.empty()) {
    std::fprintf(stderr, "the search index is missing from this database\n");
    return 1;
  }

  // Search latency with the index; on PostgreSQL also without it (a sequential scan), below.
  struct Search {
    const char* label;
    std::optional<std::string> q;
  };
  const std::vector<Search> searches = {
      {"list, no search", std::nullopt},
      {"a common word (Zipf rank 3)", words.at(2)},
      {"a middling word (rank 151)", words.at(150)},
      {"a rare word (rank 4001)", words.at(4000)},
      {"two words (ranks 3 and 151)", words.at(2) + " " + words.at(150)},
  };
  std::vector<std::string> search_lines;
  auto search_row = [&](const Search& s, const char* index) {
    conv::Filter filter;
    filter.q = s.q;
    std::vector<double> ms;
    std::size_t hits = 0;
    for (int i = 0; i < 30; ++i) {
      auto t = Clock::now();
      hits = conv::store::find_sessions(c, f.org_id, filter, std::nullopt, 20).size();
      ms.push_back(seconds_since(t) * 1000);
    }
    char line[256];
    std::snprintf(line, sizeof line, "| %s | %s | %s | %zu | %.2f ms | %.2f ms |", dialect, s.label, index, hits,
                  median(ms), percentile(ms, 0.95));
    search_lines.push_back(line);
  };
  for (const auto& s : searches) search_row(s, "with index");

  // Inserts, alternating with and without the index.
  constexpr int kRounds = 3;
  constexpr std::size_t kExchanges = 300;    // durable: two commits each
  constexpr std::size_t kBatched = 20'000;  // 1000 per transaction
  std::vector<double> durable[2], batched[2];
  for (int round = 0; round < kRounds; ++round) {
    for (int with = 1; with >= 0; --with) {
      if (!with) drop_index(c);
      auto s = new_session(f, sessions++);
      {
        db::Transaction tx(c);
        conv::store::insert_session(c, s);
        tx.commit();
      }
      auto t = Clock::now();
      for (std::size_t i = 0; i < kExchanges; ++i) exchange(c, f, s.id, words, rng);
      durable[with].push_back(2.0 * kExchanges / seconds_since(t));
      t = Clock::now();
      fill(c, f, kBatched, 1000, words, rng, sessions);
      batched[with].push_back(kBatched / seconds_since(t));
      if (!with) {
        if (round + 1 == kRounds && c.dialect() == db::Dialect::postgres)
          for (const auto& search : searches) search_row(search, "without index");
        restore_index(c, definitions);
      }
    }
  }
  auto insert_row = [&](const char* what, std::vector<double>* rates) {
    double with = median(rates[1]), without = median(rates[0]);
    std::printf("| %s | %s | %.0f | %.0f | %.2f |\n", dialect, what, with, without, with / without);
  };
  std::printf("\nInserts, %zu messages already stored; median of %d alternating rounds (messages/s):\n\n", fill_count,
              kRounds);
  std::printf("| database | how | with index | without index | with / without |\n| --- | --- | --- | --- | --- |\n");
  insert_row("one message per commit (web chat path)", durable);
  insert_row("1000 messages per commit", batched);
  std::printf("\nSearch (GET /api/conversations?q=, the newest 20 matching conversations) over %zu messages in %zu conversations; 30 runs:\n\n",
              fill_count, filled_sessions);
  std::printf("| database | search | index | conversations shown | median | p95 |\n| --- | --- | --- | --- | --- | --- |\n");
  for (const auto& line : search_lines) std::printf("%s\n", line.c_str());
  return 0;
}
