// Integration service.
#include "integrations/service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "integrations/platform_call.hpp"
#include "integrations/store.hpp"
#include "orgs/permissions.hpp"

namespace sb::integrations {
namespace {
namespace json = boost::json;

constexpr std::size_t kMaxCredentialLength = 2048;

Error unreadable() {
  return Error{"credentials_unreadable",
               "The stored credentials cannot be opened with this server's master key. If the key was rotated, "
               "restart every Switchboard process with the new key.",
               {}};
}

std::string seal_credentials(const MasterKeys& keys, const std::string& id, const Credentials& c) {
  json::object o;
  for (const auto& [k, v] : c) o[k] = v;
  return crypto::seal(keys.primary, json::serialize(o), id);
}

std::optional<Credentials> open_with(const std::string& key, const std::string& sealed, const std::string& id) {
  auto text = crypto::open(key, sealed, id);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  Credentials out;
  for (const auto& kv : v.as_object())
    if (kv.value().is_string()) out[std::string(kv.key())] = std::string(kv.value().as_string());
  return out;
}

std::string status_for(PlatformAnswer::Kind kind) {
  switch (kind) {
    case PlatformAnswer::Kind::ok:
    case PlatformAnswer::Kind::recipient: return "connected";  // the account works; one person is unreachable
    case PlatformAnswer::Kind::rejected:
    case PlatformAnswer::Kind::refused: return "invalid";
    case PlatformAnswer::Kind::unavailable: return "needs_attention";
  }
  return "needs_attention";
}

// Checks submitted values against the connector's schema. On create every required field must be
// there; on update an empty value keeps the stored one.
Result<Credentials> merge_credentials(const Connector& connector, const Credentials& stored,
                                      const CredentialInput& input, bool creating,
                                      std::map<std::string, std::string>& errors) {
  Credentials merged = stored;
  for (const auto& [field, value] : input) {
    bool known = false;
    for (const auto& f : connector.credential_schema()) known = known || f.name == field;
    if (!known) errors["credentials." + field] = std::string(connector.display_name()) + " has no field named " + field + ".";
  }
  for (const auto& f : connector.credential_schema()) {
    auto it = input.find(f.name);
    std::string value = it == input.end() ? "" : it->second;
    if (value.empty()) {
      if (creating && f.required) errors["credentials." + f.name] = "Enter the " + f.label + ".";
      continue;
    }
    if (value.size() > kMaxCredentialLength) {
      errors["credentials." + f.name] = "This is longer than any " + f.label + " (2,048 characters at most).";
      continue;
    }
    // The message never repeats the value: it is a secret.
    if (text::has_forbidden_controls(value, text::Lines::single)) {
      errors["credentials." + f.name] = text::kSingleLineMessage;
      continue;
    }
    if (f.check) {
      if (auto problem = f.check(value)) {
        errors["credentials." + f.name] = *problem;
        continue;
      }
    }
    merged[f.name] = value;
  }
  return merged;
}

json::object audit_fields(const Integration& i) {
  return json::object{{"platform", i.platform}, {"name", i.name}, {"in_doubt_policy", i.in_doubt_policy}};
}

}  // namespace

std::string IntegrationService::webhook_url(const Integration& i) const {
  return public_base_url_ + "/hooks/" + i.platform + "/" + i.id;
}

Result<Credentials> IntegrationService::open_credentials(const Integration& i) const {
  const std::string* key = keys_.find(i.credentials_key_id);
  if (!key) return unreadable();
  auto c = open_with(*key, i.credentials_sealed, i.id);
  if (!c) return unreadable();
  return *c;
}

IntegrationView IntegrationService::view(const Integration& i) const {
  IntegrationView v{i, {}, webhook_url(i)};
  const Connector* connector = find_connector(i.platform);
  auto creds = open_credentials(i);
  if (!connector) return v;
  for (const auto& f : connector->credential_schema()) {
    CredentialView cv{f.name, false, std::nullopt};
    if (creds) {
      auto it = creds->find(f.name);
      if (it != creds->end() && !it->second.empty()) {
        cv.set = true;
        // Four characters of a long value help tell keys apart; a short value shows nothing.
        if (it->second.size() >= 12) cv.hint = "…" + it->second.substr(it->second.size() - 4);
      }
    }
    v.credentials.push_back(std::move(cv));
  }
  v.integration.credentials_sealed.clear();
  return v;
}

Result<std::vector<IntegrationView>> IntegrationService::list(const AuthContext& ctx,
                                                              const std::optional<std::string>& platform) {
  if (!orgs::can(ctx, orgs::Action::integrations_read)) return Error::forbidden();
  auto conn = db_.acquire();
  std::vector<IntegrationView> out;
  for (const auto& i : store::list(*conn, ctx.org_id, platform)) out.push_back(view(i));
  return out;
}

Result<IntegrationView> IntegrationService::get(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::integrations_read)) return Error::forbidden();
  auto conn = db_.acquire();
  auto i = store::find(*conn, ctx.org_id, id);
  if (!i) return Error::not_found("No such integration.");
  return view(*i);
}

