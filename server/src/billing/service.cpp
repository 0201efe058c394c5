// Billing service: entitlements, limits and plan changes.
#include "billing/service.hpp"

#include <algorithm>
#include <chrono>

#include "audit/service.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "orgs/permissions.hpp"

namespace sb::billing {
namespace json = boost::json;

std::pair<std::int64_t, std::int64_t> calendar_month(std::int64_t now_ms) {
  using namespace std::chrono;
  sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(now_ms)));
  year_month_day ymd(day);
  sys_days start = year_month_day(ymd.year(), ymd.month(), std::chrono::day(1));
  year_month next = ymd.year() / ymd.month() + months(1);
  sys_days end = year_month_day(next.year(), next.month(), std::chrono::day(1));
  return {duration_cast<milliseconds>(start.time_since_epoch()).count(),
          duration_cast<milliseconds>(end.time_since_epoch()).count()};
}

Entitlements compute_entitlements(const std::string& org_id, const std::optional<store::OrgBilling>& row,
                                  const PlanSet& plans, const BillingSettings& settings, std::int64_t now) {
  Entitlements e;
  e.org_id = org_id;
  e.billing_enabled = settings.enabled;
  auto [month_start, month_end] = calendar_month(now);
  e.period_start = month_start;
  e.period_end = month_end;
  if (!settings.enabled) {
    e.plan = plans.get_or_free("unlimited");
    e.status = "active";
    return e;
  }
  if (!row) {  // organisations created since billing was turned on start on free
    e.plan = plans.get_or_free("free");
    e.status = "active";
    return e;
  }
  e.status = row->status;
  if (row->grandfathered) {
    e.plan = plans.get_or_free("unlimited");
    e.grandfathered = true;
    return e;
  }
  if (row->plan_source != "stripe") {
    e.plan = plans.get_or_free(row->plan);
    return e;
  }
  // A Stripe subscription: paid plans only while it is paid, or within the grace of past_due.
  const std::string& s = row->status;
  bool paid = s == "active" || s == "trialing";
  if (s == "past_due")
    paid = now < row->past_due_since.value_or(now) + settings.past_due_grace_ms;
  e.plan = plans.get_or_free(paid ? row->plan : "free");
  if (paid && row->current_period_start && row->current_period_end && *row->current_period_start <= now &&
      now < *row->current_period_end) {
    e.period_start = *row->current_period_start;
    e.period_end = *row->current_period_end;
  }
  return e;
}

Error plan_limit_reached(const std::string& limit, std::int64_t allowed, std::int64_t used, const Plan& plan) {
  std::string what = limit == "members" ? "members and open invitations" : limit;
  return Error{"plan_limit_reached",
               "Your " + plan.name + " plan includes " + std::to_string(allowed) + " " + what + " and you have " +
                   std::to_string(used) + ". Upgrade the plan, or remove one first.",
               {{"limit", limit}, {"used", used}, {"allowed", allowed}, {"plan", plan.key}}};
}

Error feature_not_in_plan(const std::string& feature, const Plan& plan) {
  return Error{"feature_not_in_plan", "The " + plan.name + " plan does not include this feature. Upgrade to use it.",
               {{"feature", feature}, {"plan", plan.key}}};
}

BillingService::BillingService(db::Database& db, const Clock& clock, PlanSet plans, BillingSettings settings,
                               StripeClient* stripe)
    : db_(db), clock_(clock), plans_(std::move(plans)), settings_(std::move(settings)), stripe_(stripe) {}

void BillingService::prepare() {
  if (!settings_.enabled) return;
  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  std::int64_t now = clock_.now_ms();
  if (!store::insert_setting_once(*conn, "billing_first_enabled_at", std::to_string(now))) return;
  auto count = store::grandfather_existing(*conn, now);
  tx.commit();
  log::info("billing turned on for the first time", {{"grandfathered_organizations", count}});
  std::lock_guard lock(cache_mu_);
  cache_.clear();
}

Entitlements BillingService::entitlements(const std::string& org_id) { return cached_or_compute(org_id, nullptr); }

