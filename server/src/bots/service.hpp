// Bot rules: validation of every field, unique names, versions, duplicate and archive.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "billing/service.hpp"
#include "bots/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::bots {

class BotService {
 public:
  // The models an organisation's bots may use (empty: any).
  using AllowedModels = std::function<std::vector<std::string>(const std::string& org_id)>;
  BotService(db::Database& db, const Clock& clock, AllowedModels allowed_models)
      : db_(db), clock_(clock), allowed_models_(std::move(allowed_models)) {}
  // status: "active", "archived" or "all"; q: part of the name.
  Result<std::vector<Bot>> list(const AuthContext& ctx, const std::string& q, const std::string& status);
  Result<Bot> get(const AuthContext& ctx, const std::string& id);
  Result<Bot> create(const AuthContext& ctx, const BotInput& input);
  Result<Bot> update(const AuthContext& ctx, const std::string& id, const BotInput& input);
  Result<void> remove(const AuthContext& ctx, const std::string& id);
  Result<Bot> duplicate(const AuthContext& ctx, const std::string& id);
  // Limits of the organisation's plan on new bots (none until set).
  void use_billing(billing::BillingService* billing) { billing_ = billing; }
  // Runs after a bot was saved or deleted through this process (ADR 0039): bots themselves are read
  // afresh for every batch of replies, but what is cached about their deployments is dropped.
  void on_change(std::function<void(const std::string& bot_id)> changed) { changed_ = std::move(changed); }

 private:
  std::function<void(const std::string&)> changed_;
  // Validates and writes the bot with its audit event (before: the stored bot; nullptr for a new one).
  Result<Bot> save(const AuthContext& ctx, db::Connection& conn, Bot bot, const Bot* before, const std::string& action);
  // Sets model_allowed on each bot of the organisation.
  void mark_models(const std::string& org_id, std::vector<Bot*> bots);
  db::Database& db_;
  const Clock& clock_;
  AllowedModels allowed_models_;
  billing::BillingService* billing_ = nullptr;
};

Result<void> validate_bot(const Bot& bot);

}  // namespace sb::bots
