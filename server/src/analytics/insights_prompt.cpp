// Insight run prompt, answer validation, redaction and heuristic findings.
#include "analytics/insights_prompt.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

namespace sb::analytics {
namespace json = boost::json;
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
bool is_local_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-';
}
bool is_domain_char(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.'; }

// Replaces each e-mail address (local@domain.tld) with [email].
std::string redact_emails(std::string_view s) {
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    if (at < copied) continue;
    std::size_t a = at;
    while (a > copied && is_local_char(s[a - 1])) --a;
    std::size_t b = at + 1;
    while (b < s.size() && is_domain_char(s[b])) ++b;
    while (b > at + 1 && (s[b - 1] == '.' || s[b - 1] == '-')) --b;  // a sentence's full stop is not the domain's
    std::string_view domain = s.substr(at + 1, b - at - 1);
    std::size_t dot = domain.rfind('.');
    if (a == at || dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) continue;
    out.append(s.substr(copied, a - copied));
    out += "[email]";
    copied = b;
    at = b - 1;
  }
  out.append(s.substr(copied));
  return out;
}

}  // namespace

std::string redact(std::string_view text) {
  std::string s = redact_emails(text);
  std::string out;
  std::size_t i = 0, n = s.size();
  while (i < n) {
    char c = s[i];
    bool starts = is_digit(c) || ((c == '+' || c == '(') && i + 1 < n && is_digit(s[i + 1]));
    if (!starts || (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '+' || s[i - 1] == '.' || s[i - 1] == ','))) {
      out += c;
      ++i;
      continue;
    }
    // The longest run of digits joined by single separators (space, dash, parentheses).
    bool plus = c == '+';
    std::size_t j = plus ? i + 1 : i, end = i;
    int digits = 0;
    std::string shape;  // digit groups' lengths, for telling dates apart
    int group = 0;
    while (j < n) {
      if (is_digit(s[j])) {
        ++digits;
        ++group;
        end = ++j;
        continue;
      }
      bool sep = s[j] == ' ' || s[j] == '-' || s[j] == '(' || s[j] == ')';
      if (!sep || j + 1 >= n) break;
      char next = s[j + 1];
      if (!(is_digit(next) || ((next == '(' || next == ' ') && s[j] != next))) break;
      if (group) shape += std::to_string(group) + s[j];
      group = 0;
      ++j;
    }
    shape += std::to_string(group);
    bool bounded = end >= n || !(is_alnum(s[end]) || ((s[end] == '.' || s[end] == ',') && end + 1 < n && is_digit(s[end + 1])));
    bool date = shape == "4-2-2" || shape == "2-2-4";
    const char* mark = nullptr;
    if (bounded && !date) {
      if (!plus && digits >= 13 && digits <= 19) mark = "[card]";
      else if (digits >= 7 && digits <= 15 && (plus || digits <= 12)) mark = "[phone]";
    }
    if (mark) {
      out += mark;
      i = end;
    } else {
      // Not a number to hide: copy the run's digits through (and skip past them as one token).
      std::size_t stop = std::max(end, i + 1);
      out.append(s, i, stop - i);
      i = stop;
    }
  }
  return out;
}

std::string transcripts_text(const std::vector<Transcript>& transcripts, std::size_t max_bytes) {
  std::string out;
  for (const auto& t : transcripts) {
    std::string block = "Conversation " + t.conversation_id + " (" + t.platform + "):\n";
    for (const auto& [direction, text] : t.lines) {
      std::string line = redact(text);
      if (line.size() > 500) {
        std::size_t cut = 500;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // whole characters
        line = line.substr(0, cut) + "…";
      }
      for (char& ch : line)
        if (ch == '\n' || ch == '\r') ch = ' ';
      block += (direction == "in" ? "User: " : "Bot: ") + line + "\n";
    }
    if (out.size() + block.size() + 1 > max_bytes) break;
    out += block + "\n";
  }
  return out;
}

std::vector<ai::ChatMessage> insight_prompt(const json::object& aggregates, const std::string& transcripts) {
  std::string system =
      "You are an analyst for a team that runs customer-facing chatbots. From the analytics below, find what "
      "matters: where conversations fail, what people ask that the bots cannot answer, and what to change. "
      "Answer with one JSON object and nothing else, of this shape: "
      "{\"summary\": string (2-4 sentences), \"themes\": [{\"title\": string, \"detail\": string}] (1-6 items), "
      "\"recommendations\": [{\"title\": string, \"detail\": string}] (1-6 items)}. "
      "Rates are fractions (0.25 is 25%); times are milliseconds; null means no data. Never invent numbers.";
  std::string user = "Analytics (JSON):\n" + json::serialize(aggregates);
  if (!transcripts.empty())
    user += "\n\nRecent conversations (personal data redacted):\n" + transcripts;
  return {{"system", system}, {"user", user}};
}

