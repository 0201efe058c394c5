// AI settings service.
#include "ai/service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <regex>
#include <set>

#include "ai/openrouter.hpp"
#include "ai/store.hpp"
#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "core/logging.hpp"
#include "orgs/permissions.hpp"

namespace sb::ai {
namespace json = boost::json;

bool valid_model_id(std::string_view id) {
  static const std::regex pattern(R"(^[a-z0-9][a-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._:-]*$)");
  return !id.empty() && id.size() <= 100 && std::regex_match(id.begin(), id.end(), pattern);
}

namespace {
constexpr std::size_t kMaxAllowedModels = 100;
constexpr std::size_t kMaxModels = 5000;

// A key goes into an Authorization header: printable ASCII without spaces, nothing else.
bool plausible_key(const std::string& key) {
  return !key.empty() && key.size() <= 200 &&
         std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::optional<std::string> string_field(const json::object& o, const char* name) {
  auto* v = o.if_contains(name);
  return v && v->is_string() ? std::optional<std::string>(std::string(v->as_string())) : std::nullopt;
}

json::array to_json(const std::vector<std::string>& list) {
  json::array out;
  for (const auto& s : list) out.emplace_back(s);
  return out;
}
}  // namespace

AiSettingsService::AiSettingsService(db::Database& db, const Clock& clock, const MasterKeys& keys,
                                     http::HttpClient& http, const CircuitBreakers& breakers, AiSettingsConfig config)
    : db_(db), clock_(clock), keys_(keys), http_(http), breakers_(breakers), config_(std::move(config)) {
  while (!config_.base_url.empty() && config_.base_url.back() == '/') config_.base_url.pop_back();
}

std::string AiSettingsService::open_key(const OrgAiSettings& s) const {
  if (!s.key_sealed) return {};
  const std::string* key = s.key_key_id ? keys_.find(*s.key_key_id) : nullptr;
  auto plain = key ? crypto::open(*key, *s.key_sealed, s.org_id) : std::nullopt;
  if (!plain) {
    // No secret in the log: which organisation, and that its key cannot be opened.
    log::error("organisation OpenRouter key cannot be opened with the master key", {{"org_id", s.org_id}});
    return {};
  }
  return *plain;
}

AiSettingsService::Cached AiSettingsService::cached(const std::string& org_id) {
  std::int64_t now = clock_.now_ms();
  std::uint64_t drops = 0;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(org_id);
    if (it != cache_.end() && now - it->second.loaded_at < config_.cache_ms) return it->second;
    drops = drops_;
  }
  Cached fresh;
  fresh.loaded_at = now;
  {
    auto conn = db_.acquire();
    if (auto s = store::find(*conn, org_id)) {
      fresh.own_key = open_key(*s);
      fresh.allowed_models = s->allowed_models;
    }
  }
  std::lock_guard lock(mu_);
  // Dropped while it was read: what was read may be older than the change, so it is not kept.
  if (drops != drops_) return fresh;
  if (cache_.size() > 100000) cache_.clear();
  cache_[org_id] = fresh;
  return fresh;
}

void AiSettingsService::forget(const std::string& org_id) {
  drop_cached(org_id);
  // The other processes drop their copies too (ADR 0039).
  if (changed_) changed_(org_id);
}

void AiSettingsService::drop_cached(const std::string& org_id) {
  std::lock_guard lock(mu_);
  ++drops_;
  cache_.erase(org_id);
}

void AiSettingsService::drop_all_cached() {
  std::lock_guard lock(mu_);
  ++drops_;
  cache_.clear();
}

std::string AiSettingsService::key_for(const std::string& org_id) {
  auto c = cached(org_id);
  if (!c.own_key.empty()) return c.own_key;
  return config_.shared_key_allowed ? config_.installation_key : std::string();
}

std::vector<std::string> AiSettingsService::allowed_models(const std::string& org_id) {
  return cached(org_id).allowed_models;
}

AiSettingsView AiSettingsService::view(const AuthContext& ctx, OrgAiSettings settings, const std::string& own_key) {
  AiSettingsView v;
  v.installation_key = config_.installation_key.empty() ? "none" : config_.shared_key_allowed ? "available" : "forbidden";
  std::string key;
  if (!own_key.empty()) {
    v.using_key = KeySource::organization;
    key = own_key;
  } else if (v.installation_key == "available") {
    v.using_key = KeySource::installation;
    key = config_.installation_key;
  }
  if (!key.empty()) {
    v.fingerprint = key_fingerprint(config_.base_url, key);
    auto b = breakers_.state(v.fingerprint);
    v.health = b.state;
    v.health_reason = b.reason;
    v.health_since = b.since_ms;
  }
  v.can_manage = orgs::can(ctx, orgs::Action::ai_manage);
  settings.key_sealed.reset();  // the view never carries the key, not even sealed
  settings.key_key_id.reset();
  v.settings = std::move(settings);
  return v;
}

Result<AiSettingsView> AiSettingsService::get(const AuthContext& ctx) {
  if (!orgs::can(ctx, orgs::Action::bots_read)) return Error::forbidden("You cannot see this organization's AI settings.");
  OrgAiSettings s;
  s.org_id = ctx.org_id;
  {
    auto conn = db_.acquire();
    if (auto found = store::find(*conn, ctx.org_id)) s = *found;
  }
  std::string own = open_key(s);
  return view(ctx, std::move(s), own);
}

Result<void> AiSettingsService::verify_key(const std::string& key) {
  http::ClientRequest req;
  req.url = config_.base_url + "/key";
  req.timeout_ms = config_.timeout_ms;
  req.headers = {{"Authorization", "Bearer " + key}, {"Accept", "application/json"}};
  auto res = http_.send(req);
  if (!res)
    return Error::unavailable("Could not reach OpenRouter to check the key (" +
                              std::string(res.error().code == "timeout" ? "it did not answer in time" : "no connection") +
                              "). Nothing was saved; try again.");
  if (res->status == 200) return {};
  if (res->status == 401 || res->status == 403)
    return Error::validation({{"api_key", "OpenRouter rejected this key (" + std::to_string(res->status) + ")."}});
  if (res->status == 402)
    return Error::validation({{"api_key", "The OpenRouter account of this key has no credit left (402)."}});
  return Error::unavailable("OpenRouter could not check the key right now (" + std::to_string(res->status) +
                            "). Nothing was saved; try again.");
}

Result<AiSettingsView> AiSettingsService::update(const AuthContext& ctx, const AiSettingsInput& in) {
  if (!orgs::can(ctx, orgs::Action::ai_manage))
    return Error::forbidden("Only owners and admins can change the organization's AI settings.");
  if (!ctx.email_verified) return email_unverified();
  std::map<std::string, std::string> errors;
  if (in.api_key && !plausible_key(*in.api_key))
    errors["api_key"] = "Paste the whole OpenRouter key (it starts with sk-or-, has no spaces, at most 200 characters).";
  std::vector<std::string> models;
  if (in.allowed_models) {
    std::set<std::string> seen;
    for (const auto& m : *in.allowed_models) {
      if (!valid_model_id(m)) {
        errors["allowed_models"] = "\"" + m.substr(0, 100) + "\" is not an OpenRouter model id such as openai/gpt-4o-mini.";
        break;
      }
      if (seen.insert(m).second) models.push_back(m);
    }
    if (models.size() > kMaxAllowedModels)
      errors["allowed_models"] = "List at most " + std::to_string(kMaxAllowedModels) + " models.";
  }
  if (!in.api_key && !in.allowed_models) errors["api_key"] = "Send api_key, allowed_models or both.";
  if (!errors.empty()) return Error::validation(errors);
  if (in.api_key)
    if (auto ok = verify_key(*in.api_key); !ok) return ok.error();

  std::int64_t now = clock_.now_ms();
  OrgAiSettings s;
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    s.org_id = ctx.org_id;
    if (auto found = store::find(*conn, ctx.org_id)) s = *found;
    audit::Target target{"organization", ctx.org_id, "AI settings"};
    if (in.api_key) {
      s.key_sealed = crypto::seal(keys_.primary, *in.api_key, ctx.org_id);
      s.key_key_id = crypto::key_id(keys_.primary);
      s.key_set_at = now;
      s.key_set_by = ctx.user_id.empty() ? std::nullopt : std::optional<std::string>(ctx.user_id);
      s.key_verified_at = now;
      audit::record(*conn, ctx, ctx.org_id, "ai.key_set", target, now);
    }
    if (in.allowed_models && models != s.allowed_models) {
      json::object before{{"allowed_models", to_json(s.allowed_models)}};
      s.allowed_models = models;
      audit::record(*conn, ctx, ctx.org_id, "ai.models_changed", target, now, before,
                    json::object{{"allowed_models", to_json(models)}});
    }
    s.updated_at = now;
    store::save(*conn, s);
    tx.commit();
  }
  forget(ctx.org_id);
  std::string own = open_key(s);
  return view(ctx, std::move(s), own);
}

