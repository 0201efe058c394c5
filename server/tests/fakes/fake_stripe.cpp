// Fake Stripe on the project's own HTTP server: Stripe's request and error shapes, hosted Checkout
// and Portal pages for browser tests, and signed webhook events.
#include "fakes/fake_stripe.hpp"

#include <boost/url/params_view.hpp>

#include <chrono>

#include "billing/stripe.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "http/client.hpp"

namespace sb::test {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

Response stripe_error(unsigned status, const std::string& type, const std::string& message,
                      const std::string& code = "") {
  json::object err{{"type", type}, {"message", message}};
  if (!code.empty()) err["code"] = code;
  return Response::json(status, json::object{{"error", std::move(err)}});
}

std::int64_t now_s() { return SystemClock().now_ms() / 1000; }

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

// Back to the application after a form's button. Not a 303: the server's CSP says form-action
// 'self', and Chromium applies it to the redirect after a form submission, so a page that moves
// on by itself (a navigation of its own, which form-action does not govern) goes there instead.
Response redirect(const std::string& to) {
  std::string url = html_escape(to);
  Response r = Response::text(200,
                              "<!doctype html><html><head><meta charset=utf-8><meta http-equiv=refresh content=\"0;url=" +
                                  url + "\"><title>Returning</title></head><body><p>Returning to <a href=\"" + url +
                                  "\">" + url + "</a>…</p></body></html>",
                              "text/html; charset=utf-8");
  return r;
}

Response page(const std::string& title, const std::string& body) {
  return Response::text(200,
                        "<!doctype html><html><head><meta charset=utf-8><title>" + html_escape(title) +
                            "</title></head><body><h1>" + html_escape(title) + "</h1>" + body + "</body></html>",
                        "text/html; charset=utf-8");
}

}  // namespace

FakeStripe::FakeStripe(std::string secret_key, unsigned short port) : secret_key_(std::move(secret_key)) {
  add_routes();
  http::ServerOptions options;
  options.port = port;
  options.io_threads = 1;
  options.blocking_threads = 4;
  options.shutdown_grace_seconds = 1;
  server_ = std::make_unique<http::Server>(options, router_, metrics_, nullptr);
  port_ = server_->start();
}

FakeStripe::~FakeStripe() {
  server_->stop();
  server_->wait();
}

std::string FakeStripe::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FakeStripe::set_webhook(std::string url, std::string secret) {
  std::lock_guard lock(mu_);
  webhook_url_ = std::move(url);
  webhook_secret_ = std::move(secret);
}

void FakeStripe::fail_next(int status, int count) {
  std::lock_guard lock(mu_);
  for (int i = 0; i < count; ++i) failures_.push_back(status);
}

std::vector<StripeRequest> FakeStripe::requests() {
  std::lock_guard lock(mu_);
  return requests_;
}

std::size_t FakeStripe::customer_count() {
  std::lock_guard lock(mu_);
  return customers_.size();
}

std::optional<FakeCheckoutSession> FakeStripe::session(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  return it->second;
}

std::optional<FakeSubscription> FakeStripe::subscription(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = subscriptions_.find(id);
  if (it == subscriptions_.end()) return std::nullopt;
  return it->second;
}

// Unique across runs of the fake too: a reused event id would be taken for a redelivery.
std::string FakeStripe::next_id(const std::string& prefix) {
  return prefix + "_fake" + std::to_string(++counter_) + crypto::to_hex(crypto::random_bytes(6));
}

json::object FakeStripe::subscription_json(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = subscriptions_.find(id);
  if (it == subscriptions_.end()) return {};
  const auto& s = it->second;
  json::object meta;
  for (const auto& [k, v] : s.metadata) meta[k] = v;
  // The current API shape (2025-03-31.basil and later): the period lives on the item.
  json::object item{{"id", "si_" + s.id.substr(4)},
                    {"object", "subscription_item"},
                    {"price", json::object{{"id", s.price}, {"object", "price"}}},
                    {"current_period_start", s.current_period_start},
                    {"current_period_end", s.current_period_end}};
  return {{"id", s.id},
          {"object", "subscription"},
          {"customer", s.customer},
          {"status", s.status},
          {"cancel_at_period_end", s.cancel_at_period_end},
          {"items", json::object{{"object", "list"}, {"data", json::array{item}}}},
          {"metadata", meta}};
}

json::object FakeStripe::event(const std::string& type, const json::object& object) {
  std::string id;
  {
    std::lock_guard lock(mu_);
    id = next_id("evt");
  }
  return {{"id", id},
          {"object", "event"},
          {"api_version", "2025-03-31.basil"},
          {"created", now_s()},
          {"livemode", false},
          {"type", type},
          {"data", json::object{{"object", object}}}};
}