Result<InsightAnswer> parse_answer(std::string_view text) {
  auto fail = [](const std::string& why) {
    return Error{"ai_failed", "The model's answer was not the report asked for: " + why + ".", {}};
  };
  std::string_view body = text;
  // A code fence around the object.
  if (auto open = body.find('{'), close = body.rfind('}');
      open != std::string_view::npos && close != std::string_view::npos && close > open)
    body = body.substr(open, close - open + 1);
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return fail("it is not a JSON object");
  const auto& o = v.as_object();
  InsightAnswer a;
  auto* summary = o.if_contains("summary");
  if (!summary || !summary->is_string() || summary->as_string().empty()) return fail("it has no summary");
  a.summary = std::string(summary->as_string()).substr(0, 4000);
  for (const char* name : {"themes", "recommendations"}) {
    auto* list = o.if_contains(name);
    if (!list || !list->is_array()) return fail(std::string("it has no list of ") + name);
    auto& into = std::string(name) == "themes" ? a.themes : a.recommendations;
    for (const auto& item : list->as_array()) {
      const auto* f = item.if_object();
      const json::value* title = f ? f->if_contains("title") : nullptr;
      const json::value* detail = f ? f->if_contains("detail") : nullptr;
      if (!title || !title->is_string() || !detail || !detail->is_string())
        return fail(std::string("an item of ") + name + " is not {title, detail}");
      if (into.size() < 10)
        into.push_back({std::string(title->as_string()).substr(0, 300), std::string(detail->as_string()).substr(0, 2000)});
    }
  }
  return a;
}

std::int64_t p90(std::vector<std::int64_t> values) {
  if (values.empty()) return 0;
  std::size_t rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(values.size())));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank - 1), values.end());
  return values[rank - 1];
}

InsightAnswer heuristic_findings(const std::vector<QuestionCount>& unanswered, const std::vector<Segment>& segments) {
  InsightAnswer a;
  auto label = [](const Segment& s) { return s.bot_name + " on " + s.platform; };
  // Under a second in milliseconds ("50 ms", not "0.0 s"), else seconds to one decimal.
  auto seconds = [](std::int64_t ms) {
    char buf[32];
    if (ms < 1000)
      std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(ms));
    else
      std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
    return std::string(buf);
  };
  auto average = [](std::int64_t sum, std::int64_t n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(sum) / static_cast<double>(n));
    return std::string(buf);
  };
  std::int64_t conversations = 0;
  for (const auto& s : segments) conversations += s.conversations;

  if (!unanswered.empty()) {
    std::string detail;
    for (const auto& q : unanswered)
      detail += (detail.empty() ? "" : "; ") + ("\"" + q.question + "\" (" + std::to_string(q.count) + "×)");
    a.themes.push_back({"Questions the bots could not answer", "Most asked: " + detail + "."});
    a.recommendations.push_back(
        {"Answer the top unanswered questions",
         "Add templates or knowledge for \"" + unanswered.front().question + "\" and the others listed; each one "
         "ended in the fallback reply."});
  }
  // Slowest segments by p90 of the time to first response.
  std::vector<std::pair<std::int64_t, const Segment*>> slow;
  for (const auto& s : segments)
    if (!s.first_response_ms.empty()) slow.emplace_back(p90(s.first_response_ms), &s);
  std::sort(slow.begin(), slow.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  if (!slow.empty()) {
    std::string detail;
    for (std::size_t i = 0; i < slow.size() && i < 3; ++i)
      detail += (i ? "; " : "") + label(*slow[i].second) + ": p90 " + seconds(slow[i].first);
    a.themes.push_back({"Slowest first responses", detail + "."});
    if (slow.front().first >= 5000)
      a.recommendations.push_back({"Speed up " + label(*slow.front().second),
                                   "Its slowest tenth of conversations wait " + seconds(slow.front().first) +
                                       " or more for the first reply; a template for common openings or a faster "
                                       "model would shorten that."});
  }
  // Satisfaction movers against the previous period.
  std::vector<std::pair<double, const Segment*>> moved;
  for (const auto& s : segments)
    if (s.ratings > 0 && s.previous_ratings > 0)
      moved.emplace_back(static_cast<double>(s.rating_sum) / s.ratings -
                             static_cast<double>(s.previous_rating_sum) / s.previous_ratings,
                         &s);
  std::sort(moved.begin(), moved.end(), [](const auto& x, const auto& y) { return std::abs(x.first) > std::abs(y.first); });
  if (!moved.empty() && moved.front().first != 0.0) {
    std::string detail;
    for (std::size_t i = 0; i < moved.size() && i < 3; ++i) {
      const auto& s = *moved[i].second;
      detail += (i ? "; " : "") + label(s) + ": " + average(s.previous_rating_sum, s.previous_ratings) + " → " +
                average(s.rating_sum, s.ratings);
    }
    a.themes.push_back({"Satisfaction changes against the previous period", detail + "."});
    if (moved.front().first < 0)
      a.recommendations.push_back({"Look into " + label(*moved.front().second),
                                   "Its satisfaction fell the most; read its recent low-rated conversations."});
  }
  a.summary = std::to_string(conversations) + " conversations in this period. ";
  if (a.themes.empty()) a.summary += "There is not enough data yet for findings.";
  else a.summary += "Findings from the numbers alone (no AI key is configured): " + std::to_string(a.themes.size()) +
                    (a.themes.size() == 1 ? " theme" : " themes") + " below.";
  return a;
}

}  // namespace sb::analytics