Result<IntegrationView> IntegrationService::create(const AuthContext& ctx, const std::string& platform,
                                                   const std::string& name, const CredentialInput& input) {
  if (!orgs::can(ctx, orgs::Action::integrations_manage))
    return Error::forbidden("Only owners and admins can connect platform accounts.");
  if (!ctx.email_verified) return email_unverified();
  std::map<std::string, std::string> errors;
  const Connector* connector = find_connector(platform);
  if (!connector) {
    errors["platform"] = "Choose one of telegram, whatsapp, messenger, slack, discord, twilio or webchat.";
    return Error::validation(errors);
  }
  if (name.empty()) errors["name"] = "Give the integration a name.";
  else if (name.size() > 80) errors["name"] = "Use at most 80 characters.";
  text::check(errors, "name", name, text::Lines::single);
  auto merged = merge_credentials(*connector, {}, input, true, errors);
  if (!errors.empty()) return Error::validation(errors);
  Credentials creds = *merged;
  if (connector->webhook_setup() == "set_webhook") creds[std::string(kWebhookSecretField)] = crypto::random_token(32);

  std::int64_t now = clock_.now_ms();
  Integration i;
  i.id = new_id("int", now);
  i.org_id = ctx.org_id;
  i.platform = platform;
  i.name = name;
  i.credentials_sealed = seal_credentials(keys_, i.id, creds);
  i.credentials_key_id = crypto::key_id(keys_.primary);
  i.created_at = i.updated_at = now;
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  if (store::name_taken(*conn, ctx.org_id, name, "")) return Error::conflict("Another integration is already called " + name + ".");
  // Counted and inserted in one transaction, so concurrent creations cannot overrun the plan.
  if (billing_)
    if (auto room = billing_->check_room(*conn, ctx.org_id, billing::Countable::integrations); !room)
      return room.error();
  store::insert(*conn, i);
  audit::record(*conn, ctx, ctx.org_id, "integration.created", {"integration", i.id, name}, now, std::nullopt,
                audit_fields(i));
  tx.commit();
  return view(i);
}

std::string IntegrationService::in_doubt_policy(const std::string& org_id, const std::string& integration_id) {
  auto conn = db_.acquire();
  auto found = store::find(*conn, org_id, integration_id);
  return found ? found->in_doubt_policy : "resend";
}

