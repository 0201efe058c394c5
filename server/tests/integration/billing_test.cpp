// Billing over real HTTP: plans, limits on creation (also under concurrent requests), the platform
// admin's plan override, grandfathering when billing is first turned on, the billing overview, and
// Stripe (Checkout, the Portal, signed webhooks, the event queue) against the fake Stripe.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <functional>
#include <thread>

#include "billing/stripe.hpp"
#include "fakes/fake_stripe.hpp"
#include "integration/teams_fixture.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

std::string org_of(const json::object& session) {
  return std::string(session.at("organization").at("id").as_string());
}

class BillingTest : public ServerTest {
 protected:
  void configure(Config& c) override { c.billing = "on"; }
  void SetUp() override {
    ServerTest::SetUp();
    operator_agent = agent();
    operator_agent.signup("operator@example.com");  // the first person is the platform admin
    owner = agent();
    org_id = org_of(owner.signup("owner@example.com"));
  }
  Reply create_bot(Agent& a, const std::string& name) { return a.post("/api/bots", {{"name", name}}); }
  Reply set_plan(const std::string& org, const json::value& plan) {
    return operator_agent.send("PUT", "/api/admin/orgs/" + org + "/plan", json::serialize(json::object{{"plan", plan}}));
  }
  json::object billing() {
    auto r = owner.get("/api/billing");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().as_object() : json::object{};
  }
  Agent operator_agent{""};
  Agent owner{""};
  std::string org_id;
};

void expect_limit(const Reply& r, const std::string& limit, std::int64_t used, const std::string& plan) {
  ASSERT_EQ(r.status, 402) << r.body;
  EXPECT_EQ(r.error_code(), "plan_limit_reached");
  auto doc = r.json();
  const auto& d = doc.at("error").at("details");
  EXPECT_EQ(d.at("limit").as_string(), limit);
  EXPECT_EQ(d.at("used").as_int64(), used);
  EXPECT_EQ(d.at("plan").as_string(), plan);
}

TEST_F(BillingTest, ANewOrganisationStartsOnFreeAndSeesItsLimitsAndUsage) {
  auto b = billing();
  EXPECT_TRUE(b.at("enabled").as_bool());
  EXPECT_FALSE(b.at("stripe_configured").as_bool());
  EXPECT_EQ(b.at("plan").at("key").as_string(), "free");
  EXPECT_EQ(b.at("plan").at("name").as_string(), "Free");
  EXPECT_FALSE(b.at("grandfathered").as_bool());
  EXPECT_EQ(b.at("limits").at("bots").as_int64(), 3);
  EXPECT_EQ(b.at("limits").at("members").as_int64(), 3);
  EXPECT_EQ(b.at("usage").at("bots").as_int64(), 0);
  EXPECT_EQ(b.at("usage").at("members").as_int64(), 1);
  EXPECT_EQ(b.at("usage").at("messages").as_int64(), 0);
  EXPECT_TRUE(b.at("exceeded").as_array().empty());
  EXPECT_TRUE(b.at("current_period_end").is_null());

  auto plans = owner.get("/api/billing/plans");
  ASSERT_EQ(plans.status, 200) << plans.body;
  std::vector<std::string> keys;
  auto cards = plans.json();  // kept alive for the loop
  for (const auto& p : cards.as_array()) {
    keys.emplace_back(p.at("key").as_string());
    EXPECT_FALSE(p.at("purchasable").as_bool()) << "no price ids are configured";
    EXPECT_FALSE(p.as_object().contains("stripe_price_id"));
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"free", "pro", "business"}));
  EXPECT_EQ(agent().get("/api/billing/plans").status, 401);
}

