// HTTP routes of billing: the overview, plan cards, Stripe Checkout/Portal/invoices, the Stripe
// webhook and the platform admin's plan override.
#pragma once

#include "accounts/authenticator.hpp"
#include "billing/service.hpp"
#include "http/router.hpp"

namespace sb::billing {

void add_routes(http::Router& router, BillingService& billing, const accounts::Authenticator& auth);

boost::json::object plan_json(const Plan& plan);

}  // namespace sb::billing
