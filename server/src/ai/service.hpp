// AI settings rules: each organisation's own OpenRouter key (verified with OpenRouter before it is
// saved, sealed with the master key, never returned) and the models its bots may use; which key an
// organisation's replies use (its own first, then the installation's unless the operator forbids
// that); OpenRouter's model list, cached.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ai/circuit_breaker.hpp"
#include "ai/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/master_key.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/client.hpp"

namespace sb::ai {

// An OpenRouter model id such as openai/gpt-4o-mini (vendor/name, optionally :variant).
bool valid_model_id(std::string_view id);

struct AiSettingsConfig {
  std::string base_url;          // OpenRouter's API base, without a trailing slash
  std::string installation_key;  // OPENROUTER_API_KEY; empty: none
  bool shared_key_allowed = true;
  std::int64_t cache_ms = 30 * 1000;          // a fallback: changes in any process drop it at once (ADR 0039)
  std::int64_t models_cache_ms = 60 * 60 * 1000;
  std::int64_t models_retry_ms = 60 * 1000;   // after a failed load of the model list
  long timeout_ms = 10000;                    // the key check and the model list
};

class AiSettingsService {
 public:
  AiSettingsService(db::Database& db, const Clock& clock, const MasterKeys& keys, http::HttpClient& http,
                    const CircuitBreakers& breakers, AiSettingsConfig config);

  Result<AiSettingsView> get(const AuthContext& ctx);
  // Owners and admins. A new key is checked with OpenRouter (GET /key) before anything is saved.
  Result<AiSettingsView> update(const AuthContext& ctx, const AiSettingsInput& input);
  Result<AiSettingsView> remove_key(const AuthContext& ctx);
  // OpenRouter's models (GET /models needs no key), loaded at most once an hour.
  ModelList models();

  // The key an organisation's replies use; empty: none (templates answer). Cached per organisation.
  std::string key_for(const std::string& org_id);
  // True when the organisation's replies are paid with its own key (not the installation's).
  bool uses_own_key(const std::string& org_id) { return !cached(org_id).own_key.empty(); }
  // The models an organisation's bots may use; empty: any.
  std::vector<std::string> allowed_models(const std::string& org_id);

  // Called after a change to an organisation's settings is committed, so that the other processes
  // drop their copies too (ADR 0039).
  void on_change(std::function<void(const std::string& org_id)> changed) { changed_ = std::move(changed); }
  // Drops this process's copy (a change made in any process).
  void drop_cached(const std::string& org_id);
  // Drops every copy (notifications may have been missed).
  void drop_all_cached();

 private:
  struct Cached {
    std::string own_key;  // plaintext; empty: none
    std::vector<std::string> allowed_models;
    std::int64_t loaded_at = 0;
  };
  Cached cached(const std::string& org_id);
  void forget(const std::string& org_id);
  AiSettingsView view(const AuthContext& ctx, OrgAiSettings settings, const std::string& own_key);
  Result<void> verify_key(const std::string& key);
  std::string open_key(const OrgAiSettings& s) const;

  db::Database& db_;
  const Clock& clock_;
  const MasterKeys& keys_;
  http::HttpClient& http_;
  const CircuitBreakers& breakers_;
  AiSettingsConfig config_;
  std::mutex mu_;
  std::map<std::string, Cached> cache_;
  // Counts drops: a load that started before a drop does not store what it read.
  std::uint64_t drops_ = 0;
  std::function<void(const std::string&)> changed_;
  std::mutex models_mu_;  // one load of the model list at a time
  ModelList models_;
  std::int64_t models_tried_at_ = 0;
};

// Master key rotation: reseals every organisation's key with new_key in one transaction.
Result<std::size_t> reseal_all_keys(db::Database& db, const MasterKeys& keys, const std::string& new_key);

}  // namespace sb::ai
