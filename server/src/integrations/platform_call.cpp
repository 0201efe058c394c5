// Shared connector helpers: calls, status wording, scrubbing, encodings.
#include "integrations/platform_call.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>

#include "core/crypto.hpp"

namespace sb::integrations {
namespace json = boost::json;

std::string seconds_text(long ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
  return buf;
}

http::ClientRequest with_limits(http::ClientRequest request, const PlatformEndpoints& endpoints) {
  request.timeout_ms = endpoints.timeout_ms;
  request.connect_timeout_ms = std::min<long>(endpoints.timeout_ms, 5000);
  return request;
}

CallResult call_result(Result<http::ClientResponse> res, std::string_view name, const PlatformEndpoints& endpoints) {
  CallResult out;
  if (!res) {
    PlatformAnswer a;
    a.kind = PlatformAnswer::Kind::unavailable;
    const auto& code = res.error().code;
    a.maybe_delivered = http::may_have_arrived(res.error());
    a.message = code == "timeout" ? std::string(name) + " did not answer within " + seconds_text(endpoints.timeout_ms) + "."
                : code == "no_answer"
                    ? "The connection to " + std::string(name) + " broke after the request was sent, before " +
                          std::string(name) + " answered (" + res.error().message + ")."
                    : "Switchboard could not reach " + std::string(name) + " (" + res.error().message + ").";
    out.failure = a;
    return out;
  }
  out.response = std::move(*res);
  boost::system::error_code ec;
  out.body = json::parse(out.response.body, ec);
  out.json_ok = !ec;
  if (ec) out.body = nullptr;
  return out;
}

CallResult call_platform(http::HttpClient& client, http::ClientRequest request, std::string_view name,
                         const PlatformEndpoints& endpoints) {
  return call_result(client.send(with_limits(std::move(request), endpoints)), name, endpoints);
}

PlatformAnswer Connector::send(const OutboundMessage& message, const Credentials& credentials,
                               http::HttpClient& client, const PlatformEndpoints& endpoints) const {
  if (auto refused = refuse_unsafe(credentials, &message.recipient)) return *refused;
  auto request = send_request(message, credentials, endpoints);
  CallResult result;
  if (request) result = call_platform(client, std::move(*request), display_name(), endpoints);
  return read_send(message, result, credentials);
}

std::optional<PlatformAnswer> Connector::refuse_unsafe(const Credentials& credentials,
                                                       const std::string* recipient) const {
  PlatformAnswer a;
  a.kind = PlatformAnswer::Kind::refused;
  for (const auto& f : credential_schema()) {
    auto it = credentials.find(f.name);
    if (it == credentials.end() || !f.check || !f.check(it->second)) continue;
    // The value is not repeated: it may be a secret, and it is the problem, not the explanation.
    std::string label = f.label;
    if (!label.empty()) label[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(label[0])));
    a.message = "The stored " + label + " is not a valid " + std::string(display_name()) +
                " value, so Switchboard did not call " + std::string(display_name()) +
                ". Edit the integration and enter it again.";
    return a;
  }
  if (recipient)
    if (auto problem = check_recipient(*recipient)) {
      a.message = std::string(display_name()) + " cannot send to this recipient: " + *problem;
      return a;
    }
  return std::nullopt;
}

ParsedDelivery Connector::parse(const InboundRequest& request) const {
  ParsedDelivery out = read_delivery(request);
  auto unanswerable = [this](const InboundMessage& m) { return check_recipient(m.reply_to).has_value(); };
  if (std::none_of(out.messages.begin(), out.messages.end(), unanswerable)) return out;
  std::vector<InboundMessage> answerable;
  answerable.reserve(out.messages.size());
  for (auto& m : out.messages) {
    if (check_recipient(m.reply_to)) out.ignored.emplace_back(std::move(m.idempotency_key), "invalid_recipient");
    else answerable.push_back(std::move(m));
  }
  out.messages = std::move(answerable);
  return out;
}

PlatformAnswer answer_for_status(std::string_view name, long status, std::string_view detail,
                                 std::string_view what_rejected) {
  PlatformAnswer a;
  a.http_status = status;
  std::string n(name);
  std::string tail = detail.empty() ? "" : ": " + std::string(detail);
  if (status == 401 || status == 403) {
    a.kind = PlatformAnswer::Kind::rejected;
    a.message = n + " rejected " + std::string(what_rejected) + " (" + std::to_string(status) + ")" + tail + ".";
  } else if (status == 429) {
    a.kind = PlatformAnswer::Kind::unavailable;
    a.message = n + " is limiting requests (429); try again later" + tail + ".";
  } else if (status == 408 || status >= 500) {
    a.kind = PlatformAnswer::Kind::unavailable;
    a.message = n + " had a server error (" + std::to_string(status) + "); try again later" + tail + ".";
  } else {
    a.kind = PlatformAnswer::Kind::refused;
    a.message = n + " refused the request (" + std::to_string(status) + ")" + tail + ".";
  }
  return a;
}

PlatformAnswer not_json(std::string_view name, long status) {
  PlatformAnswer a;
  a.kind = PlatformAnswer::Kind::unavailable;
  a.http_status = status;
  a.message = std::string(name) + " answered with something that is not JSON (HTTP " + std::to_string(status) +
              "); try again later.";
  return a;
}

PlatformAnswer recipient_unreachable(std::string_view name, long status, std::string_view what_happened,
                                     std::string_view detail) {
  PlatformAnswer a;
  a.kind = PlatformAnswer::Kind::recipient;
  a.http_status = status;
  // Slack says no with HTTP 200; a status adds nothing then.
  std::string where = std::string(name) + (status && status != 200 ? " " + std::to_string(status) : "");
  a.message = std::string(what_happened) + " (" + where +
              (detail.empty() ? "" : ": " + std::string(detail)) +
              "). Retrying cannot help; the account itself is fine.";
  return a;
}

int retry_after_header(const http::ClientResponse& response) {
  std::string v = response.header("retry-after");
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 6) return 0;
  return std::stoi(v);
}

std::string scrub(std::string text, const Credentials& credentials) {
  for (const auto& [name, value] : credentials) {
    if (value.size() < 4) continue;
    for (auto pos = text.find(value); pos != std::string::npos; pos = text.find(value, pos))
      text.replace(pos, value.size(), "[redacted]");
  }
  return text;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += boost::urls::encode(k, boost::urls::unreserved_chars, opts);
    out += '=';
    out += boost::urls::encode(v, boost::urls::unreserved_chars, opts);
  }
  return out;
}

std::string basic_auth(const std::string& user, const std::string& password) {
  return "Basic " + crypto::base64_encode(user + ":" + password);
}

std::optional<std::string> check_pattern(const std::string& value, const char* regex, const std::string& message) {
  if (std::regex_match(value, std::regex(regex))) return std::nullopt;
  return message;
}

std::string string_at(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* cur = &v;
  for (auto key : path) {
    if (!cur->is_object()) return "";
    cur = cur->as_object().if_contains(key);
    if (!cur) return "";
  }
  if (cur->is_string()) return std::string(cur->as_string());
  if (cur->is_int64()) return std::to_string(cur->as_int64());
  if (cur->is_uint64()) return std::to_string(cur->as_uint64());
  return "";
}

}  // namespace sb::integrations
