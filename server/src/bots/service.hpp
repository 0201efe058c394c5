// Bot rules: validation of every field, unique names, versions, duplicate and archive.
#pragma once

#include <vector>

#include "bots/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::bots {

class BotService {
 public:
  BotService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // status: "active", "archived" or "all"; q: part of the name.
  Result<std::vector<Bot>> list(const AuthContext& ctx, const std::string& q, const std::string& status);
  Result<Bot> get(const AuthContext& ctx, const std::string& id);
  Result<Bot> create(const AuthContext& ctx, const BotInput& input);
  Result<Bot> update(const AuthContext& ctx, const std::string& id, const BotInput& input);
  Result<void> remove(const AuthContext& ctx, const std::string& id);
  Result<Bot> duplicate(const AuthContext& ctx, const std::string& id);

 private:
  Result<Bot> save(db::Connection& conn, Bot bot, bool is_new);
  db::Database& db_;
  const Clock& clock_;
};

Result<void> validate_bot(const Bot& bot);

}  // namespace sb::bots
