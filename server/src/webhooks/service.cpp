// Webhook ingest and the simulator.
#include "webhooks/service.hpp"

#include <boost/json.hpp>

#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "jobs/store.hpp"
#include "orgs/permissions.hpp"
#include "webhooks/store.hpp"

namespace sb::webhooks {
namespace json = boost::json;

void WebhookService::ingest(const std::string& platform, const std::string& integration_id,
                            const integrations::InboundRequest& request,
                            std::function<void(Result<IngestOutcome>)> done) {
  auto reject = [&](const std::string& reason) {
    metrics_.increment("switchboard_webhook_rejected_total", {{"platform", platform}, {"reason", reason}});
  };
  auto target = integrations_.load_for_hook(platform, integration_id);
  if (!target) {
    reject(target.error().code == "not_found" ? "unknown_integration" : "credentials_unreadable");
    return done(target.error());
  }
  const auto& [integration, credentials] = *target;
  const auto* connector = integrations::find_connector(platform);
  auto auth = connector->authenticate(request, credentials);
  if (!auth.accepted) {
    reject(auth.reason);
    return done(Error::unauthenticated("The request signature does not match."));
  }
  IngestOutcome outcome;
  if (auth.reply_body) {
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
  outcome.ack = connector->acknowledgement();

  // Everything the unit of work needs is copied: it runs on the writer's thread later.
  std::int64_t now = clock_.now_ms();
  std::string payload_hash = crypto::sha256_hex(request.body);
  auto shared = std::make_shared<IngestOutcome>(outcome);
  int max_attempts = runner_.max_attempts_for(platform);
  auto work = [this, shared, parsed, integration, payload = request.body, payload_hash, now,
               max_attempts](db::Connection& conn) {
    // The unit may run a second time (batch_writer.hpp): start from nothing.
    *shared = IngestOutcome{shared->ack};
    auto deployment = deployment_for(conn, integration.id, now);
    auto event_for = [&](const std::string& key, const std::string& kind, const std::string& status) {
      return WebhookEvent{new_id("evt", now), integration.org_id, integration.id, integration.platform, key, kind,
                          status, payload, payload_hash, now};
    };
    for (const auto& m : parsed.messages) {
      std::string status = "accepted", kind = "message";
      if (!deployment) status = "ignored", kind = "no_bot_deployed";
      else if (deployment->status != "active") status = "ignored", kind = "deployment_paused";
      auto e = event_for(m.idempotency_key, kind, status);
      if (!store::insert_if_new(conn, e)) {
        ++shared->duplicates;
        continue;
      }
      ++shared->stored;
      shared->event_ids.push_back(e.id);
      if (status != "accepted") continue;
      jobs::MessageJob job;
      job.id = new_id("job", now);
      job.org_id = integration.org_id;
      job.integration_id = integration.id;
      job.deployment_id = deployment->deployment_id;
      job.bot_id = deployment->bot_id;
      job.event_id = e.id;
      job.platform = integration.platform;
      job.external_user_id = m.external_user_id;
      job.display_name = m.display_name;
      job.external_message_id = m.idempotency_key;
      job.reply_to = m.reply_to;
      job.inbound_text = m.text;
      job.max_attempts = max_attempts;
      job.next_run_at = now;
      job.created_at = job.updated_at = now;
      jobs::store::insert(conn, job);
      shared->job_ids.push_back(job.id);
    }
    for (const auto& [key, kind] : parsed.ignored) {
      auto e = event_for(key, kind, "ignored");
      if (store::insert_if_new(conn, e)) {
        ++shared->stored;
        shared->event_ids.push_back(e.id);
      } else {
        ++shared->duplicates;
      }
    }
  };
  writer_.submit(std::move(work), [this, shared, done = std::move(done)](std::optional<std::string> error) {
    if (error) {
      Error failed = Error::unavailable("The delivery could not be stored; deliver it again.");
      failed.retry_after_seconds = 1;
      return done(failed);
    }
    queue_depth_ += static_cast<std::int64_t>(shared->job_ids.size());
    if (!shared->job_ids.empty()) runner_.notify();
    done(*shared);
  });
}

std::optional<store::Target> WebhookService::deployment_for(db::Connection& conn, const std::string& integration_id,
                                                            std::int64_t now) {
  constexpr std::int64_t kCacheMs = 5000;  // a new or paused deployment takes effect within this time
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
  if (!errors.empty()) return Error::validation(errors);
  const auto* connector = integrations::find_connector(integration.platform);
  std::string path = "/hooks/" + integration.platform + "/" + integration.id;
  auto delivery = connector->simulate(text, user, integrations_.webhook_url(integration), target->second,
                                      clock_.now_ms() / 1000);
  if (delivery) {
    // Its id is random; should it ever match a stored one, the platform-side dedup would swallow it.
    auto conn = db_.acquire();
    for (int tries = 0; tries < 3 && store::find_by_key(*conn, integration.id, delivery->idempotency_key); ++tries)
      delivery = connector->simulate(text, user, integrations_.webhook_url(integration), target->second,
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
