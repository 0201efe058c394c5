// Webhook ingest and the simulator.
#include "webhooks/service.hpp"

#include <boost/json.hpp>
#include <deque>
#include <unordered_map>

#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "db/multi_row.hpp"
#include "jobs/store.hpp"
#include "orgs/permissions.hpp"
#include "webhooks/store.hpp"

namespace sb::webhooks {
namespace json = boost::json;

// One delivery on its way into the group commit. Everything is prepared on the I/O thread (ids,
// hash, the parsed messages moved in), so the writer's thread only binds and steps statements.
class WebhookService::IngestUnit final : public db::BatchWriter::Unit {
 public:
  IngestUnit() : Unit(&IngestUnit::run_all) {}

  void done(std::optional<std::string> error) override {
    if (error) {
      Error failed = Error::unavailable("The delivery could not be stored; deliver it again.");
      failed.retry_after_seconds = 1;
      return reply(failed);
    }
    IngestOutcome outcome;
    outcome.ack = std::move(ack);
    for (auto& e : events) {
      if (!e.stored) {
        ++outcome.duplicates;
        continue;
      }
      ++outcome.stored;
      outcome.event_ids.push_back(std::move(e.id));
      if (e.job_stored) outcome.job_ids.push_back(std::move(e.job_id));
    }
    service->queue_depth_ += static_cast<std::int64_t>(outcome.job_ids.size());
    if (!outcome.job_ids.empty()) service->runner_.notify();
    reply(std::move(outcome));
  }

  struct Event {
    std::string id;
    std::string job_id;                                // messages only
    const integrations::InboundMessage* message = nullptr;  // null: ignored by the connector
    std::string_view ignored_kind;
    std::string_view key;
    // Set by the last run.
    std::string_view kind, status;
    bool stored = false;
    bool job_stored = false;
    bool over_quota = false;  // its job sends the over-quota notice and ends skipped
  };

  WebhookService* service = nullptr;
  std::string org_id, integration_id, platform;
  std::string payload, payload_hash;
  std::int64_t now = 0;
  std::int64_t max_attempts = 0;
  usage::MessageQuota quota;  // read before the transaction; counted inside it
  integrations::ParsedDelivery parsed;
  std::vector<Event> events;  // messages first, then what the connector ignored, as parsed
  integrations::Acknowledgement ack;
  std::function<void(Result<IngestOutcome>)> reply;
  const store::Target* target = nullptr;  // set by run_all, for its length only

 private:
  static void run_all(db::Connection& conn, std::span<Unit* const> units);
  // Counts the stored messages of each organisation and marks those past its monthly quota.
  static void count_messages(db::Connection& conn, std::span<Unit* const> units);
  static void insert_sqlite(db::Connection& conn, std::span<Unit* const> units);
  static void insert_postgres(db::Connection& conn, std::span<Unit* const> units);
};

namespace {

// PostgreSQL: one statement per table for the whole batch, its rows passed as arrays.
constexpr std::string_view kInsertEventsPg =
    "INSERT INTO webhook_events (id, org_id, integration_id, platform, idempotency_key, kind, status, payload, "
    "payload_hash, received_at) "
    "SELECT id, org_id, integration_id, platform, idempotency_key, kind, status, payload, payload_hash, received_at "
    "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], "
    "$9::text[], $10::bigint[]) WITH ORDINALITY AS t(id, org_id, integration_id, platform, idempotency_key, kind, "
    "status, payload, payload_hash, received_at, n) ORDER BY n "
    "ON CONFLICT (integration_id, idempotency_key) DO NOTHING RETURNING id";
constexpr std::string_view kInsertJobsPg =
    "INSERT INTO message_jobs (id, org_id, integration_id, deployment_id, bot_id, event_id, platform, "
    "external_user_id, display_name, external_message_id, reply_to, inbound_text, state, attempts, max_attempts, "
    "next_run_at, created_at, updated_at, reason_kind) "
    "SELECT id, org_id, integration_id, deployment_id, bot_id, event_id, platform, external_user_id, display_name, "
    "external_message_id, reply_to, inbound_text, 'queued', 0, max_attempts, at, at, at, NULLIF(reason_kind, '') "
    "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], "
    "$9::text[], $10::text[], $11::text[], $12::text[], $13::bigint[], $14::bigint[], $15::text[]) WITH ORDINALITY "
    "AS t(id, org_id, integration_id, deployment_id, bot_id, event_id, platform, external_user_id, display_name, "
    "external_message_id, reply_to, inbound_text, max_attempts, at, reason_kind, n) ORDER BY n";

// A PostgreSQL array literal in text form, built one element at a time.
class ArrayText {
 public:
  void add(std::string_view v) {
    out_ += out_.empty() ? "{\"" : ",\"";
    for (char c : v) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }
  void add(std::int64_t v) {
    out_ += out_.empty() ? '{' : ',';
    out_ += std::to_string(v);
  }
  std::string take() {
    if (out_.empty()) return "{}";
    out_ += '}';
    return std::move(out_);
  }
  void reserve(std::size_t n) { out_.reserve(n); }