TEST_F(BillingTest, CreationOverTheFreeLimitsIsRefusedWithTheLimitUsedAndPlan) {
  verify_email(operator_agent, "owner@example.com");  // connecting platforms and inviting need it
  for (int i = 0; i < 3; ++i) ASSERT_EQ(create_bot(owner, "Bot " + std::to_string(i)).status, 201);
  expect_limit(create_bot(owner, "One too many"), "bots", 3, "free");
  std::string first(owner.get("/api/bots").json().at("items").as_array().at(0).at("id").as_string());
  expect_limit(owner.post("/api/bots/" + std::string(first) + "/duplicate", json::object{}), "bots", 3, "free");
  EXPECT_EQ(owner.get("/api/bots").json().at("items").as_array().size(), 3u) << "nothing was created";

  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(owner.post("/api/integrations", {{"platform", "webchat"}, {"name", "Chat " + std::to_string(i)}}).status, 201);
  expect_limit(owner.post("/api/integrations", {{"platform", "webchat"}, {"name", "Chat 3"}}), "integrations", 2, "free");

  // Members count with open invitations: the owner plus two invitations fill the three places.
  std::string base = "/api/orgs/" + org_id + "/invites";
  ASSERT_EQ(owner.post(base, {{"email", "a@example.com"}, {"role", "member"}}).status, 201);
  auto second = owner.post(base, {{"email", "b@example.com"}, {"role", "member"}});
  ASSERT_EQ(second.status, 201) << second.body;
  expect_limit(owner.post(base, {{"email", "c@example.com"}, {"role", "member"}}), "members", 3, "free");
  // Revoking an invitation makes room again.
  auto invite_id = std::string(second.json().at("id").as_string());
  ASSERT_EQ(owner.send("DELETE", base + "/" + invite_id).status, 204);
  EXPECT_EQ(owner.post(base, {{"email", "c@example.com"}, {"role", "member"}}).status, 201);

  auto b = billing();
  EXPECT_EQ(b.at("usage").at("bots").as_int64(), 3);
  EXPECT_EQ(b.at("usage").at("integrations").as_int64(), 2);
  EXPECT_EQ(b.at("usage").at("members").as_int64(), 3);
}

TEST_F(BillingTest, ConcurrentCreationsNeverOverrunTheLimit) {
  constexpr int kRequests = 12;
  std::vector<long> statuses(kRequests);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i)
    threads.emplace_back([&, i] {
      Agent copy = owner;  // the same session, its own connection
      statuses[i] = copy.post("/api/bots", {{"name", "Racer " + std::to_string(i)}}).status;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 3);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 402), kRequests - 3);
  EXPECT_EQ(owner.get("/api/bots").json().at("items").as_array().size(), 3u);
}

TEST_F(BillingTest, ConcurrentIntegrationsAndInvitationsNeverOverrunTheirLimits) {
  verify_email(operator_agent, "owner@example.com");
  constexpr int kRequests = 8;
  auto race = [&](const std::function<Reply(Agent&, int)>& call) {
    std::vector<long> statuses(kRequests);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRequests; ++i)
      threads.emplace_back([&, i] {
        Agent copy = owner;
        statuses[i] = call(copy, i).status;
      });
    for (auto& t : threads) t.join();
    return std::count(statuses.begin(), statuses.end(), 201);
  };
  EXPECT_EQ(race([](Agent& a, int i) {
              return a.post("/api/integrations", {{"platform", "webchat"}, {"name", "Chat " + std::to_string(i)}});
            }),
            2);
  EXPECT_EQ(race([this](Agent& a, int i) {
              return a.post("/api/orgs/" + org_id + "/invites",
                            {{"email", "p" + std::to_string(i) + "@example.com"}, {"role", "member"}});
            }),
            2)
      << "the owner and two invitations fill Free's three places";
  auto b = billing();
  EXPECT_EQ(b.at("usage").at("integrations").as_int64(), 2);
  EXPECT_EQ(b.at("usage").at("members").as_int64(), 3);
}

TEST_F(BillingTest, APlatformAdminSetsAPlanWhichRaisesTheLimitsAndIsAudited) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(create_bot(owner, "Bot " + std::to_string(i)).status, 201);
  expect_limit(create_bot(owner, "Fourth"), "bots", 3, "free");

  EXPECT_EQ(owner.send("PUT", "/api/admin/orgs/" + org_id + "/plan", R"({"plan":"pro"})").status, 403)
      << "owners do not choose their own plan here";
  auto set = set_plan(org_id, "pro");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json().at("plan").as_string(), "pro");
  EXPECT_EQ(create_bot(owner, "Fourth").status, 201) << "the cache was dropped with the change";
  auto b = billing();
  EXPECT_EQ(b.at("plan").at("key").as_string(), "pro");
  EXPECT_EQ(b.at("limits").at("bots").as_int64(), 20);

  auto audit = owner.get("/api/orgs/" + org_id + "/audit");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_NE(audit.body.find("billing.plan_set"), std::string::npos) << audit.body;

  // Back to free: nothing is deleted, creating more is refused, the overview names the exceeded limit.
  ASSERT_EQ(set_plan(org_id, "free").status, 200);
  EXPECT_EQ(owner.get("/api/bots").json().at("items").as_array().size(), 4u);
  expect_limit(create_bot(owner, "Fifth"), "bots", 4, "free");
  auto after = billing();
  ASSERT_EQ(after.at("exceeded").as_array().size(), 1u);
  EXPECT_EQ(after.at("exceeded").as_array().at(0).as_string(), "bots");

  auto list = operator_agent.get("/api/admin/organizations");
  ASSERT_EQ(list.status, 200);
  bool found = false;
  auto listed = list.json();
  for (const auto& o : listed.at("items").as_array())
    if (o.at("id").as_string() == org_id) {
      found = true;
      EXPECT_EQ(o.at("plan").at("key").as_string(), "free");
      EXPECT_EQ(o.at("plan").at("source").as_string(), "admin");
    }
  EXPECT_TRUE(found);
}