Result<IntegrationView> IntegrationService::update(const AuthContext& ctx, const std::string& id,
                                                   const std::optional<std::string>& name,
                                                   const CredentialInput& input,
                                                   const std::optional<std::string>& in_doubt_policy) {
  if (!orgs::can(ctx, orgs::Action::integrations_manage))
    return Error::forbidden("Only owners and admins can change platform accounts.");
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto found = store::find(*conn, ctx.org_id, id);
  if (!found) return Error::not_found("No such integration.");
  Integration i = *found;
  const Connector* connector = find_connector(i.platform);
  auto stored = open_credentials(i);
  if (!stored) return stored.error();
  std::map<std::string, std::string> errors;
  if (name && name->empty()) errors["name"] = "Give the integration a name.";
  else if (name && name->size() > 80) errors["name"] = "Use at most 80 characters.";
  if (name) text::check(errors, "name", *name, text::Lines::single);
  if (in_doubt_policy && *in_doubt_policy != "resend" && *in_doubt_policy != "hold")
    errors["in_doubt_policy"] = "Use resend or hold.";
  auto merged = merge_credentials(*connector, *stored, input, false, errors);
  if (!errors.empty()) return Error::validation(errors);
  if (name && store::name_taken(*conn, ctx.org_id, *name, id))
    return Error::conflict("Another integration is already called " + *name + ".");

  std::vector<std::string> changed;
  for (const auto& [field, value] : *merged)
    if (stored->count(field) == 0 || stored->at(field) != value) changed.push_back(field);
  json::object before = audit_fields(i);
  std::int64_t now = clock_.now_ms();
  if (name) i.name = *name;
  if (in_doubt_policy) i.in_doubt_policy = *in_doubt_policy;
  if (!changed.empty()) {
    i.credentials_sealed = seal_credentials(keys_, i.id, *merged);
    i.credentials_key_id = crypto::key_id(keys_.primary);
    // New credentials have not been checked; a new bot token also needs its webhook registered again.
    i.status = "unverified";
    i.status_reason = "";
    i.checked_at.reset();
    i.account.reset();
    if (std::find(changed.begin(), changed.end(), "bot_token") != changed.end()) i.webhook_registered_at.reset();
  }
  i.updated_at = now;
  store::update(*conn, i);
  json::object after = audit_fields(i);
  after["changed_fields"] = json::value_from(changed);  // names only; "credential" keys are redacted
  audit::record(*conn, ctx, ctx.org_id, "integration.updated", {"integration", i.id, i.name}, now, before, after);
  tx.commit();
  forget(i.id);
  return view(i);
}

Result<void> IntegrationService::remove(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::integrations_manage))
    return Error::forbidden("Only owners and admins can disconnect platform accounts.");
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto i = store::find(*conn, ctx.org_id, id);
  if (!i) return Error::not_found("No such integration.");
  store::remove(*conn, ctx.org_id, id);
  json::object before = audit_fields(*i);
  before["deployments_removed"] = i->deployment_count;
  audit::record(*conn, ctx, ctx.org_id, "integration.deleted", {"integration", i->id, i->name}, clock_.now_ms(), before);
  tx.commit();
  forget(id);
  return {};
}

Result<std::pair<Integration, Credentials>> IntegrationService::load_for_platform_call(const AuthContext& ctx,
                                                                                    const std::string& id,
                                                                                    const char* forbidden) {
  if (!orgs::can(ctx, orgs::Action::integrations_manage)) return Error::forbidden(forbidden);
  std::optional<Integration> i;
  {
    auto conn = db_.acquire();  // released before the platform call, which may take seconds
    i = store::find(*conn, ctx.org_id, id);
  }
  if (!i) return Error::not_found("No such integration.");
  auto creds = open_credentials(*i);
  if (!creds) return creds.error();
  return std::pair{std::move(*i), std::move(*creds)};
}

