// Journey: resetting the password of an account with two-factor sign-in needs a code too: the reset
// page asks for it, refuses a wrong one beside the field, and accepts the app's next code.
import { after, before, describe } from 'node:test';
import { linkFromLatestMail, signOut, signUp, toast, turnOnTwoFactor } from '../lib/account.mjs';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';
import { freshCode, wrongCode } from '../lib/totp.mjs';

const OPERATOR = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'correct horse battery' };
const USER = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compilers are fun' };
const NEW_PASSWORD = 'nanoseconds are short';

describe('two-factor password reset journey', () => {
  let server;
  let operator; // the platform admin, who can read the outbox
  let user;
  let screenshot;
  let twoFactor;

  before(async () => {
    screenshot = await screenshotsFor('two-factor-reset-journey');
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

  step(
    'the user signs up and turns on two-factor sign-in',
    { operator: ['401 GET /api/auth/session'], user: ['401 GET /api/auth/session'] },
    async () => {
      server = await startServer();
      [operator, user] = await Promise.all([launchBrowser(), launchBrowser()]);
      operator.page.setDefaultTimeout(10_000);
      user.page.setDefaultTimeout(10_000);
      await signUp(operator.page, server.baseURL, OPERATOR);
      await signUp(user.page, server.baseURL, USER);
      twoFactor = await turnOnTwoFactor(user.page, server.baseURL);
    },
  );

  step(
    'signed out, the user asks for a reset link and opens it from the outbox',
    { user: ['401 GET /api/auth/session'] },
    async () => {
      const { page } = user;
      await signOut(page, server.baseURL);
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.waitForURL(url('/forgot-password'));
      await page.getByLabel('Email').fill(USER.email);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      const link = await linkFromLatestMail(operator.page, {
        to: USER.email,
        subject: /^Reset your Switchboard password$/,
        path: '/reset-password\\?token=',
      });
      await page.goto(link);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await page.getByLabel('Authentication code').waitFor();
    },
  );

  step(
    'the code is required, and a wrong one is refused beside the field',
    { user: ['422 POST /api/auth/password-reset/complete'] },
    async () => {
      const { page } = user;
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Change password and sign in' }).click();
      await page.getByText('Enter the code from your authenticator app or a recovery code.').waitFor();

      await page.getByLabel('Authentication code').fill(wrongCode(twoFactor.secret));
      await page.getByRole('button', { name: 'Change password and sign in' }).click();
      await page.locator('#reset-code-error').waitFor();
      await page.getByLabel('Authentication code').and(page.locator('[aria-invalid="true"]')).waitFor();
      await screenshot(page, '01-reset-wrong-code');
    },
  );

  step('the app\u2019s next code changes the password and signs the user in', {}, async () => {
    const { page } = user;
    // The step used to turn two-factor on is spent: wait for the next one, as a person would.
    const { code } = await freshCode(twoFactor.secret, twoFactor.step);
    await page.getByLabel('Authentication code').fill(code);
    await page.getByRole('button', { name: 'Change password and sign in' }).click();
    await page.waitForURL(url('/'));
    await page.getByRole('heading', { name: /^Good \w+, Grace$/ }).waitFor();
    await toast(page, 'Your password was changed.').waitFor();
    await screenshot(page, '02-signed-in-after-reset');
  });
});