Entitlements BillingService::entitlements(db::Connection& conn, const std::string& org_id) {
  return cached_or_compute(org_id, &conn);
}

Entitlements BillingService::cached_or_compute(const std::string& org_id, db::Connection* given) {
  std::int64_t now = clock_.now_ms();
  if (!settings_.enabled) return compute_entitlements(org_id, std::nullopt, plans_, settings_, now);
  std::uint64_t drops = 0;
  {
    std::lock_guard lock(cache_mu_);
    auto it = cache_.find(org_id);
    if (it != cache_.end() && it->second.expires_at > now) return it->second.entitlements;
    drops = drops_;
  }
  std::optional<store::OrgBilling> row;
  if (given) {
    row = store::find(*given, org_id);
  } else {
    auto conn = db_.acquire();
    row = store::find(*conn, org_id);
  }
  auto e = compute_entitlements(org_id, row, plans_, settings_, now);
  std::lock_guard lock(cache_mu_);
  // Dropped while it was read: the row may be older than the change, so it is not kept.
  if (drops != drops_) return e;
  if (cache_.size() > 100000) cache_.clear();  // bounded: organisations come back on their next ask
  cache_[org_id] = Cached{e, now + settings_.cache_ms};
  return e;
}

void BillingService::invalidate(const std::string& org_id) {
  drop_cached(org_id);
  if (changed_) changed_(org_id);
}

void BillingService::drop_cached(const std::string& org_id) {
  std::lock_guard lock(cache_mu_);
  ++drops_;
  cache_.erase(org_id);
}

void BillingService::drop_all_cached() {
  std::lock_guard lock(cache_mu_);
  ++drops_;
  cache_.clear();
}

Result<void> BillingService::check_room(db::Connection& conn, const std::string& org_id, Countable what) {
  if (!settings_.enabled) return {};
  auto e = entitlements(conn, org_id);
  std::optional<std::int64_t> limit;
  std::string name;
  switch (what) {
    case Countable::bots: limit = e.plan.limits.bots; name = "bots"; break;
    case Countable::integrations: limit = e.plan.limits.integrations; name = "integrations"; break;
    case Countable::members: limit = e.plan.limits.members; name = "members"; break;
  }
  if (!limit) return {};
  store::lock_org(conn, org_id);
  std::int64_t used = 0;
  switch (what) {
    case Countable::bots: used = store::count_bots(conn, org_id); break;
    case Countable::integrations: used = store::count_integrations(conn, org_id); break;
    case Countable::members: used = store::count_members_and_open_invites(conn, org_id, clock_.now_ms()); break;
  }
  if (used + 1 > *limit) return plan_limit_reached(name, *limit, used, e.plan);
  return {};
}

Result<Overview> BillingService::overview(const AuthContext& ctx) {
  if (!orgs::can(ctx, orgs::Action::billing_read)) return Error::forbidden("Only owners and admins can see billing.");
  Overview o;
  o.entitlements = entitlements(ctx.org_id);
  o.stripe_configured = settings_.stripe_configured;
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  auto row = settings_.enabled ? store::find(*conn, ctx.org_id) : std::nullopt;
  if (row && row->plan_source == "stripe") {
    o.current_period_end = row->current_period_end;
    o.cancel_at_period_end = row->cancel_at_period_end;
    if (row->status == "past_due" && row->past_due_since)
      o.past_due_grace_ends_at = *row->past_due_since + settings_.past_due_grace_ms;
  }
  o.bots = store::count_bots(*conn, ctx.org_id);
  o.integrations = store::count_integrations(*conn, ctx.org_id);
  o.members = store::count_members_and_open_invites(*conn, ctx.org_id, now);
  o.period = store::period_usage(*conn, ctx.org_id, o.entitlements.period_start);
  const auto& l = o.entitlements.plan.limits;
  auto over = [&](const char* name, const std::optional<std::int64_t>& limit, std::int64_t used) {
    if (limit && used > *limit) o.exceeded.push_back(name);
  };
  over("bots", l.bots, o.bots);
  over("integrations", l.integrations, o.integrations);
  over("members", l.members, o.members);
  over("messages_per_month", l.messages_per_month, o.period.messages);
  over("insight_runs_per_month", l.insight_runs_per_month, o.period.insight_runs);
  return o;
}

