// Rollup maintenance (ADR 0037): counts gathered per piece of work and upserted once per row.
#include "analytics/recorder.hpp"

#include <atomic>
#include <cctype>

#include "analytics/time_range.hpp"

namespace sb::analytics {
namespace {
std::atomic<bool> enabled{true};
using store::Counter;
thread_local Delta* batch = nullptr;  // the BatchScope of this thread, if any
}  // namespace

void set_rollups_enabled(bool on) { enabled = on; }
bool rollups_enabled() { return enabled; }

std::int64_t hour_of(std::int64_t ms) {
  constexpr std::int64_t kHour = 3'600'000;
  return ms - ((ms % kHour) + kHour) % kHour;
}

bool counted(std::string_view platform) { return platform != "console"; }

SessionKey key_of(const conversations::Session& s) {
  return {s.org_id, s.bot_id, s.platform, s.deployment_id.value_or(""), s.started_at};
}

std::string normalize_question(std::string_view text) {
  std::string out;
  bool space = false;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {
      space = !out.empty();
      ++i;
      continue;
    }
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > text.size()) len = text.size() - i;
    if (chars + (space ? 1 : 0) + 1 > 200) break;
    if (space) {
      out += ' ';
      ++chars;
      space = false;
    }
    if (len == 1)
      out += static_cast<char>(std::tolower(c));
    else
      out.append(text.substr(i, len));
    ++chars;
    i += len;
  }
  return out;
}

store::Counters& Delta::row(const SessionKey& s, std::int64_t at) {
  auto& r = counters_[store::RowKey{s.org_id, hour_of(at), s.bot_id, s.platform, s.deployment_id}];
  return r;
}

void Delta::conversation(const SessionKey& s, std::string_view external_user_id) {
  row(s, s.started_at)[Counter::conversations] += 1;
  users_[store::RowKey{s.org_id, hour_of(s.started_at), s.bot_id, s.platform, s.deployment_id}].add(
      Sketch::hash_user(s.bot_id, s.platform, external_user_id));
}
void Delta::engaged(const SessionKey& s) { row(s, s.started_at)[Counter::engaged] += 1; }
void Delta::handoff(const SessionKey& s) { row(s, s.started_at)[Counter::handoffs] += 1; }
void Delta::first_response(const SessionKey& s, std::int64_t ms) {
  auto& r = row(s, s.started_at);
  r[Counter::first_responses] += 1;
  r[Counter::first_response_ms_sum] += ms;
  histogram_[store::RowKey{s.org_id, hour_of(s.started_at), s.bot_id, s.platform, s.deployment_id}]
            [histogram_bucket(ms)] += 1;
}
void Delta::resolved(const SessionKey& s) { row(s, s.started_at)[Counter::resolved] += 1; }
void Delta::converted(const SessionKey& s) { row(s, s.started_at)[Counter::converted] += 1; }
void Delta::rating_asked(const SessionKey& s) { row(s, s.started_at)[Counter::rating_asked] += 1; }
void Delta::rating(const SessionKey& s, int score, std::optional<std::int64_t> old_score, bool count_asked) {
  if (score < 1 || score > 5) return;
  auto& r = row(s, s.started_at);
  if (old_score && *old_score >= 1 && *old_score <= 5) {
    r[Counter::rating_sum] += score - *old_score;
    r[Counter::rating_1 + static_cast<int>(*old_score) - 1] -= 1;
  } else {
    r[Counter::ratings] += 1;
    r[Counter::rating_sum] += score;
    if (count_asked) r[Counter::rating_asked] += 1;
  }
  r[Counter::rating_1 + score - 1] += 1;
}
void Delta::inbound(const SessionKey& s, std::int64_t at) { row(s, at)[Counter::messages_in] += 1; }
void Delta::reply(const SessionKey& s, std::int64_t at, const std::string& source,
                  const std::optional<std::string>& template_id, std::int64_t tokens, std::int64_t cost_micros) {
  auto& r = row(s, at);
  r[Counter::messages_out] += 1;
  if (source == "ai") r[Counter::ai_replies] += 1;
  else if (source == "template") r[Counter::template_replies] += 1;
  else if (source == "fallback") r[Counter::fallback_replies] += 1;
  r[Counter::ai_tokens] += tokens;
  r[Counter::ai_cost_micros] += cost_micros;
  if (template_id && source == "template")
    templates_[{store::RowKey{s.org_id, hour_of(at), s.bot_id, s.platform, s.deployment_id}, *template_id}] += 1;
}
void Delta::unanswered(const SessionKey& s, std::int64_t at, std::string_view question) {
  std::string q = normalize_question(question);
  if (q.empty()) return;
  unanswered_[{store::RowKey{s.org_id, hour_of(at), s.bot_id, s.platform, s.deployment_id}, std::move(q)}] += 1;
}

void Delta::merge(const Delta& other) {
  for (const auto& [key, add] : other.counters_) {
    auto& row = counters_[key];
    for (int i = 0; i < store::kCounterCount; ++i) row[i] += add[i];
  }
  for (const auto& [key, users] : other.users_) users_[key].merge(users);
  for (const auto& [key, add] : other.histogram_) {
    auto& h = histogram_[key];
    for (int b = 0; b < 256; ++b) h[b] += add[b];
  }
  for (const auto& [key, n] : other.templates_) templates_[key] += n;
  for (const auto& [key, n] : other.unanswered_) unanswered_[key] += n;
}

