// Journey: a new operator signs up, visits every page, edits the profile, changes the password,
// signs out; a second user is not a platform admin and is refused the debug page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';

const ADMIN = {
  name: 'Ada',
  email: 'ada@example.com',
  password: 'correct horse battery',
};
const NEW_PASSWORD = 'even more correct horse';
const MEMBER = {
  name: 'Grace Hopper',
  email: 'grace@example.com',
  password: 'compilers are fun',
};

describe('account journey', () => {
  let server;
  let browser;
  let page;
  let screenshot;

  before(async () => {
    screenshot = await screenshotsFor('account-journey');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ browser }),
    () => screenshot,
  );

  step('the server starts and the browser opens', [], async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(10_000);
  });

  const url = (path) => `${server.baseURL}${path}`;
  const toast = (text) => page.locator('[data-sonner-toast]', { hasText: text });

  async function signUp(user) {
    await page.getByRole('tab', { name: 'Sign up' }).click();
    await page.getByLabel('Name').fill(user.name);
    await page.getByLabel('Work email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Create account' }).click();
  }

  async function signOut() {
    const sessionChecked = page.waitForResponse((response) => response.url() === url('/api/auth/session'));
    await page.getByRole('button', { name: 'Open user menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(url('/auth'));
    await sessionChecked;
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
  }

  step(
    'a signed-out visitor is sent to /auth with the page to come back to',
    ['401 GET /api/auth/session'],
    async () => {
      await page.goto(url('/'));
      await page.waitForURL(url('/auth?next=%2F'));
      await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
      await screenshot(page, '01-auth-sign-in');
    },
  );

  step('the sign-up form checks its fields before sending', [], async () => {
    await page.getByRole('tab', { name: 'Sign up' }).click();
    await page.getByLabel('Work email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Enter your name.').waitFor();
    await page.getByText('Enter a valid email address.').waitFor();
    await page.getByText('Use at least 10 characters.').waitFor();
    await screenshot(page, '02-auth-sign-up-validation');
  });

  step('signing up lands on the dashboard as a platform admin', [], async () => {
    await signUp(ADMIN);
    await page.waitForURL(url('/'));
    await page
      .getByRole('heading', {
        name: new RegExp(`^Good \\w+, ${ADMIN.name}$`),
      })
      .waitFor();
    await page.getByText(/checks healthy/).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Debug' }).waitFor();
    await screenshot(page, '03-dashboard');
  });

  step('the profile can be edited and is saved', [], async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
    await page.waitForURL(url('/settings/profile'));
    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('Avatar URL').fill(url('/favicon.svg'));
    // The time zone is a searchable combobox: type part of the name, pick with the keyboard.
    await page.getByRole('combobox', { name: 'Time zone' }).fill('berlin');
    await page.getByRole('option', { name: 'Europe/Berlin' }).waitFor();
    await page.getByRole('combobox', { name: 'Time zone' }).press('Enter');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await toast('Profile saved').waitFor();

    await page.reload();
    await page.getByLabel('Name').waitFor();
    assert.equal(await page.getByLabel('Name').inputValue(), 'Ada Lovelace');
    assert.equal(await page.getByLabel('Avatar URL').inputValue(), url('/favicon.svg'));
    assert.equal(await page.getByLabel('Time zone').inputValue(), 'Europe/Berlin');
    await page.getByRole('button', { name: 'Open user menu' }).getByText('Ada Lovelace').waitFor();
    await screenshot(page, '04-settings-profile');
  });

  step('the password can be changed', [], async () => {
    await page.getByLabel('Current password').fill(ADMIN.password);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(`${NEW_PASSWORD}!`);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The passwords do not match.').waitFor();

    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await toast('Password changed').waitFor();
    assert.equal(await page.getByLabel('Current password').inputValue(), '');
  });

  step('the debug page shows the health of the server to a platform admin', [], async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Debug' }).click();
    await page.waitForURL(url('/debug'));
    await page.getByRole('heading', { name: 'Checks' }).waitFor();
    const checks = page.locator('ul > li', {
      has: page.getByText(/^(Healthy|Warning|Failing)$/),
    });
    assert.ok((await checks.count()) > 0, 'at least one check is listed');
    await page.getByText('Driver').waitFor();
    await page.getByText(ADMIN.email).or(page.getByText('Ada Lovelace')).first().waitFor();
    await screenshot(page, '05-debug');
  });

  step('an unknown path shows "Page not found" inside the app shell', [], async () => {
    await page.goto(url('/no/such/page'));
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await screenshot(page, '06-not-found');
  });

  step(
    'signing out returns to /auth, and the new password signs back in',
    ['401 GET /api/auth/session', '401 GET /api/auth/session'],
    async () => {
      await signOut();
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(url('/'));
      await page.getByRole('heading', { name: /^Good \w+, Ada$/ }).waitFor();
      await signOut();
    },
  );

  step(
    'a second user is not a platform admin and is refused /debug',
    ['401 GET /api/auth/session', '403 GET /api/debug'],
    async () => {
      await page.goto(url('/debug'));
      await page.waitForURL(url('/auth?next=%2Fdebug'));
      await signUp(MEMBER);
      await page.waitForURL(url('/debug'));
      await page.getByText('You need to be a platform admin to see this page').waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Dashboard' }).waitFor();
      assert.equal(
        await nav.getByRole('link', { name: 'Debug' }).count(),
        0,
        'no Debug link for a non-admin',
      );
      await screenshot(page, '07-debug-forbidden');
    },
  );
});