 private:
  std::string out_;
};

}  // namespace

void WebhookService::IngestUnit::run_all(db::Connection& conn, std::span<Unit* const> units) {
  // Which deployment answers decides each event's status and the job's deployment and bot; it is
  // looked up once per integration and run, and lives until the inserts are done.
  std::deque<std::optional<store::Target>> deployments;
  const std::string* last_integration = nullptr;
  for (auto* unit : units) {
    auto& u = *static_cast<IngestUnit*>(unit);
    if (!last_integration || *last_integration != u.integration_id) {
      deployments.push_back(u.service->deployment_for(conn, u.integration_id, u.now));
      last_integration = &u.integration_id;
    }
    const auto& deployment = deployments.back();
    u.target = deployment ? &*deployment : nullptr;
    // The unit may run a second time (batch_writer.hpp): start from nothing.
    for (auto& e : u.events) {
      e.stored = e.job_stored = false;
      if (!e.message) {
        e.kind = e.ignored_kind, e.status = "ignored";
      } else if (!deployment) {
        e.kind = "no_bot_deployed", e.status = "ignored";
      } else if (deployment->status != "active") {
        e.kind = "deployment_paused", e.status = "ignored";
      } else {
        e.kind = "message", e.status = "accepted";
      }
    }
  }
  if (conn.dialect() == db::Dialect::postgres) insert_postgres(conn, units);
  else insert_sqlite(conn, units);
}

namespace {

// SQLite: rows go in multi-row statements of up to kRowsPerStatement rows each.
constexpr std::size_t kRowsPerStatement = 32;
const db::MultiRowInsert kInsertEvents(
    "INSERT INTO webhook_events (id, org_id, integration_id, platform, idempotency_key, kind, status, payload, "
    "payload_hash, received_at)",
    10, " ON CONFLICT (integration_id, idempotency_key) DO NOTHING", kRowsPerStatement);
constexpr std::string_view kEventStored = "SELECT 1 FROM webhook_events WHERE id = $1";
const db::MultiRowInsert kInsertJobs(
    "INSERT INTO message_jobs (id, org_id, integration_id, deployment_id, bot_id, event_id, platform, "
    "external_user_id, display_name, external_message_id, reply_to, inbound_text, state, attempts, "
    "max_attempts, next_run_at, created_at, updated_at, reason_kind)",
    19, "", kRowsPerStatement);

}  // namespace

void WebhookService::IngestUnit::insert_sqlite(db::Connection& conn, std::span<Unit* const> units) {
  using db::ValueRef;
  struct Row {
    IngestUnit* unit;
    Event* event;
  };
  std::vector<Row> rows;
  for (auto* unit : units)
    for (auto& e : static_cast<IngestUnit*>(unit)->events) rows.push_back({static_cast<IngestUnit*>(unit), &e});
  std::vector<ValueRef> params;
  params.reserve(kRowsPerStatement * 19);
  // Events, in order: within one statement the first of two events with the same key is stored
  // and the second is not, as with one statement each. When the statement stored fewer rows than
  // it had, the stored ones are those whose (new) id is in the table. (RETURNING would name them,
  // but it gathers its rows in a temporary B-tree for every statement, repeats or not.)
  for (std::size_t from = 0; from < rows.size(); from += kRowsPerStatement) {
    const std::size_t count = std::min(kRowsPerStatement, rows.size() - from);
    params.clear();
    for (std::size_t i = from; i < from + count; ++i) {
      const auto& u = *rows[i].unit;
      const auto& e = *rows[i].event;
      params.insert(params.end(), {e.id, u.org_id, u.integration_id, u.platform, e.key, e.kind, e.status, u.payload,
                                   u.payload_hash, u.now});
    }
    const bool all = conn.execute_refs(kInsertEvents.sql(count), params) == static_cast<std::int64_t>(count);
    for (std::size_t i = from; i < from + count; ++i) {
      const ValueRef id[] = {rows[i].event->id};
      rows[i].event->stored = all || !conn.query_refs(kEventStored, id).empty();
    }
  }
  count_messages(conn, units);
  // Jobs for the stored events that a deployment answers.
  std::vector<Row> jobs;
  for (const auto& r : rows)
    if (r.event->stored && r.event->status == "accepted") jobs.push_back(r);
  for (std::size_t from = 0; from < jobs.size(); from += kRowsPerStatement) {
    const std::size_t count = std::min(kRowsPerStatement, jobs.size() - from);
    params.clear();
    for (std::size_t i = from; i < from + count; ++i) {
      const auto& u = *jobs[i].unit;
      const auto& e = *jobs[i].event;
      const auto& m = *e.message;
      params.insert(params.end(), {e.job_id, u.org_id, u.integration_id, std::string_view(u.target->deployment_id),
                                   std::string_view(u.target->bot_id), e.id, u.platform, m.external_user_id,
                                   m.display_name, m.idempotency_key, m.reply_to, m.text, std::string_view("queued"),
                                   std::int64_t{0}, u.max_attempts, u.now, u.now, u.now,
                                   e.over_quota ? db::ValueRef(std::string_view("quota")) : db::ValueRef(nullptr)});
    }
    conn.execute_refs(kInsertJobs.sql(count), params);
    for (std::size_t i = from; i < from + count; ++i) jobs[i].event->job_stored = true;
  }
}

void WebhookService::IngestUnit::insert_postgres(db::Connection& conn, std::span<Unit* const> units) {
  std::vector<Event*> all;
  for (auto* unit : units)
    for (auto& e : static_cast<IngestUnit*>(unit)->events) all.push_back(&e);
  if (all.empty()) return;
  {
    ArrayText id, org, integration, platform, key, kind, status, payload, hash, at;
    for (auto* unit : units) {
      auto& u = *static_cast<IngestUnit*>(unit);
      for (auto& e : u.events) {
        id.add(e.id), org.add(u.org_id), integration.add(u.integration_id), platform.add(u.platform);
        key.add(e.key), kind.add(e.kind), status.add(e.status), payload.add(u.payload), hash.add(u.payload_hash);
        at.add(u.now);
      }
    }
    auto rows = conn.query(kInsertEventsPg, {id.take(), org.take(), integration.take(), platform.take(), key.take(),
                                              kind.take(), status.take(), payload.take(), hash.take(), at.take()});
    // Within one statement the first of two events with the same key is stored, the second not.
    std::unordered_map<std::string_view, Event*> by_id;
    by_id.reserve(all.size());
    for (auto* e : all) by_id.emplace(e->id, e);
    for (const auto& r : rows) {
      if (auto it = by_id.find(*r.at(0)); it != by_id.end()) it->second->stored = true;
    }
  }
  count_messages(conn, units);
  ArrayText id, org, integration, deployment, bot, event, platform, user, name, message, reply_to, text, attempts, at,
      reason;
  bool any = false;
  for (auto* unit : units) {
    auto& u = *static_cast<IngestUnit*>(unit);
    for (auto& e : u.events) {
      if (!e.stored || e.status != "accepted") continue;
      const auto& m = *e.message;
      id.add(e.job_id), org.add(u.org_id), integration.add(u.integration_id);
      deployment.add(u.target->deployment_id), bot.add(u.target->bot_id), event.add(e.id), platform.add(u.platform);
      user.add(m.external_user_id), name.add(m.display_name), message.add(m.idempotency_key);
      reply_to.add(m.reply_to), text.add(m.text), attempts.add(u.max_attempts), at.add(u.now);
      reason.add(std::string_view(e.over_quota ? "quota" : ""));
      e.job_stored = true;
      any = true;
    }
  }
  if (!any) return;
  conn.execute(kInsertJobsPg, {id.take(), org.take(), integration.take(), deployment.take(), bot.take(), event.take(),
                               platform.take(), user.take(), name.take(), message.take(), reply_to.take(), text.take(),
                               attempts.take(), at.take(), reason.take()});
}

void WebhookService::IngestUnit::count_messages(db::Connection& conn, std::span<Unit* const> units) {
  // Per organisation and period, in a fixed order (PostgreSQL: counter rows are locked in the same
  // order by every process, so two batches never wait for each other in a circle).
  struct Counted {
    const IngestUnit* unit = nullptr;  // whose quota applies
    std::vector<Event*> events;
  };
  std::map<std::pair<std::string_view, std::int64_t>, Counted> counted;
  for (auto* unit : units) {
    auto& u = *static_cast<IngestUnit*>(unit);
    for (auto& e : u.events) e.over_quota = false;
    if (!u.quota.counted || !u.service->usage_) continue;
    for (auto& e : u.events) {
      if (!e.stored || e.status != "accepted") continue;
      auto& c = counted[{u.org_id, u.quota.period_start}];
      if (!c.unit) c.unit = &u;
      c.events.push_back(&e);
    }
  }
  for (auto& [key, c] : counted) {
    const auto n = static_cast<std::int64_t>(c.events.size());
    std::int64_t within = c.unit->service->usage_->count_messages(conn, c.unit->org_id, c.unit->quota, n);
    for (std::int64_t i = within; i < n; ++i) c.events[static_cast<std::size_t>(i)]->over_quota = true;
  }
}

void WebhookService::ingest(const std::string& platform, const std::string& integration_id,
                            integrations::InboundRequest& request, std::function<void(Result<IngestOutcome>)> done) {
  // The platform comes from the URL, so anyone can name one: only known platforms become a label
  // value, or every made-up name would add a time series. Reasons are the connectors' fixed texts.
  auto reject = [&](const std::string& reason) {
    const std::string label = integrations::find_connector(platform) ? platform : "unknown";
    metrics_.increment("switchboard_webhook_rejected_total", {{"platform", label}, {"reason", reason}});
  };
  auto target = integrations_.load_for_hook(platform, integration_id);
  if (!target) {
    reject(target.error().code == "not_found" ? "unknown_integration" : "credentials_unreadable");
    return done(target.error());
  }
  const auto& credentials = (*target)->credentials;
  const auto& integration = (*target)->integration;
  const auto* connector = integrations::find_connector(platform);
  auto auth = connector->authenticate(request, credentials);
  if (!auth.accepted) {
    reject(auth.reason);
    return done(Error::unauthenticated("The request signature does not match."));
  }
  if (auth.reply_body) {
    IngestOutcome outcome;
    outcome.handshake = true;
    outcome.ack = {*auth.reply_body, auth.reply_content_type};
    return done(outcome);
  }
  auto parsed = connector->parse(request);
  if (parsed.error) {
    reject("unreadable");
    return done(Error{"bad_request", "The delivery cannot be read: " + *parsed.error + ".", {}});
  }
  if (queue_depth_.load() + static_cast<std::int64_t>(writer_.depth()) >= settings_.queue_bound) {
    reject("queue_full");
    Error busy = Error::unavailable("Too many messages are waiting; deliver this one again later.");
    busy.retry_after_seconds = settings_.busy_retry_after_seconds;  // platforms redeliver
    return done(busy);
  }

  // Everything the writer needs is made here and moved into the unit: the writer's thread only
  // binds it. The ids are made now; a duplicate's are never used.
  auto unit = std::make_unique<IngestUnit>();
  auto& u = *unit;
  u.service = this;
  u.ack = connector->acknowledgement();
  u.now = clock_.now_ms();
  u.payload_hash = crypto::sha256_hex(request.body);
  u.payload = std::move(request.body);
  u.max_attempts = runner_.max_attempts_for(platform);
  u.org_id = integration.org_id;
  // Entitlements are cached by the billing service: read here, not on the writer's thread.
  if (usage_ && !parsed.messages.empty()) u.quota = usage_->message_quota(u.org_id);
  u.integration_id = integration.id;
  u.platform = integration.platform;
  u.parsed = std::move(parsed);
  u.events.reserve(u.parsed.messages.size() + u.parsed.ignored.size());
  for (const auto& m : u.parsed.messages) {
    auto& e = u.events.emplace_back();
    e.id = new_id("evt", u.now);
    e.job_id = new_id("job", u.now);
    e.message = &m;
    e.key = m.idempotency_key;
  }
  for (const auto& [key, kind] : u.parsed.ignored) {
    auto& e = u.events.emplace_back();
    e.id = new_id("evt", u.now);
    e.ignored_kind = kind;
    e.key = key;
  }
  u.reply = std::move(done);
  writer_.submit(std::move(unit));
}

std::optional<store::Target> WebhookService::deployment_for(db::Connection& conn, const std::string& integration_id,
                                                            std::int64_t now) {
  constexpr std::int64_t kCacheMs = 5000;  // changes drop it at once (ADR 0039); this, if a notice was lost
  {
    std::lock_guard lock(deployments_mu_);
    auto it = deployments_.find(integration_id);
    if (it != deployments_.end() && now - it->second.second < kCacheMs && now >= it->second.second)
      return it->second.first;
  }
  auto target = store::deployment_for(conn, integration_id);
  std::lock_guard lock(deployments_mu_);
  if (deployments_.size() > 10000) deployments_.clear();
  deployments_[integration_id] = {target, now};
  return target;
}

void WebhookService::drop_deployment(const std::string& integration_id) {
  std::lock_guard lock(deployments_mu_);
  deployments_.erase(integration_id);
}

void WebhookService::drop_all_deployments() {
  std::lock_guard lock(deployments_mu_);
  deployments_.clear();
}

void WebhookService::refresh_queue_depth() {
  auto conn = db_.acquire();
  queue_depth_ = jobs::store::pending_count(*conn);
}

Result<WebhookEvent> WebhookService::event(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::jobs_read)) return Error::forbidden();
  auto conn = db_.acquire();
  auto e = store::find(*conn, ctx.org_id, id);
  if (!e) return Error::not_found("No such event.");
  e->payload = redact_payload(e->payload);
  return *e;
}

