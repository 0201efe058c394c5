// Getting-started rules: which steps a team has done, read from real state on every request.
#pragma once

#include "core/auth_context.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "onboarding/model.hpp"

namespace sb::onboarding {

class OnboardingService {
 public:
  explicit OnboardingService(db::Database& db) : db_(db) {}
  // Every member (viewers too) sees the organisation's progress.
  Result<Progress> progress(const AuthContext& ctx);

 private:
  db::Database& db_;
};

}  // namespace sb::onboarding