TEST_F(BillingTest, ThePlanRouteRefusesBadInputAndHostileIds) {
  EXPECT_EQ(set_plan(org_id, "gold").status, 422);
  EXPECT_EQ(set_plan(org_id, 3).status, 422);
  EXPECT_EQ(set_plan(org_id, nullptr).status, 422);
  EXPECT_EQ(operator_agent.send("PUT", "/api/admin/orgs/" + org_id + "/plan", "{not json").status, 400);
  EXPECT_EQ(set_plan("org_doesnotexist", "pro").status, 404);
  for (std::string id : {"..", "%2E%2E", "org_x%2F..", "%2F", "org_%00"}) {
    auto r = set_plan(id, "pro");
    EXPECT_TRUE(r.status == 404 || r.status == 400) << id << ": " << r.status << " " << r.body;
  }
  std::string huge(2 * 1024 * 1024, 'x');
  EXPECT_EQ(operator_agent.send("PUT", "/api/admin/orgs/" + org_id + "/plan", R"({"plan":")" + huge + R"("})").status,
            413);
  EXPECT_EQ(billing().at("plan").at("key").as_string(), "free") << "nothing changed";
}

TEST_F(BillingTest, OnlyOwnersAndAdminsSeeBilling) {
  verify_email(operator_agent, "owner@example.com");
  auto invite = owner.post("/api/orgs/" + org_id + "/invites", {{"email", "member@example.com"}, {"role", "member"}});
  ASSERT_EQ(invite.status, 201) << invite.body;
  Agent member = agent();
  member.signup("member@example.com");
  auto accepted = member.post("/api/invites/accept", {{"token", token_from_url(std::string(invite.json().at("accept_url").as_string()))}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(member.get("/api/billing").status, 403);
  EXPECT_EQ(member.get("/api/billing/plans").status, 200) << "plan cards are for everyone signed in";
}

class GrandfatheringTest : public ServerTest {};

TEST_F(GrandfatheringTest, OrganisationsFromBeforeBillingStayUnlimitedUntilAnAdminChangesThem) {
  Agent admin = agent();
  admin.signup("operator@example.com");
  Agent old = agent();
  std::string old_org = org_of(old.signup("early@example.com"));
  for (int i = 0; i < 5; ++i) ASSERT_EQ(old.post("/api/bots", {{"name", "Bot " + std::to_string(i)}}).status, 201);
  EXPECT_FALSE(old.get("/api/billing").json().at("enabled").as_bool());

  config.billing = "on";
  restart();
  Agent early = agent();
  early.signin("early@example.com");
  auto b = early.get("/api/billing").json();
  EXPECT_TRUE(b.at("enabled").as_bool());
  EXPECT_TRUE(b.at("grandfathered").as_bool());
  EXPECT_EQ(b.at("plan").at("name").as_string(), "Grandfathered");
  EXPECT_TRUE(b.at("limits").at("bots").is_null());
  EXPECT_EQ(early.post("/api/bots", {{"name", "Sixth"}}).status, 201);

  Agent late = agent();
  late.signup("late@example.com");
  EXPECT_EQ(late.get("/api/billing").json().at("plan").at("key").as_string(), "free");

  // A second start grandfathers nobody new.
  restart();
  Agent late_again = agent();
  late_again.signin("late@example.com");
  EXPECT_EQ(late_again.get("/api/billing").json().at("plan").at("key").as_string(), "free");

  Agent operator_agent = agent();
  operator_agent.signin("operator@example.com");
  ASSERT_EQ(operator_agent.send("PUT", "/api/admin/orgs/" + old_org + "/plan", R"({"plan":"business"})").status, 200);
  Agent early_again = agent();
  early_again.signin("early@example.com");
  auto after = early_again.get("/api/billing").json();
  EXPECT_FALSE(after.at("grandfathered").as_bool());
  EXPECT_EQ(after.at("plan").at("key").as_string(), "business");
}

TEST_F(GrandfatheringTest, BillingOffRefusesNothing) {
  Agent owner = agent();
  owner.signup("owner@example.com");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(owner.post("/api/bots", {{"name", "Bot " + std::to_string(i)}}).status, 201);
  auto b = owner.get("/api/billing").json();
  EXPECT_FALSE(b.at("enabled").as_bool());
  EXPECT_EQ(b.at("plan").at("key").as_string(), "unlimited");
}

}  // namespace
}  // namespace sb::test