OrgPlan BillingService::plan_of(const std::string& org_id, const std::optional<store::OrgBilling>& row) {
  auto e = compute_entitlements(org_id, row, plans_, settings_, clock_.now_ms());
  return OrgPlan{org_id, e.plan.key, e.grandfathered ? "Grandfathered" : e.plan.name, e.status, e.grandfathered,
                 row ? row->plan_source : "default"};
}

Result<OrgPlan> BillingService::set_plan(const AuthContext& admin, const std::string& org_id, const std::string& plan) {
  if (!known_plan_key(plan) || !plans_.find(plan))
    return Error::validation({{"plan", "Choose free, pro, business or unlimited."}});
  std::int64_t now = clock_.now_ms();
  store::OrgBilling row;
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    if (!store::org_exists(*conn, org_id)) return Error::not_found("No such organization.");
    auto before = store::find(*conn, org_id);
    row = before.value_or(store::OrgBilling{});
    row.org_id = org_id;
    row.plan = plan;
    row.status = "active";
    row.grandfathered = false;
    row.plan_source = "admin";
    row.past_due_since = std::nullopt;
    row.updated_at = now;
    store::save(*conn, row);
    auto was = before ? (before->grandfathered ? std::string("grandfathered") : before->plan) : std::string("default");
    audit::record(*conn, admin, org_id, "billing.plan_set", {"organization", org_id, org_id}, now,
                  json::object{{"plan", was}}, json::object{{"plan", plan}, {"set_by", "platform admin"}});
    tx.commit();
  }
  invalidate(org_id);
  log::info("plan set by a platform admin", {{"org_id", org_id}, {"plan", plan}, {"actor", admin.actor_id()}});
  return plan_of(org_id, row);
}

Result<OrgPlan> BillingService::set_plan_from_cli(const std::string& org_id_or_name, const std::string& plan) {
  std::vector<std::string> ids;
  {
    auto conn = db_.acquire();
    ids = store::find_org_ids(*conn, org_id_or_name);
  }
  if (ids.empty()) return Error::not_found("No organization has the id or name '" + org_id_or_name + "'.");
  if (ids.size() > 1)
    return Error::conflict(std::to_string(ids.size()) + " organizations are called '" + org_id_or_name +
                           "'; give the id (org_…) instead.");
  AuthContext operator_ctx;
  operator_ctx.user_id = "cli";
  operator_ctx.name = "switchboard admin set-plan";
  operator_ctx.ip = "local";
  return set_plan(operator_ctx, ids.front(), plan);
}

std::map<std::string, OrgPlan> BillingService::plans_of_orgs() {
  std::map<std::string, OrgPlan> out;
  auto conn = db_.acquire();
  for (const auto& [id, row] : store::all(*conn)) out.emplace(id, plan_of(id, row));
  return out;
}

}  // namespace sb::billing

