// Journey: billing on against the fake Stripe (build/fake_stripe). A new operator starts on Free, sees
// the meters on /billing, fills the plan's 3 bots, is refused the fourth with the clear message and a
// link to Billing, upgrades to Pro through the fake Checkout, comes back to /billing, sees the Pro plan
// and its limits, and creates the fourth bot. A platform admin then moves it to Business from /admin.
// At 390 px in dark too.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { signUp } from '../lib/account.mjs';
import {
  fakeStripeEnv,
  freePort,
  journeySteps,
  launchBrowser,
  screenshotsFor,
  startFakeStripe,
  startServer,
} from '../lib/harness.mjs';

const OPERATOR = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'correct horse battery' };
const PRO_PRICE = 'price_pro_e2e';

describe('billing journey', () => {
  let server;
  let stripe;
  let operator;
  let screenshot;
  let plansDir;

  before(async () => {
    screenshot = await screenshotsFor('billing-journey');
  });

  after(async () => {
    await operator?.close();
    await server?.stop();
    await stripe?.stop();
    if (plansDir) await rm(plansDir, { recursive: true, force: true });
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
    if (state.failed && stripe) console.log(`--- fake Stripe log ---\n${stripe.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ operator }),
    () => screenshot,
  );

  const url = (route) => `${server.baseURL}${route}`;
  const nav = (page) => page.getByRole('navigation', { name: 'Main' });
  const dialog = (page) => page.getByRole('dialog');
  const meter = (page, name) => page.getByRole('progressbar', { name, exact: true });

  /** A JSON call from the page, with its session's CSRF token; throws on a non-2xx answer. */
  const call = (page, method, route, body) =>
    page.evaluate(
      async ({ method, route, body }) => {
        const session = await fetch('/api/auth/session').then((response) => response.json());
        const response = await fetch(route, {
          method,
          headers: {
            Accept: 'application/json',
            'Content-Type': 'application/json',
            'X-CSRF-Token': session.csrf_token,
          },
          body: JSON.stringify(body),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
        return JSON.parse(text);
      },
      { method, route, body },
    );

  step('the server starts with billing on against the fake Stripe; Pro has a price', {}, async () => {
    plansDir = await mkdtemp(path.join(tmpdir(), 'switchboard-e2e-plans-'));
    const plansFile = path.join(plansDir, 'plans.json');
    await writeFile(plansFile, JSON.stringify([{ key: 'pro', stripe_price_id: PRO_PRICE }]));
    const stripePort = await freePort();
    server = await startServer({ env: { ...fakeStripeEnv(stripePort), SWITCHBOARD_PLANS_FILE: plansFile } });
    stripe = await startFakeStripe({ port: stripePort, webhookURL: `${server.baseURL}/hooks/stripe` });
    operator = await launchBrowser();
    operator.page.setDefaultTimeout(15_000);
  });

  step(
    'a new operator signs up and finds Billing: Free, Active, a meter per limit',
    { operator: ['401 GET /api/auth/session'] },
    async () => {
      const { page } = operator;
      await signUp(page, server.baseURL, OPERATOR);
      await nav(page).getByRole('link', { name: 'Billing' }).click();
      await page.waitForURL(url('/billing'));
      await page.getByText('Free plan', { exact: true }).waitFor();
      await page.getByText('Active', { exact: true }).waitFor();
      for (const name of ['Bots', 'Integrations', 'Members and open invitations', 'Messages this period']) {
        await meter(page, name).waitFor();
      }
      assert.equal(await meter(page, 'Bots').getAttribute('aria-valuetext'), '0 of 3');
      assert.equal(
        await meter(page, 'Members and open invitations').getAttribute('aria-valuetext'),
        '1 of 3',
      );
      const pro = page.getByRole('group', { name: 'Pro plan' });
      await pro.getByRole('button', { name: 'Upgrade to Pro' }).waitFor();
      assert.equal(await pro.getByRole('button', { name: 'Upgrade to Pro' }).isEnabled(), true);
      // Business has no price in this installation: its button says why it is off.
      const business = page.getByRole('group', { name: 'Business plan' });
      assert.equal(await business.getByRole('button', { name: 'Upgrade to Business' }).isDisabled(), true);
      await business.getByText('Not on sale yet').waitFor();
      await page.getByText('No invoices yet').waitFor();
      await screenshot(page, '01-billing-free');
    },
  );

  step('the Free plan’s 3 bots are made; the dashboard warns that the limit is reached', {}, async () => {
    const { page } = operator;
    for (const name of ['Bakery Helper', 'Order Desk', 'Returns']) {
      await call(page, 'POST', '/api/bots', { name, model: 'openai/gpt-4o-mini', system_prompt: 'Be kind.' });
    }
    await page.goto(url('/'));
    const warnings = page.getByRole('region', { name: 'Usage warnings' });
    await warnings.getByText('Plan limit reached').waitFor();
    assert.equal(await meter(warnings, 'Bots').getAttribute('data-level'), 'full');
    await screenshot(page, '02-dashboard-limit-warning');
  });

  step(
    'a fourth bot is refused with the plan’s words and a link to Billing',
    { operator: ['402 POST /api/bots'] },
    async () => {
      const { page } = operator;
      await nav(page).getByRole('link', { name: 'Bots', exact: true }).click();
      await page.waitForURL(url('/bots'));
      await page.getByRole('button', { name: 'Create bot' }).first().click();
      await dialog(page).getByLabel('Name', { exact: true }).fill('Fourth');
      await dialog(page).getByRole('button', { name: 'Create bot' }).click();
      const alert = dialog(page).getByRole('alert');
      await alert
        .getByText('Your Free plan allows 3 bots; you have 3. Upgrade on the Billing page.')
        .waitFor();
      await screenshot(page, '03-bot-limit-message');
      await alert.getByRole('link', { name: 'Open Billing' }).click();
      await page.waitForURL(url('/billing'));
      await page.getByText('Limit reached').first().waitFor();
      assert.equal(await meter(page, 'Bots').getAttribute('data-level'), 'full');
    },
  );

  step('Upgrade to Pro goes through the fake Checkout and comes back to the Pro plan', {}, async () => {
    const { page } = operator;
    await page
      .getByRole('group', { name: 'Pro plan' })
      .getByRole('button', { name: 'Upgrade to Pro' })
      .click();
    await page.waitForURL((address) => address.href.startsWith(`${stripe.baseURL}/checkout/`));
    await screenshot(page, '04-fake-checkout');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(
      (address) => address.pathname === '/billing' && address.searchParams.get('checkout') === 'success',
    );
    await page.getByText('Thank you — you are on the Pro plan now.').waitFor();
    await page.getByText('Pro plan', { exact: true }).waitFor();
    await page.getByText(/^Renews on /).waitFor();
    assert.equal(await meter(page, 'Bots').getAttribute('aria-valuetext'), '3 of 20');
    assert.equal(await meter(page, 'Bots').getAttribute('data-level'), 'ok');
    await page.getByRole('button', { name: 'Manage billing', exact: true }).waitFor();
    await page.getByRole('group', { name: 'Pro plan' }).getByText('Current plan').waitFor();
    // The fake Checkout paid an invoice.
    await page.getByRole('cell', { name: 'Paid' }).first().waitFor();
    await screenshot(page, '05-billing-pro');
  });

  step('with Pro, the fourth bot is created, and the dashboard has no warning any more', {}, async () => {
    const { page } = operator;
    await page.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(new URL(page.url()).search, '');
    await nav(page).getByRole('link', { name: 'Bots', exact: true }).click();
    await page.getByRole('button', { name: 'Create bot' }).first().click();
    await dialog(page).getByLabel('Name', { exact: true }).fill('Fourth');
    await dialog(page).getByRole('button', { name: 'Create bot' }).click();
    await page.waitForURL(/\/bots\/bot_/);
    await page.getByRole('heading', { name: 'Fourth' }).waitFor();
    await page.goto(url('/'));
    await page.getByRole('heading', { name: /Good (morning|afternoon|evening)/ }).waitFor();
    await page.getByText('Bakery Helper').first().waitFor();
    assert.equal(await page.getByRole('region', { name: 'Usage warnings' }).count(), 0);
  });

  step('a platform admin sees the plan on /admin and changes it after confirming', {}, async () => {
    const { page } = operator;
    await page.goto(url('/admin'));
    const row = page.getByRole('row').filter({ hasText: OPERATOR.email });
    await row.getByText('Pro', { exact: true }).waitFor();
    await row.getByRole('button', { name: /Change the plan of/ }).click();
    const confirm = dialog(page);
    await confirm.getByText('Its limits change at once').waitFor();
    await confirm.getByLabel('Plan').selectOption('business');
    await confirm.evaluate((element) =>
      Promise.all(element.getAnimations().map((animation) => animation.finished)),
    );
    await screenshot(page, '06-admin-change-plan');
    await confirm.getByRole('button', { name: 'Change plan' }).click();
    await row.getByText('Business', { exact: true }).waitFor();
    await page.goto(url('/billing'));
    await page.getByText('Business plan', { exact: true }).waitFor();
    assert.equal(await meter(page, 'Bots').getAttribute('aria-valuetext'), '4 of 100');
  });

  step('Billing at 390 px in the dark theme: readable, nothing wider than the screen', {}, async () => {
    const { page } = operator;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => localStorage.setItem('switchboard.theme', 'dark'));
    await page.goto(url('/billing'));
    await page.getByText('Business plan', { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Usage' }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide at 390 px`);
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('dark')), true);
    await screenshot(page, '07-billing-390-dark');
  });
});