long FakeStripe::send_event(const json::object& ev) {
  std::string url, secret;
  {
    std::lock_guard lock(mu_);
    url = webhook_url_;
    secret = webhook_secret_;
  }
  if (url.empty()) return 0;
  std::string body = json::serialize(ev);
  http::ClientRequest req;
  req.method = "POST";
  req.url = url;
  req.body = body;
  req.headers = {{"Content-Type", "application/json"},
                 {"Stripe-Signature", billing::stripe_signature_header(body, secret, now_s())}};
  http::CurlHttpClient client;
  auto res = client.send(req);
  return res ? res->status : 0;
}

std::string FakeStripe::complete_checkout(const std::string& session_id) {
  std::string sub_id;
  json::object session_obj;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(session_id);
    if (it == sessions_.end()) return "";
    auto& cs = it->second;
    if (!cs.subscription.empty()) return cs.subscription;
    FakeSubscription s;
    s.id = sub_id = next_id("sub");
    s.customer = cs.customer;
    s.price = cs.price;
    s.current_period_start = now_s();
    s.current_period_end = now_s() + 30 * 24 * 3600;
    s.metadata = cs.subscription_metadata;
    subscriptions_[s.id] = s;
    cs.subscription = s.id;
    json::object meta;
    for (const auto& [k, v] : cs.metadata) meta[k] = v;
    session_obj = {{"id", cs.id},
                   {"object", "checkout.session"},
                   {"mode", "subscription"},
                   {"status", "complete"},
                   {"payment_status", "paid"},
                   {"customer", cs.customer},
                   {"subscription", s.id},
                   {"client_reference_id", cs.client_reference_id},
                   {"metadata", meta}};
  }
  add_invoice(sub_id, true);
  send_event(event("checkout.session.completed", session_obj));
  send_event(event("customer.subscription.created", subscription_json(sub_id)));
  return sub_id;
}

void FakeStripe::update_subscription(const std::string& id, const std::function<void(FakeSubscription&)>& change) {
  std::lock_guard lock(mu_);
  auto it = subscriptions_.find(id);
  if (it != subscriptions_.end()) change(it->second);
}

json::object FakeStripe::add_invoice(const std::string& subscription_id, bool paid) {
  std::lock_guard lock(mu_);
  auto it = subscriptions_.find(subscription_id);
  std::string customer = it == subscriptions_.end() ? "" : it->second.customer;
  json::object inv{{"id", next_id("in")},
                   {"object", "invoice"},
                   {"number", "FAKE-" + std::to_string(invoices_.size() + 1)},
                   {"customer", customer},
                   {"status", paid ? "paid" : "open"},
                   {"amount_due", 2900},
                   {"amount_paid", paid ? 2900 : 0},
                   {"currency", "usd"},
                   {"created", now_s()},
                   {"hosted_invoice_url", base_url() + "/invoice"},
                   {"parent", json::object{{"type", "subscription_details"},
                                           {"subscription_details", json::object{{"subscription", subscription_id}}}}}};
  invoices_.push_back(inv);
  return inv;
}

Response FakeStripe::api(Request& req, const std::function<Response(const StripeRequest&)>& handle, bool creates) {
  StripeRequest r;
  r.method = std::string(boost::beast::http::to_string(req.method));
  r.path = req.path;
  r.authorization = req.header("Authorization");
  r.idempotency_key = req.header("Idempotency-Key");
  r.content_type = req.header("Content-Type");
  r.body = req.body;
  if (req.method == Method::get) {
    r.form = req.query;
  } else if (!req.body.empty()) {
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    try {
      for (const auto& p : boost::urls::params_view(req.body, opts)) r.form[p.key] = p.value;
    } catch (const std::exception&) {
      return stripe_error(400, "invalid_request_error", "The request body is not form-encoded.");
    }
  }
  int failure = 0;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(r);
    if (!failures_.empty()) {
      failure = failures_.front();
      failures_.erase(failures_.begin());
    }
  }
  if (r.authorization != "Bearer " + secret_key_)
    return stripe_error(401, "invalid_request_error", "Invalid API Key provided: sk_test_****" +
                                                          (r.authorization.size() > 4 ? r.authorization.substr(r.authorization.size() - 4) : ""));
  if (failure == 429) {
    Response res = stripe_error(429, "rate_limit_error", "Too many requests made to the API too quickly", "rate_limit");
    res.set_header("Retry-After", "1");
    return res;
  }
  if (failure) return stripe_error(static_cast<unsigned>(failure), "api_error", "An unexpected error occurred.");
  if (req.method == Method::post && r.content_type.rfind("application/x-www-form-urlencoded", 0) != 0)
    return stripe_error(400, "invalid_request_error", "Request bodies must be form-encoded.");
  if (creates && !r.idempotency_key.empty()) {
    std::lock_guard lock(mu_);
    auto it = idempotent_.find(r.idempotency_key);
    if (it != idempotent_.end()) return Response::text(200, it->second, "application/json");
  }
  Response res = handle(r);
  if (creates && !r.idempotency_key.empty() && res.status == 200) {
    std::lock_guard lock(mu_);
    idempotent_[r.idempotency_key] = res.body;
  }
  return res;
}