Result<IntegrationView> IntegrationService::verify(const AuthContext& ctx, const std::string& id) {
  auto loaded = load_for_platform_call(ctx, id, "Only owners and admins can verify platform accounts.");
  if (!loaded) return loaded.error();
  auto& [i, creds] = *loaded;
  const Connector* connector = find_connector(i.platform);
  auto refused = connector->refuse_unsafe(creds);
  auto answer = refused ? *refused : connector->verify(creds, client_, endpoints_);
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto current = store::find(*conn, ctx.org_id, id);
  if (!current) return Error::not_found("No such integration.");
  // Credentials edited while the call ran: this answer is about the old ones, so it is not stored.
  if (current->credentials_sealed != i.credentials_sealed) return view(*current);
  json::object before{{"status", current->status}, {"status_reason", current->status_reason}};
  current->status = status_for(answer.kind);
  current->status_reason = scrub(answer.message, creds);
  current->checked_at = now;
  if (answer.ok()) current->account = answer.account;
  // A refusal means the account the last check found is not what these credentials reach.
  if (current->status == "invalid") current->account.reset();
  store::update(*conn, *current);
  audit::record(*conn, ctx, ctx.org_id, "integration.verified", {"integration", current->id, current->name}, now,
                std::move(before), json::object{{"status", current->status}, {"status_reason", current->status_reason}});
  tx.commit();
  forget(current->id);
  return view(*current);
}

Result<ActionResult> IntegrationService::register_webhook(const AuthContext& ctx, const std::string& id) {
  auto loaded = load_for_platform_call(ctx, id, "Only owners and admins can register webhooks.");
  if (!loaded) return loaded.error();
  auto& [i, creds] = *loaded;
  const Connector* connector = find_connector(i.platform);
  std::string url = webhook_url(i);
  auto refused = connector->refuse_unsafe(creds);
  auto answer = refused && connector->webhook_setup() == "set_webhook"
                    ? refused
                    : connector->register_webhook(url, creds, client_, endpoints_);
  if (!answer)
    return Error::validation({{"platform", std::string(connector->display_name()) +
                                               " webhooks are set up in its own dashboard: paste the webhook URL "
                                               "there."}});
  ActionResult out{answer->ok(), scrub(answer->message, creds), answer->http_status, "", std::nullopt};
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  auto current = store::find(*conn, ctx.org_id, id);
  if (!current) return Error::not_found("No such integration.");
  if (answer->ok() && current->credentials_sealed == i.credentials_sealed) {
    std::int64_t now = clock_.now_ms();
    current->webhook_registered_at = now;
    current->updated_at = now;
    store::update(*conn, *current);
    audit::record(*conn, ctx, ctx.org_id, "integration.webhook_registered", {"integration", i.id, i.name}, now,
                  std::nullopt, json::object{{"webhook_url", url}});
  }
  tx.commit();
  forget(current->id);
  out.integration = view(*current);
  return out;
}

Result<ActionResult> IntegrationService::send_test_message(const AuthContext& ctx, const std::string& id,
                                                           const std::string& recipient, const std::string& text) {
  std::map<std::string, std::string> errors;
  if (recipient.empty()) errors["recipient"] = "Say who receives the message (a chat id, phone number or channel).";
  else if (recipient.size() > 256) errors["recipient"] = "Use at most 256 characters.";
  if (text.empty()) errors["text"] = "Write the message.";
  else if (text.size() > 4096) errors["text"] = "Use at most 4,096 characters.";
  text::check(errors, "recipient", recipient, text::Lines::single);
  text::check(errors, "text", text, text::Lines::multi);
  auto loaded = load_for_platform_call(ctx, id, "Only owners and admins can send test messages.");
  if (!loaded) return loaded.error();
  auto& [i, creds] = *loaded;
  const Connector* connector = find_connector(i.platform);
  // The recipient ends up in a URL or a request body: one of the wrong shape never leaves.
  if (!errors.count("recipient"))
    if (auto problem = connector->check_recipient(recipient)) errors["recipient"] = *problem;
  if (!errors.empty()) return Error::validation(errors);
  auto answer = connector->send({recipient, text}, creds, client_, endpoints_);
  ActionResult result{answer.ok(), scrub(answer.message, creds), answer.http_status, answer.platform_message_id,
                      std::nullopt};
  {
    // A message went out in the organisation's name: who sent what to whom, and how it went.
    auto conn = db_.acquire();
    audit::record(*conn, ctx, ctx.org_id, "integration.test_message_sent", {"integration", i.id, i.name},
                  clock_.now_ms(), std::nullopt,
                  json::object{{"recipient", recipient}, {"text", text}, {"ok", result.ok}, {"result", result.message}});
  }
  return result;
}

