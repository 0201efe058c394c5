// fake_stripe: the fake Stripe as a standalone server for browser tests; prints its base URL.
//
// usage: fake_stripe [--port N] [--secret-key sk_test_…] [--webhook-url URL] [--webhook-secret whsec_…]
//   --port            port to listen on (default 0: a free one; the URL printed says which)
//   --secret-key      the only API key accepted (default sk_test_fake_123); point Switchboard at it with
//                     --stripe-secret-key and --stripe-api-base <printed URL>
//   --webhook-url     where signed events go, e.g. http://127.0.0.1:8080/hooks/stripe
//   --webhook-secret  the whsec_… secret events are signed with (give Switchboard the same one with
//                     --stripe-webhook-secret; default whsec_fake_123)
// Checkout Sessions answer with url <base>/checkout/<id>: a page with a "Subscribe" button that
// creates the subscription (active, a 30-day period), a paid invoice, sends checkout.session.completed
// and customer.subscription.created to the webhook URL, then goes to the session's success_url
// ({CHECKOUT_SESSION_ID} filled in). Portal sessions answer with <base>/portal/<id>: a page with a
// "Cancel plan" button that sets cancel_at_period_end, sends customer.subscription.updated and goes
// to the return_url. Both "go" through a page that refreshes at once (meta refresh), not a 303: the
// fake's CSP has form-action 'self', which Chromium applies to redirects after a form submission.
// The events are sent before the page answers, so the webhook has them when the browser arrives.
// Stops on SIGINT or SIGTERM.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "fakes/fake_stripe.hpp"

int main(int argc, char** argv) {
  int port = 0;
  std::string key = "sk_test_fake_123", url, secret = "whsec_fake_123";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "fake_stripe: " << arg << " needs a value (see the top of fake_stripe_main.cpp)" << std::endl;
      return 2;
    }
    std::string value = argv[++i];
    if (arg == "--port") port = std::atoi(value.c_str());
    else if (arg == "--secret-key") key = value;
    else if (arg == "--webhook-url") url = value;
    else if (arg == "--webhook-secret") secret = value;
    else {
      std::cerr << "usage: fake_stripe [--port N] [--secret-key sk_test_…] [--webhook-url URL] [--webhook-secret whsec_…]"
                << std::endl;
      return 2;
    }
  }
  if (port < 0 || port > 65535) return 2;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  sb::test::FakeStripe fake(key, static_cast<unsigned short>(port));
  fake.set_webhook(url, secret);
  std::cout << fake.base_url() << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  return 0;
}
