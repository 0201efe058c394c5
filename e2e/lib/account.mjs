// Steps that many journeys share: signing up, in and out through the UI, turning on two-factor
// sign-in on the profile, and reading the link in the latest mail of the outbox.
import assert from 'node:assert/strict';
import { freshCode } from './totp.mjs';

/** Signs up on /auth?tab=signup and waits for the dashboard. The first account is the platform admin. */
export async function signUp(page, baseURL, user) {
  await page.goto(`${baseURL}/auth?tab=signup`);
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Work email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${baseURL}/`);
}

/** From the sign-in form (already on /auth): email and password, then the dashboard. */
export async function signIn(page, baseURL, user) {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseURL}/`);
}

/** Signs out from the user menu; waits for the sign-in page (its session check answers 401). */
export async function signOut(page, baseURL) {
  const sessionChecked = page.waitForResponse((response) => response.url() === `${baseURL}/api/auth/session`);
  await page.getByRole('button', { name: 'Open user menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(`${baseURL}/auth`);
  await sessionChecked;
  await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
}

/**
 * The first link under `path` in the newest outbox mail to `to` whose subject matches `subject`.
 * `adminPage` must be signed in as a platform admin (the outbox holds every user's mail).
 */
export async function linkFromLatestMail(adminPage, { to, subject, path }) {
  const mailbox = await adminPage.evaluate(() =>
    fetch('/api/debug/mailbox').then((response) => response.json()),
  );
  const mail = mailbox.items.find((item) => item.to === to && subject.test(item.subject));
  assert.ok(mail, `no mail to ${to} with a subject like ${subject} in the outbox`);
  const link = mail.body.match(new RegExp(`https?://[^\\s"'<>]*${path}[^\\s"'<>]*`))?.[0];
  assert.ok(link, `the mail "${mail.subject}" to ${to} has no link to ${path}:\n${mail.body}`);
  return link;
}

/**
 * Turns on two-factor sign-in on /settings/profile as a person with an authenticator app would;
 * resolves with the secret, the step whose code was used and the recovery codes.
 */
export async function turnOnTwoFactor(page, baseURL) {
  await page.goto(`${baseURL}/settings/profile#two-factor`);
  const card = page.locator('#two-factor');
  await card.getByRole('button', { name: 'Set up' }).click();
  await card.getByRole('button', { name: 'Show the QR code' }).click();
  const secret = (await card.getByLabel('Setup key').inputValue()).replace(/\s/g, '');
  const { code, step } = await freshCode(secret);
  await card.getByLabel('Code from the app').fill(code);
  await card.getByRole('button', { name: 'Verify and turn on' }).click();
  const list = card.getByRole('list', { name: 'Recovery codes' });
  await list.waitFor();
  const recoveryCodes = await list.getByRole('listitem').allInnerTexts();
  await card.getByLabel('I have saved my recovery codes somewhere safe').check();
  await card.getByRole('button', { name: 'Done' }).click();
  await card.getByText('On', { exact: true }).waitFor();
  return { secret, step, recoveryCodes };
}

export const toast = (page, text) => page.locator('[data-sonner-toast]', { hasText: text });

/**
 * Calls the API from a signed-in page as the web app does (its cookie and CSRF token), for setup
 * that is not what a journey is about. Resolves with the status, the parsed body and the org id.
 */
export async function callApi(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await fetch('/api/auth/session').then((r) => r.json());
      const response = await fetch(path, {
        method,
        headers: {
          'Content-Type': 'application/json',
          'X-CSRF-Token': session.csrf_token,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        json: text ? JSON.parse(text) : null,
        orgId: session.organization?.id,
      };
    },
    { method, path, body },
  );
}
