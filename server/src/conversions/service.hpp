// Conversion rules: which conversation a conversion belongs to (its id, or a web chat visitor's
// signed token), idempotency by external id, the conversation's first conversion, the audit log.
#pragma once

#include <functional>

#include "conversions/model.hpp"
#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::conversions {

class ConversionService {
 public:
  // visitor_of: the visitor id a web chat token carries, nullopt when the server did not sign it.
  using VisitorOf = std::function<std::optional<std::string>(const std::string& token)>;
  ConversionService(db::Database& db, const Clock& clock, VisitorOf visitor_of)
      : db_(db), clock_(clock), visitor_of_(std::move(visitor_of)) {}
  Result<Recorded> record(const AuthContext& ctx, const ConversionInput& input);

 private:
  db::Database& db_;
  const Clock& clock_;
  VisitorOf visitor_of_;
};

}  // namespace sb::conversions
