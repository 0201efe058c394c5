// Stripe over HTTP, and the webhook signature check.
#include "billing/stripe.hpp"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <regex>

#include "core/crypto.hpp"
#include "core/logging.hpp"

namespace sb::billing {
namespace json = boost::json;

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += boost::urls::encode(k, boost::urls::unreserved_chars);
    out += '=';
    out += boost::urls::encode(v, boost::urls::unreserved_chars);
  }
  return out;
}

bool valid_stripe_id(std::string_view id) {
  if (id.empty() || id.size() > 255) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

namespace {

std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<std::int64_t> seconds_as_ms(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64() * 1000;
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64()) * 1000;
  return std::nullopt;
}

// Removes anything shaped like a Stripe secret (and the configured key itself) from a text Stripe wrote.
std::string scrub(std::string text, const std::string& key) {
  if (!key.empty())
    for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key)) text.replace(pos, key.size(), "[redacted]");
  static const std::regex secret(R"((sk|rk|whsec)_[A-Za-z0-9_*]+)");
  return std::regex_replace(text, secret, "[redacted]");
}

}  // namespace

StripeSubscription subscription_from_json(const json::value& v) {
  StripeSubscription s;
  if (!v.is_object()) return s;
  const auto& o = v.as_object();
  s.id = str(o, "id");
  s.status = str(o, "status");
  if (auto* c = o.if_contains("customer")) {
    if (c->is_string()) s.customer = std::string(c->as_string());
    else if (c->is_object()) s.customer = str(c->as_object(), "id");
  }
  if (auto* b = o.if_contains("cancel_at_period_end"); b && b->is_bool()) s.cancel_at_period_end = b->as_bool();
  s.current_period_start = seconds_as_ms(o.if_contains("current_period_start"));
  s.current_period_end = seconds_as_ms(o.if_contains("current_period_end"));
  // API 2025-03-31.basil and later: the period lives on each item.
  if (auto* items = o.if_contains("items"); items && items->is_object())
    if (auto* data = items->as_object().if_contains("data"); data && data->is_array() && !data->as_array().empty()) {
      const auto& first = data->as_array().front();
      if (first.is_object()) {
        const auto& item = first.as_object();
        if (auto* price = item.if_contains("price")) {
          if (price->is_object()) s.price_id = str(price->as_object(), "id");
          else if (price->is_string()) s.price_id = std::string(price->as_string());
        }
        if (!s.current_period_start) s.current_period_start = seconds_as_ms(item.if_contains("current_period_start"));
        if (!s.current_period_end) s.current_period_end = seconds_as_ms(item.if_contains("current_period_end"));
      }
    }
  if (auto* meta = o.if_contains("metadata"); meta && meta->is_object()) s.org_id = str(meta->as_object(), "org_id");
  return s;
}

Result<json::value> HttpStripeClient::call(const std::string& method, const std::string& path, const Form& form,
                                           const std::string& idempotency_key) {
  http::ClientRequest req;
  req.method = method;
  req.url = base_ + path;
  req.timeout_ms = timeout_ms_;
  req.headers.emplace_back("Authorization", "Bearer " + key_);
  if (!form.empty() || method == "POST") {
    req.body = form_encode(form);
    if (method == "GET") {
      req.url += "?" + req.body;
      req.body.clear();
    } else {
      req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    }
  }
  if (!idempotency_key.empty()) req.headers.emplace_back("Idempotency-Key", idempotency_key);
  auto res = client_.send(req);
  if (!res) {
    log::warn("stripe unreachable", {{"path", path}, {"reason", scrub(res.error().message, key_)}});
    return Error{"stripe_error", "Stripe could not be reached. Try again in a minute.", {}};
  }
  boost::system::error_code ec;
  json::value body = json::parse(res->body, ec);
  if (res->status >= 200 && res->status < 300) {
    if (ec) return Error{"stripe_error", "Stripe answered with something that is not JSON.", {}};
    return body;
  }
  std::string stripe_message, stripe_type;
  if (!ec && body.is_object())
    if (auto* err = body.as_object().if_contains("error"); err && err->is_object()) {
      stripe_message = scrub(str(err->as_object(), "message"), key_);
      stripe_type = str(err->as_object(), "type");
    }
  log::warn("stripe refused a request",
            {{"path", path}, {"status", res->status}, {"type", stripe_type}, {"message", stripe_message}});
  json::object details{{"stripe_status", res->status}};
  if (res->status == 401 || res->status == 403)
    return Error{"stripe_error",
                 "Stripe refused this installation's secret key. An operator must check the Stripe configuration.",
                 details};
  if (res->status == 404) return Error{"not_found", "Stripe does not know this object.", details};
  if (res->status == 429)
    return Error{"stripe_error", "Stripe is receiving too many requests. Try again in a minute.", details};
  if (res->status >= 500) return Error{"stripe_error", "Stripe had a problem. Try again in a minute.", details};
  return Error{"stripe_error",
               "Stripe refused the request" + (stripe_message.empty() ? std::string(".") : ": " + stripe_message),
               details};
}

Result<std::string> HttpStripeClient::create_customer(const std::string& org_id, const std::string& name,
                                                      const std::string& email, const std::string& idempotency_key) {
  Form form{{"name", name}, {"metadata[org_id]", org_id}};
  if (!email.empty()) form.emplace_back("email", email);
  auto r = call("POST", "/v1/customers", form, idempotency_key);
  if (!r) return r.error();
  auto id = r->is_object() ? str(r->as_object(), "id") : "";
  if (id.empty()) return Error{"stripe_error", "Stripe did not return a customer.", {}};
  return id;
}