void FakeStripe::add_routes() {
  auto need = [](const StripeRequest& r, const std::string& field) -> std::optional<Response> {
    if (r.form.count(field) && !r.form.at(field).empty()) return std::nullopt;
    return stripe_error(400, "invalid_request_error", "Missing required param: " + field + ".", "parameter_missing");
  };
  router_.add(Method::post, "/v1/customers", [this](Request& req) {
    return api(req, [this](const StripeRequest& r) {
      std::lock_guard lock(mu_);
      std::string id = next_id("cus");
      json::object c{{"id", id}, {"object", "customer"}, {"name", r.form.count("name") ? r.form.at("name") : ""},
                     {"email", r.form.count("email") ? r.form.at("email") : ""},
                     {"metadata", json::object{{"org_id", r.form.count("metadata[org_id]") ? r.form.at("metadata[org_id]") : ""}}}};
      customers_[id] = c;
      return Response::json(200, c);
    }, true);
  });
  router_.add(Method::post, "/v1/checkout/sessions", [this, need](Request& req) {
    return api(req, [this, need](const StripeRequest& r) {
      for (const char* f : {"mode", "line_items[0][price]", "success_url"})
        if (auto missing = need(r, f)) return *missing;
      if (r.form.at("mode") != "subscription")
        return stripe_error(400, "invalid_request_error", "This fake only sells subscriptions.");
      std::lock_guard lock(mu_);
      if (r.form.count("customer") && !customers_.count(r.form.at("customer")))
        return stripe_error(400, "invalid_request_error", "No such customer: '" + r.form.at("customer") + "'",
                            "resource_missing");
      FakeCheckoutSession cs;
      cs.id = next_id("cs");
      cs.customer = r.form.count("customer") ? r.form.at("customer") : "";
      cs.price = r.form.at("line_items[0][price]");
      cs.client_reference_id = r.form.count("client_reference_id") ? r.form.at("client_reference_id") : "";
      cs.success_url = r.form.at("success_url");
      cs.cancel_url = r.form.count("cancel_url") ? r.form.at("cancel_url") : "";
      for (const auto& [k, v] : r.form) {
        if (k.rfind("metadata[", 0) == 0 && k.back() == ']') cs.metadata[k.substr(9, k.size() - 10)] = v;
        const std::string sub_prefix = "subscription_data[metadata][";
        if (k.rfind(sub_prefix, 0) == 0 && k.back() == ']')
          cs.subscription_metadata[k.substr(sub_prefix.size(), k.size() - sub_prefix.size() - 1)] = v;
      }
      sessions_[cs.id] = cs;
      return Response::json(200, json::object{{"id", cs.id},
                                              {"object", "checkout.session"},
                                              {"url", base_url() + "/checkout/" + cs.id},
                                              {"status", "open"},
                                              {"mode", "subscription"},
                                              {"customer", cs.customer},
                                              {"client_reference_id", cs.client_reference_id}});
    }, true);
  });
  router_.add(Method::post, "/v1/billing_portal/sessions", [this, need](Request& req) {
    return api(req, [this, need](const StripeRequest& r) {
      if (auto missing = need(r, "customer")) return *missing;
      std::lock_guard lock(mu_);
      if (!customers_.count(r.form.at("customer")))
        return stripe_error(400, "invalid_request_error", "No such customer: '" + r.form.at("customer") + "'",
                            "resource_missing");
      std::string id = next_id("bps");
      portal_sessions_[id] = r.form.at("customer");
      portal_returns_[id] = r.form.count("return_url") ? r.form.at("return_url") : "";
      return Response::json(200, json::object{{"id", id},
                                              {"object", "billing_portal.session"},
                                              {"url", base_url() + "/portal/" + id},
                                              {"customer", r.form.at("customer")},
                                              {"return_url", portal_returns_[id]}});
    }, true);
  });
  router_.add(Method::get, "/v1/subscriptions/:id", [this](Request& req) {
    std::string id = req.param("id");
    return api(req, [this, id](const StripeRequest&) {
      auto s = subscription_json(id);
      if (s.empty())
        return stripe_error(404, "invalid_request_error", "No such subscription: '" + id + "'", "resource_missing");
      return Response::json(200, s);
    }, false);
  });
  router_.add(Method::delete_, "/v1/subscriptions/:id", [this](Request& req) {
    std::string id = req.param("id");
    return api(req, [this, id](const StripeRequest&) {
      {
        std::lock_guard lock(mu_);
        auto it = subscriptions_.find(id);
        if (it == subscriptions_.end())
          return stripe_error(404, "invalid_request_error", "No such subscription: '" + id + "'", "resource_missing");
        it->second.status = "canceled";
      }
      return Response::json(200, subscription_json(id));
    }, false);
  });
  router_.add(Method::get, "/v1/invoices", [this](Request& req) {
    return api(req, [this](const StripeRequest& r) {
      std::string customer = r.form.count("customer") ? r.form.at("customer") : "";
      std::lock_guard lock(mu_);
      json::array data;
      for (auto it = invoices_.rbegin(); it != invoices_.rend(); ++it)
        if (customer.empty() || (*it).at("customer").as_string() == customer) data.push_back(*it);
      return Response::json(200, json::object{{"object", "list"}, {"data", data}, {"has_more", false}});
    }, false);
  });

  // The hosted pages a browser visits.
  router_.add(Method::get, "/checkout/:id", [this](Request& req) {
    auto cs = session(req.param("id"));
    if (!cs) return Response::text(404, "No such Checkout Session");
    return page("Fake Stripe Checkout",
                "<p>Subscribe to price <code>" + html_escape(cs->price) + "</code> for " +
                    html_escape(cs->client_reference_id) + ".</p><form method=post action=\"/checkout/" +
                    html_escape(cs->id) + "/subscribe\"><button type=submit>Subscribe</button></form>" +
                    (cs->cancel_url.empty() ? "" : "<p><a href=\"" + html_escape(cs->cancel_url) + "\">Back</a></p>"));
  });
  router_.add(Method::post, "/checkout/:id/subscribe", [this](Request& req) {
    auto cs = session(req.param("id"));
    if (!cs) return Response::text(404, "No such Checkout Session");
    complete_checkout(cs->id);
    std::string to = cs->success_url;
    const std::string marker = "{CHECKOUT_SESSION_ID}";
    if (auto pos = to.find(marker); pos != std::string::npos) to.replace(pos, marker.size(), cs->id);
    return redirect(to);
  });
  router_.add(Method::get, "/portal/:id", [this](Request& req) {
    std::string id = req.param("id");
    std::string customer, back;
    std::vector<FakeSubscription> subs;
    {
      std::lock_guard lock(mu_);
      if (!portal_sessions_.count(id)) return Response::text(404, "No such portal session");
      customer = portal_sessions_[id];
      back = portal_returns_[id];
      for (const auto& [_, s] : subscriptions_)
        if (s.customer == customer && s.status != "canceled") subs.push_back(s);
    }
    std::string body = "<p>Customer <code>" + html_escape(customer) + "</code></p>";
    for (const auto& s : subs)
      body += "<p>Subscription <code>" + html_escape(s.id) + "</code> (" + html_escape(s.status) + ")" +
              (s.cancel_at_period_end ? " ends at the end of its period" : "") + "</p>";
    if (!subs.empty() && !subs.front().cancel_at_period_end)
      body += "<form method=post action=\"/portal/" + html_escape(id) +
              "/cancel\"><button type=submit>Cancel plan</button></form>";
    body += "<p><a href=\"" + html_escape(back) + "\">Return</a></p>";
    return page("Fake Stripe Billing Portal", body);
  });
  router_.add(Method::post, "/portal/:id/cancel", [this](Request& req) {
    std::string id = req.param("id");
    std::string customer, back, sub_id;
    {
      std::lock_guard lock(mu_);
      if (!portal_sessions_.count(id)) return Response::text(404, "No such portal session");
      customer = portal_sessions_[id];
      back = portal_returns_[id];
      for (auto& [sid, s] : subscriptions_)
        if (s.customer == customer && s.status != "canceled") {
          s.cancel_at_period_end = true;
          sub_id = sid;
        }
    }
    if (!sub_id.empty()) send_event(event("customer.subscription.updated", subscription_json(sub_id)));
    return redirect(back);
  });
}

}  // namespace sb::test
