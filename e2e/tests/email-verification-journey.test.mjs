// Journey: the first account of an installation starts verified; a second account sees the banner,
// cannot create an API key until it proves its address (the form says why and the server refuses),
// asks for the link again, opens it from the outbox, and then the banner is gone and the key is made.
// Changing the address on the profile sends a new link to the new address, and the banner is back.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { linkFromLatestMail, signUp } from '../lib/account.mjs';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';

const OPERATOR = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'correct horse battery' };
const USER = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compilers are fun' };
const BANNER = { name: 'Email address not verified' };
const NEW_EMAIL = 'grace.hopper@example.com';

describe('email verification journey', () => {
  let server;
  let operator; // the platform admin, who can read the outbox
  let user;
  let screenshot;
  const ids = {};
  let verifyLink;

  before(async () => {
    screenshot = await screenshotsFor('email-verification-journey');
  });

  after(async () => {
    await user?.close();
    await operator?.close();
    await server?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ operator, user }),
    () => screenshot,
  );

  const url = (path) => `${server.baseURL}${path}`;
  const nav = (page) => page.getByRole('navigation', { name: 'Main' });
  const dialog = (page) => page.getByRole('dialog');
  const sessionOf = (page) => page.evaluate(() => fetch('/api/auth/session').then((r) => r.json()));

  step(
    'the first account is verified at creation: no banner',
    { operator: ['401 GET /api/auth/session'] },
    async () => {
      server = await startServer();
      [operator, user] = await Promise.all([launchBrowser(), launchBrowser()]);
      operator.page.setDefaultTimeout(10_000);
      user.page.setDefaultTimeout(10_000);
      const { page } = operator;
      await signUp(page, server.baseURL, OPERATOR);
      await page.getByRole('heading', { name: /^Good \w+, Ada$/ }).waitFor();
      assert.equal((await sessionOf(page)).user.email_verified, true);
      assert.equal(await page.getByRole('region', BANNER).count(), 0);
    },
  );

  step(
    'a second account sees the banner with its address',
    { user: ['401 GET /api/auth/session'] },
    async () => {
      const { page } = user;
      await signUp(page, server.baseURL, USER);
      const banner = page.getByRole('region', BANNER);
      await banner.waitFor();
      await banner
        .getByText(
          `Verify your email address to invite teammates, connect platforms and create API keys. We sent a link to ${USER.email}.`,
        )
        .waitFor();
      const session = await sessionOf(page);
      assert.equal(session.user.email_verified, false);
      ids.org = session.organization.id;
      ids.csrf = session.csrf_token;
      await screenshot(page, '01-banner');
    },
  );

  step(
    'it cannot create an API key: the form says why, and the server refuses',
    { user: () => [`403 POST /api/orgs/${ids.org}/api-keys`] },
    async () => {
      const { page } = user;
      await nav(page).getByRole('link', { name: 'API keys' }).click();
      await page.waitForURL(url('/settings/api-keys'));
      await page.getByRole('button', { name: 'Create API key' }).first().click();
      await dialog(page).getByText('Verify your email address to create API keys.').waitFor();
      await dialog(page).getByLabel('Name').fill('CI deploys');
      assert.equal(await dialog(page).getByRole('button', { name: 'Create key' }).isDisabled(), true);
      await screenshot(page, '02-api-key-waits-for-verification');
      // What a stale page would send: refused with a readable reason.
      const refusal = await page.evaluate(
        ({ org, csrf }) =>
          fetch(`/api/orgs/${org}/api-keys`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
            body: JSON.stringify({ name: 'CI deploys', role: 'member' }),
          }).then(async (response) => ({ status: response.status, body: await response.json() })),
        { org: ids.org, csrf: ids.csrf },
      );
      assert.equal(refusal.status, 403);
      assert.equal(refusal.body.error.code, 'email_unverified');
      assert.match(refusal.body.error.message, /^Verify your email address first/);
      await dialog(page).getByRole('button', { name: 'Cancel' }).click();
      await dialog(page).waitFor({ state: 'hidden' });
    },
  );

  step('"Send again" mails a new link', {}, async () => {
    const { page } = user;
    const banner = page.getByRole('region', BANNER);
    await banner.getByRole('button', { name: 'Send again' }).click();
    await banner.getByText(`We sent a new link to ${USER.email}.`).waitFor();
    assert.equal(await banner.getByRole('button', { name: 'Sent' }).isDisabled(), true);
    verifyLink = await linkFromLatestMail(operator.page, {
      to: USER.email,
      subject: /^Verify your email address for Switchboard$/,
      path: '/verify-email\\?token=',
    });
    assert.ok(verifyLink.startsWith(`${server.baseURL}/verify-email?token=`), verifyLink);
  });

  step('the link verifies the address, and the banner is gone', {}, async () => {
    const { page } = user;
    await page.goto(verifyLink);
    await page.getByRole('heading', { name: 'Your email address is verified' }).waitFor();
    await screenshot(page, '03-verified');
    await page.getByRole('link', { name: 'Continue to Switchboard' }).click();
    await page.waitForURL(url('/'));
    await page.getByRole('heading', { name: /^Good \w+, Grace$/ }).waitFor();
    assert.equal(await page.getByRole('region', BANNER).count(), 0);
    assert.equal((await sessionOf(page)).user.email_verified, true);
  });

  step('now the API key is created', {}, async () => {
    const { page } = user;
    await nav(page).getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL(url('/settings/api-keys'));
    await page.getByRole('button', { name: 'Create API key' }).first().click();
    assert.equal(await dialog(page).getByText('Verify your email address to create API keys.').count(), 0);
    await dialog(page).getByLabel('Name').fill('CI deploys');
    await dialog(page).getByRole('button', { name: 'Create key' }).click();
    await dialog(page).getByRole('heading', { name: 'Copy your new API key' }).waitFor();
    await screenshot(page, '04-api-key-created');
    await dialog(page).getByRole('button', { name: 'I have copied it' }).click();
  });

  step('the link works once', { user: ['400 POST /api/auth/verify-email'] }, async () => {
    const { page } = user;
    await page.goto(verifyLink);
    await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    await page.getByText(/Send again/).waitFor();
    await screenshot(page, '05-used-link');
  });

  step('changing the address mails a link to the new one, and the banner is back', {}, async () => {
    const { page } = user;
    await page.goto(url('/settings/profile'));
    const card = page.locator('#email');
    await card.getByText('Verified', { exact: true }).waitFor();
    await card.getByLabel('New email address').fill(NEW_EMAIL);
    await card.getByRole('button', { name: 'Change email' }).click();
    // Signed up minutes ago, the password is recent: no re-authentication is asked for.
    await card.getByText(`We sent a verification link to ${NEW_EMAIL}.`).waitFor();
    await card.getByText('Not verified', { exact: true }).waitFor();
    await page.getByRole('region', BANNER).getByText(`We sent a link to ${NEW_EMAIL}.`).waitFor();
    await screenshot(page, '06-email-changed');
    const link = await linkFromLatestMail(operator.page, {
      to: NEW_EMAIL,
      subject: /^Verify your email address for Switchboard$/,
      path: '/verify-email\\?token=',
    });
    assert.ok(link.startsWith(`${server.baseURL}/verify-email?token=`), link);
  });
});
