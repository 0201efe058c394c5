// Retention rules: each organisation keeps its conversations and audit log as long as its plan says;
// a shorter retention (a downgrade) applies only after the owners were told, 30 days ahead.
#pragma once

#include <string>
#include <vector>

#include "billing/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "mail/mailer.hpp"
#include "retention/model.hpp"

namespace sb::retention {

struct RetentionSettings {
  std::int64_t notice_ms = 30LL * 24 * 3600 * 1000;
  int batch = 500;  // rows one delete statement removes, so no sweep holds the database for long
  std::string public_base_url = "http://127.0.0.1:8080";
};

class RetentionService {
 public:
  RetentionService(db::Database& db, const Clock& clock, billing::EntitlementSource& entitlements, mail::Mailer& mailer,
                   RetentionSettings settings = {})
      : db_(db), clock_(clock), entitlements_(entitlements), mailer_(mailer), settings_(std::move(settings)) {}

  // One pass over every organisation (the background scheduler runs it): follows plan changes,
  // tells owners of a shorter retention, and deletes what is older than the retention applied now.
  Removed sweep();
  // The same for one organisation.
  Removed sweep(const std::string& org_id);
  // Owners and admins (billing.read): the retention applied now and any announced change.
  Result<std::vector<Policy>> policies(const AuthContext& ctx);

 private:
  void follow(const std::string& org_id, Kind kind, std::optional<std::int64_t> plan_days, Removed& removed);
  db::Database& db_;
  const Clock& clock_;
  billing::EntitlementSource& entitlements_;
  mail::Mailer& mailer_;
  RetentionSettings settings_;
};

}  // namespace sb::retention
