// Stripe: the client interface billing uses (customers, Checkout, the Billing Portal,
// subscriptions, invoices), its HTTP implementation, and webhook signature verification.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "http/client.hpp"

namespace sb::billing {

struct StripeSubscription {
  std::string id;        // sub_…
  std::string customer;  // cus_…
  std::string status;    // active | trialing | past_due | canceled | unpaid | incomplete | incomplete_expired | paused
  std::string price_id;  // of its first item
  std::optional<std::int64_t> current_period_start;  // Unix ms
  std::optional<std::int64_t> current_period_end;
  bool cancel_at_period_end = false;
  std::string org_id;  // metadata[org_id], "" when absent
};

struct StripeInvoice {
  std::string id, number, status, currency, hosted_invoice_url;
  std::int64_t amount_due = 0, amount_paid = 0;  // cents
  std::int64_t created = 0;                      // Unix ms
};

struct CheckoutRequest {
  std::string customer;
  std::string price_id;
  std::string org_id;
  std::string plan;
  std::string success_url;
  std::string cancel_url;
  std::string idempotency_key;
};

class StripeClient {
 public:
  virtual ~StripeClient() = default;
  // Returns the customer id (cus_…). The idempotency key makes a retried creation return the same customer.
  virtual Result<std::string> create_customer(const std::string& org_id, const std::string& name,
                                              const std::string& email, const std::string& idempotency_key) = 0;
  // Returns the session's url.
  virtual Result<std::string> create_checkout_session(const CheckoutRequest& request) = 0;
  virtual Result<std::string> create_portal_session(const std::string& customer, const std::string& return_url,
                                                    const std::string& idempotency_key) = 0;
  virtual Result<StripeSubscription> retrieve_subscription(const std::string& id) = 0;
  virtual Result<std::vector<StripeInvoice>> list_invoices(const std::string& customer) = 0;
  // Cancels at once; a subscription that is already canceled or gone is not an error.
  virtual Result<void> cancel_subscription(const std::string& id) = 0;
};

// Stripe's REST API over the project's HTTP client: form-encoded bodies, Authorization: Bearer,
// Idempotency-Key on creations, Stripe's error shape mapped to ours without ever echoing the key.
class HttpStripeClient final : public StripeClient {
 public:
  HttpStripeClient(http::HttpClient& client, std::string api_base, std::string secret_key, long timeout_ms = 10000)
      : client_(client), base_(std::move(api_base)), key_(std::move(secret_key)), timeout_ms_(timeout_ms) {}
  Result<std::string> create_customer(const std::string& org_id, const std::string& name, const std::string& email,
                                      const std::string& idempotency_key) override;
  Result<std::string> create_checkout_session(const CheckoutRequest& request) override;
  Result<std::string> create_portal_session(const std::string& customer, const std::string& return_url,
                                            const std::string& idempotency_key) override;
  Result<StripeSubscription> retrieve_subscription(const std::string& id) override;
  Result<std::vector<StripeInvoice>> list_invoices(const std::string& customer) override;
  Result<void> cancel_subscription(const std::string& id) override;

 private:
  using Form = std::vector<std::pair<std::string, std::string>>;
  Result<boost::json::value> call(const std::string& method, const std::string& path, const Form& form,
                                  const std::string& idempotency_key = "");
  http::HttpClient& client_;
  std::string base_;
  std::string key_;
  long timeout_ms_;
};

// application/x-www-form-urlencoded, in order: "a=1&metadata%5Bk%5D=v".
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);
// The subscription in a Stripe Subscription object (either API version's period fields).
StripeSubscription subscription_from_json(const boost::json::value& v);
// Whether `id` may stand in a Stripe URL path: letters, digits and '_' only (sub_…, cus_…).
bool valid_stripe_id(std::string_view id);

// Checks a Stripe-Signature header ("t=…,v1=…[,v1=…][,v0=…]") over the raw body with the whole
// whsec_… secret: any v1 may match, other schemes are ignored, and the timestamp may be at most
// tolerance_s old. 400 invalid_signature otherwise (the message never holds the secret).
Result<void> verify_stripe_signature(std::string_view header, std::string_view body, std::string_view secret,
                                     std::int64_t now_s, std::int64_t tolerance_s = 300);
// The header Stripe would send for body at t (tests and the fake Stripe sign with it).
std::string stripe_signature_header(std::string_view body, std::string_view secret, std::int64_t t);

}  // namespace sb::billing