void Delta::flush(db::Connection& conn) {
  if (batch && batch != this) {
    batch->merge(*this);
    counters_.clear();
    users_.clear();
    histogram_.clear();
    templates_.clear();
    unanswered_.clear();
    return;
  }
  write(conn);
}

BatchScope::BatchScope() : previous_(batch) { batch = &delta_; }
BatchScope::~BatchScope() { batch = previous_; }
void BatchScope::flush(db::Connection& conn) {
  batch = previous_;
  delta_.flush(conn);  // into an enclosing scope, if any, else written
  batch = &delta_;
}

void Delta::write(db::Connection& conn) {
  if (rollups_enabled()) {
    for (const auto& [key, add] : counters_) store::add_counters(conn, key, add);
    for (const auto& [key, users] : users_) store::merge_users(conn, key, users);
    for (const auto& [key, h] : histogram_) store::add_histogram(conn, key, h);
    for (const auto& [key, n] : templates_) store::add_template(conn, key.first, key.second, n);
    for (const auto& [key, n] : unanswered_) store::add_unanswered(conn, key.first, key.second, n);
    write_daily(conn);
  }
  counters_.clear();
  users_.clear();
  histogram_.clear();
  templates_.clear();
  unanswered_.clear();
}

// Late additions (ADR 0037, part D): what lands in an hour below the organisation's watermark —
// mostly a resolution, conversion or rating of a conversation that started on a compacted day —
// goes to that day's daily row as well, in this transaction. The watermark is read once per
// organisation of the batch, held FOR SHARE on PostgreSQL until the commit.
void Delta::write_daily(db::Connection& conn) {
  std::map<std::string, store::Marks> marks;
  auto marks_of = [&](const std::string& org_id) -> const store::Marks& {
    auto it = marks.find(org_id);
    if (it == marks.end()) it = marks.emplace(org_id, store::daily_marks(conn, org_id, true)).first;
    return it->second;
  };
  auto day_key = [&](const store::RowKey& k) -> std::optional<store::RowKey> {
    if (k.hour >= marks_of(k.org_id).until) return std::nullopt;
    store::RowKey d = k;
    d.hour = store::day_of(k.hour);
    return d;
  };
  Delta daily;
  for (const auto& [key, add] : counters_)
    if (auto d = day_key(key)) {
      auto& row = daily.counters_[*d];
      for (int i = 0; i < store::kCounterCount; ++i) row[i] += add[i];
    }
  for (const auto& [key, users] : users_)
    if (auto d = day_key(key)) daily.users_[*d].merge(users);
  for (const auto& [key, add] : histogram_)
    if (auto d = day_key(key)) {
      auto& h = daily.histogram_[*d];
      for (int b = 0; b < 256; ++b) h[b] += add[b];
    }
  for (const auto& [key, n] : templates_)
    if (auto d = day_key(key.first)) daily.templates_[{*d, key.second}] += n;
  for (const auto& [key, n] : unanswered_)
    if (auto d = day_key(key.first)) daily.unanswered_[{*d, key.second}] += n;
  constexpr auto day = store::Level::daily;
  for (const auto& [key, add] : daily.counters_) store::add_counters(conn, key, add, day);
  std::map<std::pair<std::string, std::int64_t>, Sketch> all;
  for (const auto& [key, users] : daily.users_) {
    store::merge_users(conn, key, users, day);
    all[{key.org_id, key.hour}].merge(users);
  }
  for (const auto& [key, users] : all) store::merge_users_all(conn, key.first, key.second, users);
  // Users of an hour inside the zone-day sketches (part U): to the local day that holds it.
  std::map<std::pair<std::string, std::int64_t>, Sketch> zone_days;
  for (const auto& [key, users] : users_) {
    const auto& m = marks_of(key.org_id);
    if (key.hour >= m.zone_until || m.zone == "UTC") continue;
    if (const date::time_zone* zone = find_zone(m.zone))
      zone_days[{key.org_id, day_start(zone, local_day(zone, key.hour))}].merge(users);
  }
  for (const auto& [key, users] : zone_days) store::merge_users_zone(conn, key.first, key.second, users);
  for (const auto& [key, h] : daily.histogram_) store::add_histogram(conn, key, h, day);
  for (const auto& [key, n] : daily.templates_) store::add_template(conn, key.first, key.second, n, day);
  for (const auto& [key, n] : daily.unanswered_) store::add_unanswered(conn, key.first, key.second, n, day);
}

void record_resolved(db::Connection& conn, const conversations::Session& session, std::int64_t) {
  if (!counted(session.platform)) return;
  Delta d;
  d.resolved(key_of(session));
  d.flush(conn);
}

void record_converted(db::Connection& conn, const conversations::Session& session, std::int64_t) {
  if (!counted(session.platform)) return;
  Delta d;
  d.converted(key_of(session));
  d.flush(conn);
}

void record_rating_asked(db::Connection& conn, const conversations::Session& session) {
  if (!counted(session.platform)) return;
  Delta d;
  d.rating_asked(key_of(session));
  d.flush(conn);
}

void record_rating(db::Connection& conn, const conversations::Session& session, int score) {
  if (!counted(session.platform)) return;
  Delta d;
  d.rating(key_of(session), score, session.satisfaction_score, !session.rating_asked_at);
  d.flush(conn);
}

}  // namespace sb::analytics
