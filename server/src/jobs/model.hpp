// Reply jobs: one per delivered message, its attempts and changes of state, and how to find them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sb::jobs {

// queued → processing → succeeded | failed → (retry) processing … → dead; cancelled by an operator;
// skipped: the organisation was past its monthly message quota when the message came in (the bot's
// over-quota notice was sent once, no model was asked, never retried). in_doubt: its send started and
// its process died before the answer was recorded, and the integration holds such replies for an
// operator (resend or discard, ADR 0040).
struct MessageJob {
  std::string id;
  std::string org_id;
  std::string integration_id;
  std::string integration_name;  // read only
  std::optional<std::string> deployment_id;
  std::optional<std::string> bot_id;
  std::optional<std::string> bot_name;  // read only
  std::string event_id;
  std::string platform;
  std::string external_user_id;
  std::string display_name;
  std::string external_message_id;
  std::string reply_to;
  std::string inbound_text;
  std::optional<std::string> reply_text;
  std::optional<std::string> reply_source;
  std::optional<std::string> platform_message_id;
  std::string state = "queued";
  std::int64_t attempts = 0;
  std::int64_t max_attempts = 6;
  std::int64_t next_run_at = 0;
  std::optional<std::string> lease_owner;
  std::optional<std::int64_t> lease_expires_at;
  std::optional<std::string> last_error;
  // Why a dead job stopped, for people and filters: recipient (the platform will not deliver to
  // this person or chat), credentials, request, unavailable (attempts ran out), setup (no bot or
  // no usable account), quota (skipped; set when the message was stored past the monthly quota).
  // Otherwise null while the job can still succeed.
  std::optional<std::string> reason_kind;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> finished_at;
  // The attempt whose send started (marked before a batch's sends, ADR 0040). Greater than
  // `attempts` while that send's answer is not recorded: if the worker died, the send is in doubt.
  std::optional<std::int64_t> send_attempt;
  std::optional<std::int64_t> send_started_at;

  bool send_in_doubt() const { return send_attempt && *send_attempt > attempts; }
  bool finished() const {
    return state == "succeeded" || state == "dead" || state == "cancelled" || state == "skipped";
  }
};

struct JobLog {
  std::string id;
  std::string job_id;
  std::string org_id;
  std::int64_t at = 0;
  std::string worker;
  std::string kind;  // attempt | state
  std::optional<std::string> from_state;
  std::optional<std::string> to_state;
  std::string outcome;
  std::optional<std::int64_t> http_status;
  std::optional<std::int64_t> latency_ms;
  std::optional<std::string> error;
};

struct JobFilter {
  std::vector<std::string> states;
  std::optional<std::string> bot_id;
  std::optional<std::string> platform;
  std::optional<std::string> integration_id;
  std::optional<std::string> q;
  std::optional<std::string> reason_kind;
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> to;
};

struct JobPage {
  std::vector<MessageJob> items;
  std::int64_t total = 0;
  std::optional<std::string> next_cursor;
};

struct JobStats {
  std::map<std::string, std::int64_t> counts;
  std::int64_t received = 0, succeeded = 0, failed = 0, dead = 0, skipped = 0;
  std::optional<std::int64_t> p50_ms, p95_ms;
  struct Minute {
    std::int64_t minute = 0;
    std::int64_t received = 0, succeeded = 0, failed = 0;
  };
  std::vector<Minute> per_minute;
};

}  // namespace sb::jobs