Result<std::shared_ptr<const IntegrationService::Account>> IntegrationService::cached(
    std::map<std::string, CachedHook>& cache, const std::string& id, const std::function<bool(const Integration&)>& fits,
    const std::function<std::optional<Integration>(db::Connection&)>& load, const std::string& missing) {
  // An edit drops the cached copies at once, in this process and (notified, ADR 0039) in the
  // others; this bounds how long a copy lives if a notification is lost.
  constexpr std::int64_t kCacheMs = 5000;
  std::int64_t now = clock_.now_ms();
  {
    std::lock_guard lock(cache_mu_);
    auto it = cache.find(id);
    if (it != cache.end() && now - it->second.loaded_at < kCacheMs && now >= it->second.loaded_at &&
        fits(it->second.account->integration))
      return it->second.account;
  }
  std::optional<Integration> i;
  {
    auto conn = db_.acquire();
    i = load(*conn);
  }
  if (!i) return Error::not_found(missing);
  auto creds = open_credentials(*i);
  if (!creds) return creds.error();
  auto account = std::make_shared<const Account>(Account{std::move(*i), std::move(*creds)});
  std::lock_guard lock(cache_mu_);
  if (cache.size() > 10000) cache.clear();
  cache[id] = {account, now};
  return account;
}

Result<std::shared_ptr<const IntegrationService::Account>> IntegrationService::load_for_hook(const std::string& platform,
                                                                                          const std::string& id) {
  if (!find_connector(platform)) return Error::not_found("No such webhook.");
  return cached(
      hook_cache_, id, [&](const Integration& i) { return i.platform == platform; },
      [&](db::Connection& conn) { return store::find_for_hook(conn, platform, id); }, "No such webhook.");
}

Result<std::shared_ptr<const IntegrationService::Account>> IntegrationService::sender(const std::string& org_id,
                                                                                   const std::string& integration_id) {
  // Workers ask for every batch: the account and its opened credentials are kept like a webhook's.
  return cached(
      sender_cache_, integration_id, [&](const Integration& i) { return i.org_id == org_id; },
      [&](db::Connection& conn) { return store::find(conn, org_id, integration_id); },
      "The integration was disconnected.");
}

void IntegrationService::forget(const std::string& integration_id) {
  drop_cached(integration_id);
  // The other processes drop their copies too (ADR 0039).
  if (changed_) changed_(integration_id);
}

void IntegrationService::drop_cached(const std::string& integration_id) {
  std::lock_guard lock(cache_mu_);
  hook_cache_.erase(integration_id);
  sender_cache_.erase(integration_id);
  limit_cache_.erase(integration_id);
}

void IntegrationService::drop_all_cached() {
  std::lock_guard lock(cache_mu_);
  hook_cache_.clear();
  sender_cache_.clear();
  limit_cache_.clear();
}

namespace {

// A connector that throws fails its own message only. The usual cause is a credential field
// missing from an old row (Credentials::at throws out_of_range).
PlatformAnswer could_not_send(const std::exception& e) {
  PlatformAnswer a;
  a.kind = PlatformAnswer::Kind::unavailable;
  a.message = dynamic_cast<const std::out_of_range*>(&e)
                  ? "The reply could not be sent: the stored credentials lack a field this platform needs. Edit the "
                    "integration and enter them again."
                  : std::string("The reply could not be sent: ") + e.what();
  return a;
}

}  // namespace