// ---- Stripe: Checkout, the Portal, webhooks and the event queue, against the fake Stripe ----

namespace sb::test {
namespace {

constexpr const char* kStripeKey = "sk_test_billing_key_4242";
constexpr const char* kWebhookSecret = "whsec_billing_test_secret";
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// Stripe's signature made here with OpenSSL directly, not with the server's helper.
std::string openssl_signature(const std::string& secret, std::int64_t t, const std::string& body) {
  std::string payload = std::to_string(t) + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &len);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

class StripeBillingTest : public ServerTest {
 protected:
  void configure(Config& c) override {
    std::string plans = scratch->data_dir() + "/plans.json";
    std::ofstream(plans) << R"([{"key": "pro", "stripe_price_id": "price_pro_monthly"},
                                {"key": "business", "stripe_price_id": "price_business_monthly"}])";
    c.plans_file = plans;
    c.stripe_secret_key = kStripeKey;
    c.stripe_webhook_secret = kWebhookSecret;
    c.stripe_api_base = stripe.base_url();
    c.billing_event_interval_ms = 0;  // the test runs the queue itself
  }
  const Clock* clock() override { return &test_clock; }
  void SetUp() override {
    ServerTest::SetUp();
    stripe.set_webhook(base_url + "/hooks/stripe", kWebhookSecret);
    operator_agent = agent();
    operator_agent.signup("operator@example.com");
    owner = agent();
    org_id = org_of(owner.signup("owner@example.com"));
  }
  std::int64_t now_s() const { return test_clock.now_ms() / 1000; }
  json::object billing() {
    auto r = owner.get("/api/billing");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().as_object() : json::object{};
  }
  std::string plan() { return std::string(billing().at("plan").at("key").as_string()); }
  // Owner → Checkout → the fake's Subscribe button → the webhooks → the queue. Returns the subscription.
  std::string subscribe(const std::string& plan_key = "pro") {
    auto r = owner.post("/api/billing/checkout", {{"plan", plan_key}});
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return "";
    std::string url(r.json().at("url").as_string());
    std::string session = url.substr(url.rfind('/') + 1);
    std::string sub = stripe.complete_checkout(session);
    app->billing().process_due_events();
    return sub;
  }
  // Posts a body to the webhook as Stripe would, signed at t with the secret.
  Reply deliver(const std::string& body, const std::string& signature_header) {
    Agent stripe_agent(base_url);
    return stripe_agent.send("POST", "/hooks/stripe", body, {{"Stripe-Signature", signature_header}});
  }
  Reply deliver_signed(const json::object& event) {
    std::string body = json::serialize(event);
    std::int64_t t = now_s();
    return deliver(body, "t=" + std::to_string(t) + ",v1=" + openssl_signature(kWebhookSecret, t, body));
  }
  std::int64_t stored_events() {
    auto conn = app->database().acquire();
    return conn->query_one("SELECT COUNT(*) AS n FROM stripe_events")->integer("n");
  }
  std::string event_state(const std::string& id) {
    auto conn = app->database().acquire();
    auto row = conn->query_one("SELECT state FROM stripe_events WHERE id = $1", {id});
    return row ? row->text("state") : "";
  }
  void create_bots(int n) {
    for (int i = 0; i < n; ++i)
      ASSERT_EQ(owner.post("/api/bots", {{"name", "Bot " + std::to_string(i) + "-" + std::to_string(bots_made)}}).status,
                201);
    bots_made += n;
  }
  int bots_made = 0;
  TestClock test_clock;
  FakeStripe stripe{kStripeKey};
  Agent operator_agent{""};
  Agent owner{""};
  std::string org_id;
};