Result<AiSettingsView> AiSettingsService::remove_key(const AuthContext& ctx) {
  if (!orgs::can(ctx, orgs::Action::ai_manage))
    return Error::forbidden("Only owners and admins can change the organization's AI settings.");
  std::int64_t now = clock_.now_ms();
  OrgAiSettings s;
  s.org_id = ctx.org_id;
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    if (auto found = store::find(*conn, ctx.org_id)) s = *found;
    if (s.key_sealed) {
      s.key_sealed.reset();
      s.key_key_id.reset();
      s.key_set_at.reset();
      s.key_set_by.reset();
      s.key_verified_at.reset();
      s.updated_at = now;
      store::save(*conn, s);
      audit::record(*conn, ctx, ctx.org_id, "ai.key_removed", {"organization", ctx.org_id, "AI settings"}, now);
    }
    tx.commit();
  }
  forget(ctx.org_id);
  return view(ctx, std::move(s), {});
}

ModelList AiSettingsService::models() {
  std::lock_guard lock(models_mu_);
  std::int64_t now = clock_.now_ms();
  bool fresh = models_.fetched_at && now - models_.fetched_at < config_.models_cache_ms;
  bool tried_lately = models_tried_at_ && now - models_tried_at_ < config_.models_retry_ms;
  if (fresh || tried_lately) return models_;
  models_tried_at_ = now;
  http::ClientRequest req;
  req.url = config_.base_url + "/models";
  req.timeout_ms = config_.timeout_ms;
  req.headers = {{"Accept", "application/json"}};
  auto res = http_.send(req);
  std::optional<std::string> error;
  ModelList loaded;
  if (!res) {
    error = "OpenRouter could not be reached.";
  } else if (res->status != 200) {
    error = "OpenRouter answered " + std::to_string(res->status) + ".";
  } else {
    boost::system::error_code ec;
    auto body = json::parse(res->body, ec);
    const json::array* data = nullptr;
    if (!ec && body.is_object())
      if (auto* d = body.as_object().if_contains("data")) data = d->if_array();
    if (!data) {
      error = "OpenRouter sent a model list we could not read.";
    } else {
      for (const auto& item : *data) {
        if (loaded.models.size() >= kMaxModels) break;
        if (!item.is_object()) continue;
        const auto& o = item.as_object();
        auto id = string_field(o, "id");
        if (!id || !valid_model_id(*id)) continue;
        ModelInfo m;
        m.id = *id;
        m.name = string_field(o, "name").value_or(*id).substr(0, 200);
        if (auto* c = o.if_contains("context_length"); c && c->is_int64()) m.context_length = c->as_int64();
        if (auto* p = o.if_contains("pricing"); p && p->is_object()) {
          m.prompt_price = string_field(p->as_object(), "prompt");
          m.completion_price = string_field(p->as_object(), "completion");
        }
        loaded.models.push_back(std::move(m));
      }
      std::sort(loaded.models.begin(), loaded.models.end(),
                [](const ModelInfo& a, const ModelInfo& b) { return a.id < b.id; });
      loaded.fetched_at = now;
      models_ = std::move(loaded);
      return models_;
    }
  }
  // Keep what was loaded before (stale is better than empty) and say why it is not fresh.
  log::warn("ai model list not loaded", {{"reason", *error}});
  models_.error = error;
  return models_;
}

Result<std::size_t> reseal_all_keys(db::Database& db, const MasterKeys& keys, const std::string& new_key) {
  std::string new_id = crypto::key_id(new_key);
  auto conn = db.acquire();
  db::Transaction tx(*conn);
  auto rows = store::all_sealed(*conn);
  for (auto& row : rows) {
    auto sealed = reseal(keys, new_key, row.sealed, row.key_id, row.org_id);
    if (!sealed)
      return Error{"credentials_unreadable",
                   "The OpenRouter key of organization " + row.org_id +
                       " cannot be opened with the current master key; nothing was changed.",
                   {}};
    row.sealed = std::move(*sealed);
    row.key_id = new_id;
    store::update_sealed(*conn, row);
  }
  tx.commit();
  return rows.size();
}

}  // namespace sb::ai