// ---- Stripe ----
namespace sb::billing {
namespace {

std::string str_at(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_object()) {  // an expanded object: its id
    auto* id = v->as_object().if_contains("id");
    if (id && id->is_string()) return std::string(id->as_string());
  }
  return "";
}

const json::object* obj_at(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

bool terminal_status(const std::string& s) {
  return s == "canceled" || s == "incomplete_expired" || s == "unpaid";
}
bool live_status(const std::string& s) { return s == "active" || s == "trialing" || s == "past_due"; }

}  // namespace

Error BillingService::not_configured() const {
  return Error{"billing_not_configured",
               "Billing through Stripe is not configured on this installation. A platform admin can set the plan.", {}};
}

Result<std::string> BillingService::checkout(const AuthContext& ctx, const std::string& plan_key) {
  if (!orgs::can(ctx, orgs::Action::billing_manage)) return Error::forbidden("Only owners can change the plan.");
  if (!settings_.enabled || !stripe_) return not_configured();
  const Plan* plan = plans_.find(plan_key);
  if (!plan || plan->stripe_price_id.empty())
    return Error::validation({{"plan", "This plan cannot be bought here. Choose one of the plans offered."}});
  std::int64_t now = clock_.now_ms();
  std::optional<store::OrgBilling> row;
  std::string org_name;
  {
    auto conn = db_.acquire();
    row = store::find(*conn, ctx.org_id);
    org_name = store::org_name(*conn, ctx.org_id);
  }
  if (org_name.empty()) return Error::not_found("No such organization.");
  if (row && row->plan_source == "stripe" && row->stripe_subscription_id && live_status(row->status))
    return Error::conflict("This organization already has a subscription. Change its plan in the billing portal.");
  std::string customer = row && row->stripe_customer_id ? *row->stripe_customer_id : "";
  if (customer.empty()) {
    // One customer per organisation: the key makes concurrent or retried creations return the same one.
    auto created = stripe_->create_customer(ctx.org_id, org_name, ctx.email, "customer-" + ctx.org_id);
    if (!created) return created.error();
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    auto current = store::find(*conn, ctx.org_id);
    if (current && current->stripe_customer_id) {
      customer = *current->stripe_customer_id;  // another request stored one first
    } else {
      store::OrgBilling r = current.value_or(store::OrgBilling{});
      r.org_id = ctx.org_id;
      if (!current) r.plan = "free";
      r.stripe_customer_id = *created;
      r.updated_at = now;
      store::save(*conn, r);
      customer = *created;
    }
    tx.commit();
  }
  CheckoutRequest req;
  req.customer = customer;
  req.price_id = plan->stripe_price_id;
  req.org_id = ctx.org_id;
  req.plan = plan->key;
  req.success_url = settings_.public_base_url + "/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}";
  req.cancel_url = settings_.public_base_url + "/billing?checkout=canceled";
  req.idempotency_key = new_id("chk", now);
  auto url = stripe_->create_checkout_session(req);
  if (!url) return url.error();
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    audit::record(*conn, ctx, ctx.org_id, "billing.checkout_started", {"organization", ctx.org_id, org_name}, now,
                  std::nullopt, json::object{{"plan", plan->key}});
    tx.commit();
  }
  return *url;
}

Result<std::string> BillingService::portal(const AuthContext& ctx) {
  if (!orgs::can(ctx, orgs::Action::billing_manage)) return Error::forbidden("Only owners can manage payment.");
  if (!settings_.enabled || !stripe_) return not_configured();
  std::optional<store::OrgBilling> row;
  {
    auto conn = db_.acquire();
    row = store::find(*conn, ctx.org_id);
  }
  if (!row || !row->stripe_customer_id)
    return Error::conflict("This organization has no Stripe customer yet. Choose a plan first.");
  return stripe_->create_portal_session(*row->stripe_customer_id, settings_.public_base_url + "/billing",
                                        new_id("bps", clock_.now_ms()));
}

Result<std::vector<StripeInvoice>> BillingService::invoices(const AuthContext& ctx) {
  if (!orgs::can(ctx, orgs::Action::billing_read)) return Error::forbidden("Only owners and admins can see invoices.");
  if (!settings_.enabled || !stripe_) return not_configured();
  std::optional<store::OrgBilling> row;
  {
    auto conn = db_.acquire();
    row = store::find(*conn, ctx.org_id);
  }
  if (!row || !row->stripe_customer_id) return std::vector<StripeInvoice>{};
  return stripe_->list_invoices(*row->stripe_customer_id);
}

