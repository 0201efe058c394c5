// Journey: a user who forgot their password asks for a link on the sign-in page, opens it from the
// outbox, chooses a new password and is signed in; the old password stops working and their other
// browser is signed out. The platform admin (first account) reads the outbox.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { linkFromLatestMail, signIn, signOut, signUp, toast } from '../lib/account.mjs';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';

const OPERATOR = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'correct horse battery' };
const USER = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compilers are fun' };
const NEW_PASSWORD = 'nanoseconds are short';
const BANNER = { name: 'Email address not verified' };

describe('password reset journey', () => {
  let server;
  let operator; // the platform admin, who can read the outbox
  let laptop; // the user's browser that resets the password
  let phone; // another browser of the user, signed in before the reset
  let screenshot;
  let resetLink;

  before(async () => {
    screenshot = await screenshotsFor('password-reset-journey');
  });

  after(async () => {
    await phone?.close();
    await laptop?.close();
    await operator?.close();
    await server?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ operator, laptop, phone }),
    () => screenshot,
  );

  const url = (path) => `${server.baseURL}${path}`;

  step(
    'the operator and the user sign up; the user signs in on a second browser too',
    {
      operator: ['401 GET /api/auth/session'],
      laptop: ['401 GET /api/auth/session'],
      phone: ['401 GET /api/auth/session'],
    },
    async () => {
      server = await startServer();
      [operator, laptop, phone] = await Promise.all([launchBrowser(), launchBrowser(), launchBrowser()]);
      for (const browser of [operator, laptop, phone]) browser.page.setDefaultTimeout(10_000);
      await signUp(operator.page, server.baseURL, OPERATOR);
      await signUp(laptop.page, server.baseURL, USER);
      await phone.page.goto(url('/auth'));
      await signIn(phone.page, server.baseURL, USER);
      // A second account starts with an unverified address.
      await laptop.page.getByRole('region', BANNER).waitFor();
    },
  );

  step(
    'signed out, the user follows "Forgot password?" and asks for a link',
    { laptop: ['401 GET /api/auth/session'] },
    async () => {
      const { page } = laptop;
      await signOut(page, server.baseURL);
      await page.getByLabel('Email').fill(USER.email);
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.waitForURL(url(`/forgot-password?email=${encodeURIComponent(USER.email)}`));
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      assert.equal(await page.getByLabel('Email').inputValue(), USER.email);
      await screenshot(page, '01-forgot-password');
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      await page.getByText(/we sent it a link to choose a new password/).waitFor();
      await screenshot(page, '02-check-your-email');
    },
  );

  step('the mail with the link is in the outbox', {}, async () => {
    resetLink = await linkFromLatestMail(operator.page, {
      to: USER.email,
      subject: /^Reset your Switchboard password$/,
      path: '/reset-password\\?token=',
    });
    assert.ok(resetLink.startsWith(`${server.baseURL}/reset-password?token=`), resetLink);
  });

  step('the link asks for the new password twice, and checks it before sending', {}, async () => {
    const { page } = laptop;
    await page.goto(resetLink);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByText(USER.email).waitFor();
    assert.equal(await page.getByLabel('Authentication code').count(), 0, 'no code without two-factor');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(`${NEW_PASSWORD}!`);
    await page.getByRole('button', { name: 'Change password and sign in' }).click();
    await page.getByText('The passwords do not match.').waitFor();
    await screenshot(page, '03-reset-password');
  });

  step('the new password signs the user in, with a notice about the other sessions', {}, async () => {
    const { page } = laptop;
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password and sign in' }).click();
    await page.waitForURL(url('/'));
    await page.getByRole('heading', { name: /^Good \w+, Grace$/ }).waitFor();
    await toast(page, 'Your password was changed.')
      .getByText('Every other session was signed out.')
      .waitFor();
    // The link reached the mailbox, so the server counts the address as verified too.
    assert.equal(await page.getByRole('region', BANNER).count(), 0);
    await screenshot(page, '04-signed-in-after-reset');
  });

  step('the link works once', { laptop: ['400 GET /api/auth/password-reset'] }, async () => {
    const { page } = laptop;
    await page.goto(resetLink);
    await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();
    await screenshot(page, '05-used-link');
  });

  step('the other browser was signed out', { phone: ['401 GET /api/auth/session'] }, async () => {
    const { page } = phone;
    await page.reload();
    await page.waitForURL(url('/auth?next=%2F'));
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
  });

  step(
    'the old password no longer works; the new one does',
    { phone: ['401 POST /api/auth/signin'] },
    async () => {
      const { page } = phone;
      await page.getByLabel('Email').fill(USER.email);
      await page.getByLabel('Password').fill(USER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await toast(page, 'The email or password is not right.').waitFor();
      assert.equal(page.url(), url('/auth?next=%2F'));
      await screenshot(page, '06-old-password-refused');

      await signIn(page, server.baseURL, { ...USER, password: NEW_PASSWORD });
      await page.getByRole('heading', { name: /^Good \w+, Grace$/ }).waitFor();
    },
  );
});