void IntegrationService::deliver_all(const std::vector<Delivery>& deliveries, std::size_t in_flight,
                                     const std::function<void(std::size_t, PlatformAnswer)>& done,
                                     const std::function<void()>& idle) {
  auto answer = [&](std::size_t i, const CallResult& result) {
    const auto& [sender, message] = deliveries[i];
    PlatformAnswer a;
    try {
      a = find_connector(sender->integration.platform)->read_send(message, result, sender->credentials);
    } catch (const std::exception& e) {
      a = could_not_send(e);
    }
    a.message = scrub(a.message, sender->credentials);
    done(i, std::move(a));
  };
  std::vector<http::ClientRequest> requests;
  std::vector<std::size_t> delivery_of;  // request index → delivery index
  std::map<const Account*, std::optional<PlatformAnswer>> credentials_checked;
  for (std::size_t i = 0; i < deliveries.size(); ++i) {
    const auto& [sender, message] = deliveries[i];
    std::optional<http::ClientRequest> request;
    try {
      const Connector* connector = find_connector(sender->integration.platform);
      // A credential from an old row or a reply target from an old job of the wrong shape is
      // refused here, before its id can reach a URL. The credentials are checked once per account
      // in a batch (the checks are regular expressions); the recipient, every time.
      auto checked = credentials_checked.find(sender);
      if (checked == credentials_checked.end())
        checked = credentials_checked.emplace(sender, connector->refuse_unsafe(sender->credentials)).first;
      auto refused = checked->second;
      if (!refused) refused = connector->refuse_unsafe({}, &message.recipient);
      if (refused) {
        refused->message = scrub(refused->message, sender->credentials);
        done(i, std::move(*refused));
        continue;
      }
      request = connector->send_request(message, sender->credentials, endpoints_);
    } catch (const std::exception& e) {
      auto a = could_not_send(e);
      a.message = scrub(a.message, sender->credentials);
      done(i, std::move(a));
      continue;
    }
    if (!request) {
      answer(i, CallResult{});  // the platform takes no sends; its connector says why
      continue;
    }
    requests.push_back(with_limits(std::move(*request), endpoints_));
    delivery_of.push_back(i);
  }
  client_.send_all(
      requests, in_flight,
      [&](std::size_t r, Result<http::ClientResponse> response) {
        std::size_t i = delivery_of[r];
        auto name = find_connector(deliveries[i].first->integration.platform)->display_name();
        answer(i, call_result(std::move(response), name, endpoints_));
      },
      idle);
}

RateLimit default_rate_limit(const std::string& platform) {
  if (platform == "telegram") return {30, 60};    // ~30 msg/s per bot, ~1 msg/s per chat
  if (platform == "whatsapp") return {80, 10};    // 80 mps per number; about 1 per 6 s to one user
  if (platform == "messenger") return {100, 60};  // not published: Graph throttling codes decide
  if (platform == "slack") return {20, 60};       // chat.postMessage: ~1 msg/s per channel
  if (platform == "discord") return {50, 60};     // 50 requests/s per bot; 5 per 5 s per channel
  if (platform == "twilio") return {1, 60};       // 1 segment/s per long code
  return {30, 60};
}

RateLimit max_rate_limit(const std::string& platform) {
  if (platform == "telegram") return {1000, 60};   // paid broadcasts
  if (platform == "whatsapp") return {1000, 10};   // upgraded numbers
  if (platform == "messenger") return {1000, 60};
  if (platform == "slack") return {100, 60};
  if (platform == "discord") return {50, 60};
  if (platform == "twilio") return {400, 60};      // short codes
  return {1000, 60};
}

Result<RateLimitView> IntegrationService::rate_limits(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::integrations_read)) return Error::forbidden();
  auto conn = db_.acquire();
  auto i = store::find(*conn, ctx.org_id, id);
  if (!i) return Error::not_found("No such integration.");
  if (i->platform == "webchat")
    return Error::validation({{"platform", "The web chat answers on its own page; it has no sending limits."}});
  auto own = store::rate_limit(*conn, ctx.org_id, id);
  RateLimitView v;
  v.defaults = default_rate_limit(i->platform);
  v.max = max_rate_limit(i->platform);
  v.effective = own.value_or(v.defaults);
  v.customised = own.has_value();
  return v;
}