Result<void> BillingService::receive_event(std::string_view signature_header, const std::string& body) {
  if (settings_.webhook_secret.empty()) return not_configured();
  std::int64_t now = clock_.now_ms();
  if (auto ok = verify_stripe_signature(signature_header, body, settings_.webhook_secret, now / 1000,
                                        settings_.webhook_tolerance_s);
      !ok) {
    log::warn("stripe webhook refused", {{"reason", ok.error().message}});
    return ok.error();
  }
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return Error::invalid_json("The event is not a JSON object.");
  std::string id = str_at(doc.as_object(), "id");
  std::string type = str_at(doc.as_object(), "type");
  if (id.rfind("evt_", 0) != 0 || id.size() > 255 || type.empty() || type.size() > 255)
    return Error{"bad_request", "The event has no id (evt_…) or type.", {}};
  bool fresh;
  {
    auto conn = db_.acquire();
    fresh = store::insert_event(*conn, id, type, body, now);
  }
  log::info(fresh ? "stripe event stored" : "stripe event redelivered", {{"event_id", id}, {"type", type}});
  return {};
}

std::size_t BillingService::process_due_events() {
  std::size_t handled = 0;
  for (int i = 0; i < 100; ++i) {
    std::optional<store::StripeEvent> event;
    {
      auto conn = db_.acquire();
      event = store::claim_event(*conn, settings_.worker_name, clock_.now_ms(), settings_.event_lease_ms);
    }
    if (!event) break;
    Result<void> done = Error::internal();
    try {
      done = process_event(*event);
    } catch (const std::exception& e) {
      log::error("stripe event failed", {{"event_id", event->id}, {"reason", e.what()}});
    }
    auto conn = db_.acquire();
    std::int64_t now = clock_.now_ms();
    if (done) {
      store::finish_event(*conn, event->id, settings_.worker_name, now);
    } else {
      std::optional<std::int64_t> next;
      if (event->attempts < settings_.event_max_attempts)
        next = now + std::min<std::int64_t>(30000LL << std::min<std::int64_t>(event->attempts - 1, 20), 6LL * 3600 * 1000);
      store::retry_event(*conn, event->id, settings_.worker_name, done.error().message, next);
      log::warn("stripe event will be retried",
                {{"event_id", event->id}, {"attempts", event->attempts}, {"reason", done.error().message},
                 {"gave_up", !next}});
    }
    ++handled;
  }
  return handled;
}

Result<void> BillingService::process_event(const store::StripeEvent& event) {
  static const std::vector<std::string> kHandled = {
      "checkout.session.completed",    "customer.subscription.created", "customer.subscription.updated",
      "customer.subscription.deleted", "invoice.paid",                  "invoice.payment_succeeded",
      "invoice.payment_failed"};
  if (std::find(kHandled.begin(), kHandled.end(), event.type) == kHandled.end()) return {};
  boost::system::error_code ec;
  json::value doc = json::parse(event.payload, ec);
  if (ec || !doc.is_object()) return {};  // stored only after its signature was checked; nothing to apply
  const json::object* data = obj_at(doc.as_object(), "data");
  const json::object* obj = data ? obj_at(*data, "object") : nullptr;
  if (!obj) return {};
  std::string subscription_id, org_hint;
  if (event.type == "checkout.session.completed") {
    subscription_id = str_at(*obj, "subscription");
    org_hint = str_at(*obj, "client_reference_id");
    if (org_hint.empty())
      if (auto* meta = obj_at(*obj, "metadata")) org_hint = str_at(*meta, "org_id");
  } else if (event.type.rfind("customer.subscription.", 0) == 0) {
    subscription_id = str_at(*obj, "id");
    if (auto* meta = obj_at(*obj, "metadata")) org_hint = str_at(*meta, "org_id");
  } else {
    subscription_id = str_at(*obj, "subscription");
    if (subscription_id.empty())
      if (auto* parent = obj_at(*obj, "parent"))
        if (auto* details = obj_at(*parent, "subscription_details")) subscription_id = str_at(*details, "subscription");
  }
  if (subscription_id.empty()) return {};  // a one-off payment: no plan changes
  if (!stripe_) return Error{"billing_not_configured", "Stripe is not configured, so the subscription cannot be read.", {}};
  // Events come in any order and more than once: the subscription as Stripe has it now decides.
  auto sub = stripe_->retrieve_subscription(subscription_id);
  if (!sub) {
    if (sub.error().code == "not_found") {
      log::warn("stripe event names an unknown subscription", {{"event_id", event.id}, {"subscription", subscription_id}});
      return {};
    }
    return sub.error();
  }
  auto applied = apply_subscription(*sub, org_hint);
  if (!applied) return applied.error();
  log::info("stripe subscription applied", {{"event_id", event.id},
                                             {"type", event.type},
                                             {"org_id", *applied},
                                             {"status", sub->status}});
  return {};
}