TEST_F(StripeBillingTest, SubscribingThroughCheckoutActivatesThePlanAndRaisesTheLimits) {
  create_bots(3);
  expect_limit(owner.post("/api/bots", {{"name", "Fourth"}}), "bots", 3, "free");
  auto plans = owner.get("/api/billing/plans").json().as_array();  // a copy of the array
  for (const auto& p : plans)
    EXPECT_EQ(p.at("purchasable").as_bool(), p.at("key").as_string() != "free") << p.at("key").as_string();

  auto r = owner.post("/api/billing/checkout", {{"plan", "pro"}});
  ASSERT_EQ(r.status, 200) << r.body;
  std::string url(r.json().at("url").as_string());
  EXPECT_EQ(url.rfind(stripe.base_url() + "/checkout/cs_", 0), 0u) << url;
  std::string session_id = url.substr(url.rfind('/') + 1);

  // What went to Stripe: a customer made once with an idempotency key, then the session.
  auto requests = stripe.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/v1/customers");
  EXPECT_EQ(requests[0].authorization, std::string("Bearer ") + kStripeKey);
  EXPECT_FALSE(requests[0].idempotency_key.empty());
  EXPECT_EQ(requests[0].form.at("metadata[org_id]"), org_id);
  const auto& cs = requests[1];
  EXPECT_EQ(cs.path, "/v1/checkout/sessions");
  EXPECT_EQ(cs.content_type, "application/x-www-form-urlencoded");
  EXPECT_FALSE(cs.idempotency_key.empty());
  EXPECT_EQ(cs.form.at("mode"), "subscription");
  EXPECT_EQ(cs.form.at("line_items[0][price]"), "price_pro_monthly");
  EXPECT_EQ(cs.form.at("client_reference_id"), org_id);
  EXPECT_EQ(cs.form.at("metadata[org_id]"), org_id);
  EXPECT_EQ(cs.form.at("subscription_data[metadata][org_id]"), org_id);
  EXPECT_EQ(cs.form.at("success_url").rfind(config.effective_public_base_url() + "/billing", 0), 0u);
  EXPECT_EQ(cs.form.at("cancel_url").rfind(config.effective_public_base_url() + "/billing", 0), 0u);
  EXPECT_EQ(plan(), "free") << "the redirect back proves nothing; the webhook does";

  std::string sub = stripe.complete_checkout(session_id);
  ASSERT_FALSE(sub.empty());
  EXPECT_EQ(stored_events(), 2) << "checkout.session.completed and customer.subscription.created";
  EXPECT_EQ(plan(), "free") << "stored, not yet processed";
  EXPECT_EQ(app->billing().process_due_events(), 2u);
  auto b = billing();
  EXPECT_EQ(b.at("plan").at("key").as_string(), "pro");
  EXPECT_EQ(b.at("status").as_string(), "active");
  EXPECT_FALSE(b.at("current_period_end").is_null());
  EXPECT_FALSE(b.at("cancel_at_period_end").as_bool());
  EXPECT_EQ(b.at("limits").at("bots").as_int64(), 20);
  EXPECT_EQ(owner.post("/api/bots", {{"name", "Fourth"}}).status, 201);

  // Subscribed already: a second Checkout is refused; the portal changes the plan.
  EXPECT_EQ(owner.post("/api/billing/checkout", {{"plan", "business"}}).status, 409);
  auto invoices = owner.get("/api/billing/invoices");
  ASSERT_EQ(invoices.status, 200) << invoices.body;
  ASSERT_EQ(invoices.json().at("invoices").as_array().size(), 1u);
  EXPECT_EQ(invoices.json().at("invoices").at(0).at("status").as_string(), "paid");
  EXPECT_EQ(invoices.json().at("invoices").at(0).at("amount_paid").as_int64(), 2900);
  EXPECT_EQ(stripe.customer_count(), 1u);
  auto audit = owner.get("/api/orgs/" + org_id + "/audit");
  EXPECT_NE(audit.body.find("billing.checkout_started"), std::string::npos);
}

