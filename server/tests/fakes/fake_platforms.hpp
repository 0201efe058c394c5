// A fake of the outbound APIs of Telegram, Meta Graph (WhatsApp, Messenger), Slack, Discord and Twilio, scriptable per service.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace sb::test {

// What the next call to a service meets. Each failure answers in that platform's own error shape.
// timeout: waits delay_ms (3000 when 0) and then answers ok, so the client under test gives up first.
// invalid_recipient: send calls only (verify calls answer ok); the platform's "no such chat/user" error.
// blocked: send calls only; the person will not be reached (blocked the bot, reply window closed,
// opted out), in the platform's own words: Telegram 403 "bot was blocked by the user", WhatsApp
// 131047, Messenger 551, Slack is_archived, Discord 50007, Twilio 21610.
enum class FakeKind { ok, unauthorized, forbidden, rate_limited, server_error, timeout, malformed, invalid_recipient, blocked };

struct FakeOutcome {
  FakeKind kind = FakeKind::ok;
  int retry_after_seconds = 3;  // rate_limited: Retry-After header and the platform's own field
  long delay_ms = 0;            // waited before answering, whatever the kind
};

struct PlatformRequest {
  std::string service;        // "telegram" | "graph" | "slack" | "discord" | "twilio"; "" outside them
  std::string method;         // "GET", "POST", "PATCH"
  std::string path;           // decoded, after the /<service> prefix, e.g. "/bot123:ABC/sendMessage"
                              // (the whole path for a request outside every service)
  std::string target;         // the request target exactly as received: encoded path and query
  bool known_route = true;    // false: no API of the fake has this path (answered 404)
  std::string query;          // raw, without '?'
  std::string authorization;  // the Authorization header as received
  std::string content_type;
  std::string body;
};

struct SentMessage {
  std::string service;              // as in PlatformRequest ("graph" for WhatsApp and Messenger)
  std::string recipient;            // chat_id, to, recipient.id, channel, channel id, To; a Discord
                                    // interaction webhook's recipient is its interaction token
  std::string text;
  std::string platform_message_id;  // message_id, wamid.…, m_…, ts, snowflake, SM…
  // The rating buttons that went with it, by what each answers: Telegram callback_data, WhatsApp
  // list row ids, Messenger quick reply payloads, Slack button values, Discord custom_ids.
  std::vector<std::string> buttons = {};
};

class FakePlatforms {
 public:
  // blocking_threads: how many answers may be in progress at once (timeouts hold one each).
  // port 0 picks a free one. inline_answers: answers are made on the I/O thread instead, with no
  // hand-off to a pool, for loads that script no delay (the end-to-end benchmark): a scripted
  // delay would then hold every other answer up.
  explicit FakePlatforms(int blocking_threads = 8, unsigned short port = 0, bool inline_answers = false);
  ~FakePlatforms();
  FakePlatforms(const FakePlatforms&) = delete;
  FakePlatforms& operator=(const FakePlatforms&) = delete;

  // service: "telegram" | "graph" (WhatsApp and Messenger) | "slack" | "discord" | "twilio"
  std::string base_url(const std::string& service) const;  // "http://127.0.0.1:<port>/<service>"
  std::string root_url() const;                              // "http://127.0.0.1:<port>"
  // Outcomes for the next calls to that service, in order; the last one repeats. Default: {ok}.
  // Every request to the service takes one, verify calls and rejected ones included.
  // Throws std::invalid_argument for an unknown service.
  void script(const std::string& service, std::vector<FakeOutcome> outcomes);
  void reset();                                   // every service back to ok; requests, sent and the webhook cleared
  std::vector<PlatformRequest> requests();        // every request received, in order
  std::vector<SentMessage> sent();                // every message accepted by a send call
  std::string telegram_webhook_url();             // last url given to setWebhook ("" if none)
  std::string telegram_webhook_secret();          // last secret_token given to setWebhook
  // The application id /applications/@me reports; interaction webhooks of another id answer 404.
  void set_discord_application_id(std::string id);

 private:
  void add_telegram_routes();
  void add_graph_routes();
  void add_slack_routes();
  void add_discord_routes();
  void add_twilio_routes();
  void add_control_routes();
  // Every path no platform route matches, up to 16 segments and any method, is recorded and
  // answered 404: a request that escaped its API's path (a traversal in an id) shows up here.
  void add_unknown_routes();
  http::Response telegram(const http::Request& req, const std::string& method);
  // Records the request, takes the service's next outcome and waits out its delay.
  FakeOutcome begin(const std::string& service, const http::Request& req);
  void record_sent(SentMessage message);
  long long next_number();  // for message ids: increasing across every service and reset()

  void add_route(http::Method method, std::string pattern, http::Handler handler);
  bool inline_answers_ = false;
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::Server> server_;
  unsigned short port_ = 0;
  std::mutex mu_;
  std::condition_variable stop_cv_;  // wakes answers that are waiting out a delay when the fake stops
  bool stopping_ = false;
  std::map<std::string, std::deque<FakeOutcome>> outcomes_;
  std::vector<PlatformRequest> requests_;
  std::vector<SentMessage> sent_;
  std::string telegram_webhook_url_;
  std::string telegram_webhook_secret_;
  std::string discord_application_id_ = "123456789012345678";
  std::map<std::string, std::pair<std::string, std::string>> discord_nonces_;  // channel\nnonce → id, content
  long long counter_ = 0;
};

}  // namespace sb::test