Result<std::string> HttpStripeClient::create_checkout_session(const CheckoutRequest& c) {
  Form form{{"mode", "subscription"},
            {"customer", c.customer},
            {"line_items[0][price]", c.price_id},
            {"line_items[0][quantity]", "1"},
            {"client_reference_id", c.org_id},
            {"success_url", c.success_url},
            {"cancel_url", c.cancel_url},
            {"metadata[org_id]", c.org_id},
            {"metadata[plan]", c.plan},
            {"subscription_data[metadata][org_id]", c.org_id},
            {"subscription_data[metadata][plan]", c.plan}};
  auto r = call("POST", "/v1/checkout/sessions", form, c.idempotency_key);
  if (!r) return r.error();
  auto url = r->is_object() ? str(r->as_object(), "url") : "";
  if (url.empty()) return Error{"stripe_error", "Stripe did not return a Checkout page.", {}};
  return url;
}

Result<std::string> HttpStripeClient::create_portal_session(const std::string& customer, const std::string& return_url,
                                                            const std::string& idempotency_key) {
  auto r = call("POST", "/v1/billing_portal/sessions", {{"customer", customer}, {"return_url", return_url}},
                idempotency_key);
  if (!r) return r.error();
  auto url = r->is_object() ? str(r->as_object(), "url") : "";
  if (url.empty()) return Error{"stripe_error", "Stripe did not return a portal page.", {}};
  return url;
}

Result<StripeSubscription> HttpStripeClient::retrieve_subscription(const std::string& id) {
  if (!valid_stripe_id(id)) return Error::not_found("Stripe does not know this object.");
  auto r = call("GET", "/v1/subscriptions/" + id, {});
  if (!r) return r.error();
  auto s = subscription_from_json(*r);
  if (s.id.empty() || s.status.empty()) return Error{"stripe_error", "Stripe returned a subscription without a state.", {}};
  return s;
}

Result<std::vector<StripeInvoice>> HttpStripeClient::list_invoices(const std::string& customer) {
  if (!valid_stripe_id(customer)) return std::vector<StripeInvoice>{};
  auto r = call("GET", "/v1/invoices", {{"customer", customer}, {"limit", "24"}});
  if (!r) return r.error();
  std::vector<StripeInvoice> out;
  if (!r->is_object()) return out;
  auto* data = r->as_object().if_contains("data");
  if (!data || !data->is_array()) return out;
  for (const auto& v : data->as_array()) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    StripeInvoice i;
    i.id = str(o, "id");
    i.number = str(o, "number");
    i.status = str(o, "status");
    i.currency = str(o, "currency");
    i.hosted_invoice_url = str(o, "hosted_invoice_url");
    auto num = [&](const char* k) -> std::int64_t {
      auto* n = o.if_contains(k);
      return n && n->is_int64() ? n->as_int64() : 0;
    };
    i.amount_due = num("amount_due");
    i.amount_paid = num("amount_paid");
    i.created = seconds_as_ms(o.if_contains("created")).value_or(0);
    out.push_back(std::move(i));
  }
  return out;
}

Result<void> HttpStripeClient::cancel_subscription(const std::string& id) {
  if (!valid_stripe_id(id)) return {};
  auto r = call("DELETE", "/v1/subscriptions/" + id, {});
  if (!r && r.error().code != "not_found") return r.error();
  return {};
}

namespace {
Error invalid_signature(const std::string& why) {
  return Error{"invalid_signature", "The Stripe-Signature header does not match this request: " + why, {}};
}
}  // namespace

Result<void> verify_stripe_signature(std::string_view header, std::string_view body, std::string_view secret,
                                     std::int64_t now_s, std::int64_t tolerance_s) {
  if (secret.empty()) return invalid_signature("no webhook secret is configured.");
  std::optional<std::int64_t> t;
  std::vector<std::string> v1;
  std::size_t start = 0;
  while (start <= header.size()) {
    auto end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    auto item = header.substr(start, end - start);
    start = end + 1;
    auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    auto key = item.substr(0, eq);
    auto value = item.substr(eq + 1);
    while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
    if (key == "t") {
      if (value.empty() || value.size() > 12 || value.find_first_not_of("0123456789") != std::string_view::npos)
        return invalid_signature("the timestamp is not a number.");
      t = std::stoll(std::string(value));
    } else if (key == "v1") {
      v1.emplace_back(value);
    }
    if (end == header.size()) break;
  }
  if (!t) return invalid_signature("it has no timestamp.");
  if (v1.empty()) return invalid_signature("No signatures found matching the expected signature for payload.");
  if (now_s - *t > tolerance_s) return invalid_signature("Timestamp outside the tolerance zone.");
  std::string signed_payload = std::to_string(*t) + "." + std::string(body);
  std::string expected = crypto::to_hex(crypto::hmac_sha256(secret, signed_payload));
  for (const auto& candidate : v1)
    if (crypto::constant_time_equals(candidate, expected)) return {};
  return invalid_signature("No signatures found matching the expected signature for payload.");
}

std::string stripe_signature_header(std::string_view body, std::string_view secret, std::int64_t t) {
  std::string signed_payload = std::to_string(t) + "." + std::string(body);
  return "t=" + std::to_string(t) + ",v1=" + crypto::to_hex(crypto::hmac_sha256(secret, signed_payload));
}

}  // namespace sb::billing