TEST_F(StripeBillingTest, CancelAtPeriodEndKeepsThePlanUntilStripeEndsIt) {
  std::string sub = subscribe();
  ASSERT_FALSE(sub.empty());
  create_bots(5);
  auto portal = owner.post("/api/billing/portal", json::object{});
  ASSERT_EQ(portal.status, 200) << portal.body;
  EXPECT_EQ(std::string(portal.json().at("url").as_string()).rfind(stripe.base_url() + "/portal/bps_", 0), 0u);
  auto last = stripe.requests().back();
  EXPECT_EQ(last.path, "/v1/billing_portal/sessions");
  EXPECT_EQ(last.form.at("return_url"), config.effective_public_base_url() + "/billing");

  stripe.update_subscription(sub, [](FakeSubscription& s) { s.cancel_at_period_end = true; });
  ASSERT_EQ(stripe.send_event(stripe.event("customer.subscription.updated", stripe.subscription_json(sub))), 200);
  app->billing().process_due_events();
  auto b = billing();
  EXPECT_TRUE(b.at("cancel_at_period_end").as_bool());
  EXPECT_EQ(b.at("plan").at("key").as_string(), "pro");

  stripe.update_subscription(sub, [](FakeSubscription& s) { s.status = "canceled"; });
  ASSERT_EQ(stripe.send_event(stripe.event("customer.subscription.deleted", stripe.subscription_json(sub))), 200);
  app->billing().process_due_events();
  auto after = billing();
  EXPECT_EQ(after.at("plan").at("key").as_string(), "free");
  EXPECT_EQ(after.at("status").as_string(), "canceled");
  EXPECT_EQ(owner.get("/api/bots").json().at("items").as_array().size(), 5u) << "nothing is deleted";
  ASSERT_EQ(after.at("exceeded").as_array().size(), 1u);
  expect_limit(owner.post("/api/bots", {{"name", "Sixth"}}), "bots", 5, "free");
  // A new Checkout reuses the organisation's customer.
  EXPECT_EQ(owner.post("/api/billing/checkout", {{"plan", "pro"}}).status, 200);
  EXPECT_EQ(stripe.customer_count(), 1u);
}

TEST_F(StripeBillingTest, PaymentFailedKeepsThePlanForTheGraceThenFallsToFree) {
  std::string sub = subscribe();
  create_bots(5);
  stripe.update_subscription(sub, [](FakeSubscription& s) { s.status = "past_due"; });
  ASSERT_EQ(stripe.send_event(stripe.event("invoice.payment_failed", stripe.add_invoice(sub, false))), 200);
  app->billing().process_due_events();
  auto b = billing();
  EXPECT_EQ(b.at("status").as_string(), "past_due");
  EXPECT_EQ(b.at("plan").at("key").as_string(), "pro") << "within the grace";
  EXPECT_FALSE(b.at("past_due_grace_ends_at").is_null());

  test_clock.advance(6 * kDayMs);
  EXPECT_EQ(plan(), "pro");
  EXPECT_EQ(owner.post("/api/bots", {{"name", "Still allowed"}}).status, 201);
  test_clock.advance(kDayMs + 1000);
  EXPECT_EQ(plan(), "free") << "seven days after the payment failed";
  expect_limit(owner.post("/api/bots", {{"name", "Refused"}}), "bots", 6, "free");

  // The card is fixed: Stripe marks it active again and the plan returns.
  stripe.update_subscription(sub, [](FakeSubscription& s) { s.status = "active"; });
  ASSERT_EQ(deliver_signed(stripe.event("invoice.paid", stripe.add_invoice(sub, true))).status, 200);
  app->billing().process_due_events();
  auto paid = billing();
  EXPECT_EQ(paid.at("plan").at("key").as_string(), "pro");
  EXPECT_TRUE(paid.at("past_due_grace_ends_at").is_null());
}

TEST_F(StripeBillingTest, DuplicateAndOutOfOrderEventsNeverMoveTheStateBackwards) {
  std::string sub = subscribe();
  auto created_snapshot = stripe.subscription_json(sub);  // active, as it was
  // A redelivered event is stored once and changes nothing.
  auto updated = stripe.event("customer.subscription.updated", stripe.subscription_json(sub));
  ASSERT_EQ(deliver_signed(updated).status, 200);
  auto count = stored_events();
  ASSERT_EQ(deliver_signed(updated).status, 200);
  EXPECT_EQ(stored_events(), count);

  // Stripe ends the subscription; its deletion arrives first, then the old "created" event.
  stripe.update_subscription(sub, [](FakeSubscription& s) { s.status = "canceled"; });
  ASSERT_EQ(deliver_signed(stripe.event("customer.subscription.deleted", stripe.subscription_json(sub))).status, 200);
  app->billing().process_due_events();
  EXPECT_EQ(plan(), "free");
  auto late = stripe.event("customer.subscription.created", created_snapshot);
  ASSERT_EQ(deliver_signed(late).status, 200);
  app->billing().process_due_events();
  EXPECT_EQ(plan(), "free") << "the late event's copy said active; Stripe says canceled";
  EXPECT_EQ(event_state(std::string(late.at("id").as_string())), "done");
}

