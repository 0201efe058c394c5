// Platform id shapes and API URLs built with Boost.URL.
#include "integrations/ids.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <charconv>
#include <cstdint>
#include <stdexcept>

namespace sb::integrations::ids {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool alpha(char c) { return upper(c) || (c >= 'a' && c <= 'z'); }
bool hex(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

template <class Pred>
bool all_of(std::string_view v, Pred p) {
  for (char c : v)
    if (!p(c)) return false;
  return true;
}

bool digits(std::string_view v, std::size_t min, std::size_t max) {
  return v.size() >= min && v.size() <= max && all_of(v, digit);
}

}  // namespace

bool discord_snowflake(std::string_view v) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return digits(v, 17, 20) && ec == std::errc() && end == v.data() + v.size();
}

bool discord_interaction_token(std::string_view v) {
  return v.size() >= 1 && v.size() <= 512 && all_of(v, [](char c) { return alpha(c) || digit(c) || c == '-' || c == '_'; });
}

bool telegram_bot_token(std::string_view v) {
  auto colon = v.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view secret = v.substr(colon + 1);
  return digits(v.substr(0, colon), 1, 20) && !secret.empty() && secret.size() <= 200 &&
         all_of(secret, [](char c) { return alpha(c) || digit(c) || c == '-' || c == '_'; });
}

bool telegram_chat_id(std::string_view v) {
  if (!v.empty() && v[0] == '@') {
    std::string_view name = v.substr(1);
    return name.size() >= 4 && name.size() <= 32 && alpha(name[0]) &&
           all_of(name, [](char c) { return alpha(c) || digit(c) || c == '_'; });
  }
  std::string_view number = !v.empty() && v[0] == '-' ? v.substr(1) : v;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return digits(number, 1, 19) && ec == std::errc() && end == v.data() + v.size();
}

bool meta_numeric_id(std::string_view v) { return digits(v, 5, 25); }

bool whatsapp_recipient(std::string_view v) {
  if (!v.empty() && v[0] == '+') v.remove_prefix(1);
  return digits(v, 5, 20);
}

bool slack_conversation_id(std::string_view v) {
  return v.size() >= 2 && v.size() <= 32 && (v[0] == 'C' || v[0] == 'D' || v[0] == 'G' || v[0] == 'U' || v[0] == 'W') &&
         all_of(v, [](char c) { return upper(c) || digit(c); });
}

bool twilio_account_sid(std::string_view v) {
  return v.size() == 34 && v.substr(0, 2) == "AC" && all_of(v.substr(2), hex);
}

bool twilio_address(std::string_view v) {
  if (v.substr(0, 9) == "whatsapp:") v.remove_prefix(9);
  return v.size() >= 8 && v[0] == '+' && v[1] >= '1' && v[1] <= '9' && digits(v.substr(1), 7, 15);
}

std::string api_url(std::string_view base, std::initializer_list<std::string_view> segments,
                    std::initializer_list<std::pair<std::string_view, std::string_view>> query) {
  auto parsed = boost::urls::parse_absolute_uri(base);
  if (!parsed) throw std::invalid_argument("the platform base URL is not an absolute URL");
  boost::urls::url url(*parsed);
  auto path = url.segments();
  if (!path.empty() && path.back().empty()) path.pop_back();  // "https://host/api/" ends in an empty segment
  for (std::string_view s : segments) {
    if (s.empty() || s == "." || s == "..") throw std::invalid_argument("an empty or dot segment in a platform URL");
    path.push_back(s);  // encoded as needed: '/', '?', '#', '%' and spaces become %XX
  }
  auto params = url.params();
  for (const auto& [key, value] : query) params.append({key, value});
  return std::string(url.buffer());
}

}  // namespace sb::integrations::ids