Result<RateLimitView> IntegrationService::set_rate_limits(const AuthContext& ctx, const std::string& id,
                                                          const RateLimit& limit) {
  if (!orgs::can(ctx, orgs::Action::integrations_manage))
    return Error::forbidden("Only owners and admins can change sending limits.");
  {
    auto conn = db_.acquire();
    auto i = store::find(*conn, ctx.org_id, id);
    if (!i) return Error::not_found("No such integration.");
    if (i->platform == "webchat")
      return Error::validation({{"platform", "The web chat answers on its own page; it has no sending limits."}});
    RateLimit max = max_rate_limit(i->platform);
    std::map<std::string, std::string> errors;
    if (limit.per_second < 1 || limit.per_second > max.per_second)
      errors["per_second"] = "Use 1 to " + std::to_string(max.per_second) + " messages a second for " +
                             std::string(find_connector(i->platform)->display_name()) + ".";
    if (limit.per_chat_per_minute < 1 || limit.per_chat_per_minute > max.per_chat_per_minute)
      errors["per_chat_per_minute"] = "Use 1 to " + std::to_string(max.per_chat_per_minute) + " messages a minute to one chat.";
    if (!errors.empty()) return Error::validation(errors);
    db::Transaction tx(*conn);
    store::set_rate_limit(*conn, ctx.org_id, id, limit, clock_.now_ms());
    audit::record(*conn, ctx, ctx.org_id, "integration.rate_limits_changed", {"integration", i->id, i->name},
                  clock_.now_ms(), std::nullopt,
                  json::object{{"per_second", limit.per_second}, {"per_chat_per_minute", limit.per_chat_per_minute}});
    tx.commit();
  }
  forget(id);
  return rate_limits(ctx, id);
}

Result<void> IntegrationService::reset_rate_limits(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::integrations_manage))
    return Error::forbidden("Only owners and admins can change sending limits.");
  auto conn = db_.acquire();
  auto i = store::find(*conn, ctx.org_id, id);
  if (!i) return Error::not_found("No such integration.");
  db::Transaction tx(*conn);
  store::remove_rate_limit(*conn, ctx.org_id, id);
  audit::record(*conn, ctx, ctx.org_id, "integration.rate_limits_reset", {"integration", i->id, i->name},
                clock_.now_ms());
  tx.commit();
  forget(id);
  return {};
}

RateLimit IntegrationService::effective_rate_limit(const std::string& org_id, const std::string& integration_id,
                                                   const std::string& platform) {
  constexpr std::int64_t kCacheMs = 5000;  // if a notification from another process was lost
  std::int64_t now = clock_.now_ms();
  {
    std::lock_guard lock(cache_mu_);
    auto it = limit_cache_.find(integration_id);
    if (it != limit_cache_.end() && now - it->second.second < kCacheMs) return it->second.first;
  }
  RateLimit limit = default_rate_limit(platform);
  {
    auto conn = db_.acquire();
    if (auto own = store::rate_limit(*conn, org_id, integration_id)) limit = *own;
  }
  std::lock_guard lock(cache_mu_);
  if (limit_cache_.size() > 10000) limit_cache_.clear();
  limit_cache_[integration_id] = {limit, now};
  return limit;
}

Result<std::size_t> reseal_all_credentials(db::Database& db, const MasterKeys& keys, const std::string& new_key) {
  std::string new_id = crypto::key_id(new_key);
  auto conn = db.acquire();
  db::Transaction tx(*conn);
  auto rows = store::all_sealed(*conn);
  for (auto& row : rows) {
    auto sealed = reseal(keys, new_key, row.sealed, row.key_id, row.id);
    if (!sealed)
      return Error{"credentials_unreadable",
                   "Integration " + row.id + " cannot be opened with the current master key; nothing was changed.", {}};
    row.sealed = std::move(*sealed);
    row.key_id = new_id;
    store::update_sealed(*conn, row);
  }
  tx.commit();
  return rows.size();
}

}  // namespace sb::integrations
