// Default plans and the --plans-file override with validation.
#include "billing/plans.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <sstream>

namespace sb::billing {
namespace json = boost::json;

std::vector<Plan> default_plans() {
  Plan free{"free", "Free", "$0 / month", "", {}, {}};
  free.limits = {3, 2, 3, 500, 5, 30};
  free.features = {false, false, 30};
  Plan pro{"pro", "Pro", "$29 / month", "", {}, {}};
  pro.limits = {20, 10, 10, 10000, 100, 365};
  pro.features = {true, true, 365};
  Plan business{"business", "Business", "$99 / month", "", {}, {}};
  business.limits = {100, 50, 50, 100000, 1000, 730};
  business.features = {true, true, 730};
  // Billing off and grandfathered organisations; never sold.
  Plan unlimited{"unlimited", "Unlimited", "", "", {}, {}};
  unlimited.features = {true, true, std::nullopt};
  return {free, pro, business, unlimited};
}

bool known_plan_key(const std::string& key) {
  return key == "free" || key == "pro" || key == "business" || key == "unlimited";
}

PlanSet::PlanSet() : plans_(default_plans()) {}

const Plan* PlanSet::find(const std::string& key) const {
  for (const auto& p : plans_)
    if (p.key == key) return &p;
  return nullptr;
}

const Plan* PlanSet::by_price_id(const std::string& price_id) const {
  if (price_id.empty()) return nullptr;
  for (const auto& p : plans_)
    if (p.stripe_price_id == price_id) return &p;
  return nullptr;
}

const Plan& PlanSet::get_or_free(const std::string& key) const {
  if (const auto* p = find(key)) return *p;
  return *find("free");
}

json::object limits_json(const Limits& l) {
  auto v = [](const std::optional<std::int64_t>& n) { return n ? json::value(*n) : json::value(nullptr); };
  return {{"bots", v(l.bots)},
          {"integrations", v(l.integrations)},
          {"members", v(l.members)},
          {"messages_per_month", v(l.messages_per_month)},
          {"insight_runs_per_month", v(l.insight_runs_per_month)},
          {"retention_days", v(l.retention_days)}};
}

json::object features_json(const Features& f) {
  return {{"csv_export", f.csv_export},
          {"advanced_analytics", f.advanced_analytics},
          {"audit_log_retention_days",
           f.audit_log_retention_days ? json::value(*f.audit_log_retention_days) : json::value(nullptr)}};
}

namespace {

Error file_error(const std::string& where, const std::string& what) {
  return Error{"invalid_plans_file", where + ": " + what, {{"field", where}}};
}

// null → unlimited; a whole number ≥ 0 → that limit.
Result<std::optional<std::int64_t>> read_limit(const json::value& v, const std::string& where) {
  if (v.is_null()) return std::optional<std::int64_t>{};
  if (v.is_int64() && v.as_int64() >= 0) return std::optional<std::int64_t>{v.as_int64()};
  if (v.is_uint64() && v.as_uint64() < (1ULL << 62))
    return std::optional<std::int64_t>{static_cast<std::int64_t>(v.as_uint64())};
  return file_error(where, "must be a whole number of 0 or more, or null for unlimited");
}

Result<std::string> read_string(const json::value& v, const std::string& where, std::size_t max) {
  if (!v.is_string()) return file_error(where, "must be a string");
  if (v.as_string().size() > max) return file_error(where, "must be at most " + std::to_string(max) + " characters");
  return std::string(v.as_string());
}

Result<void> apply_plan(Plan& plan, const json::object& o, const std::string& at) {
  for (const auto& kv : o) {
    std::string key(kv.key());
    std::string where = at + "." + key;
    const json::value& v = kv.value();
    if (key == "key" || key == "purchasable") continue;  // purchasable is derived from the price id
    if (key == "name" || key == "price_label" || key == "stripe_price_id") {
      auto s = read_string(v, where, 200);
      if (!s) return s.error();
      if (key == "name") {
        if (s->empty()) return file_error(where, "must not be empty");
        plan.name = *s;
      } else if (key == "price_label") {
        plan.price_label = *s;
      } else {
        if (!s->empty() && s->rfind("price_", 0) != 0) return file_error(where, "must be a Stripe price id (price_…)");
        plan.stripe_price_id = *s;
      }
    } else if (key == "limits") {
      if (!v.is_object()) return file_error(where, "must be an object");
      for (const auto& lk : v.as_object()) {
        std::string name(lk.key());
        auto n = read_limit(lk.value(), where + "." + name);
        if (!n) return n.error();
        if (name == "bots") plan.limits.bots = *n;
        else if (name == "integrations") plan.limits.integrations = *n;
        else if (name == "members") plan.limits.members = *n;
        else if (name == "messages_per_month") plan.limits.messages_per_month = *n;
        else if (name == "insight_runs_per_month") plan.limits.insight_runs_per_month = *n;
        else if (name == "retention_days") plan.limits.retention_days = *n;
        else
          return file_error(where + "." + name,
                            "is not a limit; use bots, integrations, members, messages_per_month, "
                            "insight_runs_per_month or retention_days");
      }
    } else if (key == "features") {
      if (!v.is_object()) return file_error(where, "must be an object");
      for (const auto& fk : v.as_object()) {
        std::string name(fk.key());
        std::string fw = where + "." + name;
        if (name == "csv_export" || name == "advanced_analytics") {
          if (!fk.value().is_bool()) return file_error(fw, "must be true or false");
          (name == "csv_export" ? plan.features.csv_export : plan.features.advanced_analytics) = fk.value().as_bool();
        } else if (name == "audit_log_retention_days") {
          auto n = read_limit(fk.value(), fw);
          if (!n) return n.error();
          plan.features.audit_log_retention_days = *n;
        } else {
          return file_error(fw, "is not a feature; use csv_export, advanced_analytics or audit_log_retention_days");
        }
      }
    } else {
      return file_error(where,
                        "is not a plan field; use key, name, price_label, stripe_price_id, limits or features");
    }
  }
  return {};
}

}  // namespace

Result<PlanSet> parse_plans(const std::string& text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec) return file_error("plans file", "is not valid JSON (" + ec.message() + ")");
  const json::array* list = nullptr;
  if (doc.is_array()) list = &doc.as_array();
  else if (doc.is_object() && doc.as_object().if_contains("plans") && doc.as_object().at("plans").is_array())
    list = &doc.as_object().at("plans").as_array();
  if (!list) return file_error("plans file", "must be an array of plans, or an object with a \"plans\" array");
  std::vector<Plan> plans = default_plans();
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string at = "plans[" + std::to_string(i) + "]";
    const json::value& item = (*list)[i];
    if (!item.is_object()) return file_error(at, "must be an object");
    const auto* key = item.as_object().if_contains("key");
    if (!key || !key->is_string()) return file_error(at + ".key", "is required: free, pro, business or unlimited");
    std::string k(key->as_string());
    if (!known_plan_key(k)) return file_error(at + ".key", "'" + k + "' is not a plan; use free, pro, business or unlimited");
    if (std::find(seen.begin(), seen.end(), k) != seen.end()) return file_error(at + ".key", "'" + k + "' appears twice");
    seen.push_back(k);
    for (auto& p : plans)
      if (p.key == k)
        if (auto ok = apply_plan(p, item.as_object(), at); !ok) return ok.error();
  }
  // One price id sells one plan, so a subscription's price always names its plan.
  for (std::size_t i = 0; i < plans.size(); ++i)
    for (std::size_t j = i + 1; j < plans.size(); ++j)
      if (!plans[i].stripe_price_id.empty() && plans[i].stripe_price_id == plans[j].stripe_price_id)
        return file_error("plans file", "plans " + plans[i].key + " and " + plans[j].key + " have the same stripe_price_id");
  if (!plans.back().stripe_price_id.empty())
    return file_error("plans file", "the unlimited plan is never sold; remove its stripe_price_id");
  return PlanSet(std::move(plans));
}

Result<PlanSet> load_plans_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"invalid_plans_file", "cannot read " + path, {}};
  std::stringstream s;
  s << in.rdbuf();
  auto parsed = parse_plans(s.str());
  if (!parsed) return Error{"invalid_plans_file", path + ": " + parsed.error().message, parsed.error().details};
  return parsed;
}

}  // namespace sb::billing
