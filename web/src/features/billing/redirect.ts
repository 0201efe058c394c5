// Leaving the app for Stripe (Checkout, the customer portal): a full page load to the URL the server made.
export function redirectTo(url: string) {
  window.location.assign(url);
}