Result<std::string> BillingService::apply_subscription(const StripeSubscription& sub, const std::string& org_hint) {
  std::int64_t now = clock_.now_ms();
  std::string org_id;
  {
    auto conn = db_.acquire();
    db::Transaction tx(*conn);
    for (const auto& candidate : {org_hint, sub.org_id})
      if (!candidate.empty() && store::org_exists(*conn, candidate)) {
        org_id = candidate;
        break;
      }
    if (org_id.empty())
      if (auto by_sub = store::find_by_subscription(*conn, sub.id)) org_id = by_sub->org_id;
    if (org_id.empty() && !sub.customer.empty())
      if (auto by_customer = store::find_by_customer(*conn, sub.customer)) org_id = by_customer->org_id;
    if (org_id.empty()) {
      log::warn("stripe subscription of no organization", {{"subscription", sub.id}, {"customer", sub.customer}});
      return std::string();
    }
    auto before = store::find(*conn, org_id);
    store::OrgBilling row = before.value_or(store::OrgBilling{});
    row.org_id = org_id;
    // The end of an older subscription does not take the plan of the one that replaced it.
    if (before && before->plan_source == "stripe" && before->stripe_subscription_id &&
        *before->stripe_subscription_id != sub.id && live_status(before->status) && !live_status(sub.status))
      return org_id;
    const Plan* plan = plans_.by_price_id(sub.price_id);
    if (!plan && live_status(sub.status))
      return Error{"unknown_price", "The subscription's price " + sub.price_id +
                                        " is not the stripe_price_id of any plan; add it to the plans file.", {}};
    if (plan) row.plan = plan->key;
    if (sub.status == "past_due")
      row.past_due_since = before && before->status == "past_due" && before->past_due_since ? before->past_due_since
                                                                                             : std::optional(now);
    else
      row.past_due_since = std::nullopt;
    row.status = sub.status;
    row.grandfathered = false;
    row.plan_source = "stripe";
    row.stripe_subscription_id = sub.id;
    if (!sub.customer.empty()) row.stripe_customer_id = sub.customer;
    row.current_period_start = sub.current_period_start;
    row.current_period_end = sub.current_period_end;
    row.cancel_at_period_end = sub.cancel_at_period_end;
    row.stripe_synced_at = now;
    row.updated_at = now;
    store::save(*conn, row);
    tx.commit();
  }
  invalidate(org_id);
  return org_id;
}

std::pair<std::int64_t, std::int64_t> BillingService::event_queue() {
  auto conn = db_.acquire();
  return store::count_unfinished_events(*conn);
}

Result<void> BillingService::end_subscription(const std::string& org_id) {
  std::optional<store::OrgBilling> row;
  {
    auto conn = db_.acquire();
    row = store::find(*conn, org_id);
  }
  if (!row || !row->stripe_subscription_id || terminal_status(row->status)) return {};
  if (!stripe_)
    return Error{"billing_not_configured",
                 "The organization has a Stripe subscription but Stripe is not configured here, so it cannot be "
                 "canceled. Configure Stripe, or cancel it in the Stripe dashboard first.",
                 {}};
  if (auto done = stripe_->cancel_subscription(*row->stripe_subscription_id); !done)
    return Error{done.error().code,
                 "The organization's subscription could not be canceled in Stripe, so the organization was kept. " +
                     done.error().message,
                 {}};
  log::info("stripe subscription canceled with its organization", {{"org_id", org_id}});
  invalidate(org_id);
  return {};
}

}  // namespace sb::billing
