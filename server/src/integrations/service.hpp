// Integration rules: credential validation and sealing, verification, test messages, webhook
// registration and handshakes, master key rotation. No HTTP, no SQL.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "billing/service.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/master_key.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/client.hpp"
#include "integrations/connector.hpp"
#include "integrations/model.hpp"

namespace sb::integrations {

// Credential values from a request: field → value; an empty value means "keep what is stored".
using CredentialInput = std::map<std::string, std::string>;

class IntegrationService {
 public:
  IntegrationService(db::Database& db, const Clock& clock, const MasterKeys& keys, http::HttpClient& client,
                     PlatformEndpoints endpoints, std::string public_base_url)
      : db_(db), clock_(clock), keys_(keys), client_(client), endpoints_(std::move(endpoints)),
        public_base_url_(std::move(public_base_url)) {}

  Result<std::vector<IntegrationView>> list(const AuthContext& ctx, const std::optional<std::string>& platform);
  Result<IntegrationView> get(const AuthContext& ctx, const std::string& id);
  Result<IntegrationView> create(const AuthContext& ctx, const std::string& platform, const std::string& name,
                                 const CredentialInput& credentials);
  // in_doubt_policy: "resend" or "hold" (ADR 0040); nullopt keeps it.
  Result<IntegrationView> update(const AuthContext& ctx, const std::string& id, const std::optional<std::string>& name,
                                 const CredentialInput& credentials,
                                 const std::optional<std::string>& in_doubt_policy = std::nullopt);
  // The integration's policy for replies in doubt after a crash, for the job rescuer; "resend" when
  // the integration is gone.
  std::string in_doubt_policy(const std::string& org_id, const std::string& integration_id);
  Result<void> remove(const AuthContext& ctx, const std::string& id);
  // Runs the platform's cheapest read-only call and stores what it said.
  Result<IntegrationView> verify(const AuthContext& ctx, const std::string& id);
  Result<ActionResult> register_webhook(const AuthContext& ctx, const std::string& id);
  Result<ActionResult> send_test_message(const AuthContext& ctx, const std::string& id, const std::string& recipient,
                                         const std::string& text);

  // An integration with its unsealed credentials, as the caches below share it (never copied).
  struct Account {
    Integration integration;
    Credentials credentials;
  };
  // The integration a call to /hooks/{platform}/{id} is for; not_found for an unknown pair. Kept in
  // memory for a few seconds: deliveries come in bursts.
  Result<std::shared_ptr<const Account>> load_for_hook(const std::string& platform, const std::string& id);
  // An integration opened for sending replies (read and unsealed once for a batch of them);
  // not_found once it was disconnected.
  Result<std::shared_ptr<const Account>> sender(const std::string& org_id, const std::string& integration_id);
  // Messages through their integrations' platforms side by side, at most in_flight at once, from
  // the calling thread (a worker's batch): done(i, answer) runs as each platform answers, with its
  // words scrubbed, and idle() about once a second meanwhile.
  using Delivery = std::pair<const Account*, OutboundMessage>;
  void deliver_all(const std::vector<Delivery>& deliveries, std::size_t in_flight,
                   const std::function<void(std::size_t, PlatformAnswer)>& done, const std::function<void()>& idle);

  Result<RateLimitView> rate_limits(const AuthContext& ctx, const std::string& id);
  Result<RateLimitView> set_rate_limits(const AuthContext& ctx, const std::string& id, const RateLimit& limit);
  Result<void> reset_rate_limits(const AuthContext& ctx, const std::string& id);
  // What the job runner applies: the organisation's own limits, else the platform's (cached briefly).
  RateLimit effective_rate_limit(const std::string& org_id, const std::string& integration_id,
                                 const std::string& platform);

  std::string webhook_url(const Integration& i) const;
  // The base every webhook URL starts with, as platforms are told it.
  const std::string& public_base_url() const { return public_base_url_; }
  // Limits of the organisation's plan on new integrations (none until set).
  void use_billing(billing::BillingService* billing) { billing_ = billing; }
  // Runs after an integration changed through this process (its id), so other processes drop
  // their cached copies (ADR 0039).
  void on_change(std::function<void(const std::string& integration_id)> changed) { changed_ = std::move(changed); }
  // Drops this process's cached copies of one integration, or of all (after a lost notification).
  void drop_cached(const std::string& integration_id);
  void drop_all_cached();

 private:
  Result<Credentials> open_credentials(const Integration& i) const;
  // For verify, webhook and test message: the manage permission, the integration, its credentials.
  Result<std::pair<Integration, Credentials>> load_for_platform_call(const AuthContext& ctx, const std::string& id,
                                                                     const char* forbidden);
  IntegrationView view(const Integration& i) const;

  db::Database& db_;
  const Clock& clock_;
  const MasterKeys& keys_;
  http::HttpClient& client_;
  PlatformEndpoints endpoints_;
  std::string public_base_url_;
  struct CachedHook {
    std::shared_ptr<const Account> account;
    std::int64_t loaded_at = 0;
  };
  // The integration `id` with its opened credentials, from `cache` when loaded in the last 5 s and
  // `fits`, else through `load` (then kept in `cache`); `missing` is the not-found message.
  Result<std::shared_ptr<const Account>> cached(std::map<std::string, CachedHook>& cache, const std::string& id,
                                                const std::function<bool(const Integration&)>& fits,
                                                const std::function<std::optional<Integration>(db::Connection&)>& load,
                                                const std::string& missing);
  std::mutex cache_mu_;
  std::map<std::string, CachedHook> hook_cache_;
  std::map<std::string, CachedHook> sender_cache_;  // by integration, for workers' sends
  void forget(const std::string& integration_id);   // drops the cached copies everywhere after an edit
  std::function<void(const std::string&)> changed_;
  std::map<std::string, std::pair<RateLimit, std::int64_t>> limit_cache_;  // integration → (limit, loaded at)
  billing::BillingService* billing_ = nullptr;
};

// Reseals every integration's credentials under new_key in one transaction; returns how many.
// Rows are opened with any key in `keys` (a rotation that stopped half-way can run again).
Result<std::size_t> reseal_all_credentials(db::Database& db, const MasterKeys& keys, const std::string& new_key);

}  // namespace sb::integrations
