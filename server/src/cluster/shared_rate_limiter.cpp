// Shared rate limits: one upsert per batch of sends into rate_windows.
#include "cluster/shared_rate_limiter.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>

namespace sb::cluster {
namespace {

// A window that started earlier is replaced; the same window adds to its count. The greater start
// wins, so a process whose clock lags cannot reopen a window another one already passed.
constexpr std::string_view kUpsertTail =
    " ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN rate_windows.window_start = EXCLUDED.window_start THEN rate_windows.count + EXCLUDED.count "
    "WHEN rate_windows.window_start > EXCLUDED.window_start THEN rate_windows.count "
    "ELSE EXCLUDED.count END, "
    "window_start = GREATEST(rate_windows.window_start, EXCLUDED.window_start) "
    "RETURNING key, window_start, count";

}  // namespace

SharedRateLimiter::SharedRateLimiter(db::Database& db)
    : db_(db), upsert_("INSERT INTO rate_windows (key, window_start, count)", 3, kUpsertTail, 64) {}

std::vector<RateGrant> SharedRateLimiter::take(const std::vector<RateAsk>& all, std::int64_t now_ms) {
  std::vector<RateGrant> out(all.size());
  // A negative count gives back events granted and then not made, if their window still runs.
  std::vector<RateAsk> asks;
  std::vector<std::size_t> index;  // asks[k] is all[index[k]]
  std::vector<const RateAsk*> returned;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].count < 0) returned.push_back(&all[i]);
    else asks.push_back(all[i]), index.push_back(i);
  }
  std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> back;  // key, how many, window start
  for (const auto* r : returned) back.emplace_back(r->key, -std::int64_t{r->count}, now_ms - now_ms % r->window_ms);
  if (asks.empty()) {
    if (!back.empty()) {
      auto conn = db_.acquire();
      give_back(*conn, back);
    }
    return out;
  }
  // Rows are locked in key order, so two processes' batches cannot deadlock on each other.
  std::vector<std::size_t> order(asks.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return asks[a].key < asks[b].key; });
  std::vector<std::int64_t> starts(asks.size());
  for (std::size_t i = 0; i < asks.size(); ++i) starts[i] = now_ms - now_ms % asks[i].window_ms;

  std::map<std::string, std::pair<std::int64_t, std::int64_t>, std::less<>> counted;  // key → (window start, count)
  auto conn = db_.acquire();
  std::vector<db::ValueRef> params;
  for (std::size_t from = 0; from < order.size(); from += upsert_.max_rows()) {
    std::size_t to = std::min(order.size(), from + upsert_.max_rows());
    params.clear();
    for (std::size_t k = from; k < to; ++k) {
      const auto& a = asks[order[k]];
      params.emplace_back(std::string_view(a.key));
      params.emplace_back(starts[order[k]]);
      params.emplace_back(std::int64_t{a.count});
    }
    for (const auto& row : conn->query_refs(upsert_.sql(to - from), params))
      counted[row.text("key")] = {row.integer("window_start"), row.integer("count")};
  }
  for (std::size_t i = 0; i < asks.size(); ++i) {
    const auto& a = asks[i];
    auto& grant = out[index[i]];
    auto it = counted.find(a.key);
    std::int64_t start = starts[i], total = a.count;
    if (it != counted.end()) std::tie(start, total) = it->second;
    // This batch's events are the last `count` of the window's total: those below the limit pass.
    // A later window already open (another process's clock is ahead) counted none of them: none pass.
    grant.granted =
        start == starts[i] ? static_cast<int>(std::clamp<std::int64_t>(a.limit - (total - a.count), 0, a.count)) : 0;
    if (grant.granted < a.count) {
      grant.retry_after_ms = std::max<std::int64_t>(1, start + a.window_ms - now_ms);
      // What was refused is not counted, as in the in-memory limiter: a place given back later
      // can then be taken again.
      if (start == starts[i]) back.emplace_back(a.key, a.count - grant.granted, start);
    }
  }
  give_back(*conn, back);
  return out;
}

void SharedRateLimiter::give_back(db::Connection& conn,
                                  std::vector<std::tuple<std::string, std::int64_t, std::int64_t>>& back) {
  if (back.empty()) return;
  std::sort(back.begin(), back.end());  // rows in key order, as in take()
  db::Transaction tx(conn);
  for (const auto& [key, n, start] : back)
    conn.execute("UPDATE rate_windows SET count = GREATEST(count - $2, 0) WHERE key = $1 AND window_start = $3",
                  {key, n, start});
  tx.commit();
}

std::int64_t SharedRateLimiter::sweep(std::int64_t before_ms) {
  auto conn = db_.acquire();
  return conn->execute("DELETE FROM rate_windows WHERE window_start < $1", {before_ms});
}

}  // namespace sb::cluster