TEST_F(StripeBillingTest, InvalidSignaturesAreRefusedAndStoreNothing) {
  auto ev = stripe.event("customer.subscription.created", json::object{{"id", "sub_nothing"}});
  std::string body = json::serialize(ev);
  std::int64_t t = now_s();
  std::string good = openssl_signature(kWebhookSecret, t, body);
  std::string ts = "t=" + std::to_string(t);

  struct Case {
    std::string name, header, body;
  };
  std::string tampered = body;
  tampered.replace(tampered.find("sub_nothing"), 11, "sub_somethin");
  for (const auto& c : std::vector<Case>{
           {"no header", "", body},
           {"only v0", ts + ",v0=" + good, body},
           {"tampered body", ts + ",v1=" + good, tampered},
           {"wrong secret", ts + ",v1=" + openssl_signature("whsec_someone_else", t, body), body},
           {"secret without its whsec_ prefix",
            ts + ",v1=" + openssl_signature(std::string(kWebhookSecret).substr(6), t, body), body},
           {"old timestamp",
            "t=" + std::to_string(t - 301) + ",v1=" + openssl_signature(kWebhookSecret, t - 301, body), body},
           {"timestamp of another signature", "t=" + std::to_string(t - 1) + ",v1=" + good, body},
           {"garbage", "t=abc,v1=zz", body},
       }) {
    auto r = deliver(c.body, c.header);
    EXPECT_EQ(r.status, 400) << c.name << ": " << r.body;
    EXPECT_EQ(r.error_code(), "invalid_signature") << c.name;
    EXPECT_EQ(r.body.find(kWebhookSecret), std::string::npos);
  }
  EXPECT_EQ(stored_events(), 0) << "nothing is stored";
  EXPECT_EQ(plan(), "free");

  // Accepted: several v1 (a rotated-out secret's first), a v0 beside them, a timestamp just in tolerance.
  EXPECT_EQ(deliver(body, ts + ",v1=" + openssl_signature("whsec_old_secret", t, body) + ",v1=" + good + ",v0=abc").status,
            200);
  auto ev2 = stripe.event("customer.subscription.updated", json::object{{"id", "sub_nothing"}});
  std::string body2 = json::serialize(ev2);
  EXPECT_EQ(deliver(body2, "t=" + std::to_string(t - 299) + ",v1=" + openssl_signature(kWebhookSecret, t - 299, body2))
                .status,
            200);
  EXPECT_EQ(stored_events(), 2);
  // A signed body that is not an event is refused without being stored.
  std::string not_event = R"({"hello":"world"})";
  EXPECT_EQ(deliver(not_event, ts + ",v1=" + openssl_signature(kWebhookSecret, t, not_event)).status, 400);
  EXPECT_EQ(stored_events(), 2);
  // An unknown subscription is looked up, found missing, and the event is done with.
  app->billing().process_due_events();
  EXPECT_EQ(event_state(std::string(ev.at("id").as_string())), "done");
}

TEST_F(StripeBillingTest, AFailedEventIsRetriedWithBackoffByTheQueue) {
  auto r = owner.post("/api/billing/checkout", {{"plan", "pro"}});
  ASSERT_EQ(r.status, 200) << r.body;
  std::string url(r.json().at("url").as_string());
  stripe.complete_checkout(url.substr(url.rfind('/') + 1));
  stripe.fail_next(500, 2);  // both events meet a Stripe outage when they re-read the subscription
  EXPECT_EQ(app->billing().process_due_events(), 2u);
  EXPECT_EQ(plan(), "free");
  EXPECT_EQ(app->billing().process_due_events(), 0u) << "not due before the backoff";
  test_clock.advance(31000);
  EXPECT_EQ(app->billing().process_due_events(), 2u);
  EXPECT_EQ(plan(), "pro");
}