Result<SimulateOutcome> WebhookService::simulate(const AuthContext& ctx, const std::string& integration_id,
                                                 const std::string& text,
                                                 const std::optional<std::string>& external_user_id) {
  if (!orgs::can(ctx, orgs::Action::jobs_manage))
    return Error::forbidden("Only owners and admins can send simulated deliveries.");
  std::map<std::string, std::string> errors;
  if (text.empty()) errors["text"] = "Write the message the customer sends.";
  else if (text.size() > 4096) errors["text"] = "Use at most 4,096 characters.";
  auto found = integrations_.get(ctx, integration_id);
  if (!found) return found.error();
  const auto& integration = found->integration;
  auto target = integrations_.load_for_hook(integration.platform, integration.id);
  if (!target) return target.error();
  static const std::map<std::string, std::string> default_user = {
      {"telegram", "100200300"}, {"whatsapp", "15551230000"}, {"messenger", "7000000000001"},
      {"slack", "USIMULATED"},   {"twilio", "+15551230000"}};
  std::string user = external_user_id && !external_user_id->empty()
                         ? *external_user_id
                         : (default_user.count(integration.platform) ? default_user.at(integration.platform) : "");
  if (integration.platform == "telegram" && (user.empty() || user.size() > 18 ||
                                             user.find_first_not_of("0123456789") != std::string::npos))
    errors["external_user_id"] = "A Telegram user id is a number.";
  if (user.size() > 200) errors["external_user_id"] = "Use at most 200 characters.";
  text::check(errors, "text", text, text::Lines::multi);
  text::check(errors, "external_user_id", user, text::Lines::single);
  if (!errors.empty()) return Error::validation(errors);
  const auto* connector = integrations::find_connector(integration.platform);
  std::string path = "/hooks/" + integration.platform + "/" + integration.id;
  auto delivery = connector->simulate(text, user, integrations_.webhook_url(integration), (*target)->credentials,
                                      clock_.now_ms() / 1000);
  if (delivery) {
    // Its id is random; should it ever match a stored one, the platform-side dedup would swallow it.
    auto conn = db_.acquire();
    for (int tries = 0; tries < 3 && store::find_by_key(*conn, integration.id, delivery->idempotency_key); ++tries)
      delivery = connector->simulate(text, user, integrations_.webhook_url(integration), (*target)->credentials,
                                     clock_.now_ms() / 1000);
  }
  if (!delivery)
    return Error::validation({{"integration_id", std::string(connector->display_name()) +
                                                     " deliveries can only be signed by " +
                                                     std::string(connector->display_name()) + " itself."}});
  std::int64_t sent_at = clock_.now_ms();
  http::ClientRequest req{"POST", self_url_ + path, delivery->headers, delivery->body};
  req.headers.emplace_back("Content-Type", delivery->content_type);
  auto res = client_.send(req);
  if (!res) return Error::unavailable("The simulated delivery did not reach this server: " + res.error().message);
  if (res->status != 200)
    return Error{"simulation_failed",
                 "The server answered the simulated delivery with HTTP " + std::to_string(res->status) + ".",
                 {{"status", res->status}}};
  auto conn = db_.acquire();
  auto e = store::find_by_key(*conn, integration.id, delivery->idempotency_key);
  if (!e) return Error::internal();
  SimulateOutcome out{e->id, "", e->received_at < sent_at};
  for (const auto& r : conn->query("SELECT id FROM message_jobs WHERE event_id = $1", {e->id})) out.job_id = r.text("id");
  return out;
}

std::string redact_payload(const std::string& payload) {
  boost::system::error_code ec;
  auto v = json::parse(payload, ec);
  if (ec) return payload;
  std::function<void(json::value&)> walk = [&](json::value& node) {
    if (node.is_object()) {
      for (auto& kv : node.as_object()) {
        std::string key(kv.key());
        for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        bool secret = key.find("token") != std::string::npos || key.find("secret") != std::string::npos ||
                      key.find("signature") != std::string::npos || key.find("password") != std::string::npos;
        if (secret && kv.value().is_string()) kv.value() = "[redacted]";
        else walk(kv.value());
      }
    } else if (node.is_array()) {
      for (auto& item : node.as_array()) walk(item);
    }
  };
  walk(v);
  return json::serialize(v);
}

}  // namespace sb::webhooks
