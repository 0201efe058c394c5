// Template rules: validation of every field, CRUD scoped to the caller's organisation, preview.
#pragma once

#include <vector>

#include "core/auth_context.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "templates/model.hpp"

namespace sb::templates {

struct PreviewRequest {
  std::string body;
  std::map<std::string, std::string> values;
  std::vector<Variable> defaults;
};

class TemplateService {
 public:
  TemplateService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  Result<std::vector<Template>> list(const AuthContext& ctx, const std::string& q, const std::string& category);
  Result<Template> get(const AuthContext& ctx, const std::string& id);
  Result<Template> create(const AuthContext& ctx, const TemplateInput& input);
  Result<Template> update(const AuthContext& ctx, const std::string& id, const TemplateInput& input);
  Result<void> remove(const AuthContext& ctx, const std::string& id);
  Result<std::string> preview(const AuthContext& ctx, const PreviewRequest& request);

 private:
  db::Database& db_;
  const Clock& clock_;
};

// Every field's rules, shared by create and update.
Result<void> validate_template(const Template& t);

}  // namespace sb::templates