TEST_F(StripeBillingTest, StripeErrorsAreOursAndNeverShowTheKey) {
  stripe.fail_next(500);
  auto outage = owner.post("/api/billing/checkout", {{"plan", "pro"}});
  EXPECT_EQ(outage.status, 502) << outage.body;
  EXPECT_EQ(outage.error_code(), "stripe_error");
  stripe.fail_next(429);
  auto busy = owner.post("/api/billing/checkout", {{"plan", "pro"}});
  EXPECT_EQ(busy.status, 502) << busy.body;
  for (const auto& r : {outage, busy}) EXPECT_EQ(r.body.find(kStripeKey), std::string::npos);

  // A wrong key: Stripe's 401 becomes our message, without any key in it.
  http::CurlHttpClient client;
  billing::HttpStripeClient wrong(client, stripe.base_url(), "sk_test_wrong_key_9999");
  auto refused = wrong.create_customer(org_id, "Acme", "owner@example.com", "k1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "stripe_error");
  EXPECT_EQ(refused.error().message.find("sk_test"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find("9999"), std::string::npos) << refused.error().message;
}

TEST_F(StripeBillingTest, OnlyOwnersBuyAndHostileInputChangesNothing) {
  for (const auto& body : {json::object{{"plan", "free"}}, json::object{{"plan", "unlimited"}},
                           json::object{{"plan", "../v1/customers"}}, json::object{{"plan", 3}}, json::object{}})
    EXPECT_EQ(owner.post("/api/billing/checkout", body).status, 422) << json::serialize(body);
  EXPECT_EQ(owner.send("POST", "/api/billing/checkout", "{nope").status, 400);
  EXPECT_EQ(owner.send("POST", "/api/billing/checkout", std::string(2 * 1024 * 1024, ' ')).status, 413);
  EXPECT_EQ(owner.post("/api/billing/portal", json::object{}).status, 409) << "no customer yet";
  EXPECT_TRUE(owner.get("/api/billing/invoices").json().at("invoices").as_array().empty());
  EXPECT_TRUE(stripe.requests().empty()) << "nothing reached Stripe";

  // An event naming a subscription id with a path in it never becomes a request path.
  for (std::string hostile : {"sub_x/../../v1/customers", "sub_%2F..%2Fx", "../../v1/invoices"}) {
    auto ev = stripe.event("customer.subscription.updated", json::object{{"id", hostile}});
    ASSERT_EQ(deliver_signed(ev).status, 200);
  }
  app->billing().process_due_events();
  for (const auto& req : stripe.requests()) ADD_FAILURE() << "unexpected request to Stripe: " << req.path;
  std::string huge = R"({"id":"evt_big","type":"x","pad":")" + std::string(2 * 1024 * 1024, 'a') + R"("})";
  EXPECT_EQ(deliver(huge, "t=1,v1=00").status, 413);
  EXPECT_EQ(plan(), "free");
}

TEST_F(StripeBillingTest, OperationsShowsEventsThatFailedForGood) {
  auto billing_check = [&] {
    auto r = operator_agent.get("/api/debug");
    EXPECT_EQ(r.status, 200) << r.body;
    auto report = r.json();
    for (const auto& c : report.at("checks").as_array())
      if (c.at("name").as_string() == "billing")
        return std::make_pair(std::string(c.at("status").as_string()), std::string(c.at("reason").as_string()));
    return std::make_pair(std::string("missing"), std::string());
  };
  EXPECT_EQ(billing_check().first, "green");
  auto ev = stripe.event("customer.subscription.updated", json::object{{"id", "sub_gone"}});
  ASSERT_EQ(deliver_signed(ev).status, 200);
  {
    auto conn = app->database().acquire();
    conn->execute("UPDATE stripe_events SET state = 'failed', last_error = 'Stripe had a problem.' WHERE id = $1",
                  {std::string(ev.at("id").as_string())});
  }
  auto [status, reason] = billing_check();
  EXPECT_EQ(status, "amber");
  EXPECT_NE(reason.find("1 Stripe events failed"), std::string::npos) << reason;
  EXPECT_EQ(reason.find(kStripeKey), std::string::npos);
}

TEST_F(StripeBillingTest, DeletingTheOrganisationCancelsItsSubscription) {
  std::string sub = subscribe();
  ASSERT_EQ(stripe.subscription(sub)->status, "active");
  stripe.fail_next(500);
  auto kept = owner.send("DELETE", "/api/orgs/" + org_id);
  EXPECT_EQ(kept.status, 502) << kept.body;
  EXPECT_EQ(owner.get("/api/orgs/" + org_id).status, 200) << "Stripe failed, so the organisation stays";
  EXPECT_EQ(owner.send("DELETE", "/api/orgs/" + org_id).status, 204);
  EXPECT_EQ(stripe.subscription(sub)->status, "canceled");
}

TEST_F(BillingTest, WithoutStripeKeysCheckoutPortalInvoicesAndTheWebhookSaySo) {
  for (auto r : {owner.post("/api/billing/checkout", {{"plan", "pro"}}), owner.post("/api/billing/portal", json::object{}),
                 owner.get("/api/billing/invoices"), agent().send("POST", "/hooks/stripe", "{}", {{"Stripe-Signature", "t=1,v1=00"}})}) {
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(r.error_code(), "billing_not_configured");
  }
}

}  // namespace
}  // namespace sb::test
