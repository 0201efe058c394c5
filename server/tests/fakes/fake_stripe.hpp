// A fake of Stripe's API (customers, Checkout, the Billing Portal, subscriptions, invoices) that
// also plays Stripe's side of webhooks: it signs events and posts them to a configured URL.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace sb::test {

struct StripeRequest {
  std::string method, path, authorization, idempotency_key, content_type, body;
  std::map<std::string, std::string> form;  // decoded body fields ("line_items[0][price]" → "price_…")
};

struct FakeSubscription {
  std::string id, customer, status = "active", price;
  std::int64_t current_period_start = 0, current_period_end = 0;  // Unix seconds
  bool cancel_at_period_end = false;
  std::map<std::string, std::string> metadata;
};

struct FakeCheckoutSession {
  std::string id, customer, price, client_reference_id, success_url, cancel_url, subscription;
  std::map<std::string, std::string> metadata, subscription_metadata;
};

class FakeStripe {
 public:
  // secret_key: the only key accepted (others answer 401). port 0 picks a free one.
  explicit FakeStripe(std::string secret_key = "sk_test_fake_123", unsigned short port = 0);
  ~FakeStripe();
  FakeStripe(const FakeStripe&) = delete;
  FakeStripe& operator=(const FakeStripe&) = delete;

  std::string base_url() const;  // http://127.0.0.1:<port>
  // Where signed events go, and the whsec_… secret they are signed with.
  void set_webhook(std::string url, std::string secret);
  // The next `count` API requests answer `status` in Stripe's error shape (429 with Retry-After).
  void fail_next(int status, int count = 1);
  // Every API request received, in order.
  std::vector<StripeRequest> requests();
  std::size_t customer_count();
  std::optional<FakeCheckoutSession> session(const std::string& id);
  std::optional<FakeSubscription> subscription(const std::string& id);

  // What the hosted Checkout page's Subscribe button does: creates the subscription (active, a
  // 30-day period from now), a paid invoice, and sends checkout.session.completed and
  // customer.subscription.created. Returns the subscription id ("" for an unknown session).
  std::string complete_checkout(const std::string& session_id);
  // Changes a subscription as Stripe would (without sending anything).
  void update_subscription(const std::string& id, const std::function<void(FakeSubscription&)>& change);
  // A paid or failed invoice of the subscription (for invoice.* events). Returns its JSON.
  boost::json::object add_invoice(const std::string& subscription_id, bool paid);

  boost::json::object subscription_json(const std::string& id);
  // The envelope of an event: {id: evt_…, object: "event", type, created, data: {object}}.
  boost::json::object event(const std::string& type, const boost::json::object& object);
  // Signs and posts the event to the webhook URL; returns the HTTP status (0 when unreachable).
  long send_event(const boost::json::object& event);

 private:
  http::Response api(http::Request& req, const std::function<http::Response(const StripeRequest&)>& handle,
                     bool creates);
  void add_routes();
  std::string next_id(const std::string& prefix);
  std::string secret_key_;
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::Server> server_;
  unsigned short port_ = 0;
  std::mutex mu_;
  std::string webhook_url_, webhook_secret_;
  std::vector<int> failures_;
  std::vector<StripeRequest> requests_;
  std::map<std::string, std::string> idempotent_;  // Idempotency-Key → the answer given
  std::map<std::string, boost::json::object> customers_;
  std::map<std::string, FakeSubscription> subscriptions_;
  std::map<std::string, FakeCheckoutSession> sessions_;
  std::map<std::string, std::string> portal_sessions_;  // id → customer
  std::map<std::string, std::string> portal_returns_;   // id → return_url
  std::vector<boost::json::object> invoices_;
  long long counter_ = 0;
};

}  // namespace sb::test
