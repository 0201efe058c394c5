// The plan definitions: the defaults of ADR 0034 and an operator's --plans-file override.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "billing/model.hpp"
#include "core/result.hpp"

namespace sb::billing {

// Every plan the installation knows, in display order: free, pro, business, unlimited.
class PlanSet {
 public:
  PlanSet();  // the defaults
  explicit PlanSet(std::vector<Plan> plans) : plans_(std::move(plans)) {}
  const std::vector<Plan>& all() const { return plans_; }
  const Plan* find(const std::string& key) const;
  // The plan sold under a Stripe price id; nullptr when none is.
  const Plan* by_price_id(const std::string& price_id) const;
  // The plan of `key`, or free when the key is unknown (a plan removed from the file).
  const Plan& get_or_free(const std::string& key) const;

 private:
  std::vector<Plan> plans_;
};

std::vector<Plan> default_plans();
// Whether key names a plan that can be assigned (free, pro, business, unlimited).
bool known_plan_key(const std::string& key);

// The defaults with the file's values laid over them. The file holds an array of plan objects
// (or {"plans": [...]}) of the shape GET /api/billing/plans shows; each names its key and may set
// name, price_label, stripe_price_id, limits and features. A bad file is an error naming the field
// ("plans[1].limits.bots: must be a whole number of 0 or more, or null").
Result<PlanSet> parse_plans(const std::string& json_text);
Result<PlanSet> load_plans_file(const std::string& path);

boost::json::object limits_json(const Limits& limits);
boost::json::object features_json(const Features& features);

}  // namespace sb::billing
